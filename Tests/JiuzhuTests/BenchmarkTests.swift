import Foundation
import Testing

extension LiveClusters {
    /// The benchmark is a command, not a timed test: the suite only checks that a tiny run works.
    @Suite(.serialized) struct BenchmarkTests {
        @Test func aTinyFederationBenchmarkRunsAndReportsEveryFigure() throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let result = try runJiuzhu(
                ["bench", "federation", "--changes", "100", "--lag-changes", "10"], in: directory.url, timeout: 240)
            #expect(result.status == 0, "\(result.standardError)")
            for figure in ["政策下达到全部村", "村→市延迟（三跳）：p50", "市级汇入", "进程内上限", "积压 300 条在恢复连接后排空", "常驻内存（村级节点"] {
                #expect(result.standardOutput.contains(figure), "missing \(figure) in \(result.standardOutput)")
            }
        }

        @Test func aTinyCalculatorBenchmarkRunsAndReportsEveryFigure() throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let policy = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appending(path: "policy/taizhou.yaml")
            let result = try runJiuzhu(
                [
                    "bench", "calculator", "--households", "2000", "--requests", "20", "--concurrency", "2", "--policy",
                    policy.path,
                ],
                in: directory.url, timeout: 240)
            #expect(result.status == 0, "\(result.standardError)")
            for figure in ["户/秒", "单户（进程内）：计算", "单户（经接口，单个客户端顺序 20 次）：p50", "2 个并发客户端", "市级节点常驻内存"] {
                #expect(result.standardOutput.contains(figure), "missing \(figure) in \(result.standardOutput)")
            }
        }

        @Test func aTinyRegistryBenchmarkRunsAndReportsEveryFigure() throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let policy = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appending(path: "policy/taizhou.yaml")
            let result = try runJiuzhu(
                ["bench", "registry", "--households", "600", "--policy", policy.path], in: directory.url, timeout: 240)
            #expect(result.status == 0, "\(result.standardError)")
            for figure in ["写入 600 户", "建立索引与画像", "检索 某县：命中", "检索（260 次）：p50", "重复登记检查：1 人"] {
                #expect(result.standardOutput.contains(figure), "missing \(figure) in \(result.standardOutput)")
            }
        }
    }
}
