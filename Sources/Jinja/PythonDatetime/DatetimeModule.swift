/// The host's clock and local time zone, as Python's `datetime` module sees them (`now()`, `today()`, `timestamp()`,
/// `astimezone()`); hosts pass a fixed clock for reproducible output.
public struct LocalZone: @unchecked Sendable {
    /// Microseconds since 1970-01-01 00:00 UTC, now.
    let now: () -> Int
    /// The local UTC offset in seconds and the zone's abbreviation at an instant (microseconds since 1970, UTC).
    let offsetAt: (Int) -> (seconds: Int, name: String)

    /// - Parameters:
    ///   - now: microseconds since 1970-01-01 00:00 UTC, read at each `now()` / `today()` / `utcnow()`.
    ///   - offsetAt: the local zone's UTC offset (seconds) and abbreviation at an instant given in microseconds since 1970.
    public init(now: @escaping () -> Int, offsetAt: @escaping (Int) -> (seconds: Int, name: String)) {
        self.now = now
        self.offsetAt = offsetAt
    }

    /// 1970-01-01 00:00 in the module's microseconds since 0001-01-01.
    static let epochMicros = 719_163 * CivilTime.microsPerDay

    /// The offset in force at a naive local time.
    func offset(localMicros: Int) -> Int {
        let guess = offsetAt(localMicros - Self.epochMicros).seconds
        return offsetAt(localMicros - Self.epochMicros - guess * CivilTime.microsPerSecond).seconds
    }

    /// The fixed-offset zone in force at a UTC instant (module microseconds), named by its abbreviation.
    func timezone(utcMicros: Int) -> PyTimezone {
        let (s, n) = offsetAt(utcMicros - Self.epochMicros)
        return PyTimezone(offsetSeconds: s, name: n)
    }

    /// The current local wall time (module microseconds).
    var localNow: Int {
        let utc = Self.epochMicros + now()
        return utc + offsetAt(utc - Self.epochMicros).seconds * CivilTime.microsPerSecond
    }
}

/// Python's `datetime` module for templates (dbt's `modules.datetime`): the types `datetime`, `date`, `time`,
/// `timedelta` and `timezone` with the constructors and class methods dbt projects call.
public enum PythonDatetime {
    /// The module object.
    public static func module(_ zone: LocalZone) -> Value {
        .object(ModuleObject([
            ("datetime", .object(TypeObject("datetime") { try datetime($0, zone) } attributes: { datetimeClassMethod($0, zone) })),
            ("date", .object(TypeObject("date") { try date($0) } attributes: { dateClassMethod($0, zone) })),
            ("timedelta", .object(TypeObject("timedelta") { try timedelta($0) } attributes: { _ in nil })),
            ("timezone", .object(TypeObject("timezone") { try timezone($0) } attributes: { $0 == "utc" ? .object(TimezoneObject(.utc)) : nil })),
            ("MINYEAR", .int(1)), ("MAXYEAR", .int(9999)),
        ]))
    }

    /// An aware UTC `datetime` for an instant given in microseconds since 1970 (dbt's `run_started_at`).
    public static func utcDatetime(unixMicros: Int, zone: LocalZone) -> Value {
        .object(DateTimeObject((try? PyDateTime(local: LocalZone.epochMicros + unixMicros, tz: .utc))!, localZone: zone))
    }

    /// `datetime(year, month, day, hour=0, minute=0, second=0, microsecond=0, tzinfo=None)`.
    static func datetime(_ args: Arguments, _ zone: LocalZone) throws -> Value {
        try args.check("datetime", max: 8, names: ["year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo"])
        var f: [Int] = []
        for (i, n) in ["year", "month", "day"].enumerated() {
            guard args.value(i, n) != nil else { throw PyError.type("function missing required argument '\(n)' (pos \(i + 1))") }
            f.append(try DatetimeArgs.int(args, i, n, 0))
        }
        for (i, n) in ["hour", "minute", "second", "microsecond"].enumerated() { f.append(try DatetimeArgs.int(args, i + 3, n, 0)) }
        return .object(DateTimeObject(try PyDateTime(f[0], f[1], f[2], f[3], f[4], f[5], f[6], tz: try tzArgument(args.value(7, "tzinfo"))), localZone: zone))
    }

    /// `date(year, month, day)`.
    static func date(_ args: Arguments) throws -> Value {
        try args.check("date", max: 3, names: ["year", "month", "day"])
        var f: [Int] = []
        for (i, n) in ["year", "month", "day"].enumerated() {
            guard args.value(i, n) != nil else { throw PyError.type("function missing required argument '\(n)' (pos \(i + 1))") }
            f.append(try DatetimeArgs.int(args, i, n, 0))
        }
        return .object(DateObject(try PyDate(f[0], f[1], f[2])))
    }

    /// `timedelta(days=0, seconds=0, microseconds=0, milliseconds=0, minutes=0, hours=0, weeks=0)`; floats allowed.
    static func timedelta(_ args: Arguments) throws -> Value {
        let units: [(String, Int)] = [("days", CivilTime.microsPerDay), ("seconds", 1_000_000), ("microseconds", 1), ("milliseconds", 1000),
                                      ("minutes", 60_000_000), ("hours", 3_600_000_000), ("weeks", 7 * CivilTime.microsPerDay)]
        try args.check("timedelta", max: 7, names: units.map(\.0))
        var exact = 0
        var fractional = 0.0
        for (i, (name, unit)) in units.enumerated() {
            switch args.value(i, name) {
            case nil: continue
            case .int(let n)?:
                let (p, o1) = n.multipliedReportingOverflow(by: unit)
                let (sum, o2) = exact.addingReportingOverflow(p)
                if o1 || o2 { throw PyError.overflow("timedelta \(name)=\(n) is out of range") }
                exact = sum
            case .bool(let b)?: exact += b ? unit : 0
            case .double(let d)?: fractional += d * Double(unit)
            case let v?: throw PyError.type("unsupported type for timedelta \(name) component: \(v.typeName)")
            }
        }
        guard abs(fractional) < 9e18 else { throw PyError.overflow("timedelta is out of range") }
        let (total, overflow) = exact.addingReportingOverflow(CivilTime.roundHalfEven(fractional))
        if overflow { throw PyError.overflow("timedelta is out of range") }
        return try TimedeltaObject.make(total)
    }

    /// `timezone(offset, name=None)`.
    static func timezone(_ args: Arguments) throws -> Value {
        try args.check("timezone", max: 2, names: ["offset", "name"])
        guard case .object(let td as TimedeltaObject)? = args.value(0, "offset") else {
            throw PyError.type("timezone() argument 1 must be datetime.timedelta")
        }
        guard abs(td.value.micros) < CivilTime.microsPerDay else {
            throw PyError.value("offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24), not \(td.value.repr).")
        }
        return .object(TimezoneObject(PyTimezone(offsetSeconds: CivilTime.floorDiv(td.value.micros, 1_000_000), name: args.value(1, "name")?.stringValue)))
    }

    private static func tzArgument(_ v: Value?) throws -> PyTimezone? {
        switch v {
        case nil, .none?: return nil
        case .object(let o as TimezoneObject)?: return o.value
        case let v?: throw PyError.type("tzinfo argument must be None or of a tzinfo subclass, not type '\(v.typeName)'")
        }
    }

    /// A Unix timestamp argument in module microseconds (UTC).
    private static func timestampArgument(_ v: Value?) throws -> Int {
        switch v {
        case .int(let i)?: return LocalZone.epochMicros + i * 1_000_000
        case .double(let d)?: return LocalZone.epochMicros + CivilTime.roundHalfEven(d * 1e6)
        default: throw PyError.type("'\(v?.typeName ?? "nothing")' object cannot be interpreted as a timestamp")
        }
    }

    /// `datetime.now(tz=None)`, `utcnow()`, `today()`, `strptime(s, f)`, `fromisoformat(s)`, `fromtimestamp(t, tz=None)`,
    /// `utcfromtimestamp(t)`, `combine(date, time)`.
    static func datetimeClassMethod(_ name: String, _ zone: LocalZone) -> Value? {
        func wrap(_ v: PyDateTime) -> Value { .object(DateTimeObject(v, localZone: zone)) }
        func at(utc: Int, _ tzValue: Value?) throws -> Value {
            if let tz = try tzArgument(tzValue) { return wrap(try PyDateTime(local: utc + tz.offsetSeconds * 1_000_000, tz: tz)) }
            return wrap(try PyDateTime(local: utc + zone.timezone(utcMicros: utc).offsetSeconds * 1_000_000, tz: nil))
        }
        switch name {
        case "now": return .function(name) { args in try at(utc: LocalZone.epochMicros + zone.now(), args.value(0, "tz")) }
        case "today": return .function(name) { _ in wrap(try PyDateTime(local: zone.localNow, tz: nil)) }
        case "utcnow": return .function(name) { _ in wrap(try PyDateTime(local: LocalZone.epochMicros + zone.now(), tz: nil)) }
        case "fromtimestamp": return .function(name) { args in try at(utc: try timestampArgument(args.value(0, "timestamp")), args.value(1, "tz")) }
        case "utcfromtimestamp":
            return .function(name) { args in wrap(try PyDateTime(local: try timestampArgument(args.value(0, "timestamp")), tz: nil)) }
        case "strptime":
            return .function(name) { args in
                guard case .string(let s)? = args.value(0, "date_string"), case .string(let f)? = args.value(1, "format") else {
                    throw PyError.type("strptime() argument 1 must be str")
                }
                return wrap(try DatetimeFormat.strptime(s, f))
            }
        case "fromisoformat":
            return .function(name) { args in
                guard case .string(let s)? = args.value(0, "date_string") else { throw PyError.type("fromisoformat: argument must be str") }
                return wrap(try DatetimeFormat.isoDateTime(s))
            }
        case "combine":
            return .function(name) { args in
                guard case .object(let d as DateObject)? = args.value(0, "date") else { throw PyError.type("combine() argument 1 must be datetime.date") }
                var local = d.value.ordinal * CivilTime.microsPerDay
                var tz: PyTimezone?
                if case .object(let t as TimeObject)? = args.value(1, "time") {
                    local += t.value.local % CivilTime.microsPerDay
                    tz = t.value.tz
                }
                if let z = args.value(2, "tzinfo") { tz = try tzArgument(z) }
                return wrap(try PyDateTime(local: local, tz: tz))
            }
        default: return nil
        }
    }

    /// `date.today()`, `date.fromisoformat(s)`, `date.fromordinal(n)`, `date.fromtimestamp(t)`.
    static func dateClassMethod(_ name: String, _ zone: LocalZone) -> Value? {
        switch name {
        case "today": return .function(name) { _ in .object(DateObject(try PyDate(ordinal: zone.localNow / CivilTime.microsPerDay))) }
        case "fromisoformat":
            return .function(name) { args in
                guard case .string(let s)? = args.value(0, "date_string") else { throw PyError.type("fromisoformat: argument must be str") }
                return .object(DateObject(try DatetimeFormat.isoDate(s)))
            }
        case "fromordinal":
            return .function(name) { args in .object(DateObject(try PyDate(ordinal: try DatetimeArgs.int(args, 0, "n", 0)))) }
        case "fromtimestamp":
            return .function(name) { args in
                let utc = try timestampArgument(args.value(0, "timestamp"))
                let local = utc + zone.timezone(utcMicros: utc).offsetSeconds * 1_000_000
                return .object(DateObject(try PyDate(ordinal: local / CivilTime.microsPerDay)))
            }
        default: return nil
        }
    }
}

/// A class of the module: callable (the constructor) with class attributes (`datetime.now`, `timezone.utc`).
final class TypeObject: CallableJinjaObject {
    let name: String
    let construct: (Arguments) throws -> Value
    let attributes: (String) -> Value?
    init(_ name: String, _ construct: @escaping (Arguments) throws -> Value, attributes: @escaping (String) -> Value?) {
        self.name = name
        self.construct = construct
        self.attributes = attributes
    }
    var typeName: String { "type" }
    var stringValue: String { "<class 'datetime.\(name)'>" }
    func call(_ args: Arguments) throws -> Value { try construct(args) }
    func attribute(_ name: String) -> Value? { attributes(name) }
}

/// The module object: `<module 'datetime'>` with its names.
final class ModuleObject: JinjaObject {
    let names: [String: Value]
    init(_ pairs: [(String, Value)]) { names = Dictionary(pairs, uniquingKeysWith: { a, _ in a }) }
    var typeName: String { "module" }
    var stringValue: String { "<module 'datetime'>" }
    func attribute(_ name: String) -> Value? { names[name] }
}
