import Foundation

/// A freshness limit: `{count: 12, period: hour}`.
public struct FreshnessThreshold: Sendable, Equatable {
    /// dbt's periods.
    public enum Period: String, Sendable {
        case minute, hour, day

        var seconds: Double {
            switch self {
            case .minute: return 60
            case .hour: return 3600
            case .day: return 86400
            }
        }
    }

    public var count: Int
    public var period: Period

    /// The limit in seconds.
    public var seconds: Double { Double(count) * period.seconds }

    /// True when data `age` seconds old is past the limit (strictly, as dbt compares).
    public func exceeded(by age: Double) -> Bool { age > seconds }

    var json: ConfigValue { .dict([("count", .int(count)), ("period", .string(period.rawValue))]) }
}

/// A source table's `freshness:` block: `warn_after`, `error_after` and an optional `filter` (a SQL condition).
public struct FreshnessCriteria: Sendable, Equatable {
    public var warnAfter: FreshnessThreshold?
    public var errorAfter: FreshnessThreshold?
    public var filter: String?

    /// The status of data `age` seconds old: `error`, `warn` or `pass`.
    public func status(age: Double) -> String {
        if let e = errorAfter, e.exceeded(by: age) { return "error" }
        if let w = warnAfter, w.exceeded(by: age) { return "warn" }
        return "pass"
    }

    /// The `criteria` object of sources.json.
    var json: ConfigValue {
        let empty = ConfigValue.dict([("count", .null), ("period", .null)])
        return .dict([("warn_after", warnAfter?.json ?? empty), ("error_after", errorAfter?.json ?? empty),
                      ("filter", filter.map { .string($0) } ?? .null)])
    }

    /// Reads a merged `freshness:` value (source level with the table's over it, key by key, like dbt).
    /// Returns nil for `freshness: null` or when neither limit is set; malformed values are errors at `location`.
    static func parse(_ value: ConfigValue?, what: String, at location: SourceLocation) throws -> FreshnessCriteria? {
        guard let value, value != .null else { return nil }
        guard let pairs = value.dictValue else {
            throw ProjectError("\(what): `freshness` must be a mapping with warn_after / error_after, or null", at: location)
        }
        var c = FreshnessCriteria()
        for (k, v) in pairs {
            switch k {
            case "warn_after": c.warnAfter = try threshold(v, key: k, what: what, at: location)
            case "error_after": c.errorAfter = try threshold(v, key: k, what: what, at: location)
            case "filter":
                if v != .null {
                    guard let f = v.stringValue else { throw ProjectError("\(what): freshness `filter` must be a SQL condition", at: location) }
                    c.filter = f
                }
            default:
                throw ProjectError("\(what): unknown key `\(k)` in freshness (warn_after, error_after, filter)", at: location)
            }
        }
        return c.warnAfter == nil && c.errorAfter == nil ? nil : c
    }

    private static func threshold(_ v: ConfigValue, key: String, what: String, at location: SourceLocation) throws -> FreshnessThreshold? {
        if v == .null { return nil }
        guard v.dictValue != nil else { throw ProjectError("\(what): `\(key)` must be {count: N, period: minute|hour|day}", at: location) }
        let count = v["count"], period = v["period"]
        // dbt treats a threshold with neither value as unset.
        if (count == nil || count == .null) && (period == nil || period == .null) { return nil }
        guard case .int(let n)? = count, n >= 0 else {
            throw ProjectError("\(what): `\(key).count` must be a whole number, not \(count.map { $0.rendered } ?? "missing")", at: location)
        }
        guard let ps = period?.stringValue, let p = FreshnessThreshold.Period(rawValue: ps) else {
            throw ProjectError("\(what): `\(key).period` must be minute, hour or day, not \(period.map { $0.rendered } ?? "missing")", at: location)
        }
        return FreshnessThreshold(count: n, period: p)
    }
}
