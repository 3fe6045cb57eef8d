import Foundation

/// A linear map from a data domain onto a pixel range (the y axis, or dates as day numbers on the x axis).
struct LinearScale: Sendable, Equatable {
    var domain: (low: Double, high: Double)
    var range: (low: Double, high: Double)

    init(domain: (Double, Double), range: (Double, Double)) {
        self.domain = (domain.0, domain.1)
        self.range = (range.0, range.1)
    }

    /// The pixel position of `value`; a zero-width domain maps to the middle of the range.
    func callAsFunction(_ value: Double) -> Double {
        let span = domain.high - domain.low
        guard span != 0 else { return (range.low + range.high) / 2 }
        return range.low + (value - domain.low) / span * (range.high - range.low)
    }

    static func == (a: LinearScale, b: LinearScale) -> Bool {
        a.domain == b.domain && a.range == b.range
    }
}

/// "Nice" axis ticks: steps of 1, 2, 2.5 or 5 times a power of ten, covering the data.
public struct NiceTicks: Sendable, Equatable {
    /// The axis domain, widened to whole steps around the data.
    public let low: Double
    public let high: Double
    /// The distance between ticks.
    public let step: Double
    /// The tick values from `low` to `high`.
    public let values: [Double]
    /// Decimals needed to print every tick distinctly.
    public let decimals: Int

    /// About `count` ticks (at least 2) over `min...max`; an empty or one-value range gets a unit-wide domain around it.
    public init(min: Double, max: Double, count: Int = 5) {
        var lo = Swift.min(min, max), hi = Swift.max(min, max)
        if !lo.isFinite || !hi.isFinite { lo = 0; hi = 1 }
        if lo == hi {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad; hi += pad
        }
        // The smallest round step giving at most count + 1 ticks over the data.
        let raw = (hi - lo) / Double(Swift.max(count - 1, 1))
        let power = pow10(Int(Foundation.log10(raw).rounded(.down)))
        var step = power * 100, start = 0.0, end = 0.0
        for multiple in [1, 2, 2.5, 5, 10, 20, 25, 50, 100] {
            let candidate = multiple * power
            let s0 = (lo / candidate).rounded(.down) * candidate, e0 = (hi / candidate).rounded(.up) * candidate
            if Int(((e0 - s0) / candidate).rounded()) + 1 <= count + 1 { step = candidate; start = s0; end = e0; break }
        }
        if end == start { start = (lo / step).rounded(.down) * step; end = (hi / step).rounded(.up) * step }
        var values: [Double] = []
        var i = 0
        while true {
            let v = start + Double(i) * step
            if v > end + step / 2 { break }
            values.append(abs(v) < step * 1e-9 ? 0 : v)
            i += 1
        }
        self.low = start
        self.high = end
        self.step = step
        self.values = values
        var d = 0
        while d < 6 && abs((step * pow10(d)).rounded() - step * pow10(d)) > 1e-6 { d += 1 }
        self.decimals = d
    }
}

/// 10 to the power `n`.
func pow10(_ n: Int) -> Double { pow(10, Double(n)) }
