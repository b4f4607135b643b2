import Foundation
import JiuzhuFederation
import Synchronization

/// One node of a supervised cluster, running as a child process of `jiuzhu demo`.
///
/// Its output goes to `node.log` in the node's data folder; its exits are reported to
/// the supervisor through `exits`, which decides what to do about them.
final class NodeProcess: Sendable {
    /// A node process ended.
    struct Exit: Sendable {
        let node: TopologyNode
        let status: Int32
        let bySignal: Bool
        /// How long the process had run.
        let uptime: Duration

        /// `退出码 1` or `信号 9`.
        var description: String { bySignal ? "信号 \(status)" : "退出码 \(status)" }
    }

    let node: TopologyNode
    let logURL: URL
    private let executable: URL
    private let arguments: [String]
    private let environment: [String: String]
    private let exits: AsyncStream<Exit>.Continuation
    private let running = Mutex<Int32?>(nil)

    init(
        node: TopologyNode, executable: URL, arguments: [String], environment: [String: String], logURL: URL,
        exits: AsyncStream<Exit>.Continuation
    ) {
        self.node = node
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.logURL = logURL
        self.exits = exits
    }

    /// The running process's id, if it runs.
    var pid: Int32? { running.withLock { $0 } }

    /// Starts the process, appending its output to the log file; `adding` joins the process's
    /// environment for this run.
    func launch(adding extra: [String: String] = [:]) throws {
        try FileManager.default.createDirectory(
            at: logURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: logURL.path) {
            FileManager.default.createFile(atPath: logURL.path, contents: nil)
        }
        let log = try FileHandle(forWritingTo: logURL)
        try log.seekToEnd()
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment.merging(extra) { _, added in added }
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        let node = self.node
        let launched = ContinuousClock.now
        process.terminationHandler = { [exits, weak self] finished in
            self?.running.withLock { $0 = nil }
            try? log.close()
            exits.yield(
                Exit(
                    node: node, status: finished.terminationStatus,
                    bySignal: finished.terminationReason == .uncaughtSignal, uptime: ContinuousClock.now - launched))
        }
        do {
            try process.run()
        } catch {
            try? log.close()
            throw error
        }
        let pid = process.processIdentifier
        running.withLock { $0 = pid }
    }

    /// Sends `signal` to the process if it runs.
    func send(_ signal: Int32) {
        if let pid { kill(pid, signal) }
    }

    /// The last lines the node wrote, for a crash report.
    func logTail(lines: Int = 5) -> [String] {
        guard let text = try? String(contentsOf: logURL, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").suffix(lines).map(String.init)
    }
}
