import Foundation
import JiuzhuRegistry
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Encodes text as GB18030 with iconv, independently of the decoder under test.
func gb18030(_ text: String) throws -> [UInt8] {
    let converter = try #require(iconv_open("GB18030", "UTF-8"))
    try #require(converter != iconv_t(bitPattern: -1))
    defer { iconv_close(converter) }
    var input = Array(text.utf8CString.dropLast())
    var output = [CChar](repeating: 0, count: input.count * 4 + 16)
    let outCount = output.count
    var inLeft = input.count
    var outLeft = outCount
    let result = input.withUnsafeMutableBufferPointer { inBuffer in
        output.withUnsafeMutableBufferPointer { outBuffer in
            var inPointer = inBuffer.baseAddress
            var outPointer = outBuffer.baseAddress
            return iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
        }
    }
    try #require(result != -1)
    return output.prefix(outCount - outLeft).map { UInt8(bitPattern: $0) }
}

@Suite("TextEncodingDetector")
struct TextEncodingDetectorTests {
    @Test(arguments: [
        ([UInt8](), RegistryTextEncoding.utf8),
        (Array("姓名,公民身份号码\r\n".utf8), .utf8),
        ([0xEF, 0xBB, 0xBF] + Array("姓名".utf8), .utf8BOM),
        ([0xEF, 0xBB, 0xBF], .utf8BOM),
        ([0xD6, 0xD0, 0xCE, 0xC4], .gb18030),
        (Array("a,b\n".utf8) + [0xC4, 0xE3], .gb18030),
    ])
    func detects(bytes: [UInt8], expected: RegistryTextEncoding) {
        #expect(TextEncodingDetector.detect(bytes) == expected)
    }

    @Test(
        arguments: [
            ([UInt8](Array("ok".utf8)), nil),
            ([0x41, 0xC0, 0x80], 1),  // overlong NUL
            ([0xED, 0xA0, 0x80], 0),  // surrogate
            ([0xF4, 0x90, 0x80, 0x80], 0),  // above U+10FFFF
            ([0x41, 0x42, 0xE4, 0xB8], 2),  // cut off
            ([0xE4, 0xB8, 0xAD, 0xFF], 3),
            ([0xF0, 0x9F, 0x98, 0x80], nil),  // emoji
        ] as [([UInt8], Int?)])
    func findsFirstInvalidUTF8(bytes: [UInt8], offset: Int?) {
        #expect(TextEncodingDetector.firstInvalidUTF8Offset(bytes) == offset)
    }
}

@Suite("RegistryFileDecoder")
struct RegistryFileDecoderTests {
    @Test func knownGB18030Bytes() throws {
        #expect(try RegistryFileDecoder.decodeGB18030([0xD6, 0xD0, 0xCE, 0xC4]) == "中文")
        let file = try RegistryFileDecoder.decode([0xD6, 0xD0, 0xCE, 0xC4])
        #expect(file.text == "中文")
        #expect(file.encoding == .gb18030)
    }

    @Test func gb18030FileFromIconv() throws {
        let text = "姓名,公民身份号码,住址\r\n张三,32120219850101001X,泰州市海陵区\r\n李四,,兴化市\r\n"
        let bytes = try gb18030(text)
        #expect(bytes.starts(with: [0xD0, 0xD5, 0xC3, 0xFB]))  // 姓名 in GBK
        let file = try RegistryFileDecoder.decode(bytes)
        #expect(file.encoding == .gb18030)
        #expect(file.text == text)
    }

    @Test func fourByteGB18030AndOutputChunking() throws {
        // 𠀀 (U+20000) needs a four-byte GB18030 sequence; the repetition spans several iconv output chunks.
        let text = String(repeating: "𠀀中文abc,", count: 20_000)
        let bytes = try gb18030(text)
        #expect(bytes.count > 3 * 64 * 1024)
        #expect(try RegistryFileDecoder.decode(bytes).text == text)
    }

    @Test func utf8WithBOM() throws {
        let file = try RegistryFileDecoder.decode([0xEF, 0xBB, 0xBF] + Array("姓名\r\n张三".utf8))
        #expect(file.encoding == .utf8BOM)
        #expect(file.text == "姓名\r\n张三")
        #expect(file.text.unicodeScalars.first == "姓")
    }

    @Test func plainUTF8FromData() throws {
        let file = try RegistryFileDecoder.decode(Data("户主,人口\n王五,3\n".utf8))
        #expect(file.encoding == .utf8)
        #expect(file.text == "户主,人口\n王五,3\n")
    }

    @Test func invalidGB18030NamesOffsetAndLine() throws {
        let bytes = try gb18030("姓名\n张三\n") + [0xFF, 0xFF] + (try gb18030("李四\n"))
        #expect(throws: RegistryFileDecodingError.invalidGB18030(offset: 10, line: 3, byte: 0xFF)) {
            try RegistryFileDecoder.decode(bytes)
        }
        let error = RegistryFileDecodingError.invalidGB18030(offset: 10, line: 3, byte: 0xFF)
        #expect(error.description.contains("第 3 行"))
        #expect(error.description.contains("字节偏移 10"))
        #expect(error.description.contains("0xFF"))
    }

    @Test func truncatedGB18030() throws {
        let bytes = try gb18030("姓名\n张") + [0xC8]
        #expect(throws: RegistryFileDecodingError.truncatedGB18030(offset: 7, line: 2)) {
            try RegistryFileDecoder.decode(bytes)
        }
    }

    @Test func invalidUTF8AfterBOM() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a\nb".utf8) + [0xC3]
        #expect(throws: RegistryFileDecodingError.invalidUTF8(offset: 6, line: 2, byte: 0xC3)) {
            try RegistryFileDecoder.decode(bytes)
        }
    }

    @Test(arguments: [[UInt8]([0xFF, 0xFE, 0x41, 0x00]), [0xFE, 0xFF, 0x00, 0x41]])
    func utf16IsRejectedClearly(bytes: [UInt8]) {
        #expect(throws: RegistryFileDecodingError.unsupportedUTF16) { try RegistryFileDecoder.decode(bytes) }
    }

    @Test func encodingNamesForTheUser() {
        #expect(RegistryTextEncoding.gb18030.description == "GB18030（GBK）")
        #expect(RegistryTextEncoding.utf8BOM.description == "UTF-8（带 BOM）")
    }
}
