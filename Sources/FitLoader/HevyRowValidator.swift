import FitDomain
/// The fields every row of one workout repeats (shared by reference: one retain per row, not one per string).
final class WorkoutFields {
    let key: WorkoutKey
    let end: LocalDateTime
    /// The description as exported (trimmed, `\n` escapes kept); nil when empty.
    let descriptionRaw: String?

    init(key: WorkoutKey, end: LocalDateTime, descriptionRaw: String?) {
        self.key = key; self.end = end; self.descriptionRaw = descriptionRaw
    }
}

/// The fields every row of one exercise block repeats.
final class ExerciseFields {
    let title: String
    let key: String
    /// The exercise notes as exported (trimmed, `\n` escapes kept); nil when empty.
    let notesRaw: String?

    init(title: String, key: String, notesRaw: String?) { self.title = title; self.key = key; self.notesRaw = notesRaw }
}

/// A set row that passed validation: the values block detection and its workout need.
///
/// The set's own columns are already encoded (see ``HevyRowValidator/validate(_:payload:)``). Consecutive rows
/// with the same workout (or exercise) fields share one ``WorkoutFields`` (or ``ExerciseFields``) object.
struct ValidSetRow {
    var line: Int
    var workoutFields: WorkoutFields
    var exerciseFields: ExerciseFields
    var supersetId: Int?
    var setIndex: Int

    var workout: WorkoutKey { workoutFields.key }
    var end: LocalDateTime { workoutFields.end }
    var descriptionRaw: String? { workoutFields.descriptionRaw }
    var exerciseTitle: String { exerciseFields.title }
    var exerciseKey: String { exerciseFields.key }
    var notesRaw: String? { exerciseFields.notesRaw }
}

/// A rejected input record, kept verbatim with why.
public struct RejectedRecord: Error, Sendable {
    public var line: Int
    public var field: String?
    public var reason: String
    /// The record as readable text (what `raw.rejects.raw_record` holds): invalid UTF-8 and NUL bytes shown as U+FFFD.
    public var raw: String
    /// The record's bytes exactly as read (`raw.rejects.raw_bytes`).
    public var bytes: [UInt8]

    /// A reject of the record `bytes` (without its line terminator).
    init(line: Int, field: String?, reason: String, bytes: UnsafeBufferPointer<UInt8>) {
        self.line = line
        self.field = field
        self.reason = Self.text(Array(reason.utf8))
        self.bytes = Array(bytes)
        raw = Self.text(self.bytes)
    }

    /// A reject of `record` (its bytes kept as read).
    init(line: Int, field: String?, reason: String, record: CSVRecord) {
        self.line = line
        self.field = field
        self.reason = Self.text(Array(reason.utf8))
        self.bytes = record.bytes
        raw = Self.text(record.bytes)
    }

    /// `bytes` as text PostgreSQL can store: invalid UTF-8 and NUL bytes replaced by U+FFFD.
    static func text(_ bytes: [UInt8]) -> String {
        let s = String(decoding: bytes, as: UTF8.self)
        guard s.utf8.contains(0) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { $0 == "\0" ? "\u{FFFD}" : $0 }))
    }
}

/// Checks the reader's current Hevy CSV record field by field, producing a valid row (its set
/// columns encoded for COPY, weights and distances converted exactly to kg and metres) or a rejection.
struct HevyRowValidator {
    let header: HevyCSVHeader
    /// Display forms and matching keys of titles (NFC is costly; titles repeat on every set row).
    let titles = TitleCache()
    /// Start and end texts → local times.
    let dates: DateResolver
    private let kilograms: ExactDecimal
    private let metres: ExactDecimal

    private var start = FieldMemo((text: "", date: LocalDateTime?.none))
    private var end = FieldMemo((text: "", date: LocalDateTime?.none))
    private var title = FieldMemo("")
    private var exercise = FieldMemo((display: "", key: ""))
    private var description = FieldMemo(String?.none)
    private var notes = FieldMemo(String?.none)
    /// The shared fields of the last valid row, and whether a memo changed since (also on rejected rows).
    private var workoutFields: WorkoutFields?
    private var exerciseFields: ExerciseFields?
    private var workoutStale = true
    private var exerciseStale = true
    /// What the memos above hold, as plain values (read on every row without touching their strings).
    private var startEmpty = true, endEmpty = true, exerciseEmpty = true, exerciseTooLong = false, titleTooLong = false
    private var startValue: LocalDateTime?, endValue: LocalDateTime?

    init(header: HevyCSVHeader, dates: DateResolver) {
        self.header = header
        self.dates = dates
        kilograms = ExactDecimal(header.kilogramsPerUnit)!
        metres = ExactDecimal(header.metresPerUnit)!
    }

    /// Validates the current record of `reader`. On success the set's columns — `set_index`,
    /// `set_type`, `weight_kg`, `reps`, `distance_m`, `duration_s`, `rpe` — are appended to
    /// `payload` in COPY text form (tab-separated, no newline; what a workout's hash covers) and to
    /// `binary` as binary COPY fields (what is sent).
    mutating func validate(_ reader: CSVReader, payload: ByteBuffer, binary: ByteBuffer) -> Result<ValidSetRow, RejectedRecord> {
        func reject(_ field: String?, _ reason: String) -> Result<ValidSetRow, RejectedRecord> {
            .failure(RejectedRecord(line: reader.line, field: field, reason: reason, bytes: reader.rawRecordBytes))
        }
        // the string is made inside the closure: a field with doubled quotes is decoded into a temporary buffer
        func text(_ i: Int) -> String { reader.withField(i) { FieldParsing.string(FieldParsing.trimmed($0)) } }
        /// An optional integer column: whether it is empty, and its value when it is a plain integer.
        func integerField(_ i: Int) -> (empty: Bool, value: Int?) {
            reader.withField(i) { let t = FieldParsing.trimmed($0); return (t.isEmpty, t.isEmpty ? nil : FieldParsing.integer(t)) }
        }
        let h = header
        guard reader.fieldCount == h.fieldCount else {
            return reject(nil, "expected \(h.fieldCount) fields, found \(reader.fieldCount)")
        }
        if let found = reader.encodingProblem() {
            let name = h.names[found.field]
            return reject(name, found.problem.reason(field: name))
        }
        // both objects live as long as the validator; borrowed, not retained, on every row
        unowned(unsafe) let dates = self.dates
        let readDate: (UnsafeBufferPointer<UInt8>) -> (text: String, date: LocalDateTime?) = {
            let t = FieldParsing.string($0); return (t, t.isEmpty ? nil : dates.date(t))
        }
        if reader.withField(h.startTime, { start.update(FieldParsing.trimmed($0), readDate) }) {
            workoutStale = true; startEmpty = start.value.text.isEmpty; startValue = start.value.date
        }
        guard !startEmpty else { return reject("start_time", "start_time is empty") }
        guard let startDate = startValue else { return reject("start_time", "unreadable date \"\(start.value.text)\"") }
        if reader.withField(h.endTime, { end.update(FieldParsing.trimmed($0), readDate) }) {
            workoutStale = true; endEmpty = end.value.text.isEmpty; endValue = end.value.date
        }
        guard !endEmpty else { return reject("end_time", "end_time is empty") }
        guard let endDate = endValue else { return reject("end_time", "unreadable date \"\(end.value.text)\"") }
        unowned(unsafe) let titles = self.titles
        if reader.withField(h.exerciseTitle, {
            exercise.update(FieldParsing.trimmed($0)) { b in
                let d = titles.display(FieldParsing.string(b)); return (d, titles.key(d))
            }
        }) {
            exerciseStale = true; exerciseEmpty = exercise.value.display.isEmpty
            exerciseTooLong = TitleNormalizer.isTooLong(exercise.value.display) || TitleNormalizer.isTooLong(exercise.value.key)
        }
        guard !exerciseEmpty else { return reject("exercise_title", "exercise_title is empty") }
        guard !exerciseTooLong else {
            return reject("exercise_title", "exercise_title is longer than \(TitleNormalizer.maxBytes) bytes (the title limit)")
        }
        let setIndexField = integerField(h.setIndex)
        guard !setIndexField.empty else { return reject("set_index", "set_index is empty") }
        guard let setIndex = setIndexField.value, setIndex >= 0 else {
            return reject("set_index", "set_index \"\(text(h.setIndex))\" is not a non-negative integer")
        }
        let knownType: StaticString? = reader.withField(h.setType) {
            let t = FieldParsing.trimmed($0)
            for word: StaticString in ["normal", "warmup", "failure", "dropset"] where FieldParsing.equalsLowercased(t, word) {
                return word
            }
            return nil
        }
        guard let setType = knownType else {
            return reject("set_type", "unknown set_type \"\(reader.fieldString(h.setType))\" (expected warmup, normal, failure or dropset)")
        }
        var superset: Int?
        if let i = h.supersetId, case let field = integerField(i), !field.empty {
            guard let v = field.value, v >= 0 else {
                return reject("superset_id", "superset_id \"\(text(i))\" is not a non-negative integer")
            }
            superset = v
        }
        let (kilograms, metres) = (self.kilograms, self.metres)
        let mark = payload.count, binaryMark = binary.count
        func tab() { payload.append(0x09) }
        func null() { payload.append(0x5C); payload.append(0x4E); BinaryCopy.null(binary) }
        func fail(_ r: Result<ValidSetRow, RejectedRecord>) -> Result<ValidSetRow, RejectedRecord> {
            payload.removeLast(from: mark); binary.removeLast(from: binaryMark); return r
        }
        /// The decimal text just written to `payload` (from `start`), as a binary numeric; false when it is not one.
        func numericWritten(since start: Int) -> Bool {
            BinaryCopy.numeric(UnsafeBufferPointer(rebasing: payload.bytes[start...]), binary)
        }
        /// An optional count column (`reps`, `duration_seconds`): written, or NULL when absent or empty;
        /// false when it is not a non-negative integer below `limit`.
        func count(_ column: Int?, below limit: Int) -> Bool {
            guard let i = column, case let field = integerField(i), !field.empty else { null(); return true }
            guard let v = field.value, v >= 0, v < limit else { return false }
            payload.appendInteger(v)
            BinaryCopy.int4(v, binary)
            return true
        }
        payload.appendInteger(setIndex); tab()
        BinaryCopy.int4(setIndex, binary)
        let typeBytes = UnsafeBufferPointer(start: setType.utf8Start, count: setType.utf8CodeUnitCount)
        payload.append(contentsOf: typeBytes); tab()
        BinaryCopy.text(typeBytes, binary)

        if let i = h.weight {
            let name = h.weightUnit == .lbs ? "weight_lbs" : "weight_kg"
            let bad: String?? = reader.withField(i) { raw in
                let w = FieldParsing.trimmed(raw)
                if w.isEmpty { null(); return .some(nil) }
                guard let d = FieldParsing.decimal(w) else { return "\(name) \"\(FieldParsing.string(w))\" is not a number" }
                let kg = d.value * h.weightUnit.approximateKilogramsPerUnit
                guard kg > -1000, kg < 10000 else { return "\(name) \(FieldParsing.string(w)) is out of range" }
                var sink = payload
                let start = payload.count
                kilograms.appendProduct(of: w, to: &sink)
                guard numericWritten(since: start) else { return "\(name) \"\(FieldParsing.string(w))\" is not a number" }
                return .some(nil)
            }
            if let reason = bad ?? nil { return fail(reject(name, reason)) }
        } else { null() }
        tab()
        if !count(h.reps, below: 100_000) {
            return fail(reject("reps", "reps \"\(text(h.reps!))\" is not a non-negative integer"))
        }
        tab()
        if let i = h.distance {
            let name = h.distanceUnit == .miles ? "distance_miles" : "distance_km"
            let ok: Bool = reader.withField(i) { raw in
                let d = FieldParsing.trimmed(raw)
                if d.isEmpty { null(); return true }
                guard let v = FieldParsing.decimal(d), v.value >= 0, v.value < 100_000 else { return false }
                var sink = payload
                let start = payload.count
                metres.appendProduct(of: d, to: &sink)
                return numericWritten(since: start)
            }
            if !ok { return fail(reject(name, "\(name) \"\(text(i))\" is not a non-negative number")) }
        } else { null() }
        tab()
        if !count(h.duration, below: Int(Int32.max)) {
            return fail(reject("duration_seconds", "duration_seconds \"\(text(h.duration!))\" is not a non-negative integer"))
        }
        tab()
        if let i = h.rpe {
            let ok: Bool = reader.withField(i) { raw in
                let r = FieldParsing.trimmed(raw)
                if r.isEmpty { null(); return true }
                guard let v = FieldParsing.decimal(r), v.value >= 6, v.value <= 10, (v.value * 2).rounded() == v.value * 2 else { return false }
                payload.append(contentsOf: r)
                return BinaryCopy.numeric(r, binary)
            }
            if !ok { return fail(reject("rpe", "rpe \"\(text(i))\" is not one of 6, 6.5, 7 … 10")) }
        } else { null() }

        if reader.withField(h.title, { title.update($0) { titles.display(FieldParsing.string($0)) } }) {
            workoutStale = true; titleTooLong = TitleNormalizer.isTooLong(title.value)
        }
        if titleTooLong { return fail(reject("title", "title is longer than \(TitleNormalizer.maxBytes) bytes (the title limit)")) }
        if let i = h.description,
           reader.withField(i, { description.update(FieldParsing.trimmed($0)) { $0.isEmpty ? nil : FieldParsing.string($0) } }) {
            workoutStale = true
        }
        if let i = h.exerciseNotes,
           reader.withField(i, { notes.update(FieldParsing.trimmed($0)) { $0.isEmpty ? nil : FieldParsing.string($0) } }) {
            exerciseStale = true
        }
        if workoutStale || workoutFields == nil {
            workoutFields = WorkoutFields(key: WorkoutKey(start: startDate, title: title.value), end: endDate,
                                          descriptionRaw: h.description == nil ? nil : description.value)
            workoutStale = false
        }
        if exerciseStale || exerciseFields == nil {
            exerciseFields = ExerciseFields(title: exercise.value.display, key: exercise.value.key,
                                            notesRaw: h.exerciseNotes == nil ? nil : notes.value)
            exerciseStale = false
        }
        return .success(ValidSetRow(line: reader.line, workoutFields: workoutFields!, exerciseFields: exerciseFields!,
                                    supersetId: superset, setIndex: setIndex))
    }
}

/// Memoizes ``TitleNormalizer`` results for the few hundred distinct titles of a file.
final class TitleCache {
    private var display: [String: String] = [:]
    private var keys: [String: String] = [:]

    /// The stored display form of `raw`.
    func display(_ raw: String) -> String {
        if let d = display[raw] { return d }
        let d = TitleNormalizer.display(raw)
        if display.count < 100_000 { display[raw] = d }
        return d
    }

    /// The matching key of a display title.
    func key(_ title: String) -> String {
        if let k = keys[title] { return k }
        let k = TitleNormalizer.key(title)
        if keys.count < 100_000 { keys[title] = k }
        return k
    }
}
