import JiuzhuDomain
import JiuzhuStorage

/// The documents nodes exchange on the federation listener (JSON over mutual TLS; pushes and
/// pull answers also in the binary form, ``BinaryBatches``, where both sides speak it).
///
/// | request | from → to | body / answer |
/// | --- | --- | --- |
/// | `POST /federation/v1/push[?after=&through=]` | child → parent | ``PushRequest`` or binary records / ``ApplyOutcome`` |
/// | `GET /federation/v1/pull?channel=&after=&wait=` | child → parent | ``PullResponse`` (long poll), JSON or binary as `Accept` asks |
/// | `GET /federation/v1/checksum?channel=[&only=progress]` | child → parent | ``ChecksumReport`` of the child's subtree (``ProgressReport`` with `only=progress`) |
/// | `POST /federation/v1/repair` | child → parent | ``RowPage`` / ``SubtreeChecksum`` after replacing that key range |
/// | `GET /federation/v1/restore?channel=&afterEntity=&afterKey=[&addressed=1]` | child → parent | ``RowPage`` of the child's subtree (or of the rows addressed to it) |
///
/// A refusal answers with a non-200 status and a ``FederationRefusal``.
public enum FederationProtocol {
    /// Changes per pushed batch: large enough that a backlog drains at full speed.
    public static let pushBatchSize = 5000
    /// Payload bytes per pushed batch, well inside the listener's 8 MiB request limit.
    public static let pushBatchBytes = 4 << 20
    /// Log entries a pull scans at most.
    public static let pullScanLimit = 5000
    /// Rows per repair or restore page.
    public static let rowPageSize = 5000
    /// How long the parent holds a pull open when nothing is waiting.
    public static let longPollSeconds = 20
}

/// A batch of changes on one channel, in log order.
public struct PushRequest: Codable, Sendable {
    public let channel: ReplicationChannel
    public let changes: [Change]

    public init(channel: ReplicationChannel, changes: [Change]) {
        self.channel = channel
        self.changes = changes
    }
}

extension PushRequest {
    /// The request as JSON, the document its `Codable` encoding gives, written directly:
    /// Foundation's encoder was a fifth of the cost of relaying a change.
    public func json() -> [UInt8] {
        var json = JSONWriter(capacity: changes.reduce(64) { $0 + 96 + ($1.payload?.utf8.count ?? 4) * 11 / 10 })
        json.beginObject()
        json.field("channel", channel.rawValue)
        json.key("changes")
        json.beginArray()
        for change in changes { change.write(to: &json) }
        json.endArray()
        json.endObject()
        return json.bytes
    }
}

/// The parent's answer to a push, sent after the batch is durably committed.
public struct ApplyOutcome: Codable, Equatable, Sendable {
    /// Changes new to the parent, now committed.
    public let applied: Int
    /// Changes it had seen before and skipped.
    public let skipped: Int
    /// The parent's clock after the batch, so the child can move its own past it.
    public let clock: HybridLogicalClock

    public init(applied: Int, skipped: Int, clock: HybridLogicalClock) {
        self.applied = applied
        self.skipped = skipped
        self.clock = clock
    }

    /// The answer to a batch the parent's change log applied.
    public init(_ batch: AppliedBatch) {
        self.init(applied: batch.applied, skipped: batch.skipped, clock: batch.clock)
    }
}

/// Changes addressed to the child, and how far the parent's log was scanned to find them.
public struct PullResponse: Codable, Sendable {
    public let changes: [Change]
    public let scannedThrough: Int64
    /// The parent's clock, so the child's moves past it even when nothing came.
    public let clock: HybridLogicalClock

    public init(changes: [Change], scannedThrough: Int64, clock: HybridLogicalClock) {
        self.changes = changes
        self.scannedThrough = scannedThrough
        self.clock = clock
    }
}

/// One page of a subtree's rows on a channel, covering the key range (`after`, `through`];
/// `through` is nil on the last page, whose range runs to the end.
public struct RowPage: Codable, Sendable {
    public let channel: ReplicationChannel
    public let after: ReplicaRowCursor?
    public let through: ReplicaRowCursor?
    public let rows: [Change]
    /// On restore, every origin's highest sequence as the parent saw it, so that the restored
    /// node resumes after it. A repair sends none: a parent's sequences move only by pushes.
    public let progress: [OriginProgress]
    /// On a restore of the rows addressed to the child, the parent's log end as read before
    /// the rows: the restored child pulls on after it. A parent of the release before sends none.
    public let logEnd: Int64?

    public init(
        channel: ReplicationChannel, after: ReplicaRowCursor?, through: ReplicaRowCursor?, rows: [Change],
        progress: [OriginProgress], logEnd: Int64? = nil
    ) {
        self.channel = channel
        self.after = after
        self.through = through
        self.rows = rows
        self.progress = progress
        self.logEnd = logEnd
    }
}

/// Why a federation request was refused: a code the caller acts on and the reason in Chinese
/// for operators. The HTTP status follows from the code (``Code/status``).
public struct FederationRefusal: Codable, Sendable {
    /// What was refused. A parent of the release before codes sends none.
    public let code: Code?
    public let error: String
    /// A department file's problems by row and field (`invalid-file` only).
    public let problems: [FeedProblem]?
    /// How many more problems the file has beyond those listed (`invalid-file` only).
    public let unlisted: Int?

    public init(code: Code?, error: String, problems: [FeedProblem]? = nil, unlisted: Int? = nil) {
        self.code = code
        self.error = error
        self.problems = problems
        self.unlisted = unlisted
    }

    /// Every reason a parent refuses a request. The security refusals carry the same names as
    /// the security events they raise (``BatchAdmission/Refusal/kind``).
    public enum Code: String, Codable, CaseIterable, Sendable {
        /// The batch does not follow on from the last change the parent holds of an origin (the
        /// parent was restored and misses changes it once acknowledged): the child re-sends from
        /// where the parent's sequence stops. The only refusal a child repairs by itself.
        case sequenceGap = "sequence-gap"
        /// A pull from a position before entries this node has pruned (``LogPruner``): the child
        /// would miss them. A node in that state is restored from its parent's rows.
        case logPruned = "log-pruned"
        /// The caller is not a direct child of this node.
        case notAChild = "not-a-child"
        /// A change made or about a division outside the caller's subtree.
        case outsideSubtree = "outside-subtree"
        /// A change on a channel that does not flow this way.
        case wrongDirection = "wrong-direction"
        /// A change on another channel than its batch's.
        case wrongChannel = "wrong-channel"
        /// A change by a node that does not own the row.
        case notOwner = "not-owner"
        /// A timestamp further ahead of this node's clock than a peer may run.
        case clockAhead = "clock-ahead"
        /// The client certificate names no division code.
        case noIdentity = "no-identity"
        /// Changes from the parent addressed outside this node's subtree.
        case notAddressed = "not-addressed"
        /// A body or parameter that cannot be read.
        case malformedRequest = "malformed-request"
        /// A department's certificate on a node-to-node route.
        case departmentCertificate = "department-certificate"
        /// A node's certificate on the department feed endpoint: nodes send no department data.
        case nodeCertificate = "node-certificate"
        /// A department sending a feed it is not a sender of (``DepartmentFeed/senders``).
        case notASender = "not-a-sender"
        /// A feed that does not exist, or a feed sent to a node that is not the city.
        case unknownFeed = "unknown-feed"
        /// A department file larger than the endpoint takes.
        case fileTooLarge = "file-too-large"
        /// A department file sent as neither `text/csv` nor `application/json`.
        case unsupportedMediaType = "unsupported-media-type"
        /// A department file that cannot be read or has records in error; nothing was stored.
        case invalidFile = "invalid-file"
        /// A department file's records were stored but the city cannot run its warning rules yet
        /// (no policy with warning rules published); they run at the next sweep.
        case rulesNotReady = "rules-not-ready"

        /// The HTTP status it is answered with: 409 for a gap the child repairs, 403 for a
        /// refusal on security grounds (also a security event), 400 for a request that cannot
        /// be read, 410 for a pull from before the pruned log; a department file refused is 404,
        /// 413, 415 or 422 (503 when stored but not yet checked).
        public var status: Int {
            switch self {
            case .sequenceGap: 409
            case .logPruned: 410
            case .notAChild, .outsideSubtree, .wrongDirection, .wrongChannel, .notOwner, .clockAhead, .noIdentity,
                .departmentCertificate, .nodeCertificate, .notASender:
                403
            case .notAddressed, .malformedRequest: 400
            case .unknownFeed: 404
            case .fileTooLarge: 413
            case .unsupportedMediaType: 415
            case .invalidFile: 422
            case .rulesNotReady: 503
            }
        }
    }
}

/// One problem with one record of a department file, where the department will look for it.
public struct FeedProblem: Codable, Sendable, Equatable {
    /// `csv` or `json`.
    public let format: String
    /// The CSV line on which the row starts (1-based), or the JSON record's index (0-based).
    public let row: Int
    /// The CSV column's header or the JSON key.
    public let field: String
    /// What is wrong, in Chinese.
    public let message: String

    public init(format: String, row: Int, field: String, message: String) {
        self.format = format
        self.row = row
        self.field = field
        self.message = message
    }
}

/// How far each origin in a child's subtree has come on one channel, as the parent holds it:
/// all a child needs to tell whether it is behind, without the parent summing every row of the
/// subtree for the checksum. A ``ChecksumReport`` (what a parent of the release before answers)
/// reads as one too.
public struct ProgressReport: Codable, Sendable {
    public let progress: [OriginProgress]

    public init(progress: [OriginProgress]) {
        self.progress = progress
    }
}

/// The parent's view of a child's subtree on one channel: its checksum, and how far each
/// origin in it has come. A child that is behind the parent has lost data and must restore.
public struct ChecksumReport: Codable, Sendable {
    public let checksum: SubtreeChecksum
    public let progress: [OriginProgress]

    public init(checksum: SubtreeChecksum, progress: [OriginProgress]) {
        self.checksum = checksum
        self.progress = progress
    }
}
