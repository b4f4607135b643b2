import JiuzhuDomain
import JiuzhuPolicy
import JiuzhuRegistry
import Testing

/// The registry's own code lists map to the calculator's. Today they are the same lists: each
/// stored code maps to the calculator's code of the same name, shown with the same Chinese
/// name, and every calculator code has a stored one. When the lists are deliberately parted,
/// this test changes with the mapping.
@Suite struct StoredCodesTests {
    @Test func incomeTypesMapToTheCalculatorsOfTheSameCode() {
        for stored in StoredIncomeType.allCases {
            #expect(IncomeType(stored).rawValue == stored.rawValue)
            #expect(IncomeType(stored).chineseName == stored.chineseName)
        }
        #expect(Set(StoredIncomeType.allCases.map(IncomeType.init)) == Set(IncomeType.allCases))
    }

    @Test func expenditureTypesMapToTheCalculatorsOfTheSameCode() {
        for stored in StoredExpenditureType.allCases {
            #expect(ExpenditureType(stored).rawValue == stored.rawValue)
            #expect(ExpenditureType(stored).chineseName == stored.chineseName)
        }
        #expect(Set(StoredExpenditureType.allCases.map(ExpenditureType.init)) == Set(ExpenditureType.allCases))
    }

    @Test func childStatusesMapToTheCalculatorsOfTheSameCode() {
        for stored in StoredChildStatus.allCases {
            #expect(ChildStatus(stored).rawValue == stored.rawValue)
        }
        #expect(Set(StoredChildStatus.allCases.map(ChildStatus.init)) == Set(ChildStatus.allCases))
    }

    @Test func assetsAndDisabilityMapFieldByField() {
        let stored = StoredAssets(
            deposits: Fen(123_456), vehicles: [.init(value: Fen(700_000)), .init(value: Fen(90_000), exempt: true)],
            housingUnits: 2)
        let assets = HouseholdSituation.Assets(stored)
        #expect(assets.deposits == Fen(123_456) && assets.housingUnits == 2)
        #expect(assets.vehicles.map(\.value) == [Fen(700_000), Fen(90_000)])
        #expect(assets.vehicles.map(\.exempt) == [false, true])
        for category in DisabilityCategory.allCases {
            let disability = HouseholdSituation.Disability(StoredDisability(category: category, grade: 3))
            #expect(disability.category == category && disability.grade == 3)
        }
    }
}
