import PostgresClient
/// Exact decimal unit conversion on text, with PostgreSQL `numeric` multiplication's result scale.
///
/// `251.33` lb × `0.45359237` gives `114.0013703521` (scale 2 + 8), exactly what
/// `251.33::numeric * 0.45359237` returns, so the loader can stream converted values with COPY.
struct ExactDecimal {
    /// The factor's digits as an integer and its number of decimals (`0.45359237` → 45359237, 8).
    let mantissa: UInt64
    let scale: Int

    /// Reads a plain decimal factor such as `0.45359237`, `1609.344` or `1000`.
    init?(_ text: String) {
        var m: UInt64 = 0, s = 0, dot = false
        for b in text.utf8 {
            if b == 0x2E, !dot { dot = true; continue }
            guard b >= 0x30, b <= 0x39, m < UInt64.max / 100 else { return nil }
            m = m * 10 + UInt64(b - 0x30)
            if dot { s += 1 }
        }
        mantissa = m
        scale = s
    }

    /// True for the factor 1 (values pass through unchanged).
    var isOne: Bool { mantissa == 1 && scale == 0 }

    /// Appends `value × factor` to `out` as decimal text; `value` is a plain decimal (see
    /// ``FieldParsing/decimal(_:)``): optional sign, digits, at most one point.
    func appendProduct<Sink: ByteSink>(of value: UnsafeBufferPointer<UInt8>, to out: inout Sink) {
        if isOne { out.append(contentsOf: value); return }
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: value.count + 24) { digits in
            var n = 0                                                // digits, least significant first
            var negative = false
            var valueScale = 0, dot = false
            for b in value.reversed() {
                if b >= 0x30, b <= 0x39 { digits[n] = UInt64(b - 0x30); n += 1; if !dot { valueScale += 1 } }
                else if b == 0x2E { dot = true }
                else if b == 0x2D { negative = true }
            }
            if !dot { valueScale = 0 }
            var carry: UInt64 = 0
            for i in 0..<n {
                let v = digits[i] * mantissa + carry
                digits[i] = v % 10
                carry = v / 10
            }
            while carry > 0 { digits[n] = carry % 10; carry /= 10; n += 1 }
            let resultScale = valueScale + scale
            while n <= resultScale { digits[n] = 0; n += 1 }
            var top = n - 1
            while top > resultScale, digits[top] == 0 { top -= 1 }
            if negative { out.append(0x2D) }
            var i = top
            while i >= 0 {
                if i == resultScale - 1 { out.append(0x2E) }
                out.append(UInt8(digits[i]) + 0x30)
                i -= 1
            }
        }
    }
}
