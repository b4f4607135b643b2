import Foundation
import Hummingbird
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuPolicy
import JiuzhuServices
import JiuzhuStorage

/// Which policy version a node runs, whether it is the newest its parent has, the versions
/// it holds, and, at the city, publishing a new version for everyone below.
struct PolicyController {
    let environment: OperatorEnvironment
    let policy: PolicyService

    /// The state of policy at this node, as the page and the API show it.
    struct PolicyState: Encodable {
        struct Version: Encodable {
            let id: String
            let contentHash: String
            let label: String
            let publishedAt: String
            let publishedBy: String
        }

        let current: Version?
        /// `id@hash` of the newest version the parent held at its last hello.
        let parentNewest: String?
        /// Whether this node runs the newest version its parent has (nil at the city or before any hello).
        let upToDate: Bool?
        let versions: [Version]
        let canPublish: Bool
    }

    /// The body of `POST /api/v1/policy`.
    struct Publication: Decodable {
        let text: String
    }

    func register(_ routes: OperatorRoutes) {
        let view = OperatorRoute.Access.signedIn(.viewNode)
        let publish = OperatorRoute.Access.signedIn(.publishPolicy)
        routes.add(.init(method: .get, path: "/policy", kind: .page, access: view, summary: "政策版本")) { guarded in
            try await page(guarded, text: nil, message: nil)
        }
        routes.add(.init(method: .post, path: "/policy", kind: .page, access: publish, summary: "发布政策版本")) { guarded in
            let text = guarded.form["text"] ?? ""
            do {
                let (version, isNew) = try await policy.publish(
                    text: text, file: "发布的政策文件", by: guarded.actor)
                return try await page(
                    guarded, text: nil,
                    message: isNew ? "已发布政策版本 \(version)，正在下发到各级节点。" : "版本 \(version) 已经发布过，内容相同，未重复发布。")
            } catch let error as PolicyFileError {
                return try await page(guarded, text: text, message: "未发布：\(error)", status: .badRequest)
            } catch let error as PolicyPublicationError {
                return try await page(guarded, text: text, message: "未发布：\(error)", status: .badRequest)
            }
        }
        routes.add(
            .init(
                method: .get, path: "/api/v1/policy", kind: .api, access: view, summary: "本节点运行的政策版本、上级的最新版本与本节点持有的各版本",
                replies: [.ok(CalculatorSchemas.policyState)])
        ) { guarded in
            try JSONResponse(try await state(guarded)).response()
        }
        routes.add(
            .init(
                method: .post, path: "/api/v1/policy", kind: .api, access: publish,
                summary: "发布政策版本（仅市级）：text 为政策文件（YAML）全文；校验不通过时 400 并指出行号",
                // Decoded leniently: other keys are ignored.
                body: .json(.lenientInput(required: ["text": .text])),
                replies: [
                    .created(CalculatorSchemas.publication, "已发布新版本"),
                    .ok(CalculatorSchemas.publication, "此版本已发布过，内容相同，未重复发布"),
                    .invalid("政策文件校验不通过，error 指出行号"),
                ])
        ) { guarded in
            let publication = try guarded.json(Publication.self)
            do {
                let (version, isNew) = try await policy.publish(
                    text: publication.text, file: "text", by: guarded.actor)
                return try JSONResponse(
                    ["id": version.id, "contentHash": version.contentHash, "new": isNew ? "true" : "false"],
                    status: isNew ? .created : .ok
                ).response()
            } catch let error as PolicyFileError {
                throw InputError(field: "text", error.description)
            } catch let error as PolicyPublicationError {
                throw InputError(field: "text", error.description)
            }
        }
    }

    private func state(_ guarded: Guarded) async throws -> PolicyState {
        func version(_ published: PublishedPolicy) -> PolicyState.Version {
            PolicyState.Version(
                id: published.id, contentHash: published.contentHash, label: published.label,
                publishedAt: ShanghaiTime.format(Date(timeIntervalSince1970: Double(published.publishedAt) / 1000)),
                publishedBy: published.publishedBy)
        }
        let current = try await policy.current()?.published
        let parentNewest = try await environment.context.status(now: environment.database.wallClock.date()).parent?
            .policyVersion
        let running = current.map { "\($0.id)@\($0.contentHash)" }
        return PolicyState(
            current: current.map(version), parentNewest: parentNewest,
            upToDate: parentNewest.map { $0 == running },
            versions: try await environment.database.policy.policyVersions().map(version),
            canPublish: guarded.session.map { AccessPolicy.allows($0.account.role, .publishPolicy) } ?? false)
    }

    private func page(_ guarded: Guarded, text: String?, message: String?, status: HTTPResponse.Status = .ok)
        async throws -> Response
    {
        struct View {
            let state: PolicyState
            let csrf: String
            let text: String
            let message: String?
        }
        let state = try await state(guarded)
        var draft = text ?? ""
        if text == nil, let current = try await policy.current() { draft = current.published.text }
        return environment.page(
            "policy", title: "政策版本",
            View(state: state, csrf: guarded.session?.csrfToken ?? "", text: draft, message: message),
            session: guarded.session, status: status)
    }
}
