/// Lower-case hex encoding of digests (String(format:) is far too slow for one call per workout).
enum Hex {
    static func lowercase<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits: StaticString = "0123456789abcdef"
        let input = Array(bytes)
        return String(unsafeUninitializedCapacity: input.count * 2) { out in
            digits.withUTF8Buffer { table in
                for i in input.indices {
                    out[2 * i] = table[Int(input[i] >> 4)]
                    out[2 * i + 1] = table[Int(input[i] & 0x0F)]
                }
            }
            return input.count * 2
        }
    }
}
