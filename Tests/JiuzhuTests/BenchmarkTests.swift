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
    }
}
