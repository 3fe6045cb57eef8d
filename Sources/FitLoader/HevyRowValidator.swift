import CSVStream
import FitDomain
import PostgresClient

/// Checks the reader's current Hevy CSV record column by column, producing a valid row (its set columns
/// encoded for COPY, weights and distances converted exactly to kg and metres) or a rejection.
///
/// Each column has its reader (see `HevyColumnReaders.swift`); this type runs them in order and turns the
/// first ``ColumnReject`` into a ``RejectedRecord`` of the whole record.
struct HevyRowValidator {
    let header: HevyCSVHeader
    /// Display forms and matching keys of titles (NFC is costly; titles repeat on every set row).
    let titles = TitleCache()
    /// Start and end texts → local times.
    let dates: DateResolver
    private let measures: SetMeasureColumns

    private var start = DateColumn(name: "start_time")
    private var end = DateColumn(name: "end_time")
    private var exercise = ExerciseTitleColumn()
    private var title = WorkoutTitleColumn()
    private var description = NoteColumn()
    private var notes = NoteColumn()
    /// The shared fields of the last valid row; rebuilt when a column they hold changed (also on rejected rows).
    private var workoutFields: WorkoutFields?
    private var exerciseFields: ExerciseFields?
    private var workoutStale = true
    private var exerciseStale = true

    init(header: HevyCSVHeader, dates: DateResolver) {
        self.header = header
        self.dates = dates
        measures = SetMeasureColumns(header: header)
    }

    /// Validates the current record of `reader`. On success the set's columns — `set_index`,
    /// `set_type`, `weight_kg`, `reps`, `distance_m`, `duration_s`, `rpe` — are appended to
    /// `payload` in COPY text form (tab-separated, no newline; what a workout's hash covers) and to
    /// `binary` as binary COPY fields (what is sent); on failure both are left as they were.
    mutating func validate(_ reader: CSVReader, payload: ByteBuffer, binary: ByteBuffer) -> Result<ValidSetRow, RejectedRecord> {
        let out = SetColumnWriter(payload: payload, binary: binary)
        do throws(ColumnReject) {
            try Self.checkShape(reader, header)
            let h = header
            if start.read(reader, h.startTime, dates) { workoutStale = true }
            let startDate = try start.date()
            if end.read(reader, h.endTime, dates) { workoutStale = true }
            let endDate = try end.date()
            if exercise.read(reader, h.exerciseTitle, titles) { exerciseStale = true }
            try exercise.check()
            let setIndex = try SetColumns.setIndex(reader, h.setIndex)
            let setType = try SetColumns.setType(reader, h.setType)
            let superset = try SetColumns.supersetId(reader, h.supersetId)
            out.int4(setIndex); out.tab()
            out.text(setType); out.tab()
            try measures.write(reader, out)
            if title.read(reader, h.title, titles) { workoutStale = true }
            try title.check()
            if let i = h.description, description.read(reader, i) { workoutStale = true }
            if let i = h.exerciseNotes, notes.read(reader, i) { exerciseStale = true }
            return .success(ValidSetRow(line: reader.line, workoutFields: currentWorkout(startDate, endDate),
                                        exerciseFields: currentExercise(), supersetId: superset, setIndex: setIndex))
        } catch {
            out.rollBack()
            return .failure(RejectedRecord(line: reader.line, field: error.field, reason: error.reason, bytes: reader.rawRecordBytes))
        }
    }

    /// Rejects a record whose field count is not the header's, or with a NUL byte or invalid UTF-8 in a field.
    private static func checkShape(_ reader: CSVReader, _ h: HevyCSVHeader) throws(ColumnReject) {
        guard reader.fieldCount == h.fieldCount else {
            throw ColumnReject(nil, "expected \(h.fieldCount) fields, found \(reader.fieldCount)")
        }
        if let found = reader.encodingProblem() {
            let name = h.names[found.field]
            throw ColumnReject(name, found.problem.reason(field: name))
        }
    }

    /// The workout fields of this row: the last valid row's object unless a column it holds changed.
    private mutating func currentWorkout(_ start: LocalDateTime, _ end: LocalDateTime) -> WorkoutFields {
        if workoutStale || workoutFields == nil {
            workoutFields = WorkoutFields(key: WorkoutKey(start: start, title: title.display), end: end,
                                          descriptionRaw: header.description == nil ? nil : description.text)
            workoutStale = false
        }
        return workoutFields!
    }

    /// The exercise fields of this row: the last valid row's object unless a column it holds changed.
    private mutating func currentExercise() -> ExerciseFields {
        if exerciseStale || exerciseFields == nil {
            exerciseFields = ExerciseFields(title: exercise.display, key: exercise.key,
                                            notesRaw: header.exerciseNotes == nil ? nil : notes.text)
            exerciseStale = false
        }
        return exerciseFields!
    }
}

/// Why a column rejects its row: the column's name (nil for the record as a whole) and the reason.
struct ColumnReject: Error {
    let field: String?
    let reason: String

    init(_ field: String?, _ reason: String) { self.field = field; self.reason = reason }
}
