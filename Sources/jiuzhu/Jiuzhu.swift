import ArgumentParser
import Foundation

/// The `jiuzhu` command: one binary for every node of the social-assistance cluster.
@main
struct Jiuzhu: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jiuzhu",
        abstract: "救助：社会救助一体化系统的节点程序（市、县、乡镇、村四级）。",
        subcommands: [
            Serve.self, Demo.self, Certs.self, Users.self, Audit.self, Policy.self, CalendarCommand.self, Registry.self,
            Feeds.self, Synth.self,
            Federation.self,
            Bench.self,
        ]
    )

    /// Parses and runs the command; a failure ends with one line naming the problem and exit code 1.
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch let error as ExitCode {
            exit(withError: error)
        } catch  where !String(reflecting: type(of: command)).hasPrefix("jiuzhu.") {
            // `--help` parses into the argument parser's own help command, whose "error" is the help text.
            exit(withError: error)
        } catch {
            FileHandle.standardError.write(Data("错误：\(error)\n".utf8))
            Foundation.exit(1)
        }
    }
}
