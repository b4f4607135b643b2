import Foundation
import JiuzhuDomain
import JiuzhuFederation
import JiuzhuStorage
import Testing

extension LiveClusters {
    /// A village's own certificate used as an attacker would: every attempt to change a row the
    /// village does not own, or to move sequence numbers it did not send, is refused whole at
    /// the township, leaves the township's copy as it was, and becomes a security event at the city.
    @Suite(.serialized) struct OwnershipAttackTests {
        static let sibling = try! DivisionCode("321281100202")
        static let otherCounty = try! DivisionCode("321283001001")

        static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

        /// A household change as `origin` sends it, about its own jurisdiction, whatever key and village it names.
        static func household(
            origin: DivisionCode, sequence: Int64, key: String, village: DivisionCode, address: String?,
            clock: Int64 = now()
        ) -> Change {
            Change(
                origin: origin, originSequence: sequence, clock: HybridLogicalClock(milliseconds: clock, counter: 0),
                channel: .registry, entity: "household", key: key, jurisdiction: origin,
                payload: address.map { #"{"village":"\#(village)","address":"\#($0)"}"# })
        }

        /// The kinds of security event the city holds about `peer`, as `node:kind`.
        static func eventsAtCity(_ cluster: ChainCluster, about peer: DivisionCode) async -> Set<String> {
            guard let city = try? cluster.database(cluster.city),
                let rows = try? await city.changeLog.rows(channel: .security, entity: SecurityLog.entity)
            else { return [] }
            return Set(
                rows.compactMap(\.payload).compactMap { try? SecurityLog.Event(payload: $0) }
                    .filter { $0.peer == peer.digits }.map { "\($0.node):\($0.kind)" })
        }

        @Test func aVillageCannotOverwritePlantOrDeleteRowsItDoesNotOwn() async throws {
            let cluster = try await ChainCluster.running(withoutVillage: true)
            defer { cluster.stop() }
            let village = cluster.village.code
            let township = try cluster.database(cluster.township)
            // The sibling village's genuine household, as its own push would have left it.
            let siblingKey = "\(Self.sibling)-000002"
            let genuine = Self.household(
                origin: Self.sibling, sequence: 1, key: siblingKey, village: Self.sibling, address: "董南村 2 号")
            _ = try await township.changeLog.applyFromChild([genuine], channel: .registry)
            let before = try await township.changeLog.row(channel: .registry, entity: "household", key: siblingKey)

            let attacks: [(String, Change, String)] = [
                (
                    "the sibling's household rewritten",
                    Self.household(
                        origin: village, sequence: 1, key: siblingKey, village: Self.sibling, address: "伪造地址",
                        clock: Self.now() + 60_000),
                    "属于节点 \(Self.sibling)，节点 \(village) 无权修改"
                ),
                (
                    "a household planted in another county",
                    Self.household(
                        origin: village, sequence: 1, key: "\(Self.otherCounty)-997271", village: village,
                        address: "伪造"),
                    "属于节点 \(Self.otherCounty)，节点 \(village) 无权修改"
                ),
                (
                    "the sibling's household deleted",
                    Self.household(origin: village, sequence: 1, key: siblingKey, village: Self.sibling, address: nil),
                    "无权修改"
                ),
                (
                    "its own key with the sibling named in the payload",
                    Self.household(
                        origin: village, sequence: 1, key: "\(village)-000001", village: village, address: "x"
                    ).withPayload(#"{"village":"\#(Self.sibling)"}"#),
                    "内容的 village 却是 \(Self.sibling)"
                ),
                (
                    "an entity no rule names",
                    Change(
                        origin: village, originSequence: 1,
                        clock: HybridLogicalClock(milliseconds: Self.now(), counter: 0),
                        channel: .registry, entity: "payment", key: "\(village)-1", jurisdiction: village, payload: "{}"
                    ),
                    "登记通道没有“payment”这类数据"
                ),
            ]
            try await cluster.asVillage { client in
                for (name, change, reason) in attacks {
                    do {
                        _ = try await client.push(
                            PushRequest(channel: .registry, changes: [change]), to: cluster.township)
                        Issue.record("\(name): accepted")
                    } catch let FederationError.refused(_, status, code, message) {
                        #expect(status == 403, "\(name)")
                        #expect(code?.status == 403, "\(name): \(String(describing: code))")
                        #expect(message.contains(reason), "\(name): \(message)")
                    }
                }
            }
            #expect(
                try await township.changeLog.row(channel: .registry, entity: "household", key: siblingKey) == before)
            #expect(
                try await township.changeLog.row(
                    channel: .registry, entity: "household", key: "\(Self.otherCounty)-997271")
                    == nil)
            #expect(try await township.changeLog.lastSequence(origin: village, channel: .registry) == 0)
            #expect(try await township.changeLog.logCount(origin: village, channel: .registry) == 0)
            // The township's operators see it beside the child, and the city has the event.
            let contact = try await township.changeLog.peerContacts().first { $0.peer == village }
            #expect(contact?.lastError?.contains("拒绝了其联邦请求") == true)
            #expect(
                await eventually {
                    await Self.eventsAtCity(cluster, about: village).contains("\(cluster.township.code):not-owner")
                })
        }

        @Test func aForgedRepairAnInflatedSequenceAndAClockFarAheadAreRefused() async throws {
            let cluster = try await ChainCluster.running(withoutVillage: true)
            defer { cluster.stop() }
            let village = cluster.village.code
            let township = try cluster.database(cluster.township)
            let own = Self.household(
                origin: village, sequence: 1, key: "\(village)-000001", village: village, address: "董北村 1 号")
            try await cluster.asVillage { client in
                _ = try await client.push(PushRequest(channel: .registry, changes: [own]), to: cluster.township)

                // A repair may not carry a row the village does not own.
                let forged = Self.household(
                    origin: village, sequence: 1, key: "\(Self.sibling)-000002", village: Self.sibling,
                    address: "伪造")
                await #expect(throws: FederationError.self) {
                    _ = try await client.repair(
                        RowPage(channel: .registry, after: nil, through: nil, rows: [own, forged], progress: []),
                        at: cluster.township)
                }
                // Nor may it "repair" a policy version into its parent.
                let policy = Change(
                    origin: cluster.city.code, originSequence: 9,
                    clock: HybridLogicalClock(milliseconds: Self.now(), counter: 0), channel: .policy,
                    entity: "policyVersion", key: "forged", jurisdiction: cluster.city.code, payload: "{}")
                await #expect(throws: FederationError.self) {
                    _ = try await client.repair(
                        RowPage(channel: .policy, after: nil, through: nil, rows: [policy], progress: []),
                        at: cluster.township)
                }
                // A repair claiming sequence 1,000,000 moves nothing: later genuine changes still count.
                let inflated = Self.household(
                    origin: village, sequence: 1_000_000, key: "\(village)-000001", village: village, address: "改")
                _ = try await client.repair(
                    RowPage(
                        channel: .registry, after: nil, through: nil, rows: [inflated],
                        progress: [OriginProgress(origin: village, lastSequence: 1_000_000)]),
                    at: cluster.township)
                #expect(try await township.changeLog.lastSequence(origin: village, channel: .registry) == 1)
                let row = try await township.changeLog.row(
                    channel: .registry, entity: "household", key: "\(village)-000001")
                #expect(row?.originSequence == 1 && row?.payload == own.payload)
                let second = Self.household(
                    origin: village, sequence: 2, key: "\(village)-000002", village: village, address: "董北村 2 号")
                let outcome = try await client.push(
                    PushRequest(channel: .registry, changes: [second]), to: cluster.township)
                #expect(outcome.applied == 1 && outcome.skipped == 0)

                // A change stamped a day ahead is refused, and the township's clock stays where it was.
                let clockBefore = try await township.changeLog.currentClock()
                let ahead = Self.household(
                    origin: village, sequence: 3, key: "\(village)-000003", village: village, address: "x",
                    clock: Self.now() + 86_400_000)
                do {
                    _ = try await client.push(PushRequest(channel: .registry, changes: [ahead]), to: cluster.township)
                    Issue.record("a clock a day ahead was accepted")
                } catch let FederationError.refused(_, status, code, message) {
                    #expect(status == 403)
                    #expect(code == .clockAhead)
                    #expect(message.contains("超过允许的 600 秒"), "\(message)")
                }
                #expect(try await township.changeLog.currentClock().milliseconds < Self.now() + 60_000)
                #expect(try await township.changeLog.currentClock() >= clockBefore)
                #expect(try await township.changeLog.lastSequence(origin: village, channel: .registry) == 2)
            }
            let reported = await eventually {
                let kinds = await Self.eventsAtCity(cluster, about: village)
                return kinds.isSuperset(of: [
                    "\(cluster.township.code):not-owner", "\(cluster.township.code):wrong-direction",
                    "\(cluster.township.code):clock-ahead",
                ])
            }
            #expect(reported)
        }
    }
}

extension Change {
    /// The same change with another payload.
    func withPayload(_ payload: String?) -> Change {
        Change(
            origin: origin, originSequence: originSequence, clock: clock, channel: channel, entity: entity, key: key,
            jurisdiction: jurisdiction, payload: payload)
    }
}
