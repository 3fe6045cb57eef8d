/// What makes a field's bytes unloadable as PostgreSQL text.
public enum EncodingProblem: Sendable, Equatable {
    /// A NUL byte (PostgreSQL text cannot hold one).
    case nul
    /// Bytes that are not UTF-8 (the database encoding).
    case invalidUTF8

    /// The reject reason for `field`.
    public func reason(field: String) -> String {
        switch self {
        case .nul: return "\(field) contains a NUL byte"
        case .invalidUTF8: return "\(field) is not valid UTF-8"
        }
    }
}

/// UTF-8 validation on raw bytes, as RFC 3629 defines it (no overlong forms, no surrogates, nothing past U+10FFFF).
public enum UTF8Check {
    /// The offset of the first byte that does not start a valid UTF-8 sequence, or nil when all of `bytes` is valid.
    ///
    /// ASCII is skipped eight bytes at a time, so an English export costs one load and test per word.
    public static func firstInvalid(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let p = bytes.baseAddress else { return nil }
        let n = bytes.count
        var i = 0
        while i < n {
            while i + 8 <= n, UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            guard i < n else { break }
            let b = p[i]
            if b < 0x80 { i += 1; continue }
            func continuation(_ k: Int) -> Bool { i + k < n && p[i + k] & 0xC0 == 0x80 }
            switch b {
            case 0xC2...0xDF:
                guard continuation(1) else { return i }
                i += 2
            case 0xE0...0xEF:
                guard continuation(1), continuation(2) else { return i }
                let b1 = p[i + 1]
                if b == 0xE0, b1 < 0xA0 { return i }                         // overlong
                if b == 0xED, b1 >= 0xA0 { return i }                        // UTF-16 surrogate
                i += 3
            case 0xF0...0xF4:
                guard continuation(1), continuation(2), continuation(3) else { return i }
                let b1 = p[i + 1]
                if b == 0xF0, b1 < 0x90 { return i }                         // overlong
                if b == 0xF4, b1 >= 0x90 { return i }                        // past U+10FFFF
                i += 4
            default:
                return i                                                      // continuation byte, C0, C1, F5–FF
            }
        }
        return nil
    }
}
