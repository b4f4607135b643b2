import JiuzhuDomain

/// Pushed batches and pull answers in the federation's binary form: a short header, then
/// ``ChangeRecords``. Negotiated per link, JSON staying the default that every release speaks:
/// a parent lists the form in its hello (``FederationHello/changeFormats``) and a child pushes
/// in it only then; a child asks for pull answers in it with `Accept`.
///
/// | document | layout |
/// | --- | --- |
/// | push body | `JZC1`, channel (1-byte length, ASCII), record count (4 bytes), records |
/// | pull answer | `JZP1`, scanned-through position and clock (8 bytes each), record count (4 bytes), records |
public enum BinaryBatches {
    /// The media type of both documents (`Content-Type` of a push, `Accept` of a pull).
    public static let mediaType = "application/vnd.jiuzhu.changes.v1"

    static let pushMagic = Array("JZC1".utf8)
    static let pullMagic = Array("JZP1".utf8)

    /// A push body: `records` on `channel`.
    public static func push(channel: ReplicationChannel, records: ChangeRecords) -> [UInt8] {
        pushHeader(channel: channel, count: records.count) + records.bytes
    }

    /// What comes before a push body's `count` records on `channel`.
    public static func pushHeader(channel: ReplicationChannel, count: Int) -> [UInt8] {
        var header = HeaderWriter(magic: pushMagic, capacity: 32)
        header.text(channel.rawValue)
        header.integer(UInt64(count), width: 4)
        return header.bytes
    }

    /// Reads a push body; the records are returned as received, to be forwarded unchanged.
    public static func decodePush(_ body: [UInt8]) throws(ChangeRecordsError) -> (
        channel: ReplicationChannel, changes: [Change], records: ChangeRecords
    ) {
        let (channel, changes, records) = try body.withUnsafeBufferPointer { body throws(ChangeRecordsError) in
            try decodePush(body, keepingRecords: true)
        }
        return (channel, changes, records!)
    }

    /// Reads a push body where it lies; the records are copied out as received only when
    /// `keepingRecords` (a node that forwards them), so that a node that does not copies nothing.
    public static func decodePush(_ body: UnsafeBufferPointer<UInt8>, keepingRecords: Bool) throws(ChangeRecordsError)
        -> (channel: ReplicationChannel, changes: [Change], records: ChangeRecords?)
    {
        var header = HeaderReader(body, magic: pushMagic)
        let name = try header.text()
        guard let channel = ReplicationChannel(rawValue: name) else {
            throw ChangeRecordsError(record: 0, reason: "批次的通道 \(name) 未知")
        }
        let count = Int(try header.integer(width: 4))
        let region = UnsafeBufferPointer(rebasing: body[header.offset...])
        let changes = try ChangeRecords.decode(region, count: count)
        return (channel, changes, keepingRecords ? ChangeRecords(bytes: Array(region), count: count) : nil)
    }

    /// A pull answer.
    public static func pull(_ answer: PullResponse) -> [UInt8] {
        let records = ChangeRecords(answer.changes)
        var header = HeaderWriter(magic: pullMagic, capacity: records.bytes.count + 32)
        header.integer(UInt64(bitPattern: answer.scannedThrough), width: 8)
        header.integer(UInt64(bitPattern: answer.clock.rawValue), width: 8)
        header.integer(UInt64(records.count), width: 4)
        return header.followed(by: records)
    }

    /// Reads a pull answer.
    public static func decodePull(_ body: [UInt8]) throws(ChangeRecordsError) -> PullResponse {
        try body.withUnsafeBufferPointer { body throws(ChangeRecordsError) in
            var header = HeaderReader(body, magic: pullMagic)
            let scannedThrough = Int64(bitPattern: try header.integer(width: 8))
            let clock = HybridLogicalClock(rawValue: Int64(bitPattern: try header.integer(width: 8)))
            let count = Int(try header.integer(width: 4))
            let changes = try ChangeRecords.decode(UnsafeBufferPointer(rebasing: body[header.offset...]), count: count)
            return PullResponse(changes: changes, scannedThrough: scannedThrough, clock: clock)
        }
    }
}

private struct HeaderWriter {
    var bytes: [UInt8]

    init(magic: [UInt8], capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
        bytes += magic
    }

    mutating func integer(_ value: UInt64, width: Int) {
        LittleEndian.append(value, width: width, to: &bytes)
    }

    mutating func text(_ value: String) {
        let utf8 = Array(value.utf8.prefix(Int(UInt8.max)))
        bytes.append(UInt8(utf8.count))
        bytes += utf8
    }

    /// The document: this header and then `records`, in the buffer reserved for both.
    consuming func followed(by records: ChangeRecords) -> [UInt8] {
        bytes.append(contentsOf: records.bytes)
        return bytes
    }
}

/// Reads a header; a document too short, or with another magic, is refused as record 0.
private struct HeaderReader {
    let body: UnsafeBufferPointer<UInt8>
    var offset: Int
    let valid: Bool

    init(_ body: UnsafeBufferPointer<UInt8>, magic: [UInt8]) {
        self.body = body
        valid = body.starts(with: magic)
        offset = magic.count
    }

    mutating func integer(width: Int) throws(ChangeRecordsError) -> UInt64 {
        try require(width)
        defer { offset += width }
        return LittleEndian.read(body, at: offset, width: width)
    }

    mutating func text() throws(ChangeRecordsError) -> String {
        let length = Int(try integer(width: 1))
        try require(length)
        defer { offset += length }
        return String(decoding: body[offset..<offset + length], as: UTF8.self)
    }

    private func require(_ width: Int) throws(ChangeRecordsError) {
        guard valid else { throw ChangeRecordsError(record: 0, reason: "不是 \(BinaryBatches.mediaType) 文档") }
        guard body.count - offset >= width else { throw ChangeRecordsError(record: 0, reason: "文档头不完整") }
    }
}
