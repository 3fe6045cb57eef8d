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
