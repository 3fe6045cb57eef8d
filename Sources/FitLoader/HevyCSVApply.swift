import CSVStream
import Crypto
import Foundation
import PostgresClient

/// The second pass over a Hevy export, inside the load's transaction: validates every record,
/// streams the sets of new and changed workouts straight into `core.sets` with COPY, then writes
/// their workouts, exercises and blocks set-based.
///
/// Keys of new workouts and blocks are allocated here from their identity sequences (the tables are
/// locked against other writers), so a set row can name its block before the block is written; the
/// foreign keys under `core.sets` are checked at commit, or — for bulk loads — dropped and re-added
/// (see ``BulkLoadMode``).
struct HevyCSVApply {
    /// How the file is read.
    enum Plan {
        /// Two passes: the first (``HevyCSVFile/scan()``) gave the language and where every workout ends.
        case scanned(HevyCSVScan)
        /// One pass, for an athlete with no workouts yet (an initial load): the month language comes from
        /// the first records and is checked against all dates at the end; a workout ends when the next
        /// one starts. Either assumption failing throws ``NeedsTwoPasses`` (the caller rolls back to a
        /// savepoint and loads the file with `.scanned`).
        case streaming(DateResolver)
    }

    /// The single pass cannot give the two-pass result: the file needs its first pass.
    struct NeedsTwoPasses: Error { let reason: String }

    /// Bytes per record assumed when deciding on bulk mode before a single pass (Hevy rows are 80–150 bytes).
    static let bytesPerRecordEstimate = 100

    let connection: Connection
    let file: HevyCSVFile
    let plan: Plan
    let athleteSk: Int64
    let timezone: String
    let bulkThreshold: Int
    let progress: ProgressReporter?

    /// Applies the file; fills the counts of `summary`, registers the file (`registerFile(sha256)`
    /// returns its `raw.files` id) and returns the rejected records and the file id.
    func run(into summary: inout HevyCSVLoadSummary,
             registerFile: (String) throws -> String) throws -> (rejects: [RejectedRecord], fileId: String) {
        try connection.execute(HevyCSVMerge.lockTables)
        let existing: [WorkoutKey: HevyWorkoutAssembler.Existing]
        let toWrite: Int
        let dates: DateResolver
        switch plan {
        case .scanned(let scan):
            existing = try existingWorkouts()
            toWrite = scan.extents.reduce(0) { n, e in
                if let o = existing[e.key], !o.deleted || o.fromAPI { return n } else { return n + e.value.records }
            }
            dates = scan.dates
        case .streaming(let resolver):
            existing = [:]
            toWrite = file.sizeBytes / Self.bytesPerRecordEstimate
            dates = resolver
        }
        summary.language = dates.language.rawValue
        var bulk: BulkLoadMode?
        if toWrite >= bulkThreshold {
            let stored = Int(try connection.query(HevyCSVMerge.storedSets).scalar ?? "") ?? 0
            bulk = try BulkLoadMode.prepare(tables: HevyCSVMerge.loadedTables, rebuildIndexes: toWrite >= stored, on: connection)
        }
        if bulk == nil { try connection.execute(HevyCSVMerge.deferKeys) }
        let firstWorkout = try reserveKey("core.workouts", "workout_sk")
        let firstBlock = try reserveKey("core.workout_exercises", "workout_exercise_sk")
        let firstSet = try reserveKey("core.sets", "set_sk")
        let settings = "\(timezone)|\(file.header.kilogramsPerUnit)|\(file.header.metresPerUnit)"

        var rejects: [RejectedRecord] = []
        var rowsRead = 0
        var assembler: HevyWorkoutAssembler!
        var sha256 = ""
        try connection.copyIn(HevyCSVMerge.copySets) { writer in
            assembler = HevyWorkoutAssembler(existing: existing, athleteSk: Int(athleteSk), settings: settings, firstWorkoutSk: firstWorkout,
                                             firstBlockSk: firstBlock, firstSetSk: firstSet, flushSets: { try writer.write(bytes: $0) })
            (rowsRead, sha256) = try streamRows(into: assembler, dates: dates, rejects: &rejects)
        }
        if case .streaming = plan {
            let all = dates.languageOfAllTexts
            if all != dates.language {
                throw NeedsTwoPasses(reason: "the month language of all dates is \(all.rawValue), not \(dates.language.rawValue)")
            }
        }
        if case .scanned(let scan) = plan { sha256 = scan.sha256 }
        let fileId = try registerFile(sha256)
        summary.rowsRead = rowsRead
        summary.rowsRejected = rejects.count
        let counts = assembler.counts
        summary.workoutsNew = counts[.new]?.workouts ?? 0
        summary.workoutsUpdated = counts[.updated]?.workouts ?? 0
        summary.workoutsUnchanged = counts[.unchanged]?.workouts ?? 0
        summary.workoutsKeptFromAPI = counts[.api]?.workouts ?? 0
        summary.setsNew = counts[.new]?.sets ?? 0
        summary.setsUnchanged = (counts[.unchanged]?.sets ?? 0) + (counts[.api]?.sets ?? 0)

        try writeWorkouts(assembler, updated: summary.workoutsUpdated > 0, fileId: fileId)
        if summary.workoutsKeptFromAPI > 0 { try connection.query(HevyCSVMerge.linkAPIWorkouts, [fileId]) }
        let exerciseSk = try writeExercises(assembler.exercises)
        try writeBlocks(assembler, exerciseSk: exerciseSk)
        if assembler.workoutsAllocated > 0 {
            try advanceKey("core.workouts", "workout_sk", to: firstWorkout + assembler.workoutsAllocated - 1)
        }
        if assembler.blocksAllocated > 0 {
            try advanceKey("core.workout_exercises", "workout_exercise_sk", to: firstBlock + assembler.blocksAllocated - 1)
        }
        if assembler.setsAllocated > 0 {
            try advanceKey("core.sets", "set_sk", to: firstSet + assembler.setsAllocated - 1)
        }
        if summary.workoutsUpdated > 0 {
            let cmp = try connection.query(HevyCSVMerge.compareSets)
            summary.setsNew += Int(cmp.value(0, "sets_new") ?? "0") ?? 0
            summary.setsRemoved += Int(cmp.value(0, "sets_removed") ?? "0") ?? 0
            summary.setsUpdated += Int(cmp.value(0, "sets_updated") ?? "0") ?? 0
            summary.setsUnchanged += Int(cmp.value(0, "sets_unchanged") ?? "0") ?? 0
        }
        try bulk?.restore(on: connection)
        return (rejects, fileId)
    }

    /// Reads every record after the header, feeding valid rows to `assembler`; returns records read
    /// and, on a single pass, the file's SHA-256.
    private func streamRows(into assembler: HevyWorkoutAssembler, dates: DateResolver,
                            rejects: inout [RejectedRecord]) throws -> (Int, String) {
        let reader = try file.reader()
        var hasher = SHA256()
        if case .streaming = plan { reader.onChunk = { hasher.update(bufferPointer: $0) } }
        _ = try LoadError.reading { try reader.advance() }                    // header, checked by inspect
        var validator = HevyRowValidator(header: file.header, dates: dates)
        var completion = WorkoutCompletion(plan: plan, header: file.header)
        let payload = ByteBuffer(capacity: 256), binary = ByteBuffer(capacity: 256)
        var rowsRead = 0
        while true {
            do { guard try LoadError.reading({ try reader.advance() }) else { break } } catch CSVError.unterminatedQuote(let line) {
                // the rest of the file is one broken record: a reject holding its lines, and the end of the input
                rowsRead += 1
                rejects.append(RejectedRecord(line: line, field: nil, reason: "quoted field not closed before the end of the file",
                                              bytes: reader.rawRecordBytes))
                break
            }
            rowsRead += 1
            if rowsRead % 4096 == 0 { progress?.update(bytes: reader.bytesRead, rows: rowsRead) }
            payload.removeAll(); binary.removeAll()
            switch validator.validate(reader, payload: payload, binary: binary) {
            case .failure(let r):
                rejects.append(r)
            case .success(let row):
                if let done = try completion.finished(before: row) { try assembler.finish(done) }
                try assembler.add(row, payload: payload, binary: binary)
            }
            if let done = completion.finished(afterRecord: reader) { try assembler.finish(done) }
        }
        try assembler.finishAll()
        progress?.finish()
        return (rowsRead, Hex.lowercase(hasher.finalize()))
    }

    private func existingWorkouts() throws -> [WorkoutKey: HevyWorkoutAssembler.Existing] {
        var map: [WorkoutKey: HevyWorkoutAssembler.Existing] = [:]
        for row in try connection.query(HevyCSVMerge.existingWorkouts, [athleteSk]).rows {
            let p = (row[0] ?? "").split(separator: " ").compactMap { Int($0) }
            guard p.count == 5, let start = LocalDateTime(year: p[0], month: p[1], day: p[2], hour: p[3], minute: p[4]),
                  let title = row[1], let sk = Int(row[2] ?? "") else { continue }
            map[WorkoutKey(start: start, title: title)] =
                .init(sk: sk, hash: row[3], fromAPI: row[4] == "t", deleted: row[5] == "t")
        }
        return map
    }

    /// Writes the workouts: new ones copied straight into `core.workouts`, changed and API-owned ones staged
    /// (`stage_workouts`); changed ones get their old sets and blocks removed (the new ones are streamed in).
    private func writeWorkouts(_ assembler: HevyWorkoutAssembler, updated: Bool, fileId: String) throws {
        let previous = try connection.query(HevyCSVMerge.readLocalTimesIn, [timezone]).rows[0][0] ?? "UTC"
        if !assembler.stagedWorkoutRows.isEmpty {
            try connection.execute(HevyCSVMerge.createStageWorkouts)
            try connection.copyIn("COPY stage_workouts FROM STDIN") { try $0.write(bytes: assembler.stagedWorkoutRows) }
            try connection.execute("ANALYZE stage_workouts")
        }
        if updated {
            try connection.execute(HevyCSVMerge.snapshotOldSets)
            try connection.execute(HevyCSVMerge.deleteOldSets)
            try connection.execute(HevyCSVMerge.deleteOldBlocks)
            try connection.query(HevyCSVMerge.updateWorkouts, [fileId])
        }
        if !assembler.newWorkoutRows.isEmpty {
            let lead = Array("\(fileId)\t\(athleteSk)\thevy_csv\t".utf8)
            try connection.copyIn(HevyCSVMerge.copyNewWorkouts) { writer in
                var out: [UInt8] = []
                out.reserveCapacity(1 << 17)
                var start = 0
                let rows = assembler.newWorkoutRows
                while start < rows.count {
                    var end = start
                    while rows[end] != 0x0A { end += 1 }                     // escaped text has no raw newline
                    out.append(contentsOf: lead)
                    out.append(contentsOf: rows[start...end])
                    start = end + 1
                    if out.count >= 1 << 16 { try writer.write(bytes: out); out.removeAll(keepingCapacity: true) }
                }
                try writer.write(bytes: out)
            }
        }
        try connection.query(HevyCSVMerge.restoreTimezone, [previous])
    }

    /// Inserts the file's new exercises; returns every exercise key → exercise_sk.
    private func writeExercises(_ exercises: [(key: String, title: String)]) throws -> [String: Int] {
        guard !exercises.isEmpty else { return [:] }
        try connection.execute(HevyCSVMerge.createStageExercises)
        try connection.copyIn("COPY stage_exercises FROM STDIN") { writer in
            var row = CopyTextRow()
            for e in exercises {
                row.reset(); row.add(e.key); row.add(e.title); row.endRow()
                try writer.write(bytes: row.bytes)
            }
        }
        try connection.execute(HevyCSVMerge.insertExercises)
        var map: [String: Int] = [:]
        for row in try connection.query(HevyCSVMerge.exerciseKeys).rows {
            if let k = row[0], let sk = Int(row[1] ?? "") { map[k] = sk }
        }
        return map
    }

    private func writeBlocks(_ assembler: HevyWorkoutAssembler, exerciseSk: [String: Int]) throws {
        guard !assembler.blocks.isEmpty else { return }
        let exercises = assembler.exercises.map { exerciseSk[$0.key] }
        let notes = assembler.notes.map { raw -> (String, String?) in
            let text = NoteText.unescape(raw)
            return (text, text == raw ? nil : raw)                             // raw kept only when it differs
        }
        let athlete = Int(athleteSk)
        try connection.copyIn(HevyCSVMerge.copyBlocks) { writer in
            var row = CopyTextRow()
            var out: [UInt8] = []
            out.reserveCapacity(1 << 17)
            for b in assembler.blocks {
                let note = b.notes >= 0 ? notes[Int(b.notes)] : nil
                row.reset()
                row.add(b.sk); row.add(athlete); row.add(b.workoutSk); row.add(Int(b.position)); row.add(exercises[Int(b.exercise)])
                row.add(b.supersetId >= 0 ? Int(b.supersetId) : nil); row.add(note?.0); row.add(note?.1)
                row.endRow()
                out.append(contentsOf: row.bytes)
                if out.count >= 1 << 16 { try writer.write(bytes: out); out.removeAll(keepingCapacity: true) }
            }
            try writer.write(bytes: out)
        }
    }

    private func reserveKey(_ table: String, _ column: String) throws -> Int {
        Int(try connection.query(HevyCSVMerge.reserveKey, [table, column]).scalar ?? "") ?? 1
    }

    private func advanceKey(_ table: String, _ column: String, to last: Int) throws {
        try connection.query(HevyCSVMerge.advanceKey, [table, column, last])
    }
}
