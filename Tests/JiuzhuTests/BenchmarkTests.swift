import Foundation
import Testing

extension LiveClusters {
    /// The benchmark is a command, not a timed test: the suite only checks that a tiny run works.
    @Suite(.serialized) struct BenchmarkTests {
        static let policy = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appending(path: "policy/taizhou.yaml")

        @Test func aTinyFederationBenchmarkRunsAndReportsEveryFigure() throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let result = try runJiuzhu(
                ["bench", "federation", "--changes", "100", "--lag-changes", "10", "--policy", Self.policy.path],
                in: directory.url, timeout: 240)
            #expect(result.status == 0, "\(result.standardError)")
            for figure in [
                "政策下达到全部村", "村→市延迟（三跳）：p50", "市级汇入", "进程内上限", "积压 300 条在恢复连接后排空", "乡镇重启后",
                "秒收到第一条", "每条变更用处理器 村", "常驻内存（村级节点",
            ] {
                #expect(result.standardOutput.contains(figure), "missing \(figure) in \(result.standardOutput)")
            }
        }

        @Test func aTinyApplyBenchmarkReportsEveryStep() throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let result = try runJiuzhu(["bench", "apply", "--changes", "300"], in: directory.url, timeout: 120)
            #expect(result.status == 0, "\(result.standardError)")
            for figure in ["900 条，3 个县", "县级提交", "读日志并编码", "市级解码并准入", "市级应用", "一跳合计"] {
                #expect(result.standardOutput.contains(figure), "missing \(figure) in \(result.standardOutput)")
            }
            // Bad input is refused with a message, not run.
            let refused = try runJiuzhu(["bench", "apply", "--changes", "5"], in: directory.url, timeout: 60)
            #expect(refused.status != 0)
            #expect(refused.standardError.contains("--changes 100–1000000"), "\(refused.standardError)")
        }

        @Test func aTinyCityBenchmarkRunsEveryPartOnOneClusterAndJudgesEveryTarget() throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let result = try runJiuzhu(
                [
                    "bench", "--scale", "demo", "--changes", "100", "--lag-changes", "10", "--households", "1000",
                    "--requests", "20", "--concurrency", "2", "--policy", Self.policy.path,
                ],
                in: directory.url, timeout: 300)
            #expect(result.status == 0, "\(result.standardError)")
            let output = result.standardOutput
            for figure in [
                "政策下达到全部村", "村→市延迟（三跳）：p50", "市级汇入", "进程内上限", "积压 300 条在恢复连接后排空",
                "合成并写入各村：144 户", "全部家庭到达市级", "市级索引与画像建好", "检索 30–40 岁成员：p50",
                "市级检索（经接口、已登录、留痕，240 次）：p50", "重复登记检查（经接口）", "市级检索（2 个并发客户端",
                "单户（经接口，2 个并发客户端共 20 次）", "批量（单线程，内存中 1000 户", "静置 30 秒：市级", "载入城市数据期间最大：市级",
            ] {
                #expect(output.contains(figure), "missing \(figure) in \(output)")
            }
            // The closing table judges the nine figures with a target at this size (the drain's
            // target is for 150,000 changes), and only those.
            let table = output.components(separatedBy: "汇总").last ?? ""
            #expect(table.components(separatedBy: "✔").count + table.components(separatedBy: "✘").count - 2 == 9)
            #expect(table.contains("政策下达到全部村") && table.contains("村级节点常驻内存"))
        }

        @Test func aTinyCalculatorBenchmarkRunsAndReportsEveryFigure() throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let result = try runJiuzhu(
                [
                    "bench", "calculator", "--households", "2000", "--requests", "20", "--concurrency", "2", "--policy",
                    Self.policy.path,
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
            let result = try runJiuzhu(
                ["bench", "registry", "--households", "2400", "--policy", Self.policy.path], in: directory.url,
                timeout: 240)
            #expect(result.status == 0, "\(result.standardError)")
            // 100 households a village: the population plants a duplicate registration in most.
            let planted = try #require(result.standardOutput.firstMatch(of: /重复登记 (\d+) 人/).flatMap { Int($0.1) })
            #expect(planted >= 1)
            for figure in [
                "写入 2400 户", "建立索引与画像", "检索 某县：命中", "检索（260 次）：p50", "重复登记检查：\(planted) 人", "救助概况 市级（在保",
                "救助概况 某县（在保",
            ] {
                #expect(result.standardOutput.contains(figure), "missing \(figure) in \(result.standardOutput)")
            }
        }

        @Test func aTinyDeadlineBenchmarkRunsAndReportsEveryFigure() throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let result = try runJiuzhu(
                [
                    "bench", "deadlines", "--cases", "300", "--policy", Self.policy.path, "--calendars",
                    Self.policy.deletingLastPathComponent().deletingLastPathComponent().appending(path: "calendar")
                        .path,
                ], in: directory.url, timeout: 240)
            #expect(result.status == 0, "\(result.standardError)")
            // Every one of the 300 is past its acceptance deadline ten days on, and the corrected
            // calendar (4 March off) moves each deadline.
            for figure in ["写入 300 个未办结案件", "汇总", "期限巡检（300 个未办结环节", "期限巡检（300 个逾期环节待上报；", "300 件期限变动"] {
                #expect(result.standardOutput.contains(figure), "missing \(figure) in \(result.standardOutput)")
            }
        }

        @Test func aTinyCaseworkBenchmarkTakesEveryApplicationThroughEveryStep() throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let result = try runJiuzhu(
                [
                    "bench", "casework", "--applications", "12", "--sample", "2", "--concurrency", "2", "--policy",
                    Self.policy.path, "--calendars",
                    Self.policy.deletingLastPathComponent().deletingLastPathComponent().appending(path: "calendar")
                        .path,
                ], in: directory.url, timeout: 600)
            #expect(result.status == 0, "\(result.standardError)")
            // Two of the twelve are held back and decided one at a time at their county.
            for figure in [
                "登记申请（村）：12 次", "入户调查（村）：12 次", "初审（乡镇）：12 次", "公示结束（村）：12 次",
                "审批决定（兴化市乡镇、其余两县县级）：10 次", "12 件申请走完全部环节", "县级决定到达村（逐件，2 件）",
            ] {
                #expect(result.standardOutput.contains(figure), "missing \(figure) in \(result.standardOutput)")
            }
        }
    }
}
