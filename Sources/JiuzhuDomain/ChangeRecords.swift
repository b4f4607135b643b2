/// Changes in the federation's binary form: length-prefixed records, a tenth of JSON's cost to
/// read and write, and cut so that a relaying node forwards the bytes it received.
///
/// A record holds one ``Change``, little-endian, in the order of its properties:
///
/// | field | layout |
/// | --- | --- |
/// | origin | 1-byte length, ASCII digits |
/// | originSequence, clock | 8 bytes each, signed |
/// | channel | 1-byte length, ASCII |
/// | entity, key | 2-byte length, UTF-8 |
/// | jurisdiction | 1-byte length, ASCII digits |
/// | payload | 4-byte length, UTF-8; `0xFFFF_FFFF` for a deleted row (no bytes) |
///
/// Records follow one another with nothing between them, so a batch's records region is the
/// concatenation of its changes' records, and any run of records is itself a valid region.
public struct ChangeRecords: Sendable, Equatable {
    /// The records, back to back.
    public private(set) var bytes: [UInt8]
    /// How many records `bytes` holds.
    public private(set) var count: Int

    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
        count = 0
    }

    public init(_ changes: some Collection<Change>) {
        self.init(
            capacity: changes.reduce(0) {
                $0 + 64 + $1.entity.utf8.count + $1.key.utf8.count + ($1.payload?.utf8.count ?? 0)
            })
        for change in changes { append(change) }
    }

    /// Records already counted and checked (a region ``ChangeRecords/decode(_:count:)`` read).
    public init(bytes: [UInt8], count: Int) {
        self.bytes = bytes
        self.count = count
    }

    public var isEmpty: Bool { count == 0 }

    /// Appends one change's record.
    public mutating func append(_ change: Change) {
        lengthPrefixed(change.origin.digits.utf8, width: 1)
        integer(change.originSequence, width: 8)
        integer(change.clock.rawValue, width: 8)
        lengthPrefixed(change.channel.rawValue.utf8, width: 1)
        lengthPrefixed(change.entity.utf8, width: 2)
        lengthPrefixed(change.key.utf8, width: 2)
        lengthPrefixed(change.jurisdiction.digits.utf8, width: 1)
        payload(change.payload?.utf8)
        count += 1
    }

    /// Appends one record from its fields' UTF-8 bytes as the log stores them, so that a push
    /// is written straight from the database's rows.
    public mutating func append(
        origin: UnsafeBufferPointer<UInt8>, sequence: Int64, clock: Int64, channel: UnsafeBufferPointer<UInt8>,
        entity: UnsafeBufferPointer<UInt8>, key: UnsafeBufferPointer<UInt8>,
        jurisdiction: UnsafeBufferPointer<UInt8>, payload content: UnsafeBufferPointer<UInt8>?
    ) {
        lengthPrefixed(origin, width: 1)
        integer(sequence, width: 8)
        integer(clock, width: 8)
        lengthPrefixed(channel, width: 1)
        lengthPrefixed(entity, width: 2)
        lengthPrefixed(key, width: 2)
        lengthPrefixed(jurisdiction, width: 1)
        payload(content)
        count += 1
    }

    /// The payload length that marks a deleted row.
    static let deleted: UInt32 = 0xFFFF_FFFF
    /// The fewest bytes a record takes (every length zero but the codes', which take one byte
    /// or more): the bound on how many records a region of some size can claim.
    public static let smallestRecord = 1 + 8 + 8 + 1 + 2 + 2 + 1 + 4

    // Text here comes from the node's own checked data: division codes and channel names are
    // short ASCII, entities and keys are bounded on entry (``InputBounds``), payloads by the
    // log's limit. A longer one would not fit its length field; it is cut at the limit rather
    // than trapping, and the receiver refuses the record as unreadable.
    private mutating func lengthPrefixed(_ text: some Collection<UInt8>, width: Int) {
        let length = min(text.count, (1 << (8 * width)) - 1)
        LittleEndian.append(UInt64(length), width: width, to: &bytes)
        bytes.append(contentsOf: text.prefix(length))
    }

    private mutating func payload(_ content: (some Collection<UInt8>)?) {
        guard let content else { return LittleEndian.append(UInt64(Self.deleted), width: 4, to: &bytes) }
        let length = min(content.count, Int(Self.deleted) - 1)
        LittleEndian.append(UInt64(length), width: 4, to: &bytes)
        bytes.append(contentsOf: content.prefix(length))
    }

    private mutating func integer(_ value: Int64, width: Int) {
        LittleEndian.append(UInt64(bitPattern: value), width: width, to: &bytes)
    }
}

/// The binary form's one layout of numbers: unsigned, little-endian, of a fixed width in bytes.
public enum LittleEndian {
    public static func append(_ value: UInt64, width: Int, to bytes: inout [UInt8]) {
        for index in 0..<width { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }

    /// The number at `offset`; the caller has checked that `width` bytes lie there.
    @inlinable
    public static func read<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at offset: Int, width: Int) -> UInt64
    where Bytes.Index == Int {
        var value: UInt64 = 0
        for index in (0..<width).reversed() { value = value << 8 | UInt64(bytes[bytes.startIndex + offset + index]) }
        return value
    }
}

/// Why a records region cannot be read; nothing of it is taken.
public struct ChangeRecordsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The record (0-based) where reading stopped.
    public let record: Int
    public let reason: String

    public init(record: Int, reason: String) {
        self.record = record
        self.reason = reason
    }

    public var description: String { "第 \(record + 1) 条变更记录无法读取：\(reason)" }
}

extension ChangeRecords {
    /// Reads exactly `count` records from `bytes`, which must hold nothing else. Every length
    /// is checked against what remains, every text must be UTF-8, every code and channel valid.
    public static func decode(_ bytes: [UInt8], count: Int) throws(ChangeRecordsError) -> [Change] {
        try bytes.withUnsafeBufferPointer { buffer throws(ChangeRecordsError) in try decode(buffer, count: count) }
    }

    /// Reads exactly `count` records from `buffer` where it lies, as the form that takes an array does.
    public static func decode(_ buffer: UnsafeBufferPointer<UInt8>, count: Int) throws(ChangeRecordsError) -> [Change] {
        guard count >= 0, count <= buffer.count / smallestRecord else {
            throw ChangeRecordsError(record: 0, reason: "声明 \(count) 条记录，内容只有 \(buffer.count) 字节")
        }
        var reader = RecordReader(buffer: buffer)
        var changes: [Change] = []
        changes.reserveCapacity(count)
        for index in 0..<count {
            reader.record = index
            changes.append(try reader.change())
        }
        guard reader.offset == buffer.count else {
            throw ChangeRecordsError(record: count, reason: "记录之后多出 \(buffer.count - reader.offset) 字节")
        }
        return changes
    }
}

/// Reads records from a buffer, refusing any length that runs past its end.
private struct RecordReader {
    let buffer: UnsafeBufferPointer<UInt8>
    var offset = 0
    var record = 0
    /// The last record's origin, channel, entity and jurisdiction, with where their bytes lay:
    /// a batch's records mostly share them, and a field whose bytes are the same is taken
    /// from the record before instead of being validated and parsed again.
    private var last = LastFields()

    private struct LastFields {
        var origin: Repeated<DivisionCode>?
        var channel: Repeated<ReplicationChannel>?
        var entity: Repeated<String>?
        var jurisdiction: Repeated<DivisionCode>?
    }

    private struct Repeated<Value> {
        let start: Int
        let length: Int
        let value: Value
    }

    init(buffer: UnsafeBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    mutating func change() throws(ChangeRecordsError) -> Change {
        var last = self.last
        defer { self.last = last }
        let record = self.record
        func divisionCode(_ text: String) throws(ChangeRecordsError) -> DivisionCode {
            do { return try DivisionCode(text) } catch {
                throw ChangeRecordsError(record: record, reason: "区划代码无效：\(error)")
            }
        }
        let origin = try repeated(&last.origin, width: 1, "origin", divisionCode)
        let sequence = try integer(8, "originSequence")
        let clock = try integer(8, "clock")
        let channel = try repeated(&last.channel, width: 1, "channel") { text throws(ChangeRecordsError) in
            guard let channel = ReplicationChannel(rawValue: text) else {
                throw ChangeRecordsError(record: record, reason: "未知通道 \(text)")
            }
            return channel
        }
        let entity = try repeated(&last.entity, width: 2, "entity") { text throws(ChangeRecordsError) in text }
        let key = try text(width: 2, "key")
        let jurisdiction = try repeated(&last.jurisdiction, width: 1, "jurisdiction", divisionCode)
        let payloadLength = UInt32(truncatingIfNeeded: try integer(4, "payload"))
        let payload =
            payloadLength == ChangeRecords.deleted ? nil : try string(length: Int(payloadLength), "payload")
        return Change(
            origin: origin, originSequence: sequence, clock: HybridLogicalClock(rawValue: clock), channel: channel,
            entity: entity, key: key, jurisdiction: jurisdiction, payload: payload)
    }

    /// A text field read as `make` reads it, or the last record's value of the field when its
    /// bytes are the same.
    private mutating func repeated<Value>(
        _ last: inout Repeated<Value>?, width: Int, _ field: String,
        _ make: (String) throws(ChangeRecordsError) -> Value
    ) throws(ChangeRecordsError) -> Value {
        let length = Int(try integer(width, field))
        guard length >= 0, buffer.count - offset >= length else { throw failure("字段 \(field) 的长度超出内容") }
        if let last, last.length == length,
            buffer[last.start..<last.start + length].elementsEqual(buffer[offset..<offset + length])
        {
            offset += length
            return last.value
        }
        let start = offset
        let value = try make(try string(length: length, field))
        last = Repeated(start: start, length: length, value: value)
        return value
    }

    private func failure(_ reason: String) -> ChangeRecordsError { ChangeRecordsError(record: record, reason: reason) }

    private mutating func integer(_ width: Int, _ field: String) throws(ChangeRecordsError) -> Int64 {
        guard buffer.count - offset >= width else { throw failure("字段 \(field) 不完整") }
        defer { offset += width }
        return Int64(bitPattern: LittleEndian.read(buffer, at: offset, width: width))
    }

    private mutating func text(width: Int, _ field: String) throws(ChangeRecordsError) -> String {
        try string(length: Int(try integer(width, field)), field)
    }

    private mutating func string(length: Int, _ field: String) throws(ChangeRecordsError) -> String {
        guard length >= 0, buffer.count - offset >= length else { throw failure("字段 \(field) 的长度超出内容") }
        let slice = UnsafeBufferPointer(rebasing: buffer[offset..<offset + length])
        // ASCII (keys, codes, most payloads) is valid UTF-8 as it stands, and decoding it
        // directly skips the generic validating initialiser's type lookups.
        let text =
            if slice.allSatisfy({ $0 < 0x80 }) {
                String(decoding: slice, as: UTF8.self)
            } else {
                String(validating: slice, as: UTF8.self)
            }
        guard let text else { throw failure("字段 \(field) 不是 UTF-8 文本") }
        offset += length
        return text
    }
}
