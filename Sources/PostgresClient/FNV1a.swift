/// FNV-1a, 64 bits: the project's one non-cryptographic hash (advisory lock keys, migration checksums).
public enum FNV1a {
    /// The 64-bit FNV-1a hash of the UTF-8 bytes of `text`.
    public static func hash(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    /// The hash of `text` as a signed bigint, the form `pg_advisory_lock` takes.
    public static func advisoryKey(_ text: String) -> Int64 { Int64(bitPattern: hash(text)) }
}
