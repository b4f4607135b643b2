import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuNode
import JiuzhuTools

/// A fresh folder under the system's temporary folder, removed by `remove()`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appending(path: "jiuzhu-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A four-level chain (city, county, township, village) on free loopback ports.
///
/// `sibling` adds a second township under the county (昭阳街道, with no village), where an
/// application about the chain's village is taken at the wrong window; `delegates` lists the
/// programmes the county delegates to its townships.
func chainTopologyYAML(sibling: Bool = false, delegates: [String] = []) throws -> String {
    var nodes: [(String, String, String, String?)] = [
        ("321200", "泰州市", "city", nil),
        ("321281", "兴化市", "county", "321200"),
        ("321281100", "戴南镇", "township", "321281"),
        ("321281100201", "董北村", "village", "321281100"),
    ]
    if sibling { nodes.append(("321281001", "昭阳街道", "township", "321281")) }
    var lines = ["cluster: 测试链", "nodes:"]
    var ports = try LoopbackPort.free(2 * nodes.count)
    for (code, name, role, parent) in nodes {
        lines.append("  - code: \"\(code)\"")
        lines.append("    name: \(name)")
        lines.append("    role: \(role)")
        if let parent { lines.append("    parent: \"\(parent)\"") }
        if role == "county", !delegates.isEmpty {
            lines.append("    delegates: [\(delegates.joined(separator: ", "))]")
        }
        lines.append("    federation: 127.0.0.1:\(ports.removeLast())")
        lines.append("    operator: 127.0.0.1:\(ports.removeLast())")
    }
    return lines.joined(separator: "\n") + "\n"
}

/// The `jiuzhu` binary SwiftPM built beside the test bundle.
let jiuzhuExecutable: URL = {
    let testBinary =
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        .map { URL(filePath: $0) } ?? URL(filePath: CommandLine.arguments[0])
    var directory = testBinary.deletingLastPathComponent()
    // The test binary may sit inside `<name>.xctest/`; the executable is beside that bundle.
    while !FileManager.default.fileExists(atPath: directory.appending(path: "jiuzhu").path), directory.path != "/" {
        directory = directory.deletingLastPathComponent()
    }
    return directory.appending(path: "jiuzhu")
}()

/// The result of a `jiuzhu` command that ran to its end.
struct CommandResult {
    let status: Int32
    let standardOutput: String
    let standardError: String
}

/// Runs `jiuzhu` with `arguments` to completion (bounded by `timeout`) and collects its output.
func runJiuzhu(
    _ arguments: [String], in directory: URL, environment: [String: String] = [:], timeout: TimeInterval = 60
) throws -> CommandResult {
    try runProgram(jiuzhuExecutable, arguments, in: directory, environment: environment, timeout: timeout)
}

/// Starts `process`, one start at a time in the test process: Foundation's `Process.run()`
/// crashed the whole test run once (SIGSEGV in its memcpy) while parallel tests started
/// processes.
func start(_ process: Process) throws {
    try processStarts.withLock { try process.run() }
}

private let processStarts = NSLock()

/// Runs a program with `arguments` to completion (bounded by `timeout`), `input` on its
/// standard input, and collects its output.
func runProgram(
    _ executable: URL, _ arguments: [String], in directory: URL, input: URL? = nil,
    environment: [String: String] = [:], timeout: TimeInterval = 60
) throws -> CommandResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = directory.appending(path: "out-\(UUID().uuidString).txt")
    let errors = directory.appending(path: "err-\(UUID().uuidString).txt")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = try FileHandle(forWritingTo: errors)
    if let input { process.standardInput = try FileHandle(forReadingFrom: input) }
    try start(process)
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
    return CommandResult(
        status: process.terminationStatus,
        standardOutput: (try? String(contentsOf: output, encoding: .utf8)) ?? "",
        standardError: (try? String(contentsOf: errors, encoding: .utf8)) ?? "")
}

/// What a node started by a test does when it traps: no backtracer. A node that traps while its
/// test stops it (swift-nio's race on a connection accepted during shutdown) would otherwise
/// leave `swift-backtrace` symbolicating a 100 MB binary after the test has killed the node, an
/// orphan that can outlive the whole run. `CrashRestartTests` turns it on for the one node whose
/// backtrace it checks.
let quietCrashes = ["SWIFT_BACKTRACE": "enable=no"]

/// Node processes started by a test; `stopAll()` ends every one of them by pid.
final class NodeProcesses: @unchecked Sendable {
    private var processes: [String: Process] = [:]
    private var all: [Process] = []
    private let lock = NSLock()

    /// Starts `jiuzhu serve` for `code`; the node also stops by itself if this test process dies.
    @discardableResult
    func serve(
        topology: URL, code: String, in directory: URL, environment: [String: String] = [:], executable: URL? = nil
    ) throws -> Process {
        let process = Process()
        process.executableURL = executable ?? jiuzhuExecutable
        process.arguments = [
            "serve", "--topology", topology.path, "--node", code, "--data",
            directory.appending(path: "data/\(code)").path, "--certs", directory.appending(path: "certs").path,
        ]
        process.currentDirectoryURL = directory
        var variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        variables["JIUZHU_SUPERVISOR_PID"] = "\(getpid())"
        variables.merge(quietCrashes) { current, _ in current }
        process.environment = variables
        let log = directory.appending(path: "\(code).log")
        if !FileManager.default.fileExists(atPath: log.path) {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        // Appending: a restarted node's process must not write over what its predecessor still writes.
        let descriptor = open(log.path, O_WRONLY | O_APPEND)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: log.path]) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        process.standardOutput = handle
        process.standardError = handle
        try start(process)
        lock.withLock {
            processes[code] = process
            all.append(process)
        }
        return process
    }

    /// Sends `signal` to the node's process and waits until it has exited.
    func kill(_ code: String, signal: Int32 = SIGKILL) {
        guard let process = lock.withLock({ processes[code] }), process.isRunning else { return }
        Foundation.kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    /// Sends SIGTERM to every process still running, then SIGKILL to any that lingers.
    func stopAll() {
        let all = lock.withLock { self.all }
        for process in all where process.isRunning { Foundation.kill(process.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(10)
        while all.contains(where: \.isRunning) && Date() < deadline { usleep(20_000) }
        for process in all where process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// Runs curl (TLS 1.3, silent but for errors, at most 30 s) on a thread of its own: waiting for
/// it on one of the few cooperative threads could leave none for the listener under test when
/// other suites block theirs too.
func runCurl(_ arguments: [String]) async throws -> (status: Int32, output: String) {
    try await withCheckedThrowingContinuation { continuation in
        Thread {
            let process = Process()
            process.executableURL = URL(filePath: "/usr/bin/curl")
            process.arguments = ["--silent", "--show-error", "--max-time", "30", "--tlsv1.3"] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            do {
                try start(process)
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, String(decoding: data, as: UTF8.self)))
            } catch {
                continuation.resume(throwing: error)
            }
        }.start()
    }
}
