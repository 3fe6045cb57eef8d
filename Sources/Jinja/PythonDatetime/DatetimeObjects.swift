/// Template values of Python's `datetime` module: `timedelta`, `timezone`, `date`, `datetime` and `time`, with Python's
/// attributes, methods, printing (`str()` / `repr()`), arithmetic and comparisons.
final class TimedeltaObject: OperandJinjaObject, ReprJinjaObject, HashableJinjaObject {
    let value: PyTimedelta
    init(_ value: PyTimedelta) { self.value = value }

    var typeName: String { "timedelta" }
    var stringValue: String { value.str }
    var reprValue: String { value.repr }
    var hashKey: String { String(value.micros) }

    func attribute(_ name: String) -> Value? {
        switch name {
        case "days": return .int(value.days)
        case "seconds": return .int(value.seconds)
        case "microseconds": return .int(value.microseconds)
        case "total_seconds": return .function(name) { [value] _ in .double(Double(value.micros) / 1e6) }
        default: return nil
        }
    }

    static func make(_ micros: Int) throws -> Value { .object(TimedeltaObject(try PyTimedelta(micros: micros))) }

    /// `a + b` in microseconds; past 64 bits is Python's OverflowError.
    static func sum(_ a: Int, _ b: Int) throws -> Int {
        let (r, overflow) = a.addingReportingOverflow(b)
        if overflow { throw PyError.overflow("date value out of range") }
        return r
    }

    func binary(_ op: String, _ other: Value, reflected: Bool) throws -> Value? {
        let a = value.micros
        switch (op, other) {
        case ("+", .object(let o as TimedeltaObject)): return try Self.make(try Self.sum(a, o.value.micros))
        case ("-", .object(let o as TimedeltaObject)): return try Self.make(reflected ? try Self.sum(o.value.micros, -a) : try Self.sum(a, -o.value.micros))
        case ("*", .int(let n)):
            let (p, overflow) = a.multipliedReportingOverflow(by: n)
            if overflow { throw PyError.overflow("Python int too large to convert to C int") }
            return try Self.make(p)
        case ("*", .double(let x)): return try Self.make(CivilTime.roundHalfEven(Double(a) * x))
        case ("/", .object(let o as TimedeltaObject)) where !reflected:
            guard o.value.micros != 0 else { throw JinjaError.runtime("ZeroDivisionError: division by zero") }
            return .double(Double(a) / Double(o.value.micros))
        case ("/", .int(let n)) where !reflected:
            guard n != 0 else { throw JinjaError.runtime("ZeroDivisionError: division by zero") }
            return try Self.make(CivilTime.roundHalfEven(Double(a) / Double(n)))
        case ("/", .double(let x)) where !reflected:
            guard x != 0 else { throw JinjaError.runtime("ZeroDivisionError: division by zero") }
            return try Self.make(CivilTime.roundHalfEven(Double(a) / x))
        case ("//", .object(let o as TimedeltaObject)) where !reflected:
            guard o.value.micros != 0 else { throw JinjaError.runtime("ZeroDivisionError: integer division or modulo by zero") }
            return .int(CivilTime.floorDiv(a, o.value.micros))
        case ("//", .int(let n)) where !reflected:
            guard n != 0 else { throw JinjaError.runtime("ZeroDivisionError: integer division or modulo by zero") }
            return try Self.make(CivilTime.floorDiv(a, n))
        case ("%", .object(let o as TimedeltaObject)) where !reflected:
            guard o.value.micros != 0 else { throw JinjaError.runtime("ZeroDivisionError: integer division or modulo by zero") }
            return try Self.make(CivilTime.floorMod(a, o.value.micros))
        default: return nil
        }
    }

    func unary(_ op: String) throws -> Value? { op == "-" ? try Self.make(-value.micros) : .object(self) }

    func equals(_ other: Value) -> Bool {
        if case .object(let o as TimedeltaObject) = other { return o.value == value }
        return false
    }

    func less(_ other: Value, reflected: Bool) throws -> Bool? {
        guard case .object(let o as TimedeltaObject) = other else { return nil }
        return reflected ? o.value < value : value < o.value
    }
}

/// `datetime.timezone`: `timezone.utc`, `timezone(timedelta(hours=2))`.
final class TimezoneObject: ReprJinjaObject, HashableJinjaObject, OperandJinjaObject {
    let value: PyTimezone
    init(_ value: PyTimezone) { self.value = value }

    var typeName: String { "timezone" }
    var stringValue: String { value.str }
    var reprValue: String { value.repr }
    var hashKey: String { String(value.offsetSeconds) }

    func attribute(_ name: String) -> Value? {
        switch name {
        case "utcoffset": return .function(name) { [value] _ in try TimedeltaObject.make(value.offsetSeconds * CivilTime.microsPerSecond) }
        case "tzname": return .function(name) { [value] _ in .string(value.str) }
        case "dst": return .function(name) { _ in .none }
        default: return nil
        }
    }

    func binary(_ op: String, _ other: Value, reflected: Bool) throws -> Value? { nil }
    func unary(_ op: String) throws -> Value? { nil }
    func equals(_ other: Value) -> Bool {
        if case .object(let o as TimezoneObject) = other { return o.value.offsetSeconds == value.offsetSeconds }
        return false
    }
    func less(_ other: Value, reflected: Bool) throws -> Bool? { nil }
}

/// `datetime.date`.
final class DateObject: OperandJinjaObject, ReprJinjaObject, HashableJinjaObject {
    let value: PyDate
    init(_ value: PyDate) { self.value = value }

    var typeName: String { "date" }
    var stringValue: String { value.iso }
    var reprValue: String { value.repr }
    var hashKey: String { String(value.ordinal) }

    private var midnight: PyDateTime { (try? PyDateTime(local: value.ordinal * CivilTime.microsPerDay, tz: nil))! }

    func attribute(_ name: String) -> Value? {
        let (y, m, d) = value.ymd
        switch name {
        case "year": return .int(y)
        case "month": return .int(m)
        case "day": return .int(d)
        case "weekday": return .function(name) { [value] _ in .int(CivilTime.weekday(value.ordinal)) }
        case "isoweekday": return .function(name) { [value] _ in .int(CivilTime.weekday(value.ordinal) + 1) }
        case "toordinal": return .function(name) { [value] _ in .int(value.ordinal) }
        case "isocalendar":
            return .function(name) { [value] _ in
                let (iy, w, wd) = CivilTime.isoCalendar(value.ordinal)
                return .tuple([.int(iy), .int(w), .int(wd)])
            }
        case "isoformat": return .function(name) { [value] _ in .string(value.iso) }
        case "strftime":
            return .function(name) { [self] args in .string(DatetimeFormat.strftime(midnight, try DatetimeArgs.format(args))) }
        case "ctime": return .function(name) { [self] _ in .string(DatetimeFormat.strftime(midnight, "%c")) }
        case "replace":
            return .function(name) { [value] args in
                try args.check("replace", max: 3, names: ["year", "month", "day"])
                let (y, m, d) = value.ymd
                return .object(DateObject(try PyDate(try DatetimeArgs.int(args, 0, "year", y), try DatetimeArgs.int(args, 1, "month", m),
                                                     try DatetimeArgs.int(args, 2, "day", d))))
            }
        default: return nil
        }
    }

    func binary(_ op: String, _ other: Value, reflected: Bool) throws -> Value? {
        switch (op, other) {
        case ("+", .object(let td as TimedeltaObject)):
            return .object(DateObject(try PyDate(ordinal: value.ordinal + td.value.days)))
        case ("-", .object(let td as TimedeltaObject)) where !reflected:
            // Python subtracts the whole days only: date(2024, 3, 1) - timedelta(hours=1) is still 2024-03-01.
            return .object(DateObject(try PyDate(ordinal: value.ordinal - td.value.days)))
        case ("-", .object(let o as DateObject)):
            let days = reflected ? o.value.ordinal - value.ordinal : value.ordinal - o.value.ordinal
            return try TimedeltaObject.make(days * CivilTime.microsPerDay)
        default: return nil
        }
    }

    func unary(_ op: String) throws -> Value? { nil }

    func equals(_ other: Value) -> Bool {
        if case .object(let o as DateObject) = other { return o.value == value }
        return false
    }

    func less(_ other: Value, reflected: Bool) throws -> Bool? {
        switch other {
        case .object(let o as DateObject): return reflected ? o.value < value : value < o.value
        case .object(is DateTimeObject): throw PyError.type("can't compare datetime.datetime to datetime.date")
        default: return nil
        }
    }
}

/// `datetime.time`, as `datetime.time()` returns it: prints `HH:MM:SS[.ffffff]`.
final class TimeObject: JinjaObject {
    let value: PyDateTime
    init(_ value: PyDateTime) { self.value = value }
    var typeName: String { "time" }
    var stringValue: String { value.timeText }
    func attribute(_ name: String) -> Value? {
        let (h, mi, s, us) = value.time
        switch name {
        case "hour": return .int(h)
        case "minute": return .int(mi)
        case "second": return .int(s)
        case "microsecond": return .int(us)
        case "isoformat": return .function(name) { [value] _ in .string(value.timeText) }
        case "strftime": return .function(name) { [value] args in .string(DatetimeFormat.strftime(value, try DatetimeArgs.format(args))) }
        default: return nil
        }
    }
}

/// `datetime.datetime`.
final class DateTimeObject: OperandJinjaObject, ReprJinjaObject, HashableJinjaObject {
    let value: PyDateTime
    /// The local time zone (for `timestamp()` of a naive value and `astimezone()` without argument).
    let localZone: LocalZone
    init(_ value: PyDateTime, localZone: LocalZone) {
        self.value = value
        self.localZone = localZone
    }

    var typeName: String { "datetime" }
    var stringValue: String { value.iso(sep: " ") }
    var reprValue: String { value.repr }
    /// Naive and aware values are never equal (Python), so they never share a key.
    var hashKey: String { value.tz == nil ? "n\(value.local)" : "a\(value.utc)" }

    private func wrap(_ v: PyDateTime) -> Value { .object(DateTimeObject(v, localZone: localZone)) }

    func attribute(_ name: String) -> Value? {
        let v = value
        let (y, m, d) = v.ymd
        let (h, mi, s, us) = v.time
        switch name {
        case "year": return .int(y)
        case "month": return .int(m)
        case "day": return .int(d)
        case "hour": return .int(h)
        case "minute": return .int(mi)
        case "second": return .int(s)
        case "microsecond": return .int(us)
        case "tzinfo": return v.tz.map { .object(TimezoneObject($0)) } ?? Value.none
        case "date": return .function(name) { _ in .object(DateObject(v.date)) }
        case "time": return .function(name) { _ in .object(TimeObject(v)) }
        case "weekday": return .function(name) { _ in .int(CivilTime.weekday(v.ordinal)) }
        case "isoweekday": return .function(name) { _ in .int(CivilTime.weekday(v.ordinal) + 1) }
        case "toordinal": return .function(name) { _ in .int(v.ordinal) }
        case "isocalendar":
            return .function(name) { _ in
                let (iy, w, wd) = CivilTime.isoCalendar(v.ordinal)
                return .tuple([.int(iy), .int(w), .int(wd)])
            }
        case "isoformat":
            return .function(name) { args in
                try args.check("isoformat", max: 2, names: ["sep", "timespec"])
                return .string(v.iso(sep: args.value(0, "sep")?.pythonString ?? "T"))
            }
        case "strftime": return .function(name) { args in .string(DatetimeFormat.strftime(v, try DatetimeArgs.format(args))) }
        case "ctime": return .function(name) { _ in .string(DatetimeFormat.strftime(v, "%c")) }
        case "utcoffset":
            return .function(name) { _ in try v.tz.map { try TimedeltaObject.make($0.offsetSeconds * CivilTime.microsPerSecond) } ?? .none }
        case "tzname": return .function(name) { _ in v.tz.map { .string($0.str) } ?? .none }
        case "timestamp":
            return .function(name) { [localZone] _ in
                let utc = v.tz == nil ? v.local - localZone.offset(localMicros: v.local) * CivilTime.microsPerSecond : v.utc
                return .double(Double(utc - LocalZone.epochMicros) / 1e6)
            }
        case "astimezone":
            return .function(name) { [self, localZone] args in
                let utc = v.tz == nil ? v.local - localZone.offset(localMicros: v.local) * CivilTime.microsPerSecond : v.utc
                let tz: PyTimezone
                switch args.value(0, "tz") {
                case .object(let o as TimezoneObject)?: tz = o.value
                case nil, .none?: tz = localZone.timezone(utcMicros: utc)
                default: throw PyError.type("tzinfo argument must be None or of a tzinfo subclass, not type '\(args.value(0, "tz")!.typeName)'")
                }
                return wrap(try PyDateTime(local: utc + tz.offsetSeconds * CivilTime.microsPerSecond, tz: tz))
            }
        case "replace":
            return .function(name) { [self] args in
                try args.check("replace", max: 8, names: ["year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo"])
                var tz = v.tz
                switch args.value(7, "tzinfo") {
                case .object(let o as TimezoneObject)?: tz = o.value
                case .none?: tz = nil
                case nil: break
                default: throw PyError.type("tzinfo argument must be None or of a tzinfo subclass")
                }
                return wrap(try PyDateTime(try DatetimeArgs.int(args, 0, "year", y), try DatetimeArgs.int(args, 1, "month", m),
                                           try DatetimeArgs.int(args, 2, "day", d), try DatetimeArgs.int(args, 3, "hour", h),
                                           try DatetimeArgs.int(args, 4, "minute", mi), try DatetimeArgs.int(args, 5, "second", s),
                                           try DatetimeArgs.int(args, 6, "microsecond", us), tz: tz))
            }
        default: return nil
        }
    }

    func binary(_ op: String, _ other: Value, reflected: Bool) throws -> Value? {
        switch (op, other) {
        case ("+", .object(let td as TimedeltaObject)):
            return wrap(try PyDateTime(local: try TimedeltaObject.sum(value.local, td.value.micros), tz: value.tz))
        case ("-", .object(let td as TimedeltaObject)) where !reflected:
            return wrap(try PyDateTime(local: try TimedeltaObject.sum(value.local, -td.value.micros), tz: value.tz))
        case ("-", .object(let o as DateTimeObject)):
            guard (value.tz == nil) == (o.value.tz == nil) else { throw PyError.type("can't subtract offset-naive and offset-aware datetimes") }
            let diff = value.tz == nil ? value.local - o.value.local : value.utc - o.value.utc
            return try TimedeltaObject.make(reflected ? -diff : diff)
        default: return nil
        }
    }

    func unary(_ op: String) throws -> Value? { nil }

    func equals(_ other: Value) -> Bool {
        guard case .object(let o as DateTimeObject) = other, (value.tz == nil) == (o.value.tz == nil) else { return false }
        return value.tz == nil ? value.local == o.value.local : value.utc == o.value.utc
    }

    func less(_ other: Value, reflected: Bool) throws -> Bool? {
        switch other {
        case .object(let o as DateTimeObject):
            guard (value.tz == nil) == (o.value.tz == nil) else { throw PyError.type("can't compare offset-naive and offset-aware datetimes") }
            let (a, b) = value.tz == nil ? (value.local, o.value.local) : (value.utc, o.value.utc)
            return reflected ? b < a : a < b
        case .object(is DateObject): throw PyError.type("can't compare datetime.datetime to datetime.date")
        default: return nil
        }
    }
}

/// Argument helpers of the module's functions.
enum DatetimeArgs {
    /// An int argument by position or keyword, else `fallback`.
    static func int(_ args: Arguments, _ position: Int, _ name: String, _ fallback: Int) throws -> Int {
        guard let v = args.value(position, name) else { return fallback }
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: throw PyError.type("'\(v.typeName)' object cannot be interpreted as an integer")
        }
    }

    /// The format string of `strftime`.
    static func format(_ args: Arguments) throws -> String {
        guard case .string(let s)? = args.value(0, "format") else {
            throw PyError.type("strftime() argument 1 must be str, not \(args.value(0, "format")?.typeName ?? "nothing")")
        }
        return s
    }
}
