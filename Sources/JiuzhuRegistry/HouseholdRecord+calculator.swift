import JiuzhuDomain
import JiuzhuPolicy

// The one place a stored household becomes the calculator's input. The stored types are the
// registry's (stored format version 1) and the input types are the calculator's request
// format; each is free to change as long as this mapping is changed with it.

extension HouseholdRecord {
    /// The situation the policy calculator evaluates, built field by field.
    ///
    /// What the calculator does not read stays behind: the village and address, names, citizen
    /// IDs and phone numbers, employment, schooling, left-behind children, whether an income is
    /// irregular and when it was declared, supporters' names and IDs, and who made the change.
    /// A stored household has no emergency: temporary assistance for one is a what-if.
    public var situation: HouseholdSituation {
        HouseholdSituation(
            id: id, registration: registration,
            members: members.map(\.situation),
            incomes: incomes.map { HouseholdSituation.Income(type: IncomeType($0.type), monthly: $0.monthly) },
            assets: HouseholdSituation.Assets(assets),
            expenditures: expenditures.map {
                HouseholdSituation.Expenditure(type: ExpenditureType($0.type), last12Months: $0.last12Months)
            },
            supporters: supporters.map {
                HouseholdSituation.Supporter(relation: $0.relation, ableToSupport: $0.ableToSupport)
            },
            enrolments: ProgrammeSet(enrolments), emergency: nil)
    }
}

extension PersonRecord {
    /// The member as the calculator reads it.
    var situation: HouseholdSituation.Member {
        HouseholdSituation.Member(
            birthDate: birthDate, sex: sex, relation: relation,
            disability: disability.map { HouseholdSituation.Disability($0) },
            seriousIllness: seriousIllness, ableToWork: ableToWork, selfCareItemsFailed: selfCareItemsFailed,
            childStatus: ChildStatus(childStatus))
    }
}

extension HouseholdSituation.Assets {
    /// The calculator's assets for the stored ones: deposits, each vehicle, dwellings.
    public init(_ stored: StoredAssets) {
        self.init(
            deposits: stored.deposits,
            vehicles: stored.vehicles.map { HouseholdSituation.Vehicle(value: $0.value, exempt: $0.exempt) },
            housingUnits: stored.housingUnits)
    }
}

extension HouseholdSituation.Disability {
    /// The calculator's disability for a stored certificate; the category is the shared code.
    public init(_ stored: StoredDisability) {
        self.init(category: stored.category, grade: stored.grade)
    }
}

extension IncomeType {
    /// The calculator's income type for a declared one.
    public init(_ stored: StoredIncomeType) {
        self =
            switch stored {
            case .wages: .wages
            case .business: .business
            case .property: .property
            case .transfer: .transfer
            case .pensionBase: .pensionBase
            case .assistance: .assistance
            case .incentive: .incentive
            case .other: .other
            }
    }
}

extension ExpenditureType {
    /// The calculator's expenditure type for a stored one.
    public init(_ stored: StoredExpenditureType) {
        self =
            switch stored {
            case .medical: .medical
            case .education: .education
            case .rehabilitation: .rehabilitation
            }
    }
}

extension ChildStatus {
    /// The calculator's child status for a recorded one.
    public init(_ stored: StoredChildStatus) {
        self =
            switch stored {
            case .none: .none
            case .orphan: .orphan
            case .unsupported: .unsupported
            }
    }
}
