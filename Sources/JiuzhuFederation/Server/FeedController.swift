import Crypto
import Foundation
import Hummingbird
import JiuzhuDomain
import JiuzhuRegistry
import JiuzhuServices
import JiuzhuStorage

/// The city's endpoint for department records, on the federation listener:
/// `POST /feeds/{feed}` with the file (CSV or JSON, ``FeedFile``) as the body, sent with a
/// department's client certificate (``DepartmentIdentity``).
///
/// A node's certificate, or a department sending a feed it is not a sender of, is refused with
/// 403 and a security event; an unknown feed is 404, a file over ``maximumFileSize`` 413, a
/// body neither `text/csv` nor `application/json` 415, a file with errors 422 listing them by
/// row and field (nothing is stored). Every refusal of a department is audited too; an import
/// is audited by ``WarningService/importFeed(_:feed:source:by:progress:)`` itself, which
/// stores a record sent again with the same content once, so the same file twice changes
/// nothing the second time.
///
/// ```sh
/// curl --cert certs/departments/health.crt --key certs/departments/health.key --cacert certs/ca.pem \
///      -H 'Content-Type: text/csv' --data-binary @deaths.csv https://127.0.0.1:17000/feeds/deaths
/// ```
struct FeedController {
    let node: TopologyNode
    let database: NodeDatabase
    /// The warning platform that imports the records; nil where the node runs none (tests of
    /// the federation listener alone), and the endpoint then answers that it takes no feeds.
    let warnings: WarningService?
    let security: SecurityLog
    /// Counts every refusal by its code.
    let metrics: NodeMetrics?

    /// The largest file taken: far above a month of any department's records.
    static let maximumFileSize = 64 * 1024 * 1024
    /// The role audit entries give a department that sends its records.
    static let auditRole = "部门数据接口"
    /// The content types a feed file may be sent as.
    static let contentTypes = ["text/csv", "application/json"]

    func addRoutes(to router: Router<FederationRequestContext>) {
        router.post("feeds/:feed", use: counted)
    }

    /// ``receive(_:context:)``, with its refusals counted for `/metrics`.
    @Sendable func counted(_ request: Request, context: FederationRequestContext) async throws -> Response {
        do {
            return try await receive(request, context: context)
        } catch let refusal as FederationRefusalError {
            metrics?.feedRefused(refusal.code)
            throw refusal
        }
    }

    func receive(_ request: Request, context: FederationRequestContext) async throws -> Response {
        // Echoed in answers, audit entries and security events: no longer than a feed's name may be.
        let name = String((context.parameters.get("feed") ?? "").prefix(32))
        guard node.role == .city, let warnings else {
            throw FederationRefusalError(.unknownFeed, "部门数据由市级节点接收，本节点（\(node.label)）不接收")
        }
        guard let caller = context.caller else {
            throw FederationRefusalError(.noIdentity, "客户端证书既未载明节点的行政区划代码，也未载明部门")
        }
        let department = try await admit { () throws(FeedAdmission.Refusal) in
            try FeedAdmission.department(caller, sending: name)
        }
        guard let feed = DepartmentFeed(rawValue: name) else {
            let known = DepartmentFeed.allCases.map { "\($0.rawValue)（\($0.chineseName)）" }.joined(separator: "、")
            throw try await failed(.unknownFeed, "没有名为 \(name) 的部门数据；可报送的有：\(known)", department, target: name)
        }
        try await admit { () throws(FeedAdmission.Refusal) in try FeedAdmission.check(department, sending: feed) }

        let contentType = request.headers[.contentType].map(Self.mediaType) ?? ""
        guard Self.contentTypes.contains(contentType) else {
            throw try await failed(
                .unsupportedMediaType,
                "文件须以 Content-Type: text/csv（CSV）或 application/json（JSON）发送，收到的是 \(contentType.isEmpty ? "（无）" : contentType)",
                department, target: feed.rawValue)
        }
        let data = try await body(of: request, department: department, feed: feed)
        let records: [FeedRecord]
        do {
            records = try FeedFile.decode(data, feed: feed, today: database.wallClock.today())
        } catch {
            let problems = error.rowErrors.map {
                FeedProblem(format: $0.format.rawValue, row: $0.row, field: $0.field, message: $0.message)
            }
            let count = error.rowErrors.count + (error.unlisted ?? 0)
            var refusal = try await failed(
                .invalidFile, "“\(feed.chineseName)”文件有误，未导入任何记录：\n\(error)", department, target: feed.rawValue,
                audited: count == 0 ? "文件无法读取：\(error)" : "文件有 \(count) 处问题，未导入")
            refusal.problems = problems
            refusal.unlisted = error.unlisted
            throw refusal
        }
        let source = "经部门接口报送，\(data.count) 字节，SHA-256 \(SHA256.hash(data: data).lowercaseHex.prefix(16))"
        let actor = AuditActor(name: department.chineseName, role: Self.auditRole)
        do {
            let imported = try await warnings.importFeed(records, feed: feed, source: source, by: actor)
            return try JSONResponse(imported).response()
        } catch let error as InputError {
            // The city and the feed were checked above, so this is the rules' context failing
            // (no policy with warning rules yet): nothing was stored; the department sends again.
            throw FederationRefusalError(.rulesNotReady, "预警规则暂不能运行，未导入任何记录，请稍后重新报送：\(error.message)")
        }
    }

    /// The body, refused with 413 when it is over ``maximumFileSize`` (by its declared length
    /// before reading, or while reading when none was declared).
    private func body(of request: Request, department: Department, feed: DepartmentFeed) async throws -> Data {
        let limit = Self.maximumFileSize
        let message = "文件超过 \(limit / 1024 / 1024) MiB 的上限；请分成几个较小的文件报送"
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw try await failed(.fileTooLarge, message, department, target: feed.rawValue)
        }
        do {
            return Data(try await request.body.collect(upTo: limit).readableBytesView)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw try await failed(.fileTooLarge, message, department, target: feed.rawValue)
        }
    }

    /// `text/csv; charset=utf-8` → `text/csv`.
    static func mediaType(_ header: String) -> String {
        (header.split(separator: ";", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Runs an admission check; a refusal is recorded as a security event and audited, and
    /// answered with 403.
    private func admit<T>(_ check: () throws(FeedAdmission.Refusal) -> T) async throws -> T {
        do {
            return try check()
        } catch {
            try await security.record(error)
            try await database.operators.audit(
                AuditRecord(
                    actor: error.caller.description, role: Self.auditRole, action: "feeds.import",
                    target: Self.target(of: error), outcome: .refused, detail: error.description))
            throw FederationRefusalError(error.code, error.description)
        }
    }

    private static func target(of refusal: FeedAdmission.Refusal) -> String {
        switch refusal {
        case .nodeCertificate(_, let feed): feed
        case .notASender(_, let feed): feed.rawValue
        case .departmentCertificate(_, let path): path
        }
    }

    /// Audits a refused file of `department` (with `audited` as the entry's detail, when the
    /// answer's message is too long for it) and returns the answer to send.
    private func failed(
        _ code: FederationRefusal.Code, _ message: String, _ department: Department, target: String,
        audited: String? = nil
    ) async throws -> FederationRefusalError {
        try await database.operators.audit(
            AuditRecord(
                actor: department.chineseName, role: Self.auditRole, action: "feeds.import", target: target,
                outcome: .refused, detail: audited ?? message))
        return FederationRefusalError(code, message)
    }
}

extension FeedFileError {
    /// How many problems were found beyond those listed, when records are in error.
    fileprivate var unlisted: Int? {
        if case .invalidRows(_, let more) = self { more } else { nil }
    }
}
