extension KeyedDecodingContainer {
    /// Fails with a Chinese message at `key` unless `condition` holds, as the calculator's
    /// decoders do, so a stored record is refused with the same words it always was.
    func require(_ condition: Bool, forKey key: Key, _ message: @autoclosure () -> String) throws {
        guard condition else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: message())
        }
    }
}
