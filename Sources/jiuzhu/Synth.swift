import ArgumentParser
import Foundation
import JiuzhuFederation
import JiuzhuNode
import JiuzhuTools

/// `jiuzhu synth`: a deterministic synthetic population in every village of a topology.
struct Synth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "在拓扑中每个村（居）节点写入确定性的合成家庭（经正常写入路径，随联邦上报）；同一种子再次运行不重复写入。")

    @Option(help: "拓扑文件（YAML）。")
    var topology: String = "topology/taizhou-demo.yaml"

    @Option(help: "数据根目录；每个节点使用其下的 <代码> 子目录。")
    var data: String = "data"

    @Option(help: "随机种子。")
    var seed: UInt64 = 2026

    @Option(help: "规模：demo（每村 24 户）或 city（全市约 25 万户）。")
    var scale: Synthesizer.Scale = .demo

    @Option(help: "用于确定在保项目的政策文件。")
    var policy: String = "policy/taizhou.yaml"

    func run() async throws {
        let topology = try Topology.load(from: URL(filePath: self.topology))
        let text: String
        do { text = try String(contentsOf: URL(filePath: policy), encoding: .utf8) } catch {
            throw ValidationError("读不到政策文件 \(policy)")
        }
        let started = ContinuousClock.now
        let summary = try await Synthesizer(
            topology: topology, dataRoot: URL(filePath: data), policyText: text, seed: seed, scale: scale
        ).run(progress: Demo.say)
        Demo.say("合成完成：\(summary)（用时 \(ContinuousClock.now - started)）")
    }
}

extension Synthesizer.Scale: ExpressibleByArgument {}
