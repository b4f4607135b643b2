import Foundation
import JiuzhuDomain
import JiuzhuFederation
import Testing

@Suite struct TopologyTests {
    static let repository = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func demoTopologyIsTaizhouWithEveryLevel() throws {
        let topology = try Topology.load(from: Self.repository.appending(path: "topology/taizhou-demo.yaml"))
        #expect(topology.nodes.count >= 15)
        #expect(topology.root.code.digits == "321200")
        #expect(topology.root.name == "泰州市")
        let counties = topology.children(of: topology.root.code)
        #expect(Set(counties.map(\.code.digits)).isSuperset(of: ["321281", "321283"]))
        for county in counties {
            let townships = topology.children(of: county.code)
            #expect(townships.count >= 2)
            for township in townships {
                #expect(topology.children(of: township.code).count >= 2)
                #expect(topology.children(of: township.code).allSatisfy { $0.role == .village })
            }
        }
    }

    /// A valid four-level chain; each refusal case below edits one line of it.
    static func yaml(replacing old: String = "", with new: String = "") -> String {
        let base = """
            cluster: 测试
            nodes:
              - {code: "321200", name: 泰州市, role: city, federation: "127.0.0.1:7000", operator: "127.0.0.1:8000"}
              - {code: "321281", name: 兴化市, role: county, parent: "321200", federation: "127.0.0.1:7001", operator: "127.0.0.1:8001"}
              - {code: "321281100", name: 戴南镇, role: township, parent: "321281", federation: "127.0.0.1:7002", operator: "127.0.0.1:8002"}
              - {code: "321281100201", name: 董北村, role: village, parent: "321281100", federation: "127.0.0.1:7003", operator: "127.0.0.1:8003"}
            """
        return old.isEmpty ? base : base.replacingOccurrences(of: old, with: new)
    }

    @Test func theBaseCaseIsValid() throws {
        let topology = try Topology.parse(yaml: Self.yaml())
        #expect(topology.nodes.map(\.role) == [.city, .county, .township, .village])
        #expect(try topology.parent(of: DivisionCode("321281100201"))?.code.digits == "321281100")
    }

    @Test(arguments: [
        (
            "duplicate code",
            #"code: "321281100", name: 戴南镇"#, #"code: "321281", name: 戴南镇"#,
            "节点 321281：行政区划代码重复"
        ),
        (
            "child outside its parent",
            #"code: "321281100201""#, #"code: "321283100201""#,
            "节点 321283100201：代码不在父节点 321281100 的辖区内"
        ),
        (
            "village directly under a county",
            #"role: village, parent: "321281100""#, #"role: village, parent: "321281""#,
            "节点 321281100201：village 节点不能挂在 county 节点 321281 之下"
        ),
        (
            "role that does not fit the code",
            "name: 戴南镇, role: township", "name: 戴南镇, role: village",
            "节点 321281100：角色 village 与代码层级 township 不符"
        ),
        (
            "unknown parent",
            #"parent: "321281100", federation"#, #"parent: "321281199", federation"#,
            "节点 321281100201：父节点 321281199 不在拓扑中"
        ),
        (
            "cycle",
            #"role: city, federation"#, #"role: city, parent: "321281100201", federation"#,
            "节点 321200：父子关系成环（321200 → 321281100201 → 321281100 → 321281 → 321200）"
        ),
        (
            "two nodes on one port",
            #"operator: "127.0.0.1:8003""#, #"operator: "127.0.0.1:7001""#,
            "节点 321281100201：运营监听地址 127.0.0.1:7001 与节点 321281 的联邦监听地址占用同一端口"
        ),
        (
            "wildcard host takes the port on every address",
            #"federation: "127.0.0.1:7002""#, #"federation: "0.0.0.0:8000""#,
            "节点 321281100：联邦监听地址 0.0.0.0:8000 与节点 321200 的运营监听地址占用同一端口"
        ),
        (
            "a second node without parent",
            #"role: county, parent: "321200", "#, "role: county, ",
            "节点 321281：county 节点必须有父节点，只有市级节点可以没有"
        ),
        (
            "unknown role",
            "role: township", "role: town",
            "节点 321281100：未知角色“town”，应为 city、county、township 或 village"
        ),
        (
            "bad address",
            #"federation: "127.0.0.1:7003""#, #"federation: "127.0.0.1:70000""#,
            "节点 321281100201：联邦监听地址“127.0.0.1:70000”无效，应写作 主机:端口"
        ),
        (
            "bad code",
            #"code: "321281100201""#, #"code: "32128110020X""#,
            "节点 32128110020X：行政区划代码“32128110020X”只能由数字组成"
        ),
    ])
    func refusalNamesTheNode(case name: String, old: String, new: String, message: String) {
        let yaml = Self.yaml(replacing: old, with: new)
        #expect(yaml != Self.yaml(), "case \(name) must edit the base topology")
        #expect(throws: (any Error).self) { try Topology.parse(yaml: yaml) }
        do {
            _ = try Topology.parse(yaml: yaml)
        } catch {
            #expect(error.description == message, "case \(name)")
        }
    }

    @Test func malformedYAMLNamesTheFileAndTheProblem() {
        do {
            _ = try Topology.parse(yaml: "nodes:\n  - {code: \"321200\", name: 泰州市, role: city}\n", source: "t.yaml")
            Issue.record("a node without addresses must be refused")
        } catch {
            #expect(error.description == "拓扑文件 t.yaml 格式错误：nodes / 第 1 项：缺少字段 federation")
        }
        do {
            _ = try Topology.parse(yaml: "nodes: [ {code: ", source: "t.yaml")
            Issue.record("broken YAML must be refused")
        } catch {
            #expect(error.description.hasPrefix("拓扑文件 t.yaml 格式错误："))
        }
    }

    @Test func missingFileIsNamed() {
        #expect(throws: (any Error).self) { try Topology.load(from: URL(filePath: "/nonexistent/t.yaml")) }
        do {
            _ = try Topology.load(from: URL(filePath: "/nonexistent/t.yaml"))
        } catch {
            #expect(error.description.hasPrefix("无法读取拓扑文件 /nonexistent/t.yaml"))
        }
    }
}
