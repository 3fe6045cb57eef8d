import FitLoader
import Foundation

/// The fuzz tests' generator: the project's SplitMix64, so a fuzz run is reproduced from its seed.
typealias SplitMix64 = SeededRandom

/// How long each fuzz test runs, from the environment (`make fuzz` sets them; `make test` uses the short defaults).
///
/// - `FITDATA_FUZZ_ITERATIONS`: executions per fuzz test (default: the test's short count);
/// - `FITDATA_FUZZ_SECONDS`: run each test for this long instead;
/// - `FITDATA_FUZZ_SEED`: the seed (default 1; printed, so a finding can be replayed).
enum FuzzBudget {
    /// Calls `body(generator, i)` for each execution and prints how many ran.
    static func run(_ name: String, shortIterations: Int, _ body: (inout SplitMix64, Int) throws -> Void) rethrows {
        let env = ProcessInfo.processInfo.environment
        let seed = env["FITDATA_FUZZ_SEED"].flatMap { UInt64($0) } ?? 1
        let seconds = env["FITDATA_FUZZ_SECONDS"].flatMap { Double($0) }
        let iterations = env["FITDATA_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? (seconds == nil ? shortIterations : Int.max)
        var rng = SplitMix64(state: seed ^ UInt64(truncatingIfNeeded: name.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) }))
        let started = Date()
        var done = 0
        while done < iterations {
            if let seconds, done % 64 == 0, Date().timeIntervalSince(started) >= seconds { break }
            try body(&rng, done)
            done += 1
        }
        print("fuzz \(name): \(done) executions in \(String(format: "%.1f", Date().timeIntervalSince(started))) s (seed \(seed))")
    }
}

extension Array where Element == UInt8 {
    /// A random mutation of these bytes (flip, insert a byte CSV and UTF-8 care about, delete, duplicate, truncate).
    func mutated(_ rng: inout SplitMix64, times: Int) -> [UInt8] {
        let special: [UInt8] = [0x2C, 0x22, 0x0A, 0x0D, 0x00, 0xFF, 0xC3, 0xE2, 0xED, 0xF0, 0x80, 0x20, 0x3A, 0x2E]
        var b = self
        for _ in 0..<times {
            let at = b.isEmpty ? 0 : Int.random(in: 0..<b.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !b.isEmpty: b[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            case 1: b.insert(special.randomElement(using: &rng)!, at: at)
            case 2 where !b.isEmpty: b.removeSubrange(at..<Swift.min(b.count, at + Int.random(in: 1...8, using: &rng)))
            case 3 where !b.isEmpty:
                let end = Swift.min(b.count, at + Int.random(in: 1...64, using: &rng))
                b.insert(contentsOf: b[at..<end], at: Int.random(in: 0...b.count, using: &rng))
            case 4 where !b.isEmpty: b.removeSubrange(at...)
            default: b.insert(UInt8.random(in: 0...255, using: &rng), at: at)
            }
        }
        return b
    }
}
