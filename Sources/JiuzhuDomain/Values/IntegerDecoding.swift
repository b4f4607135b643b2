// Foundation's JSONDecoder reports a number that no integer type holds (2⁶³, 1.5, 1e400) as an
// internal error that surfaces as "not valid JSON" with an empty path, so a refusal would
// name no field. These decode integers and put the field's path and a Chinese reason on it.

extension SingleValueDecodingContainer {
    /// An integer; a number `T` cannot hold is a data error at this value's path.
    public func decodeInteger<T: FixedWidthInteger & Decodable>(_ type: T.Type) throws -> T {
        do { return try decode(T.self) } catch let error as DecodingError { throw error } catch {
            throw DecodingError.dataCorruptedError(in: self, debugDescription: integerProblem(T.self))
        }
    }
}

extension KeyedDecodingContainer {
    /// A required integer field; a number `T` cannot hold is a data error at the field.
    public func decodeInteger<T: FixedWidthInteger & Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        do { return try decode(T.self, forKey: key) } catch let error as DecodingError { throw error } catch {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: integerProblem(T.self))
        }
    }

    /// An optional integer field (nil when absent or null), refused like ``decodeInteger(_:forKey:)``.
    public func decodeIntegerIfPresent<T: FixedWidthInteger & Decodable>(_ type: T.Type, forKey key: Key) throws
        -> T?
    {
        do { return try decodeIfPresent(T.self, forKey: key) } catch let error as DecodingError { throw error } catch {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: integerProblem(T.self))
        }
    }
}

private func integerProblem<T: FixedWidthInteger>(_ type: T.Type) -> String {
    "不是可用的整数：应为 \(T.min) 到 \(T.max) 之间、不带小数和指数的整数"
}
