import Foundation
import JiuzhuDomain
import JiuzhuRegistry
import Testing

@testable import JiuzhuPolicy
@testable import JiuzhuServices

/// A warning's evidence is encoded once for its row and its hash: the hash must stay the one
/// warnings were raised with (a dismissed warning comes back when it changes), and the row must
/// read back as the same warning.
@Suite struct WarningEncodingTests {
    /// Texts as records and registers hold them: slashes (escaped in the hashed text only),
    /// backslashes, quotes, non-Chinese scripts, and characters JSON leaves as they are.
    static let texts = [
        "死证001", "兴化市/昭阳街道//海池社区", "反斜杠\\与斜杠\\/", "引号\"在内", "emoji 👨‍👩‍👧 与\u{2028}分隔符", "</script>",
    ]

    /// The hash as warnings were first raised with it: SHA-256 of `JSONEncoder`'s text with
    /// sorted keys (slashes escaped).
    static func referenceHash(_ evidence: WarningEvidence) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return PolicyDocument.contentHash(Array(try encoder.encode(evidence)))
    }

    static func evidence(_ text: String) throws -> WarningEvidence {
        let record = FeedRecord(
            feed: .deaths, recordID: "GA/\(text.count)", citizenID: WarningsInMemoryTests.spouse,
            date: try CivilDate("2026-02-20"), facts: .death(certificate: text))
        let parameter = ResolvedParameter(
            key: .dibaoStandard, name: "最低生活保障标准/城乡", value: 71_000, effectiveFrom: try CivilDate("2026-07-01"),
            valueText: "710.00元/人/月", definitionText: text)
        return WarningEvidence(
            records: [record], facts: [.init("家庭", text), .init("家庭人口", "3 人")], condition: "人均 \(text)",
            parameters: [parameter])
    }

    static func warning(_ evidence: WarningEvidence, hash: String, person: Bool) throws -> WarningRecord {
        WarningRecord(
            warningID: "321200-W3f2a9c1d7b4e8a06", rule: .death, household: "321281001001-H/1",
            village: "321281001001", person: person ? WarningsInMemoryTests.spouse : nil,
            personName: person ? "李秀英" : nil,
            source: "person:\(WarningsInMemoryTests.spouse)", period: person ? "" : "2026-02",
            generation: person ? 1 : 3,
            raisedOn: try CivilDate("2026-03-02"), dueOn: person ? try CivilDate("2026-03-05") : nil,
            dueProvisional: !person, escalation: person ? .village : .county, summary: "李秀英于 2026-02-20 死亡/复查",
            evidence: evidence, evidenceHash: hash, programmes: person ? [.dibao, .extremePoverty] : [],
            action: .deathRecheck, policyVersion: "2026-07/1")
    }

    @Test func evidenceEncodedOnceHashesAsItAlwaysDid() throws {
        for text in Self.texts + ["制表\t换行\n回车\r"] {
            let evidence = try Self.evidence(text)
            let (json, hash) = try evidence.encodedWithHash()
            #expect(try hash == Self.referenceHash(evidence), "\(text)")
            #expect(json == Array(try JSONEncoder.rows.encode(evidence)), "\(text)")
        }
    }

    /// Several records and parameters, a parameter without a definition, and no facts: the
    /// commas, the nesting and the left-out field as `JSONEncoder` writes them.
    @Test func evidenceOfManyPartsIsJSONEncodersText() throws {
        var evidence = try Self.evidence("死证/002")
        evidence.records += [
            FeedRecord(
                feed: .employment, recordID: "RS-1", citizenID: WarningsInMemoryTests.spouse, name: "李秀英",
                date: try CivilDate("2026-01-01"),
                facts: .employment(employer: "泰州市某公司/二厂", monthlyWage: Fen(320_000), contributionBase: nil)),
            evidence.records[0],
        ]
        evidence.parameters.append(
            ResolvedParameter(
                key: .edgeIncomeLine, name: "低保边缘家庭收入线", value: 15_000, effectiveFrom: try CivilDate("2026-01-01"),
                valueText: "1.5", definitionText: nil))
        for facts in [[], evidence.facts] {
            evidence.facts = facts
            let (json, hash) = try evidence.encodedWithHash()
            #expect(json == Array(try JSONEncoder.rows.encode(evidence)))
            #expect(try hash == Self.referenceHash(evidence))
        }
    }

    @Test func aWarningsRowIsJSONEncodersTextAndReadsBack() throws {
        for text in Self.texts {
            for person in [true, false] {
                let evidence = try Self.evidence(text)
                let (json, hash) = try evidence.encodedWithHash()
                let warning = try Self.warning(evidence, hash: hash, person: person)
                let row = warning.rowJSON(evidence: json)
                #expect(row == String(decoding: try JSONEncoder.rows.encode(warning), as: UTF8.self), "\(text)")
                #expect(try JSONDecoder().decode(WarningRecord.self, from: Data(row.utf8)) == warning)
            }
        }
        // A control character is escaped another way, and still reads back.
        let evidence = try Self.evidence("制表\t换行\n")
        let (json, hash) = try evidence.encodedWithHash()
        var warning = try Self.warning(evidence, hash: hash, person: true)
        warning.summary = "第一行\n第二行\t完"
        let row = warning.rowJSON(evidence: json)
        #expect(try JSONDecoder().decode(WarningRecord.self, from: Data(row.utf8)) == warning)
    }
}
