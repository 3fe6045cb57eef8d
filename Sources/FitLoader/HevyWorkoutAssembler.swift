import PostgresClient
import Crypto

/// Groups a file's valid set rows into workouts and exercise blocks, decides per workout whether it is
/// new, changed, unchanged or owned by the API, and emits what must be written.
///
/// A workout is finished when its last line (known from the first pass) has been read, or on a single
/// pass when the next one starts, so normally one workout is open at a time. Sets go to `core.sets` in
/// COPY form with keys allocated here: a new workout's (no stored version) as they are read, a stored
/// workout's once its hash shows it changed. Blocks and workout rows are kept to be written afterwards.
final class HevyWorkoutAssembler {
    /// A workout already in `core` under the same natural key.
    struct Existing {
        let sk: Int
        let hash: String?
        let fromAPI: Bool
        let deleted: Bool
    }

    /// What a finished workout needs.
    enum Action: String { case new, updated, unchanged, api }

    /// An exercise block to write into `core.workout_exercises` once exercise keys are known
    /// (compact: kept for every block of the file until then).
    struct Block {
        var sk: Int
        let workoutSk: Int
        let position: Int32
        /// Index into ``HevyWorkoutAssembler/exercises``.
        let exercise: Int32
        /// -1 when the block has none.
        let supersetId: Int32
        /// Index into ``HevyWorkoutAssembler/notes``; -1 when the block has none.
        let notes: Int32
    }

    private final class OpenWorkout {
        let key: WorkoutKey
        let end: LocalDateTime
        let descriptionRaw: String?
        /// New workouts (no stored version) get their keys as they are read and their sets go out at once;
        /// the others are buffered until their hash decides.
        let direct: Bool
        /// The workout's key: allocated when a new workout opens, the stored one otherwise.
        let sk: Int
        /// Blocks in order; `sk` is allocated when the block starts (direct) or when the workout is finished.
        var blocks: [Block] = []
        /// The current block's exercise fields, to see where the next block starts.
        var lastExercise = HeldObject<ExerciseFields>()
        var lastSetIndex = Int.min
        var setPos = 0
        var setCount = 0
        /// Buffered workouts: the sets' columns as binary COPY fields.
        let payload: ByteBuffer?
        /// Buffered workouts, per set: block, position in the block, source line, end of its fields in `payload`.
        var sets: [(block: Int32, position: Int32, line: Int32, end: Int32)] = []
        /// Everything the workout's hash covers, hashed once when it is finished (one SHA-256 call, not one a row).
        let hashInput = ByteBuffer(capacity: 2048)

        init(key: WorkoutKey, end: LocalDateTime, descriptionRaw: String?, settings: [UInt8], direct: Bool, sk: Int) {
            self.key = key; self.end = end; self.descriptionRaw = descriptionRaw; self.direct = direct; self.sk = sk
            payload = direct ? nil : ByteBuffer(capacity: 1024)
            hashInput.append(contentsOf: settings)
        }
    }

    private let existing: [WorkoutKey: Existing]
    /// The athlete of every row (`athlete_sk` of the sets, the distribution column on Citus).
    private let athleteSk: Int
    /// Everything that changes stored values besides the rows: zone and unit factors.
    private let settings: [UInt8]
    private var open: [WorkoutKey: OpenWorkout] = [:]
    private var lastOpen: OpenWorkout?
    /// The shared fields object of the rows last added to `lastOpen` (identical object: same workout).
    private var lastFields = HeldObject<WorkoutFields>()
    private var nextWorkoutSk: Int
    private var nextBlockSk: Int
    private var nextSetSk: Int
    private let flushSets: (UnsafeBufferPointer<UInt8>) throws -> Void
    /// Binary COPY stream of `core.sets` (``HevyCSVMerge/copySets``), from its header on.
    private let setRows = ByteBuffer(capacity: 1 << 17)

    /// Allocated keys: workouts `firstWorkoutSk..<nextWorkoutSk`, blocks `firstBlockSk..<nextBlockSk`, sets likewise.
    let firstWorkoutSk: Int, firstBlockSk: Int, firstSetSk: Int
    var setsAllocated: Int { nextSetSk - firstSetSk }
    var workoutsAllocated: Int { nextWorkoutSk - firstWorkoutSk }
    var blocksAllocated: Int { nextBlockSk - firstBlockSk }

    /// Blocks of new and changed workouts, in order.
    private(set) var blocks: [Block] = []
    /// `stage_workouts` rows in COPY text form: changed and API-owned workouts.
    private(set) var stagedWorkoutRows: [UInt8] = []
    /// New workouts in COPY text form, one line each: the columns of ``HevyCSVMerge/copyNewWorkouts`` after
    /// the constant leading ones (file, athlete, source), which the writer puts in front of each line.
    private(set) var newWorkoutRows: [UInt8] = []
    /// Distinct exercises of the valid rows: matching key → first display title, in order of appearance.
    private(set) var exercises: [(key: String, title: String)] = []
    private var exerciseIndex: [String: Int32] = [:]
    /// Distinct exercise notes of the file's blocks (as exported).
    private(set) var notes: [String] = []
    private var notesIndex: [String: Int32] = [:]
    private(set) var counts: [Action: (workouts: Int, sets: Int)] = [:]

    init(existing: [WorkoutKey: Existing], athleteSk: Int, settings: String, firstWorkoutSk: Int, firstBlockSk: Int,
         firstSetSk: Int, flushSets: @escaping (UnsafeBufferPointer<UInt8>) throws -> Void) {
        self.existing = existing
        self.athleteSk = athleteSk
        self.settings = Array(settings.utf8) + [0x0A]
        self.firstWorkoutSk = firstWorkoutSk; nextWorkoutSk = firstWorkoutSk
        self.firstBlockSk = firstBlockSk; nextBlockSk = firstBlockSk
        self.firstSetSk = firstSetSk; nextSetSk = firstSetSk
        self.flushSets = flushSets
        setRows.append(contentsOf: BinaryCopy.header)
    }

    /// Adds a valid row whose set columns are `payload` (text, hashed; a newline is appended to it) and
    /// `binary` (binary COPY fields, written) — see ``HevyRowValidator/validate(_:payload:binary:)``.
    func add(_ row: ValidSetRow, payload: ByteBuffer, binary: ByteBuffer) throws {
        let w: OpenWorkout
        if let last = lastOpen, lastFields.holds(row.workoutFields) || last.key == row.workout { w = last }
        else if let o = open[row.workout] { w = o }
        else {
            let stored = existing[row.workout]
            w = OpenWorkout(key: row.workout, end: row.end, descriptionRaw: row.descriptionRaw, settings: settings,
                            direct: stored == nil, sk: stored?.sk ?? nextWorkoutSk)
            if stored == nil { nextWorkoutSk += 1 }
            open[row.workout] = w
        }
        if lastOpen !== w { lastOpen = w }
        lastFields.hold(row.workoutFields)
        let sameExercise = w.lastExercise.holds(row.exerciseFields) || row.exerciseTitle == w.lastExercise.object?.title
        if !sameExercise || row.setIndex <= w.lastSetIndex {
            var sk = 0
            if w.direct { sk = nextBlockSk; nextBlockSk += 1 }
            let exercise: Int32
            if let e = exerciseIndex[row.exerciseKey] { exercise = e } else {
                exercise = Int32(exercises.count)
                exerciseIndex[row.exerciseKey] = exercise
                exercises.append((row.exerciseKey, row.exerciseTitle))
            }
            var note: Int32 = -1
            if let raw = row.notesRaw {
                if let i = notesIndex[raw] { note = i } else {
                    note = Int32(notes.count); notesIndex[raw] = note; notes.append(raw)
                }
            }
            w.blocks.append(Block(sk: sk, workoutSk: w.sk, position: Int32(w.blocks.count), exercise: exercise,
                                  supersetId: Int32(clamping: row.supersetId ?? -1), notes: note))
            w.lastExercise.hold(row.exerciseFields)
            w.setPos = 0
            let h = w.hashInput
            h.append(0x42)                                                   // "B", then the block's stored fields
            h.append(utf8: row.exerciseKey); h.append(0x09)
            if let s = row.supersetId { h.appendInteger(s) }
            h.append(0x09)
            h.append(utf8: row.notesRaw ?? "\u{0}"); h.append(0x0A)
        } else {
            w.setPos += 1
        }
        w.lastSetIndex = row.setIndex
        w.setCount += 1
        payload.append(0x0A)
        w.hashInput.append(contentsOf: payload.bytes)
        if w.direct {
            writeSetKeys(block: w.blocks[w.blocks.count - 1].sk, position: w.setPos, line: row.line)
            setRows.append(contentsOf: binary.bytes)
            if setRows.count >= 1 << 16 { try flush() }
        } else {
            w.payload!.append(contentsOf: binary.bytes)
            w.sets.append((Int32(w.blocks.count - 1), Int32(w.setPos), Int32(truncatingIfNeeded: row.line),
                           Int32(w.payload!.count)))
        }
    }

    /// Starts a set row: its field count, then its key (allocated here), athlete, block, position and source line.
    @inline(__always)
    private func writeSetKeys(block: Int, position: Int, line: Int) {
        BinaryCopy.beginRow(12, in: setRows)
        BinaryCopy.int8(nextSetSk, setRows)
        nextSetSk += 1
        BinaryCopy.int8(athleteSk, setRows)
        BinaryCopy.int8(block, setRows)
        BinaryCopy.int4(position, setRows)
        BinaryCopy.int4(line, setRows)
    }

    /// Finishes the workout `key` if it is open: decides its action and emits its rows.
    func finish(_ key: WorkoutKey) throws {
        guard let w = open.removeValue(forKey: key) else { return }
        if lastOpen === w { lastOpen = nil; lastFields.hold(nil) }
        var h = w.hashInput
        h.append(0x57)                                                       // "W", then the workout's own fields
        w.end.appendText(to: &h); h.append(0x09)
        h.append(utf8: w.descriptionRaw ?? "\u{0}")
        var hasher = SHA256()
        hasher.update(bufferPointer: UnsafeRawBufferPointer(w.hashInput.bytes))
        let hash = Hex.lowercase(hasher.finalize())
        let old = existing[key]
        let action: Action
        switch old {
        case nil: action = .new
        case let o? where o.fromAPI: action = .api
        case let o? where o.hash == hash && !o.deleted: action = .unchanged
        default: action = .updated
        }
        counts[action, default: (0, 0)].workouts += 1
        counts[action, default: (0, 0)].sets += w.setCount
        guard action != .unchanged else { return }
        stageWorkout(w, action: action, sk: w.sk, hash: hash)
        guard action != .api else { return }
        if !w.direct {
            for i in w.blocks.indices { w.blocks[i].sk = nextBlockSk; nextBlockSk += 1 }
        }
        blocks.append(contentsOf: w.blocks)
        guard let payload = w.payload else { return }
        var start = 0
        for s in w.sets {
            writeSetKeys(block: w.blocks[Int(s.block)].sk, position: Int(s.position), line: Int(s.line))
            let end = Int(s.end)
            setRows.append(payload, start..<end)
            start = end
        }
        if setRows.count >= 1 << 16 { try flush() }
    }

    /// Finishes every workout still open (in a well-formed file there is none), then sends what is buffered.
    func finishAll() throws {
        for key in open.keys.sorted(by: { $0.start < $1.start || ($0.start == $1.start && $0.title < $1.title) }) {
            try finish(key)
        }
        setRows.append(contentsOf: BinaryCopy.trailer)
        try flush()
    }

    private func flush() throws {
        guard !setRows.isEmpty else { return }
        try flushSets(setRows.bytes)
        setRows.removeAll()
    }

    private func stageWorkout(_ w: OpenWorkout, action: Action, sk: Int, hash: String) {
        var row = CopyTextRow()
        let text = w.descriptionRaw.map(NoteText.unescape)
        let raw = text == w.descriptionRaw ? nil : w.descriptionRaw                  // raw kept only when it differs
        if action == .new {
            // local times are read by the server in the athlete's zone (see HevyCSVApply.writeWorkouts)
            row.add(sk); row.add(w.key.title); row.add(text); row.add(raw)
            row.add(w.key.start); row.add(w.key.start); row.add(w.end); row.add(date: w.key.start); row.add(hash)
            row.endRow()
            newWorkoutRows.append(contentsOf: row.bytes)
            return
        }
        row.add(action.rawValue)
        row.add(sk)
        row.add(w.key.start)
        row.add(w.key.title)
        row.add(w.end)
        row.add(text)
        row.add(raw)
        row.add(hash)
        row.endRow()
        stagedWorkoutRows.append(contentsOf: row.bytes)
    }
}
