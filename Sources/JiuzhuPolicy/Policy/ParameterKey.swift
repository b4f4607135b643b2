import JiuzhuDomain

/// Every dated parameter a policy file must define, by its key in the file.
///
/// The registry is closed: a key the calculator does not read is refused when the file is
/// loaded, so a misspelt key cannot leave a rule silently on an old value.
///
/// ```swift
/// ParameterKey.dibaoStandard.rawValue     // "dibao.standard"
/// ParameterKey.dibaoStandard.chineseName  // "最低生活保障标准"
/// ```
public enum ParameterKey: String, CaseIterable, Sendable, Codable, Hashable {
    /// 最低生活保障标准, yuan per person per month.
    case dibaoStandard = "dibao.standard"
    /// 低保边缘家庭收入线, yuan per person per month (usually a multiple of the standard).
    case edgeIncomeLine = "dibaoEdge.incomeLine"
    /// 低保边缘家庭每月补助, yuan per household per month.
    case edgeBenefit = "dibaoEdge.benefit"
    /// 监测预警收入线, yuan per person per year.
    case monitoringLine = "monitoring.incomeLine"
    /// 医疗自付预警线, yuan per household over 12 months.
    case medicalWarningLine = "monitoring.medicalWarningLine"
    /// 人均货币财产上限, yuan per person.
    case depositsPerCapita = "assets.depositsPerCapita"
    /// Non-exempt vehicles allowed.
    case vehiclesAllowed = "assets.vehiclesAllowed"
    /// Dwellings allowed.
    case housingUnitsAllowed = "assets.housingUnitsAllowed"
    /// 特困"无生活来源"收入线, yuan per person per month.
    case extremePovertyIncomeCeiling = "extremePoverty.incomeCeiling"
    /// 特困基本生活标准, yuan per person per month.
    case extremePovertyBasicLiving = "extremePoverty.basicLiving"
    /// 全护理照料标准, yuan per person per month.
    case careFull = "extremePoverty.care.full"
    /// 半护理照料标准, yuan per person per month.
    case carePartial = "extremePoverty.care.partial"
    /// 全自理照料标准, yuan per person per month.
    case careSelf = "extremePoverty.care.selfCare"
    /// Self-care items failed from which care is full.
    case fullCareItems = "extremePoverty.care.fullFromItems"
    /// Self-care items failed from which care is partial.
    case partialCareItems = "extremePoverty.care.partialFromItems"
    /// Age from which a person has no work ability.
    case elderAge = "workAbility.elderAge"
    /// Age below which a person has no work ability.
    case minorAge = "workAbility.minorAge"
    /// Intellectual disability grades 1 … this one mean no work ability (0: none does).
    case noWorkGradeIntellectual = "workAbility.disabilityGrade.intellectual"
    /// Mental disability grades 1 … this one mean no work ability (0: none does).
    case noWorkGradeMental = "workAbility.disabilityGrade.mental"
    /// Physical disability grades 1 … this one mean no work ability (0: none does).
    case noWorkGradePhysical = "workAbility.disabilityGrade.physical"
    /// Visual disability grades 1 … this one mean no work ability (0: none does).
    case noWorkGradeVisual = "workAbility.disabilityGrade.visual"
    /// Hearing disability grades 1 … this one mean no work ability (0: none does).
    case noWorkGradeHearing = "workAbility.disabilityGrade.hearing"
    /// Speech disability grades 1 … this one mean no work ability (0: none does).
    case noWorkGradeSpeech = "workAbility.disabilityGrade.speech"
    /// Multiple disability (多重残疾) grades 1 … this one mean no work ability (0: none does).
    case noWorkGradeMultiple = "workAbility.disabilityGrade.multiple"
    /// The day of the month on which ages are counted for that month (1–31; a later day than
    /// the month has means its last day).
    case ageReferenceDay = "ages.referenceDay"
    /// Age below which a person is a child for the children's allowances.
    case childAgeLimit = "children.ageLimit"
    /// 孤儿基本生活费, yuan per child per month.
    case orphanAllowance = "orphan.allowance"
    /// 事实无人抚养儿童基本生活补贴, yuan per child per month.
    case unsupportedChildAllowance = "unsupportedChild.allowance"
    /// 困难残疾人生活补贴, yuan per person per month.
    case disabilityLivingAmount = "disabilityLiving.amount"
    /// 重度残疾人护理补贴, yuan per person per month.
    case severeCareAmount = "severeDisabilityCare.amount"
    /// Disability grades 1 … this one count as severe.
    case severeCareMaxGrade = "severeDisabilityCare.maxGrade"
    /// 上年度居民人均可支配收入, yuan per person per year (national 2025 rule).
    case disposableIncomeLine = "rigidExpenditure.disposableIncomeLine"
    /// Share of annual income that 12-month rigid spending must exceed (national 2025 rule).
    case rigidIncomeShare = "rigidExpenditure.incomeShare"
    /// 刚性支出困难家庭每月补助, yuan per household per month.
    case rigidBenefit = "rigidExpenditure.benefit"
    /// 急难型临时救助上限, yuan per household per event.
    case emergencyCap = "temporary.emergencyCap"
    /// 支出型临时救助上限, yuan per household per event.
    case expenditureCap = "temporary.expenditureCap"
    /// Share of medical spending over the warning line paid as expenditure assistance.
    case expenditureShare = "temporary.expenditureShare"
    /// Days within which two grants of temporary assistance to one household count as two for
    /// the same event (a duplicate-assistance warning).
    case temporaryRepeatDays = "warnings.temporaryRepeatDays"

    /// The parameter holding the highest grade of `category` that means no work ability.
    public static func noWorkGrade(_ category: DisabilityCategory) -> ParameterKey {
        switch category {
        case .intellectual: .noWorkGradeIntellectual
        case .mental: .noWorkGradeMental
        case .physical: .noWorkGradePhysical
        case .visual: .noWorkGradeVisual
        case .hearing: .noWorkGradeHearing
        case .speech: .noWorkGradeSpeech
        case .multiple: .noWorkGradeMultiple
        }
    }

    /// For a no-work grade parameter, the disability category it is about; nil for the others.
    public var disabilityCategory: DisabilityCategory? {
        DisabilityCategory.allCases.first { Self.noWorkGrade($0) == self }
    }

    /// Every key in declaration order, built once: `allCases` builds a new array on each call,
    /// which showed in the explanation's timing.
    public static let ordered: [ParameterKey] = allCases

    /// What kind of value a parameter holds.
    public enum Kind: Sendable {
        /// An amount of money: `yuan`, or `multiple` of another money parameter.
        case money
        /// A whole number: `count`.
        case count
        /// A decimal share such as 0.5: `ratio`.
        case ratio
    }

    /// The kind of value the parameter holds.
    public var kind: Kind {
        switch self {
        case .vehiclesAllowed, .housingUnitsAllowed, .fullCareItems, .partialCareItems, .elderAge, .minorAge,
            .noWorkGradeIntellectual, .noWorkGradeMental, .noWorkGradePhysical, .noWorkGradeVisual,
            .noWorkGradeHearing, .noWorkGradeSpeech, .noWorkGradeMultiple, .ageReferenceDay, .childAgeLimit,
            .severeCareMaxGrade, .temporaryRepeatDays:
            .count
        case .rigidIncomeShare, .expenditureShare:
            .ratio
        default:
            .money
        }
    }

    /// The parameter's name as users and reviewers read it.
    public var chineseName: String {
        switch self {
        case .dibaoStandard: "最低生活保障标准"
        case .edgeIncomeLine: "低保边缘家庭收入线"
        case .edgeBenefit: "低保边缘家庭补助"
        case .monitoringLine: "监测预警收入线"
        case .medicalWarningLine: "医疗自付预警线"
        case .depositsPerCapita: "人均货币财产上限"
        case .vehiclesAllowed: "允许拥有的非豁免机动车"
        case .housingUnitsAllowed: "允许拥有的住房"
        case .extremePovertyIncomeCeiling: "特困人员无生活来源收入线"
        case .extremePovertyBasicLiving: "特困人员基本生活标准"
        case .careFull: "全护理照料标准"
        case .carePartial: "半护理照料标准"
        case .careSelf: "全自理照料标准"
        case .fullCareItems: "全护理的自理能力失能项数"
        case .partialCareItems: "半护理的自理能力失能项数"
        case .elderAge: "无劳动能力的老年年龄"
        case .minorAge: "无劳动能力的未成年年龄"
        case .noWorkGradeIntellectual: "视为无劳动能力的智力残疾等级（含）"
        case .noWorkGradeMental: "视为无劳动能力的精神残疾等级（含）"
        case .noWorkGradePhysical: "视为无劳动能力的肢体残疾等级（含）"
        case .noWorkGradeVisual: "视为无劳动能力的视力残疾等级（含）"
        case .noWorkGradeHearing: "视为无劳动能力的听力残疾等级（含）"
        case .noWorkGradeSpeech: "视为无劳动能力的言语残疾等级（含）"
        case .noWorkGradeMultiple: "视为无劳动能力的多重残疾等级（含）"
        case .ageReferenceDay: "按月计算年龄的日期（每月第几日）"
        case .childAgeLimit: "儿童保障年龄上限（不含）"
        case .orphanAllowance: "孤儿基本生活费"
        case .unsupportedChildAllowance: "事实无人抚养儿童基本生活补贴"
        case .disabilityLivingAmount: "困难残疾人生活补贴标准"
        case .severeCareAmount: "重度残疾人护理补贴标准"
        case .severeCareMaxGrade: "重度残疾等级（含）"
        case .disposableIncomeLine: "上年度居民人均可支配收入"
        case .rigidIncomeShare: "刚性支出占家庭年收入比例"
        case .rigidBenefit: "刚性支出困难家庭补助"
        case .emergencyCap: "急难型临时救助上限"
        case .expenditureCap: "支出型临时救助上限"
        case .expenditureShare: "支出型临时救助比例"
        case .temporaryRepeatDays: "同一事件重复临时救助的认定天数"
        }
    }

    /// The unit shown after the value.
    public var unit: String {
        switch self {
        case .dibaoStandard, .edgeIncomeLine, .extremePovertyIncomeCeiling, .extremePovertyBasicLiving, .careFull,
            .carePartial, .careSelf, .orphanAllowance, .unsupportedChildAllowance, .disabilityLivingAmount,
            .severeCareAmount:
            "/人/月"
        case .edgeBenefit, .rigidBenefit: "/户/月"
        case .monitoringLine, .disposableIncomeLine: "/人/年"
        case .medicalWarningLine: "/户/近12个月"
        case .depositsPerCapita: "/人"
        case .emergencyCap, .expenditureCap: "/户/次"
        case .vehiclesAllowed: "辆"
        case .housingUnitsAllowed: "套"
        case .fullCareItems, .partialCareItems: "项"
        case .elderAge, .minorAge, .childAgeLimit: "周岁"
        case .noWorkGradeIntellectual, .noWorkGradeMental, .noWorkGradePhysical, .noWorkGradeVisual,
            .noWorkGradeHearing, .noWorkGradeSpeech, .noWorkGradeMultiple, .severeCareMaxGrade:
            "级"
        case .ageReferenceDay: "日"
        case .temporaryRepeatDays: "天"
        case .rigidIncomeShare, .expenditureShare: ""
        }
    }
}
