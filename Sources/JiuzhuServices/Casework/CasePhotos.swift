import Crypto
import Foundation
import JiuzhuDomain
import JiuzhuStorage

/// Photos of signed papers (诚信承诺书, 核对授权书) and of appraisal meetings, taken on the
/// phone: checked by content (JPEG or PNG, whatever the name or the declared type says),
/// bounded in size, and cut into parts that each fit one replicated row, so the photo travels
/// up to every level that reviews the case.
public enum CasePhotos {
    /// The largest photo accepted: a phone photo after the page scales it down is far smaller.
    public static let maximumBytes = 3 * 1024 * 1024
    /// Bytes per part: base64 of this fits a row's payload limit with room to spare.
    public static let partBytes = 180_000
    /// The most parts a photo may have.
    public static let maximumParts = (maximumBytes + partBytes - 1) / partBytes
    /// The most photos one step may carry.
    public static let maximumPerStep = 6

    /// The content type of `bytes` by their signature, or nil when they are neither JPEG nor PNG.
    public static func contentType(of bytes: Data) -> String? {
        let prefix = [UInt8](bytes.prefix(8))
        if prefix.count >= 3, prefix[0] == 0xFF, prefix[1] == 0xD8, prefix[2] == 0xFF { return "image/jpeg" }
        if prefix == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] { return "image/png" }
        return nil
    }

    /// Checks a photo and cuts it into parts for `caseID`; the error names the photo's position.
    public static func parts(of bytes: Data, caseID: String, position: Int) throws(InputError) -> [CasePhotoPart] {
        guard !bytes.isEmpty else { throw InputError(field: "photos[\(position)]", "照片为空") }
        guard bytes.count <= maximumBytes else {
            throw InputError(
                field: "photos[\(position)]", "照片 \(bytes.count / 1024) KiB，超过上限 \(maximumBytes / 1024 / 1024) MiB")
        }
        guard let type = contentType(of: bytes) else {
            throw InputError(field: "photos[\(position)]", "照片应为 JPEG 或 PNG 图片（按文件内容判断）")
        }
        let hash = sha256(bytes)
        let count = (bytes.count + partBytes - 1) / partBytes
        return (0..<count).map { index in
            let start = bytes.startIndex + index * partBytes
            let slice = bytes[start..<min(start + partBytes, bytes.endIndex)]
            return CasePhotoPart(
                caseID: caseID, photo: hash, part: index, parts: count, contentType: type,
                data: slice.base64EncodedString())
        }
    }

    /// The photo `sha256` reassembled from a case's rows, checked against its hash; nil when a
    /// part is missing or anything disagrees.
    public static func assemble(_ sha256: String, caseID: String, rows: [CaseRow]) -> (type: String, bytes: Data)? {
        var parts: [Int: CasePhotoPart] = [:]
        let decoder = JSONDecoder()
        for row in rows where row.entity == RowOwnership.CaseworkEntity.casePhoto.rawValue {
            guard let part = try? decoder.decode(CasePhotoPart.self, from: Data(row.payload.utf8)),
                part.caseID == caseID, part.photo == sha256
            else { continue }
            parts[part.part] = part
        }
        guard let first = parts.values.first, (1...maximumParts).contains(first.parts), parts.count == first.parts
        else { return nil }
        var bytes = Data()
        for index in 0..<first.parts {
            guard let part = parts[index], let data = Data(base64Encoded: part.data) else { return nil }
            bytes.append(data)
        }
        guard Self.sha256(bytes) == sha256, contentType(of: bytes) == first.contentType else { return nil }
        return (first.contentType, bytes)
    }

    static func sha256(_ bytes: Data) -> String {
        SHA256.hash(data: bytes).lowercaseHex
    }
}
