import CSVStream
/// Decides, record by record, when all rows of a workout have been read, so it can be finished and
/// written while the file streams on.
///
/// After a first pass the last line of every workout is known. On a single pass a workout ends when a
/// row of another workout arrives; a row of an already finished workout means the file's workouts are
/// not contiguous, and the load needs its first pass (``HevyCSVApply/NeedsTwoPasses``).
struct WorkoutCompletion {
    private let extents: [WorkoutKey: WorkoutExtent]?
    private let workoutOfRawKey: [RawWorkoutKey: WorkoutKey]
    private var keys: RawWorkoutKeyReader
    private var current: WorkoutKey?
    private var lastLine = 0
    private var open: WorkoutKey?
    /// The shared fields object of the open workout's last row (the same object: no key comparison needed).
    private var openFields = HeldObject<WorkoutFields>()
    private var finished = Set<WorkoutKey>()

    init(plan: HevyCSVApply.Plan, header: HevyCSVHeader) {
        switch plan {
        case .scanned(let scan): extents = scan.extents; workoutOfRawKey = scan.workoutOfRawKey
        case .streaming: extents = nil; workoutOfRawKey = [:]
        }
        keys = RawWorkoutKeyReader(header: header)
    }

    /// On a single pass: the workout that `row` closes by starting another one.
    mutating func finished(before row: ValidSetRow) throws -> WorkoutKey? {
        guard extents == nil, !openFields.holds(row.workoutFields) else { return nil }
        openFields.hold(row.workoutFields)
        guard open != row.workout else { return nil }
        if finished.contains(row.workout) {
            throw HevyCSVApply.NeedsTwoPasses(reason: "line \(row.line): the rows of workout \(row.workout.title) are not contiguous")
        }
        let done = open
        if let done { finished.insert(done) }
        open = row.workout
        return done
    }

    /// After two passes: the workout whose last line the reader's current record (valid or rejected) was.
    /// Called once for every record, so the raw key is read as the first pass read it.
    mutating func finished(afterRecord reader: CSVReader) -> WorkoutKey? {
        guard let extents else { return nil }
        guard let (raw, changed) = keys.read(reader) else { return nil }
        if changed {
            current = workoutOfRawKey[raw]
            lastLine = current.flatMap { extents[$0]?.lastLine } ?? 0
        }
        return reader.line == lastLine ? current : nil
    }
}
