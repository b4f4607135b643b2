import JiuzhuDomain
import JiuzhuPolicy

/// A household's assets as the registry stores them: deposits, vehicles and dwellings.
///
/// The registry's own type, not the calculator's `HouseholdSituation.Assets`, so that a
/// change to the calculator's request format does not change the payload every node stores
/// and replicates. Stored format version 1 (``HouseholdRecord/storedFormatVersion``) writes
/// `{"deposits":…,"housingUnits":…,"vehicles":[…]}`, every key always present; a payload
/// without one of them reads as nothing owned. ``HouseholdRecord/situation`` turns it into the
/// calculator's input.
public struct StoredAssets: Codable, Hashable, Sendable {
    /// Bank deposits, securities and other money assets (货币财产), in fen.
    public var deposits: Fen
    /// Motor vehicles owned by members.
    public var vehicles: [StoredVehicle]
    /// Number of dwellings owned (住房套数).
    public var housingUnits: Int

    /// Creates an asset record; defaults to nothing owned.
    public init(deposits: Fen = .zero, vehicles: [StoredVehicle] = [], housingUnits: Int = 0) {
        self.deposits = deposits
        self.vehicles = vehicles
        self.housingUnits = housingUnits
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case deposits, vehicles, housingUnits }

    /// Decodes strictly, refusing what version 1 has always refused: an unknown key, a negative
    /// deposit or number of dwellings.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        deposits = try c.decodeIfPresent(Fen.self, forKey: .deposits) ?? .zero
        try c.require(deposits >= .zero, forKey: .deposits, "金额不能为负")
        vehicles = try c.decodeIfPresent([StoredVehicle].self, forKey: .vehicles) ?? []
        housingUnits = try c.decodeIntegerIfPresent(Int.self, forKey: .housingUnits) ?? 0
        try c.require(housingUnits >= 0, forKey: .housingUnits, "不能为负")
    }
}

/// A motor vehicle a member owns, as the registry stores it: `{"exempt":…,"value":…}`.
public struct StoredVehicle: Codable, Hashable, Sendable {
    /// Estimated value in fen.
    public var value: Fen
    /// A vehicle exempt from the asset test (残疾人功能性补偿代步车).
    public var exempt: Bool

    /// Creates a vehicle; not exempt unless said.
    public init(value: Fen, exempt: Bool = false) {
        self.value = value
        self.exempt = exempt
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case value, exempt }

    /// Decodes strictly; `exempt` absent reads as not exempt.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        value = try c.decode(Fen.self, forKey: .value)
        exempt = try c.decodeIfPresent(Bool.self, forKey: .exempt) ?? false
    }
}
