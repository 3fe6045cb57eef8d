import Foundation

/// A hub `version:` requirement as dbt writes it: `1.3.3`, `">=1.0.0"`, `"<2.0.0"`, or a list of them
/// (all must hold). Used to check that a hub package already in `dbt_packages/` fits what is declared.
struct VersionRequirement: Equatable {
    enum Op: String { case eq = "=", ge = ">=", gt = ">", le = "<=", lt = "<" }
    var op: Op
    var version: [Int]

    /// Parses one requirement; nil when it is not `[op]major[.minor[.patch]]`.
    init?(_ text: String) {
        var s = Substring(text.trimmingCharacters(in: .whitespaces))
        var op = Op.eq
        for candidate in [Op.ge, .le, .gt, .lt, .eq] where s.hasPrefix(candidate.rawValue) {
            op = candidate
            s = s.dropFirst(candidate.rawValue.count)
            break
        }
        guard let v = VersionRequirement.parse(String(s).trimmingCharacters(in: .whitespaces)) else { return nil }
        self.op = op
        self.version = v
    }

    /// `1.3.3` as [1, 3, 3]; a pre-release or build suffix (`-b1`, `+x`) is dropped; missing parts are 0.
    static func parse(_ text: String) -> [Int]? {
        let core = text.split(whereSeparator: { $0 == "-" || $0 == "+" }).first.map(String.init) ?? ""
        let parts = core.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...3).contains(parts.count), parts.allSatisfy({ $0 != nil }) else { return nil }
        return (parts.map { $0! } + [0, 0]).prefix(3).map { $0 }
    }

    /// Whether `candidate` (e.g. an installed package's `version:`) satisfies this requirement.
    func isSatisfied(by candidate: [Int]) -> Bool {
        let c = candidate.lexicographicallyPrecedes(version) ? -1 : (candidate == version ? 0 : 1)
        switch op {
        case .eq: return c == 0
        case .ge: return c >= 0
        case .gt: return c > 0
        case .le: return c <= 0
        case .lt: return c < 0
        }
    }
}

