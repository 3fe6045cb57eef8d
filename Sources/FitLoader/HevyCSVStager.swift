import Crypto
import Foundation
import PostgresClient

/// Second pass over a Hevy export: validates every record and streams the good ones into
/// the `stage_sets` temp table with COPY, assigning exercise blocks and set positions.
struct HevyCSVStager {
    let file: HevyCSVFile
    let progress: ProgressReporter?

    /// The staging table (dropped at commit).
    static let createStage = """
        CREATE TEMP TABLE stage_sets (
            line int NOT NULL, start_local timestamp NOT NULL, end_local timestamp NOT NULL,
            title text NOT NULL, description text, description_raw text,
            block int NOT NULL, exercise_title text NOT NULL, exercise_norm text NOT NULL,
            superset_id int, notes text, notes_raw text,
            set_pos int NOT NULL, set_index int, set_type text NOT NULL,
            weight numeric, reps int, distance numeric, duration int, rpe numeric
        ) ON COMMIT DROP
        """

    /// One row per workout in the file, with a hash of all its staged rows (line numbers excluded,
    /// so a re-export that only shifts lines hashes the same).
    static let createStageWorkouts = """
        CREATE TEMP TABLE stage_workouts (
            start_local timestamp NOT NULL, title text NOT NULL, end_local timestamp NOT NULL,
            description text, description_raw text, content_sha256 text NOT NULL,
            PRIMARY KEY (start_local, title)
        ) ON COMMIT DROP
        """

    /// Block detection and hashing state for one workout.
    private struct WorkoutCursor {
        var exerciseTitle = ""
        var lastSetIndex = Int.min
        var block = -1
        var setPos = 0
        var hasher = SHA256()
        /// The workout's own fields, from its first row: end, description, raw description.
        var first: (String, String?, String?) = ("", nil, nil)
    }

    private struct WorkoutKey: Hashable { let start: LocalDateTime; let title: String }

    /// The distinct exercises of the file (`exercise_norm` → first title seen), staged after the sets.
    static let createStageExercises = """
        CREATE TEMP TABLE stage_exercises (exercise_norm text PRIMARY KEY, exercise_title text NOT NULL) ON COMMIT DROP
        """

    /// Streams the file into `stage_sets` and its distinct exercises into `stage_exercises`;
    /// returns rows read and the rejected records.
    func stage(into connection: Connection) throws -> (rowsRead: Int, rejects: [RejectedRecord]) {
        let reader: CSVReader
        do { reader = try CSVReader(url: file.url) } catch { throw LoadError.configuration("\(error)") }
        _ = try reader.next()   // header, checked in the first pass
        let validator = HevyRowValidator(header: file.header, dates: file.dates)
        var rowsRead = 0
        var rejects: [RejectedRecord] = []
        var cursors: [WorkoutKey: WorkoutCursor] = [:]
        var workoutOrder: [WorkoutKey] = []
        var lastDescription: (String, String, String?) = ("", "", nil)   // raw, text, raw-if-different
        var lastNotes: (String, String, String?) = ("", "", nil)
        var exercises: [String: String] = [:]
        var out = CopyTextRow()
        var lastStart: (LocalDateTime, String)?
        var lastEnd: (LocalDateTime, String)?
        var exerciseOrder: [String] = []

        try connection.copyIn("COPY stage_sets FROM STDIN") { writer in
            while true {
                let record: CSVRecord?
                do { record = try reader.next() } catch let e as CSVError {
                    if case .unterminatedQuote(let line) = e {
                        rowsRead += 1
                        rejects.append(RejectedRecord(line: line, field: nil, reason: "quoted field not closed before the end of the file",
                                                      raw: "(unterminated record from line \(line) to the end of the file)"))
                    }
                    break
                }
                guard let record else { break }
                rowsRead += 1
                if rowsRead % 4096 == 0 { progress?.update(bytes: reader.bytesRead, rows: rowsRead) }
                let row: ValidSetRow
                switch validator.validate(record) {
                case .failure(let r): rejects.append(r); continue
                case .success(let v): row = v
                }
                let key = WorkoutKey(start: row.start, title: row.title)
                var c: WorkoutCursor
                if let existing = cursors[key] { c = existing } else { c = WorkoutCursor(); workoutOrder.append(key) }
                if c.block < 0 || row.exerciseTitle != c.exerciseTitle || row.setIndex <= c.lastSetIndex {
                    c.block += 1; c.setPos = 0; c.exerciseTitle = row.exerciseTitle
                } else {
                    c.setPos += 1
                }
                c.lastSetIndex = row.setIndex

                let norm = validator.titles.key(row.exerciseTitle)
                if exercises[norm] == nil { exercises[norm] = row.exerciseTitle; exerciseOrder.append(norm) }
                if let d = row.description, d != lastDescription.0 {
                    let u = NoteText.unescape(d); lastDescription = (d, u, u == d ? nil : d)
                }
                if let n = row.notes, n != lastNotes.0 {
                    let u = NoteText.unescape(n); lastNotes = (n, u, u == n ? nil : n)
                }
                if lastStart?.0 != row.start { lastStart = (row.start, row.start.description) }
                if lastEnd?.0 != row.end { lastEnd = (row.end, row.end.description) }
                out.reset()
                out.add(row.line)
                out.add(lastStart!.1)
                out.add(lastEnd!.1)
                out.add(row.title)
                out.add(row.description == nil ? nil : lastDescription.1)
                out.add(row.description == nil ? nil : lastDescription.2)
                out.add(c.block)
                out.add(row.exerciseTitle)
                out.add(norm)
                out.add(row.supersetId)
                out.add(row.notes == nil ? nil : lastNotes.1)
                out.add(row.notes == nil ? nil : lastNotes.2)
                out.add(c.setPos)
                out.add(row.setIndex)
                out.add(row.setType)
                out.add(row.weight)
                out.add(row.reps)
                out.add(row.distance)
                out.add(row.duration)
                out.add(row.rpe)
                out.endRow()
                try writer.write(bytes: out.bytes)
                if c.block == 0, c.setPos == 0 {
                    c.first = (lastEnd!.1, row.description == nil ? nil : lastDescription.1,
                               row.description == nil ? nil : lastDescription.2)
                }
                if let tab = out.bytes.firstIndex(of: 0x09) { c.hasher.update(data: out.bytes[(tab + 1)...]) }
                cursors[key] = c
            }
        }
        progress?.finish()
        try connection.execute(Self.createStageWorkouts)
        try connection.copyIn("COPY stage_workouts FROM STDIN") { writer in
            var w = CopyTextRow()
            for key in workoutOrder {
                guard let c = cursors[key] else { continue }
                w.reset()
                w.add(key.start.description)
                w.add(key.title)
                w.add(c.first.0)
                w.add(c.first.1)
                w.add(c.first.2)
                w.add(Hex.lowercase(c.hasher.finalize()))
                w.endRow()
                try writer.write(bytes: w.bytes)
            }
        }
        try connection.execute(Self.createStageExercises)
        try connection.copyIn("COPY stage_exercises FROM STDIN") { writer in
            for norm in exerciseOrder {
                var out = CopyTextRow()
                out.add(norm)
                out.add(exercises[norm])
                try writer.write(out.line)
            }
        }
        return (rowsRead, rejects)
    }
}
