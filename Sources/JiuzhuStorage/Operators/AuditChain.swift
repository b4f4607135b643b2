/// Checks one node's audit chain and names every entry that was edited, moved or removed.
public enum AuditChain {
    /// A place where the chain does not hold, in Chinese for the auditor.
    public struct Problem: Equatable, Sendable, CustomStringConvertible {
        /// The node whose chain it is.
        public let node: String
        /// The first entry concerned.
        public let seq: Int64
        public let message: String

        public var description: String { "节点 \(node) 第 \(seq) 条：\(message)" }
    }

    /// The problems in `entries` (one node's chain, in `seq` order). `recordedCount`, when
    /// known, is how many entries the change log says were written: a shorter chain lost
    /// its tail.
    public static func verify(node: String, _ entries: [AuditEntry], recordedCount: Int64? = nil) -> [Problem] {
        var problems: [Problem] = []
        func report(_ seq: Int64, _ message: String) {
            problems.append(Problem(node: node, seq: seq, message: message))
        }
        let seqByHash = Dictionary(entries.map { ($0.hash, $0.seq) }, uniquingKeysWith: { first, _ in first })
        var previous: AuditEntry?
        for entry in entries {
            if entry.computedHash != entry.hash {
                report(entry.seq, "内容被修改（与其哈希不符）")
            }
            let expected = previous?.hash ?? AuditEntry.genesis
            let expectedSeq = (previous?.seq ?? 0) + 1
            if entry.previousHash != expected {
                if entry.seq > expectedSeq {
                    report(expectedSeq, "已被删除（第 \(expectedSeq)–\(entry.seq - 1) 条缺失）")
                } else if let predecessor = seqByHash[entry.previousHash] {
                    report(entry.seq, "顺序被调换：它原本紧接在现第 \(predecessor) 条之后")
                } else if let previous {
                    report(previous.seq, "被修改后重算了哈希（与第 \(entry.seq) 条记录的前一条哈希不符）")
                } else {
                    report(entry.seq, "链的开头被改动")
                }
            } else if entry.seq != expectedSeq {
                report(entry.seq, "序号被改动（应为第 \(expectedSeq) 条）")
            }
            previous = entry
        }
        let last = previous?.seq ?? 0
        if let recordedCount, recordedCount > last {
            report(last + 1, "已被删除（变更日志记录了 \(recordedCount) 条，审计日志只有 \(last) 条）")
        }
        return problems
    }
}
