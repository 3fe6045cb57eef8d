/// A small deterministic generator (SplitMix64): the same seed always gives the same athlete, fuzz run
/// or property-test history (the tests use it too, so a finding is replayed from its seed).
public struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    /// The sample's generator for `seed`.
    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    /// A generator whose internal state starts at `state` (SplitMix64 as published).
    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }

    /// A value in `0..<n` (0 when `n` ≤ 1).
    public mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

    /// One of `items` (not empty).
    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

extension SeededRandom {
    /// A generator for the stream named by `parts` (e.g. seed, athlete, week): each part is mixed in
    /// through SplitMix64, so a stream depends on its own key only, never on how many others are drawn.
    public static func keyed(_ parts: UInt64...) -> SeededRandom {
        var h: UInt64 = 0x243F_6A88_85A3_08D3
        for p in parts { var g = SeededRandom(state: h ^ p); h = g.next() }
        return SeededRandom(state: h)
    }

    /// A value uniformly in `range`.
    mutating func uniform(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &self) }
}
