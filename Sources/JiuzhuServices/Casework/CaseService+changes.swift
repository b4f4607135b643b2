import Foundation
import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import JiuzhuStorage

/// A task asked for while another case is open for the same household and programme: the
/// household is re-checked in that one.
public struct CaseAlreadyOpen: Error, Sendable, CustomStringConvertible {
    public let caseID: String
    public let household: String
    public let programme: Programme
    public let kind: CaseKind?
    public let stage: CaseStage?

    public var description: String {
        let what = [kind?.chineseName, stage?.chineseName].compactMap { $0 }.joined(separator: "，")
        return "家庭 \(household) 的\(programme.chineseName)已有正在办理的案件 \(caseID)（\(what)），请在该案件中办理"
    }
}

extension CaseService {
    /// A change in a recipient household's situation (家庭情况变化: income rose, a member moved
    /// out) or its exit (主动退出, 停止救助), for one programme it receives.
    public struct ChangeReport: Sendable, Codable {
        public var programme: Programme
        /// What changed, or why the household leaves: required.
        public var reason: String
        /// An exit rather than a change of situation; the decision is still the case's to make.
        public var exit: Bool

        enum CodingKeys: String, CodingKey { case programme, reason, exit }

        /// Decodes a report; `exit` may be left out (a change of situation).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            programme = try container.decode(Programme.self, forKey: .programme)
            reason = try container.decode(String.self, forKey: .reason)
            exit = try container.decodeIfPresent(Bool.self, forKey: .exit) ?? false
        }

        public init(programme: Programme, reason: String, exit: Bool = false) {
            self.programme = programme
            self.reason = reason
            self.exit = exit
        }

        /// "家庭情况变化" or "退出".
        public var chineseName: String { exit ? "退出（主动退出或停止救助）" : "家庭情况变化" }
    }

    /// A task opened at the village: the case, and what was done in a sentence.
    public struct TaskOpened: Sendable, Codable, Equatable {
        public let caseID: String
        public let kind: CaseKind
        public let programme: Programme
        public let household: String
        public let message: String
    }

    /// Opens a `change` case for a household that receives `report.programme`, at its village,
    /// by an operator there: it starts at the home investigation and goes through appraisal,
    /// the check, review, notice and the decision (continue, gradual exit or terminate) like
    /// every case.
    ///
    /// Refused, naming the field and writing nothing: at any node but the household's village,
    /// without a reason, for a household that does not receive the programme; and
    /// (``CaseAlreadyOpen``) while a case is open for the same household and programme.
    ///
    /// ```swift
    /// let opened = try await services.cases.openChange(
    ///     .init(programme: .dibao, reason: "长子就业，月工资 4000 元"), in: "321281001001-000001", by: specialist)
    /// ```
    public func openChange(_ report: ChangeReport, in key: String, by staff: CaseOperator) async throws -> TaskOpened {
        _ = try await villageHousehold(key, by: staff)
        let reason = report.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            throw InputError(field: "reason", report.exit ? "请写明退出的理由" : "请写明家庭情况的变化")
        }
        guard reason.count <= Self.maximumSituationLength else {
            throw InputError(field: "reason", "理由超过 \(Self.maximumSituationLength) 字")
        }
        let programme = report.programme
        let received = try await receivedProgrammes(of: key)
        guard received.contains(programme) else {
            let now = received.isEmpty ? "目前没有享受任何救助" : "目前享受的是\(received.map(\.chineseName).joined(separator: "、"))"
            throw InputError(
                field: "programme", "家庭 \(key) 没有享受\(programme.chineseName)（\(now)），不能办理\(report.chineseName)")
        }
        if let open = try await openCasesByHousehold()[HouseholdProgramme(household: key, programme: programme)] {
            throw CaseAlreadyOpen(
                caseID: open.caseID, household: key, programme: programme, kind: CaseKind(rawValue: open.kind),
                stage: CaseStage(rawValue: open.stage))
        }
        let caseID = try await openTask(
            .change, household: key, programme: programme, reason: "【\(report.chineseName)】\(reason)",
            by: .staff(staff), action: "casework.change")
        return TaskOpened(
            caseID: caseID, kind: .change, programme: programme, household: key,
            message: "已登记\(programme.chineseName)的\(report.chineseName)（案件 \(caseID)），请入户调查核实。")
    }
}
