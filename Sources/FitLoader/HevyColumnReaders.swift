import CSVStream
import FitDomain
import PostgresClient

// The readers of the Hevy CSV columns, one per column kind, used by ``HevyRowValidator``. The workout and
// exercise columns repeat on every set row, so their readers remember the last bytes and re-parse only
// when they change (``FieldMemo``).

/// A start or end time column.
struct DateColumn {
    let name: String
    private var memo = FieldMemo((text: "", date: LocalDateTime?.none))

    init(name: String) { self.name = name }

    /// Reads column `i` of the current record; true when it differs from the previous record's.
    mutating func read(_ reader: CSVReader, _ i: Int, _ dates: DateResolver) -> Bool {
        reader.withField(i) {
            memo.update(FieldParsing.trimmed($0)) { b in
                let t = FieldParsing.string(b); return (t, t.isEmpty ? nil : dates.date(t))
            }
        }
    }

    /// The local time read; rejects an empty or unreadable one.
    func date() throws(ColumnReject) -> LocalDateTime {
        guard !memo.value.text.isEmpty else { throw ColumnReject(name, "\(name) is empty") }
        guard let d = memo.value.date else { throw ColumnReject(name, "unreadable date \"\(memo.value.text)\"") }
        return d
    }
}

/// The `exercise_title` column: its display form and matching key.
struct ExerciseTitleColumn {
    private var memo = FieldMemo((display: "", key: ""))
    private var tooLong = false

    var display: String { memo.value.display }
    var key: String { memo.value.key }

    /// Reads column `i` of the current record; true when it differs from the previous record's.
    mutating func read(_ reader: CSVReader, _ i: Int, _ titles: TitleCache) -> Bool {
        let changed = reader.withField(i) {
            memo.update(FieldParsing.trimmed($0)) { b in
                let d = titles.display(FieldParsing.string(b)); return (d, titles.key(d))
            }
        }
        if changed { tooLong = TitleNormalizer.isTooLong(display) || TitleNormalizer.isTooLong(key) }
        return changed
    }

    /// Rejects an empty title or one past the title limit.
    func check() throws(ColumnReject) {
        guard !display.isEmpty else { throw ColumnReject("exercise_title", "exercise_title is empty") }
        guard !tooLong else {
            throw ColumnReject("exercise_title", "exercise_title is longer than \(TitleNormalizer.maxBytes) bytes (the title limit)")
        }
    }
}

/// The workout `title` column (its display form; may be empty).
struct WorkoutTitleColumn {
    private var memo = FieldMemo("")
    private var tooLong = false

    var display: String { memo.value }

    /// Reads column `i` of the current record; true when it differs from the previous record's.
    mutating func read(_ reader: CSVReader, _ i: Int, _ titles: TitleCache) -> Bool {
        let changed = reader.withField(i) { memo.update($0) { titles.display(FieldParsing.string($0)) } }
        if changed { tooLong = TitleNormalizer.isTooLong(display) }
        return changed
    }

    /// Rejects a title past the title limit.
    func check() throws(ColumnReject) {
        if tooLong { throw ColumnReject("title", "title is longer than \(TitleNormalizer.maxBytes) bytes (the title limit)") }
    }
}

/// A free-text column (`description`, `exercise_notes`): trimmed, `\n` escapes kept; nil when empty.
struct NoteColumn {
    private var memo = FieldMemo(String?.none)

    var text: String? { memo.value }

    /// Reads column `i` of the current record; true when it differs from the previous record's.
    mutating func read(_ reader: CSVReader, _ i: Int) -> Bool {
        reader.withField(i) { memo.update(FieldParsing.trimmed($0)) { $0.isEmpty ? nil : FieldParsing.string($0) } }
    }
}

/// The set's identifying columns: index, type and superset.
enum SetColumns {
    /// The `set_index`: required, a non-negative integer.
    static func setIndex(_ reader: CSVReader, _ i: Int) throws(ColumnReject) -> Int {
        let field = integer(reader, i)
        guard !field.empty else { throw ColumnReject("set_index", "set_index is empty") }
        guard let v = field.value, v >= 0 else {
            throw ColumnReject("set_index", "set_index \"\(text(reader, i))\" is not a non-negative integer")
        }
        return v
    }

    /// The `set_type` as the stored word; matched without regard to case or surrounding spaces.
    static func setType(_ reader: CSVReader, _ i: Int) throws(ColumnReject) -> StaticString {
        let known: StaticString? = reader.withField(i) {
            let t = FieldParsing.trimmed($0)
            for word: StaticString in ["normal", "warmup", "failure", "dropset"] where FieldParsing.equalsLowercased(t, word) {
                return word
            }
            return nil
        }
        guard let known else {
            throw ColumnReject("set_type", "unknown set_type \"\(reader.fieldString(i))\" (expected warmup, normal, failure or dropset)")
        }
        return known
    }

    /// The optional `superset_id`: nil when the column is absent or empty, else a non-negative integer.
    static func supersetId(_ reader: CSVReader, _ column: Int?) throws(ColumnReject) -> Int? {
        guard let i = column, case let field = integer(reader, i), !field.empty else { return nil }
        guard let v = field.value, v >= 0 else {
            throw ColumnReject("superset_id", "superset_id \"\(text(reader, i))\" is not a non-negative integer")
        }
        return v
    }

    /// An integer column: whether it is empty, and its value when it is a plain integer.
    static func integer(_ reader: CSVReader, _ i: Int) -> (empty: Bool, value: Int?) {
        reader.withField(i) { let t = FieldParsing.trimmed($0); return (t.isEmpty, t.isEmpty ? nil : FieldParsing.integer(t)) }
    }

    /// Field `i` trimmed, as text for a reason (made inside the closure: a field with doubled quotes is decoded
    /// into a temporary buffer).
    static func text(_ reader: CSVReader, _ i: Int) -> String {
        reader.withField(i) { FieldParsing.string(FieldParsing.trimmed($0)) }
    }
}

/// The set's measured columns, in the order they are written: weight (kg), reps, distance (m), duration (s), RPE.
/// Weights and distances are converted exactly (see ``ExactDecimal``).
struct SetMeasureColumns {
    let header: HevyCSVHeader
    private let kilograms: ExactDecimal
    private let metres: ExactDecimal

    init(header: HevyCSVHeader) {
        self.header = header
        kilograms = ExactDecimal(header.kilogramsPerUnit)!
        metres = ExactDecimal(header.metresPerUnit)!
    }

    /// Writes the five columns (tab-separated, after a tab) to `out`; rejects the first bad one.
    func write(_ reader: CSVReader, _ out: SetColumnWriter) throws(ColumnReject) {
        try weight(reader, out); out.tab()
        try count(reader, out, header.reps, "reps", below: 100_000); out.tab()
        try distance(reader, out); out.tab()
        try count(reader, out, header.duration, "duration_seconds", below: Int(Int32.max)); out.tab()
        try rpe(reader, out)
    }

    /// `weight_kg` or `weight_lbs`, converted to kg; NULL when absent or empty.
    private func weight(_ reader: CSVReader, _ out: SetColumnWriter) throws(ColumnReject) {
        guard let i = header.weight else { out.null(); return }
        let unit = header.weightUnit
        let name = unit == .lbs ? "weight_lbs" : "weight_kg"
        let bad: String? = reader.withField(i) { raw in
            let w = FieldParsing.trimmed(raw)
            if w.isEmpty { out.null(); return nil }
            guard let d = FieldParsing.decimal(w) else { return "\(name) \"\(FieldParsing.string(w))\" is not a number" }
            let kg = d.value * unit.approximateKilogramsPerUnit
            guard kg > -1000, kg < 10000 else { return "\(name) \(FieldParsing.string(w)) is out of range" }
            guard out.numeric({ kilograms.appendProduct(of: w, to: &$0) }) else {
                return "\(name) \"\(FieldParsing.string(w))\" is not a number"
            }
            return nil
        }
        if let bad { throw ColumnReject(name, bad) }
    }

    /// `distance_km` or `distance_miles`, converted to metres; NULL when absent or empty.
    private func distance(_ reader: CSVReader, _ out: SetColumnWriter) throws(ColumnReject) {
        guard let i = header.distance else { out.null(); return }
        let name = header.distanceUnit == .miles ? "distance_miles" : "distance_km"
        let ok: Bool = reader.withField(i) { raw in
            let d = FieldParsing.trimmed(raw)
            if d.isEmpty { out.null(); return true }
            guard let v = FieldParsing.decimal(d), v.value >= 0, v.value < 100_000 else { return false }
            return out.numeric { metres.appendProduct(of: d, to: &$0) }
        }
        if !ok { throw ColumnReject(name, "\(name) \"\(SetColumns.text(reader, i))\" is not a non-negative number") }
    }

    /// A count column (`reps`, `duration_seconds`): NULL when absent or empty, else a non-negative integer below `limit`.
    private func count(_ reader: CSVReader, _ out: SetColumnWriter, _ column: Int?, _ name: String, below limit: Int) throws(ColumnReject) {
        guard let i = column, case let field = SetColumns.integer(reader, i), !field.empty else { out.null(); return }
        guard let v = field.value, v >= 0, v < limit else {
            throw ColumnReject(name, "\(name) \"\(SetColumns.text(reader, i))\" is not a non-negative integer")
        }
        out.int4(v)
    }

    /// `rpe`: NULL when absent or empty, else one of 6, 6.5, 7 … 10.
    private func rpe(_ reader: CSVReader, _ out: SetColumnWriter) throws(ColumnReject) {
        guard let i = header.rpe else { out.null(); return }
        let ok: Bool = reader.withField(i) { raw in
            let r = FieldParsing.trimmed(raw)
            if r.isEmpty { out.null(); return true }
            guard let v = FieldParsing.decimal(r), v.value >= 6, v.value <= 10, (v.value * 2).rounded() == v.value * 2 else { return false }
            return out.numeric { $0.append(contentsOf: r) }
        }
        if !ok { throw ColumnReject("rpe", "rpe \"\(SetColumns.text(reader, i))\" is not one of 6, 6.5, 7 … 10") }
    }
}

/// Writes a set's columns twice: COPY text into `payload` (what a workout's hash covers) and binary COPY
/// fields into `binary` (what is sent). ``rollBack()`` drops what it wrote since it was made.
struct SetColumnWriter {
    let payload: ByteBuffer
    let binary: ByteBuffer
    private let payloadMark: Int
    private let binaryMark: Int

    init(payload: ByteBuffer, binary: ByteBuffer) {
        self.payload = payload; self.binary = binary
        payloadMark = payload.count; binaryMark = binary.count
    }

    @inline(__always) func tab() { payload.append(0x09) }

    @inline(__always) func null() { payload.append(0x5C); payload.append(0x4E); BinaryCopy.null(binary) }

    @inline(__always) func int4(_ v: Int) { payload.appendInteger(v); BinaryCopy.int4(v, binary) }

    @inline(__always) func text(_ word: StaticString) {
        let bytes = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        payload.append(contentsOf: bytes)
        BinaryCopy.text(bytes, binary)
    }

    /// Lets `write` append a decimal text to `payload`, then sends it as a binary numeric; false when it is not one.
    @inline(__always) func numeric(_ write: (inout ByteBuffer) -> Void) -> Bool {
        var sink = payload
        let start = payload.count
        write(&sink)
        return BinaryCopy.numeric(UnsafeBufferPointer(rebasing: payload.bytes[start...]), binary)
    }

    /// Drops everything written since this writer was made.
    func rollBack() { payload.removeLast(from: payloadMark); binary.removeLast(from: binaryMark) }
}
