import JiuzhuDomain
import JiuzhuPolicy

/// One column of a department feed: its Chinese header in a CSV file, its key in a JSON file,
/// what it holds and whether every record must have it.
///
/// ``DepartmentFeed/columns`` is the one table of every feed's columns: the decoder reads
/// files by it, and `feeds/README.md` documents it (a test holds the two together).
///
/// ```swift
/// DepartmentFeed.medical.columns.map(\.header)
/// // ["记录编号", "公民身份号码", "姓名", "结算日期", "医疗总费用", "个人自付", "是否大病", "诊断"]
/// ```
public struct FeedColumn: Sendable, Hashable {
    /// The column's header in a CSV file, as offices write it.
    public let header: String
    /// The key in a JSON record, English camelCase.
    public let key: String
    public let kind: FeedColumnKind
    /// Whether a record without a value here is refused; an optional value may be left empty
    /// (CSV), left out or `null` (JSON).
    public let isRequired: Bool
    /// What the value means, in Chinese, for the documentation.
    public let meaning: String

    init(_ header: String, _ key: String, _ kind: FeedColumnKind, required: Bool, _ meaning: String) {
        self.header = header
        self.key = key
        self.kind = kind
        self.isRequired = required
        self.meaning = meaning
    }

    /// How this column is named in a file of `format`.
    public func label(in format: FeedFileFormat) -> String {
        switch format {
        case .csv: header
        case .json: key
        }
    }
}

/// What a feed column holds and how its text is read.
public enum FeedColumnKind: String, Sendable, Hashable, CaseIterable {
    /// The department's record number.
    case recordID
    /// An 18-character citizen ID (公民身份号码).
    case citizenID
    /// A person's name.
    case personName
    /// A day, not after the day the file is read.
    case date
    /// A month, stored as its first day.
    case month
    /// Free text.
    case text
    /// Yuan with at most two decimals.
    case amount
    /// Yes or no.
    case yesNo
    /// A disability category (残疾类别).
    case disabilityCategory
    /// A disability grade (残疾等级), 1 most severe … 4.
    case disabilityGrade
    /// What happened at school.
    case schoolEvent
    /// A level of schooling.
    case schoolLevel
    /// A dwelling or a vehicle.
    case propertyKind

    /// Characters of a record number, after trimming.
    public static let recordIDCharacters: ClosedRange<Int> = 1...64
    /// Characters of any free text, after trimming.
    public static let textCharacters: ClosedRange<Int> = 1...200

    /// The kind's name in the documentation.
    public var typeName: String {
        switch self {
        case .recordID, .personName, .text: "文本"
        case .citizenID: "身份证号"
        case .date: "日期"
        case .month: "月份"
        case .amount: "金额（元）"
        case .yesNo: "是否"
        case .disabilityCategory, .disabilityGrade, .schoolEvent, .schoolLevel, .propertyKind: "代码"
        }
    }

    /// The values accepted, in Chinese, for the documentation and for messages.
    public var accepted: String {
        switch self {
        case .recordID:
            "\(Self.recordIDCharacters.lowerBound)–\(Self.recordIDCharacters.upperBound) 个可见字符，同一文件内不得重复"
        case .citizenID:
            "18 位，校验位正确，出生日期不晚于当天；Excel 科学计数法（3.21281E+17）不受理"
        case .personName:
            "\(InputBounds.nameCharacters.lowerBound)–\(InputBounds.nameCharacters.upperBound) 个字符"
        case .text:
            "\(Self.textCharacters.lowerBound)–\(Self.textCharacters.upperBound) 个字符"
        case .date:
            "2026-03-01、2026/3/1、2026.3.1、2026年3月1日 或 20260301，不晚于当天"
        case .month:
            "2026-10、2026/10、2026年10月 或 202610（也可写当月某日），不晚于本月"
        case .amount:
            "0–\(Fen(InputBounds.amountFen.upperBound).yuanText)，至多两位小数，可带千位分隔符（1,200.00）"
        case .yesNo:
            "是/否、true/false、1/0"
        case .disabilityCategory:
            DisabilityCategory.allCases.map { "\($0.chineseName)（\($0.rawValue)）" }.joined(separator: "、")
                + "，“残疾”二字可省略"
        case .disabilityGrade:
            "1–4（一级最重），也可写“一级”…“四级”"
        case .schoolEvent:
            SchoolEvent.allCases.map { "\($0.chineseName)（\($0.rawValue)）" }.joined(separator: "、")
                + "，“退学”“离校”亦可"
        case .schoolLevel:
            Schooling.allCases.filter { $0 != .none }.map { "\($0.chineseName)（\($0.rawValue)）" }
                .joined(separator: "、")
        case .propertyKind:
            PropertyKind.allCases.map { "\($0.chineseName)（\($0.rawValue)）" }.joined(separator: "、")
        }
    }
}

extension FeedColumn {
    // Every record.
    static let recordID = FeedColumn(
        "记录编号", "recordID", .recordID, required: true, "部门自己的记录编号；再次报送同一编号即替换原记录，不新增")
    static let citizenID = FeedColumn("公民身份号码", "citizenID", .citizenID, required: true, "记录所涉人员的身份证号")
    static let name = FeedColumn("姓名", "name", .personName, required: false, "部门登记的姓名，仅供核对")

    // 死亡信息
    static let diedOn = FeedColumn("死亡日期", "diedOn", .date, required: true, "死亡日期")
    static let certificate = FeedColumn("证明编号", "certificate", .text, required: false, "死亡医学证明或户籍注销的编号")

    // 就业和社保缴费
    static let month = FeedColumn("所属月份", "month", .month, required: true, "工资所属月份")
    static let employer = FeedColumn("单位名称", "employer", .text, required: true, "发放工资的单位")
    static let monthlyWage = FeedColumn("月工资", "monthlyWage", .amount, required: true, "当月应发工资")
    static let contributionBase = FeedColumn(
        "缴费基数", "contributionBase", .amount, required: false, "当月社会保险缴费基数")

    // 医保结算
    static let settledOn = FeedColumn("结算日期", "settledOn", .date, required: true, "医保结算日期")
    static let totalCost = FeedColumn("医疗总费用", "totalCost", .amount, required: true, "本次结算的医疗总费用")
    static let outOfPocket = FeedColumn(
        "个人自付", "outOfPocket", .amount, required: true, "患者个人负担的部分，不得超过医疗总费用")
    static let seriousIllness = FeedColumn(
        "是否大病", "seriousIllness", .yesNo, required: true, "是否为医保认定的大病（重特大疾病）")
    static let diagnosis = FeedColumn("诊断", "diagnosis", .text, required: false, "主要诊断")

    // 残疾人证
    static let certifiedOn = FeedColumn("发证日期", "certifiedOn", .date, required: true, "残疾人证发证（或换证、评定）日期")
    static let category = FeedColumn("残疾类别", "category", .disabilityCategory, required: true, "残疾类别")
    static let grade = FeedColumn("残疾等级", "grade", .disabilityGrade, required: true, "残疾等级")

    // 学籍变动
    static let happenedOn = FeedColumn("变动日期", "happenedOn", .date, required: true, "入学、毕业或离校的日期")
    static let schoolEvent = FeedColumn("变动类型", "event", .schoolEvent, required: true, "学籍变动类型")
    static let level = FeedColumn("学段", "level", .schoolLevel, required: true, "入学、毕业或离校时所在的学段")
    static let school = FeedColumn("学校", "school", .text, required: false, "学校名称")

    // 不动产和车辆登记
    static let propertyRegisteredOn = FeedColumn("登记日期", "registeredOn", .date, required: true, "不动产或机动车登记日期")
    static let propertyKind = FeedColumn("财产类型", "kind", .propertyKind, required: true, "住房或机动车")
    static let propertyDescription = FeedColumn(
        "财产描述", "description", .text, required: true, "住房的坐落，或机动车的号牌和车型")
    static let value = FeedColumn("评估价值", "value", .amount, required: false, "登记或评估的价值")

    // 市场主体登记
    static let businessRegisteredOn = FeedColumn("登记日期", "registeredOn", .date, required: true, "市场主体成立（登记）日期")
    static let businessName = FeedColumn(
        "企业名称", "businessName", .text, required: true, "市场主体名称（该人为法定代表人、负责人或经营者）")
    static let registeredCapital = FeedColumn("注册资本", "registeredCapital", .amount, required: false, "注册资本或出资额")
    static let active = FeedColumn("是否存续", "active", .yesNo, required: true, "是否仍在存续（在营、开业）")

    // 灾情报告
    static let struckOn = FeedColumn("受灾日期", "struckOn", .date, required: true, "受灾日期")
    static let disasterEvent = FeedColumn(
        "灾害编号", "event", .text, required: true, "灾害事件编号，同一次灾害涉及的各户相同")
    static let disasterKind = FeedColumn("灾害类型", "kind", .text, required: true, "如洪涝、台风、火灾、地震")
    static let loss = FeedColumn("损失金额", "loss", .amount, required: false, "该户核定的经济损失")
}

extension DepartmentFeed {
    /// Every column of the feed, in the order the documentation lists them: the record
    /// number, the citizen ID, the name, the feed's date, then its facts.
    public var columns: [FeedColumn] {
        [FeedColumn.recordID, .citizenID, .name, dateColumn] + factColumns
    }

    /// The column holding ``FeedRecord/date``.
    public var dateColumn: FeedColumn {
        switch self {
        case .deaths: .diedOn
        case .employment: .month
        case .medical: .settledOn
        case .disability: .certifiedOn
        case .schooling: .happenedOn
        case .property: .propertyRegisteredOn
        case .business: .businessRegisteredOn
        case .disaster: .struckOn
        }
    }

    /// The columns holding the feed's ``FeedFacts``.
    var factColumns: [FeedColumn] {
        switch self {
        case .deaths: [.certificate]
        case .employment: [.employer, .monthlyWage, .contributionBase]
        case .medical: [.totalCost, .outOfPocket, .seriousIllness, .diagnosis]
        case .disability: [.category, .grade]
        case .schooling: [.schoolEvent, .level, .school]
        case .property: [.propertyKind, .propertyDescription, .value]
        case .business: [.businessName, .registeredCapital, .active]
        case .disaster: [.disasterEvent, .disasterKind, .loss]
        }
    }
}
