extension Decoder {
    /// Decodes a code such as "male" or "dibao", refusing an unknown one with the allowed list.
    ///
    /// Every code list in stored records and in the calculator's input decodes through this, so
    /// a misspelt code is refused with the same Chinese message wherever it appears.
    public func decodeCode<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws -> T where T.RawValue == String {
        let container = try singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: "、")
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "“\(text)”不是可用的值（可用：\(allowed)）")
        }
        return value
    }
}
