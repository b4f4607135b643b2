import JiuzhuDomain
import Testing

@Suite struct AccessPolicyTests {
    @Test(arguments: [
        (DivisionLevel.city, [OperatorRole.cityAdministrator, .cityAnalyst, .auditor]),
        (.county, [.countyOfficer, .auditor]),
        (.township, [.townshipClerk, .townshipApprover, .auditor]),
        (.village, [.villageSpecialist, .auditor]),
    ])
    func eachLevelHasItsRoles(level: DivisionLevel, roles: [OperatorRole]) {
        #expect(OperatorRole.roles(at: level) == roles)
    }

    @Test func citizenIDsAreMaskedForRolesThatDoNotNeedThem() {
        #expect(CitizenIDMask.masked("32120219800101123X") == "321202********123X")
        #expect(CitizenIDMask.masked("1234") == "****")
        let needFull: [OperatorRole] = [.villageSpecialist, .townshipClerk, .townshipApprover, .countyOfficer]
        for role in OperatorRole.allCases {
            let shown = CitizenIDMask.show(
                "32120219800101123X", fullAccess: AccessPolicy.allows(role, .viewFullCitizenID))
            #expect(shown == (needFull.contains(role) ? "32120219800101123X" : "321202********123X"), "\(role)")
        }
    }

    @Test func jurisdictionIsTheOtherHalfOfEveryDecision() throws {
        let township = try DivisionCode("321281001")
        #expect(
            AccessPolicy.decide(
                role: .townshipClerk, node: township, permission: .viewDivision,
                target: try DivisionCode("321281001002"))
                == .allowed)
        #expect(
            AccessPolicy.decide(
                role: .townshipClerk, node: township, permission: .viewDivision, target: try DivisionCode("321281100"))
                == .refused("321281100 不在本节点辖区 321281001 之内"))
        #expect(
            AccessPolicy.decide(role: .townshipClerk, node: township, permission: .manageAccounts)
                == .refused("乡镇窗口经办人没有“管理操作员账号”的权限"))
        #expect(OperatorRole(named: "审计员") == .auditor)
        #expect(OperatorRole(named: "king") == nil)
    }
}
