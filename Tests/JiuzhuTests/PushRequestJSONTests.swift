import Foundation
import JiuzhuDomain
import JiuzhuFederation
import Testing

/// A pushed batch is written without Foundation's encoder; the receiver still decodes it
/// with `JSONDecoder`, so the two must agree on every change, whatever its text holds.
@Suite struct PushRequestJSONTests {
    @Test func theDirectlyWrittenBatchDecodesToTheSameChanges() throws {
        let village = try DivisionCode("321281100201")
        let payloads: [String?] = [
            #"{"name":"王建国","note":"引号\"、反斜杠\\、斜杠/"}"#, nil, "", "换行\n制表\t回车\r响铃\u{07}空\u{00}",
            "表情😀与增补字符𠀀", String(repeating: "长", count: 5000),
        ]
        let changes = payloads.enumerated().map { index, payload in
            Change(
                origin: village, originSequence: Int64(index + 1),
                clock: HybridLogicalClock(milliseconds: 1_780_000_000_000 + Int64(index), counter: Int64(index)),
                channel: .registry, entity: "household", key: "\(village.digits)-00000\(index)\"'",
                jurisdiction: village, payload: payload)
        }
        let request = PushRequest(channel: .registry, changes: changes)
        let decoded = try JSONDecoder().decode(PushRequest.self, from: Data(request.json()))
        #expect(decoded.channel == .registry)
        #expect(decoded.changes == changes)
        // And the same document Foundation writes, read back as JSON values.
        let ours = try JSONSerialization.jsonObject(with: Data(request.json())) as? NSDictionary
        let foundation = try JSONSerialization.jsonObject(with: JSONEncoder().encode(request)) as? NSDictionary
        #expect(ours != nil && ours == foundation)
    }
}

/// A child of this release asks its parent for progress only; a parent of the release before
/// ignores the question and answers the whole checksum report, which must read as progress too.
@Suite struct ProgressReportTests {
    @Test func aWholeChecksumReportReadsAsProgress() throws {
        let progress = [
            OriginProgress(origin: try DivisionCode("321281100201"), lastSequence: 42),
            OriginProgress(origin: try DivisionCode("321281100"), lastSequence: 7),
        ]
        let whole = ChecksumReport(checksum: SubtreeChecksum(count: 49, sum: 123_456), progress: progress)
        let read = try JSONDecoder().decode(ProgressReport.self, from: JSONEncoder().encode(whole))
        #expect(read.progress == progress)
        // And the short answer holds no checksum to be mistaken for an empty one.
        let short = try JSONSerialization.jsonObject(with: JSONEncoder().encode(ProgressReport(progress: progress)))
        #expect((short as? [String: Any])?.keys.sorted() == ["progress"])
    }
}
