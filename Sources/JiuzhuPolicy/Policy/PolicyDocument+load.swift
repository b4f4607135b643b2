import Crypto
import Foundation
import JiuzhuDomain
import Yams

extension PolicyDocument {
    /// A policy file's content hash, the version's fingerprint: SHA-256 (swift-crypto) as 64
    /// lowercase hex digits.
    public static func contentHash(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).lowercaseHex
    }

    /// Loads and validates a policy file, refusing anything doubtful with the file's line.
    ///
    /// Refused: YAML syntax errors, unknown keys at any level, unknown or missing parameters,
    /// dated values out of order or on the same date, a value of the wrong kind, a multiple of
    /// a parameter the file does not define (or a cycle of multiples), unknown programmes,
    /// income or expenditure types.
    ///
    /// ```swift
    /// let text = try String(contentsOfFile: "policy/taizhou.yaml", encoding: .utf8)
    /// let document = try PolicyDocument.load(yaml: text, file: "taizhou.yaml")
    /// ```
    public static func load(yaml text: String, file: String) throws(PolicyFileError) -> PolicyDocument {
        let reader = PolicyFileReader(file: file)
        return try reader.document(try reader.compose(text), hash: contentHash(Array(text.utf8)))
    }

    /// Loads and validates a policy file from disk; the message names the file by its last
    /// path component.
    public static func load(contentsOf url: URL) throws(PolicyFileError) -> PolicyDocument {
        let name = url.lastPathComponent
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PolicyFileError(file: name, line: 0, message: "无法读取文件：\(error.localizedDescription)")
        }
        return try load(yaml: text, file: name)
    }
}

/// Walks the YAML node tree of one policy file, producing errors with line numbers.
struct PolicyFileReader {
    var file: String

    func fail(_ node: Node?, _ message: String) -> PolicyFileError {
        PolicyFileError(file: file, line: node?.mark?.line ?? 0, message: message)
    }

    /// The YAML document in `text`, or an error with the line of a syntax error.
    func compose(_ text: String) throws(PolicyFileError) -> Node {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw PolicyFileError(file: file, line: 0, message: "文件为空")
            }
            return node
        } catch let error as PolicyFileError {
            throw error
        } catch let error as YamlError {
            throw syntaxError(error)
        } catch {
            throw PolicyFileError(file: file, line: 0, message: "无法读取：\(error)")
        }
    }

    func syntaxError(_ error: YamlError) -> PolicyFileError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return PolicyFileError(file: file, line: mark.line, message: "YAML 格式错误：\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return PolicyFileError(
                file: file, line: context.mark.line,
                message: "键重复：\(duplicates.joined(separator: "、"))")
        default:
            return PolicyFileError(file: file, line: 0, message: "YAML 格式错误：\(error)")
        }
    }

    /// The pairs of a mapping, refusing keys outside `allowed` and requiring `required` ones.
    func mapping(
        _ node: Node, _ what: String, allowed: Set<String>, required: Set<String> = []
    ) throws(PolicyFileError) -> [(key: String, keyNode: Node, value: Node)] {
        guard let mapping = node.mapping else { throw fail(node, "\(what)应为键值表") }
        var pairs: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else { throw fail(keyNode, "\(what)的键应为文本") }
            guard allowed.contains(key) else {
                let list = allowed.sorted().joined(separator: "、")
                throw fail(keyNode, "\(what)中有未知的键“\(key)”（可用：\(list)）")
            }
            pairs.append((key, keyNode, value))
        }
        for key in required.sorted() where !pairs.contains(where: { $0.key == key }) {
            throw fail(node, "\(what)缺少“\(key)”")
        }
        return pairs
    }

    func sequence(_ node: Node, _ what: String) throws(PolicyFileError) -> [Node] {
        guard let sequence = node.sequence else { throw fail(node, "\(what)应为列表") }
        return Array(sequence)
    }

    func scalar(_ node: Node, _ what: String) throws(PolicyFileError) -> String {
        guard let text = node.string else { throw fail(node, "\(what)应为单个值") }
        return text
    }

    func code<T: RawRepresentable & CaseIterable>(
        _ node: Node, _ type: T.Type, _ what: String
    ) throws(PolicyFileError) -> T where T.RawValue == String {
        let text = try scalar(node, what)
        guard let value = T(rawValue: text) else {
            let list = T.allCases.map(\.rawValue).joined(separator: "、")
            throw fail(node, "未知的\(what)“\(text)”（可用：\(list)）")
        }
        return value
    }

    func document(_ root: Node, hash: String) throws(PolicyFileError) -> PolicyDocument {
        let pairs = try mapping(
            root, "政策文件",
            allowed: [
                "version", "title", "region", "parameters", "incomeNotCounted", "deductibleExpenditures",
                "programmes", "exclusive", "casework", "warnings",
            ],
            required: ["version", "title", "parameters", "incomeNotCounted", "deductibleExpenditures", "programmes"])
        var version = ""
        var title = ""
        var region: String?
        var parameters: [ParameterKey: [PolicyDocument.DatedValue]] = [:]
        var notCounted: Set<IncomeType> = []
        var deductible: Set<ExpenditureType> = []
        var programmes: [Programme: PolicyDocument.ProgrammeSettings] = [:]
        var groups: [[Programme]] = []
        var caseworkNode: Node?
        var warningsNode: Node?
        for (key, keyNode, value) in pairs {
            switch key {
            case "version":
                version = try scalar(value, "版本号")
                guard !version.isEmpty else { throw fail(value, "版本号不能为空") }
            case "title": title = try scalar(value, "标题")
            case "region": region = try scalar(value, "地区代码")
            case "parameters": parameters = try self.parameters(value, keyNode: keyNode)
            case "incomeNotCounted":
                for item in try sequence(value, "不计入收入的类型") {
                    notCounted.insert(try code(item, IncomeType.self, "收入类型"))
                }
            case "deductibleExpenditures":
                for item in try sequence(value, "可扣除的刚性支出") {
                    deductible.insert(try code(item, ExpenditureType.self, "支出类型"))
                }
            case "programmes": programmes = try self.programmes(value, keyNode: keyNode)
            case "casework": caseworkNode = value
            case "warnings": warningsNode = value
            default: groups = try exclusiveGroups(value)
            }
        }
        return PolicyDocument(
            version: PolicyVersion(id: version, contentHash: hash), title: title, region: region,
            parameters: parameters, incomeNotCounted: notCounted, deductibleExpenditures: deductible,
            programmes: programmes, exclusiveGroups: groups,
            casework: try caseworkNode.map { node throws(PolicyFileError) in try casework(node, region: region) },
            warnings: try warningsNode.map { node throws(PolicyFileError) in try warnings(node) })
    }

    func parameters(_ node: Node, keyNode: Node) throws(PolicyFileError) -> [ParameterKey: [PolicyDocument.DatedValue]]
    {
        guard let entries = node.mapping else { throw fail(node, "parameters 应为键值表") }
        var result: [ParameterKey: [PolicyDocument.DatedValue]] = [:]
        var references: [(key: ParameterKey, base: ParameterKey, node: Node)] = []
        for (nameNode, listNode) in entries {
            let name = try scalar(nameNode, "参数名")
            guard let key = ParameterKey(rawValue: name) else { throw fail(nameNode, "未知参数“\(name)”") }
            var values: [PolicyDocument.DatedValue] = []
            for item in try sequence(listNode, "参数“\(name)”的取值") {
                let (value, baseNode) = try datedValue(item, key: key)
                if let last = values.last, value.from <= last.from {
                    throw fail(
                        item,
                        value.from == last.from
                            ? "参数“\(name)”的生效日期 \(value.from) 重复（第 \(last.line) 行已有）"
                            : "参数“\(name)”的生效日期 \(value.from) 早于上一条的 \(last.from)：须按先后排列，不得交叠")
                }
                if case .multiple(_, let base) = value.definition, let baseNode {
                    references.append((key, base, baseNode))
                }
                values.append(value)
            }
            guard !values.isEmpty else { throw fail(nameNode, "参数“\(name)”没有取值") }
            result[key] = values
        }
        for reference in references {
            guard result[reference.base] != nil else {
                throw fail(
                    reference.node,
                    "参数“\(reference.key.rawValue)”是“\(reference.base.rawValue)”的倍数，但该基准参数未定义")
            }
        }
        try refuseCycles(result)
        for key in ParameterKey.allCases where result[key] == nil {
            throw fail(keyNode, "缺少参数“\(key.rawValue)”（\(key.chineseName)）")
        }
        return result
    }

    func datedValue(_ node: Node, key: ParameterKey) throws(PolicyFileError) -> (PolicyDocument.DatedValue, Node?) {
        let pairs = try mapping(
            node, "参数“\(key.rawValue)”的取值", allowed: ["from", "yuan", "multiple", "of", "count", "ratio"],
            required: ["from"])
        // "from" is required by `mapping`, so this placeholder is always replaced.
        var from = CivilDate.earliest
        var found: [String: Node] = [:]
        for (name, _, value) in pairs {
            if name == "from" {
                do {
                    from = try CivilDate(try scalar(value, "生效日期"))
                } catch let error as CivilDateError {
                    throw fail(value, error.description)
                } catch {
                    throw error as? PolicyFileError ?? fail(value, "\(error)")
                }
            } else {
                found[name] = value
            }
        }
        let definition: PolicyDocument.Definition
        var baseNode: Node?
        switch (key.kind, Set(found.keys)) {
        case (.money, ["yuan"]):
            let node = found["yuan"] ?? node
            do {
                definition = .yuan(try Fen(yuan: try scalar(node, "金额")))
            } catch let error as FenParseError {
                throw fail(node, error.description)
            } catch {
                throw error as? PolicyFileError ?? fail(node, "\(error)")
            }
        case (.money, ["multiple", "of"]):
            let ofNode = found["of"] ?? node
            let base = try code(ofNode, ParameterKey.self, "基准参数")
            guard base.kind == .money else { throw fail(ofNode, "基准参数“\(base.rawValue)”不是金额") }
            definition = .multiple(try decimal(found["multiple"] ?? node, "倍数"), of: base)
            baseNode = ofNode
        case (.count, ["count"]):
            let text = try scalar(found["count"] ?? node, "数量")
            guard let count = Int64(text), count >= 0 else { throw fail(found["count"], "“\(text)”不是非负整数") }
            if key == .ageReferenceDay, !(1...31).contains(count) {
                throw fail(found["count"], "“\(text)”不是每月的第 1 至 31 日")
            }
            definition = .count(count)
        case (.ratio, ["ratio"]):
            definition = .ratio(try decimal(found["ratio"] ?? node, "比例"))
        default:
            let expected =
                switch key.kind {
                case .money: "yuan（金额）或 multiple + of（某参数的倍数）"
                case .count: "count（整数）"
                case .ratio: "ratio（小数比例）"
                }
            throw fail(node, "参数“\(key.rawValue)”（\(key.chineseName)）的取值应写 from 和 \(expected)")
        }
        return (PolicyDocument.DatedValue(from: from, definition: definition, line: node.mark?.line ?? 0), baseNode)
    }

    /// Parses a non-negative decimal with up to four places, exactly, times 10,000.
    func decimal(_ node: Node, _ what: String) throws(PolicyFileError) -> Int64 {
        let text = try scalar(node, what)
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int64(parts[0]), whole >= 0, whole < 1_000_000,
            !parts[0].hasPrefix("+")
        else { throw fail(node, "\(what)“\(text)”无效：应为不超过四位小数的非负数") }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...4).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int64(digits)
            else { throw fail(node, "\(what)“\(text)”无效：应为不超过四位小数的非负数") }
            fraction = value
            for _ in digits.count..<4 { fraction *= 10 }
        }
        return whole * PolicyDocument.scale + fraction
    }

    /// Refuses a chain of multiples that comes back to itself, through any of the dated values.
    func refuseCycles(_ parameters: [ParameterKey: [PolicyDocument.DatedValue]]) throws(PolicyFileError) {
        var bases: [ParameterKey: Set<ParameterKey>] = [:]
        for (key, values) in parameters {
            for value in values {
                if case .multiple(_, let base) = value.definition { bases[key, default: []].insert(base) }
            }
        }
        for start in ParameterKey.allCases where bases[start] != nil {
            var stack = Array(bases[start] ?? [])
            var seen: Set<ParameterKey> = []
            while let next = stack.popLast() {
                if next == start {
                    let line = parameters[start]?.first { if case .multiple = $0.definition { true } else { false } }
                    throw PolicyFileError(
                        file: file, line: line?.line ?? 0,
                        message: "参数“\(start.rawValue)”的倍数关系循环引用了自身")
                }
                if seen.insert(next).inserted { stack.append(contentsOf: bases[next] ?? []) }
            }
        }
    }

    func programmes(_ node: Node, keyNode: Node) throws(PolicyFileError) -> [Programme: PolicyDocument
        .ProgrammeSettings]
    {
        guard let entries = node.mapping else { throw fail(node, "programmes 应为键值表") }
        var result: [Programme: PolicyDocument.ProgrammeSettings] = [:]
        for (nameNode, settingsNode) in entries {
            let programme = try code(nameNode, Programme.self, "救助项目")
            let allowed: Set<String> = programme == .rigidExpenditure ? ["tier", "formula"] : ["tier"]
            let pairs = try mapping(
                settingsNode, "项目“\(programme.rawValue)”", allowed: allowed,
                required: programme == .rigidExpenditure ? ["tier", "formula"] : ["tier"])
            var settings = PolicyDocument.ProgrammeSettings(tier: nil, rigidFormula: nil)
            for (name, _, value) in pairs {
                if name == "formula" {
                    settings.rigidFormula = try code(value, RigidExpenditureFormula.self, "刚性支出认定规则")
                } else {
                    switch try scalar(value, "分层") {
                    case "1": settings.tier = .bottomLine
                    case "2": settings.tier = .special
                    case "3": settings.tier = .monitoring
                    case "none": settings.tier = nil
                    default: throw fail(value, "分层应为 1、2、3 或 none")
                    }
                }
            }
            result[programme] = settings
        }
        for programme in Programme.ordered where result[programme] == nil {
            throw fail(keyNode, "缺少救助项目“\(programme.rawValue)”（\(programme.chineseName)）的设置")
        }
        return result
    }

    func exclusiveGroups(_ node: Node) throws(PolicyFileError) -> [[Programme]] {
        var groups: [[Programme]] = []
        for groupNode in try sequence(node, "互斥项目组") {
            var group: [Programme] = []
            for item in try sequence(groupNode, "互斥项目组") {
                let programme = try code(item, Programme.self, "救助项目")
                guard !group.contains(programme) else { throw fail(item, "互斥项目组中“\(programme.rawValue)”重复") }
                group.append(programme)
            }
            guard group.count >= 2 else { throw fail(groupNode, "互斥项目组至少应有两个项目") }
            try refuseUnevaluableOrder(group, groupNode)
            groups.append(group)
            try refuseContradictions(groups, groupNode)
        }
        return groups
    }

    /// Refuses an order the per-person evaluation cannot honour. Per-person programmes are
    /// decided first, each person on their own; a household programme then counts the people
    /// they leave. So a household programme cannot win against a per-person one, and 困难残疾人
    /// 生活补贴, which follows from the household's 低保, cannot win against another per-person one.
    func refuseUnevaluableOrder(_ group: [Programme], _ node: Node) throws(PolicyFileError) {
        for (position, winner) in group.enumerated() {
            for loser in group[(position + 1)...] where loser.isPerPerson {
                if !winner.isPerPerson {
                    throw fail(
                        node,
                        "按户认定的“\(winner.rawValue)”不能排在按人认定的“\(loser.rawValue)”之前：按人认定的项目先逐人判定，按户认定的项目只计其余成员")
                }
                if winner == .disabilityLiving {
                    throw fail(
                        node,
                        "“disabilityLiving”以低保认定为前提，不能排在按人认定的“\(loser.rawValue)”之前")
                }
            }
        }
    }

    /// Refuses groups whose orders contradict each other (A before B in one, B before A in
    /// another, directly or through other groups): no programme could be said to win.
    func refuseContradictions(_ groups: [[Programme]], _ node: Node) throws(PolicyFileError) {
        var beats: [Programme: Set<Programme>] = [:]
        for group in groups {
            for (position, winner) in group.enumerated() {
                beats[winner, default: []].formUnion(group[(position + 1)...])
            }
        }
        for start in Programme.ordered {
            var stack = Array(beats[start] ?? [])
            var seen: Set<Programme> = []
            while let next = stack.popLast() {
                if next == start {
                    throw fail(node, "互斥项目组的先后顺序互相矛盾：“\(start.rawValue)”经其他项目又排在了自己之前")
                }
                if seen.insert(next).inserted { stack.append(contentsOf: beats[next] ?? []) }
            }
        }
    }
}
