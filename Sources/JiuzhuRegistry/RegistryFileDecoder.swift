import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A registry file turned into text, with the encoding it was found in.
public struct DecodedRegistryFile: Sendable, Hashable {
    /// The file's text, without a byte-order mark.
    public let text: String
    /// The encoding detected, so the import can tell the user what it assumed.
    public let encoding: RegistryTextEncoding

    /// Creates a decoded file.
    /// - Parameters:
    ///   - text: The text.
    ///   - encoding: The encoding it was decoded from.
    public init(text: String, encoding: RegistryTextEncoding) {
        self.text = text
        self.encoding = encoding
    }
}

/// Why the bytes of a registry file could not be turned into text.
public enum RegistryFileDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A file with a UTF-8 BOM contains a malformed UTF-8 sequence at the 0-based byte `offset`.
    case invalidUTF8(offset: Int, line: Int, byte: UInt8)
    /// A byte sequence at the 0-based `offset` is not valid GB18030.
    case invalidGB18030(offset: Int, line: Int, byte: UInt8)
    /// The file ends in the middle of a GB18030 character, e.g. because it was cut off.
    case truncatedGB18030(offset: Int, line: Int)
    /// The file starts with a UTF-16 byte-order mark ("Unicode 文本" in Excel), which is not supported.
    case unsupportedUTF16
    /// The system's iconv has no GB18030 converter; carries `errno`.
    case converterUnavailable(errno: Int32)
    /// iconv failed for a reason other than bad input; carries `errno`.
    case conversionFailed(errno: Int32)

    /// A Chinese message for the person importing the file.
    public var description: String {
        switch self {
        case .invalidUTF8(let offset, let line, let byte):
            "文件不是有效的 UTF-8 编码：第 \(line) 行附近（字节偏移 \(offset)）出现无法识别的字节 \(hex(byte))"
        case .invalidGB18030(let offset, let line, let byte):
            "文件既不是 UTF-8 也不是有效的 GB18030/GBK 编码：第 \(line) 行附近（字节偏移 \(offset)）出现无法识别的字节 \(hex(byte))"
        case .truncatedGB18030(let offset, let line):
            "文件在第 \(line) 行（字节偏移 \(offset)）处被截断，最后一个汉字不完整"
        case .unsupportedUTF16:
            "不支持 UTF-16（“Unicode 文本”）格式，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”"
        case .converterUnavailable(let code):
            "系统缺少 GB18030 编码转换支持（错误码 \(code)），无法读取该文件"
        case .conversionFailed(let code):
            "编码转换失败（错误码 \(code)）"
        }
    }
}

private func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
}

/// Turns the bytes of a CSV file written by Excel (or anything else) into text.
///
/// UTF-8 is decoded by the standard library. GB18030 is decoded with the C library's iconv:
/// Foundation on Linux has no GB18030 `String.Encoding`, and iconv reports exactly where a bad
/// sequence is, which lets the error name the offending line.
///
/// ```swift
/// let file = try RegistryFileDecoder.decode(Array(try Data(contentsOf: url)))
/// print("按 \(file.encoding) 读取")
/// ```
public enum RegistryFileDecoder {
    /// Detects the encoding and decodes the whole file.
    /// - Parameter bytes: The file's bytes.
    /// - Throws: ``RegistryFileDecodingError`` naming the byte offset and line of the first bad byte.
    public static func decode(_ bytes: [UInt8]) throws(RegistryFileDecodingError) -> DecodedRegistryFile {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { throw .unsupportedUTF16 }
        switch TextEncodingDetector.detect(bytes) {
        case .utf8BOM:
            let body = bytes.dropFirst(TextEncodingDetector.utf8BOM.count)
            if let bad = TextEncodingDetector.firstInvalidUTF8Offset(body) {
                let offset = bad + TextEncodingDetector.utf8BOM.count
                throw .invalidUTF8(offset: offset, line: lineNumber(at: offset, in: bytes), byte: bytes[offset])
            }
            return DecodedRegistryFile(text: String(decoding: body, as: UTF8.self), encoding: .utf8BOM)
        case .utf8:
            return DecodedRegistryFile(text: String(decoding: bytes, as: UTF8.self), encoding: .utf8)
        case .gb18030:
            return DecodedRegistryFile(text: try decodeGB18030(bytes), encoding: .gb18030)
        }
    }

    /// Detects the encoding and decodes the whole file.
    /// - Parameter data: The file's contents.
    /// - Throws: ``RegistryFileDecodingError``.
    public static func decode(_ data: Data) throws(RegistryFileDecodingError) -> DecodedRegistryFile {
        try decode([UInt8](data))
    }

    /// Decodes GB18030 bytes (GBK and GB2312 are subsets) with iconv.
    ///
    /// ```swift
    /// try RegistryFileDecoder.decodeGB18030([0xD6, 0xD0, 0xCE, 0xC4])  // "中文"
    /// ```
    /// - Parameter bytes: GB18030 bytes, without any byte-order mark.
    /// - Throws: ``RegistryFileDecodingError``.
    public static func decodeGB18030(_ bytes: [UInt8]) throws(RegistryFileDecodingError) -> String {
        let utf8 = try convert(bytes, from: "GB18030")
        return String(decoding: utf8, as: UTF8.self)
    }

    /// 1-based line of a byte offset, counting LF bytes before it.
    ///
    /// Exact for UTF-8 and GB18030, where 0x0A never occurs inside a multi-byte character; files
    /// with bare CR line endings (old Mac) would all count as line 1, hence "approximately".
    static func lineNumber(at offset: Int, in bytes: [UInt8]) -> Int {
        bytes[..<min(offset, bytes.count)].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    }

    /// Size of each output buffer handed to iconv; output grows chunk by chunk.
    static let chunkSize = 64 * 1024

    /// Converts `bytes` from `encoding` to UTF-8 with iconv, writing output in fixed-size chunks.
    static func convert(_ bytes: [UInt8], from encoding: String) throws(RegistryFileDecodingError) -> [UInt8] {
        guard let converter = iconv_open("UTF-8", encoding), converter != iconv_t(bitPattern: -1) else {
            throw .converterUnavailable(errno: errno)
        }
        defer { iconv_close(converter) }

        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 2)
        var chunk = [CChar](repeating: 0, count: chunkSize)
        var input = bytes.map { CChar(bitPattern: $0) }
        let total = input.count

        // Both buffers stay pinned for the whole loop, so iconv's cursors remain valid between calls.
        let failure: RegistryFileDecodingError? = input.withUnsafeMutableBufferPointer { inBuffer in
            chunk.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = inBuffer.baseAddress
                var inLeft = total
                while true {
                    var outPointer = outBuffer.baseAddress
                    var outLeft = outBuffer.count
                    // A final call with a nil input flushes any shift state; GB18030 has none, so
                    // reaching inLeft == 0 is the end.
                    let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                    let code = errno
                    let produced = outBuffer.count - outLeft
                    output.append(contentsOf: UnsafeRawBufferPointer(start: outBuffer.baseAddress, count: produced))
                    if result != -1 { return nil }
                    let offset = total - inLeft
                    switch code {
                    case E2BIG:
                        continue
                    case EILSEQ:
                        return .invalidGB18030(
                            offset: offset, line: lineNumber(at: offset, in: bytes), byte: bytes[offset])
                    case EINVAL:
                        return .truncatedGB18030(offset: offset, line: lineNumber(at: offset, in: bytes))
                    default:
                        return .conversionFailed(errno: code)
                    }
                }
            }
        }
        if let failure { throw failure }
        return output
    }
}
