/// The splits and exercise choices the many-athlete sample draws programs from (titles as in the
/// exercise seed, `dbt_style_models/seeds/exercise_muscle_map.csv`).
enum ProgramCatalog {
    /// A movement slot of a session, filled per athlete with one of its ``Choice``s.
    enum Slot: CaseIterable {
        case squat, hinge, horizontalPress, verticalPress, horizontalPull, verticalPull
        case chestAccessory, quads, hamstrings, calves, biceps, triceps, lateralDelts, core, cardio
    }

    /// One exercise for a slot: how it is loaded, and its starting working weight as a fraction of body weight.
    struct Choice {
        enum Kind { case weighted, bodyweight, assisted, duration, cardio }
        let title: String
        let kind: Kind
        let ratio: Double
        var isCompound: Bool { ratio >= 0.5 }
    }

    /// A named split: its sessions in rotation, and how many sessions a week it suits.
    struct Split {
        let name: String
        let sessions: [(title: String, slots: [Slot])]
        let sessionsPerWeek: ClosedRange<Int>
    }

    static func choices(_ slot: Slot) -> [Choice] {
        func w(_ t: String, _ r: Double) -> Choice { Choice(title: t, kind: .weighted, ratio: r) }
        switch slot {
        case .squat: return [w("Squat (Barbell)", 1.0), w("Front Squat", 0.8), w("Hack Squat (Machine)", 1.1),
                             w("Leg Press (Machine)", 1.8), w("Goblet Squat", 0.3)]
        case .hinge: return [w("Deadlift (Barbell)", 1.3), w("Romanian Deadlift (Barbell)", 0.9),
                             w("Deadlift (Trap bar)", 1.3), w("Hip Thrust (Barbell)", 1.1)]
        case .horizontalPress: return [w("Bench Press (Barbell)", 0.8), w("Bench Press (Dumbbell)", 0.3),
                                       w("Incline Bench Press (Barbell)", 0.65), w("Chest Press (Machine)", 0.7)]
        case .verticalPress: return [w("Overhead Press (Barbell)", 0.5), w("Shoulder Press (Dumbbell)", 0.2),
                                     w("Seated Overhead Press (Dumbbell)", 0.2), w("Arnold Press (Dumbbell)", 0.18)]
        case .horizontalPull: return [w("Bent Over Row (Barbell)", 0.7), w("Seated Cable Row - V Grip (Cable)", 0.7),
                                      w("Dumbbell Row", 0.35), w("T Bar Row", 0.6)]
        case .verticalPull: return [w("Lat Pulldown (Cable)", 0.7), Choice(title: "Pull Up", kind: .bodyweight, ratio: 0),
                                    Choice(title: "Chin Up", kind: .bodyweight, ratio: 0),
                                    Choice(title: "Pull Up (Assisted)", kind: .assisted, ratio: -0.3)]
        case .chestAccessory: return [w("Chest Fly (Dumbbell)", 0.15), w("Butterfly (Pec Deck)", 0.5),
                                      w("Incline Bench Press (Dumbbell)", 0.28), w("Cable Fly Crossovers", 0.2)]
        case .quads: return [w("Leg Extension (Machine)", 0.5), w("Bulgarian Split Squat", 0.2), w("Lunge (Dumbbell)", 0.2)]
        case .hamstrings: return [w("Lying Leg Curl (Machine)", 0.45), w("Seated Leg Curl (Machine)", 0.5)]
        case .calves: return [w("Standing Calf Raise (Machine)", 0.9), w("Seated Calf Raise", 0.6)]
        case .biceps: return [w("Bicep Curl (Dumbbell)", 0.15), w("Bicep Curl (Barbell)", 0.35),
                              w("Hammer Curl (Dumbbell)", 0.16), w("Preacher Curl (Machine)", 0.3)]
        case .triceps: return [w("Triceps Pushdown (Cable)", 0.3), w("Skullcrusher (Barbell)", 0.35),
                               w("Triceps Rope Pushdown", 0.25), Choice(title: "Triceps Dip", kind: .bodyweight, ratio: 0)]
        case .lateralDelts: return [w("Lateral Raise (Dumbbell)", 0.1), w("Lateral Raise (Cable)", 0.08), w("Face Pull", 0.25)]
        case .core: return [Choice(title: "Plank", kind: .duration, ratio: 0), Choice(title: "Hanging Leg Raise", kind: .bodyweight, ratio: 0),
                            w("Cable Crunch", 0.4)]
        case .cardio: return [Choice(title: "Treadmill", kind: .cardio, ratio: 0), Choice(title: "Cycling", kind: .cardio, ratio: 0),
                              Choice(title: "Rowing Machine", kind: .cardio, ratio: 0)]
        }
    }

    static let splits: [Split] = [
        Split(name: "Full Body", sessions: [
            ("Full Body A", [.squat, .horizontalPress, .horizontalPull, .core]),
            ("Full Body B", [.hinge, .verticalPress, .verticalPull, .biceps]),
            ("Full Body C", [.squat, .horizontalPress, .verticalPull, .hamstrings]),
        ], sessionsPerWeek: 2...3),
        Split(name: "Upper/Lower", sessions: [
            ("Upper A", [.horizontalPress, .horizontalPull, .verticalPress, .biceps, .triceps]),
            ("Lower A", [.squat, .hamstrings, .calves, .core]),
            ("Upper B", [.verticalPress, .verticalPull, .chestAccessory, .lateralDelts]),
            ("Lower B", [.hinge, .quads, .calves, .cardio]),
        ], sessionsPerWeek: 4...4),
        Split(name: "Push/Pull/Legs", sessions: [
            ("Push", [.horizontalPress, .verticalPress, .lateralDelts, .triceps]),
            ("Pull", [.verticalPull, .horizontalPull, .biceps]),
            ("Legs", [.squat, .hinge, .hamstrings, .calves]),
        ], sessionsPerWeek: 3...6),
        Split(name: "Body Part", sessions: [
            ("Chest", [.horizontalPress, .chestAccessory, .triceps]),
            ("Back", [.verticalPull, .horizontalPull, .hinge]),
            ("Legs", [.squat, .quads, .hamstrings, .calves]),
            ("Shoulders", [.verticalPress, .lateralDelts, .core]),
            ("Arms", [.biceps, .triceps, .cardio]),
        ], sessionsPerWeek: 5...5),
    ]

    /// Training weekdays (0 = Monday) for `n` sessions a week.
    static func weekdays(_ n: Int) -> [Int] {
        switch n {
        case ...2: return [1, 4]
        case 3: return [0, 2, 4]
        case 4: return [0, 1, 3, 5]
        case 5: return [0, 1, 2, 4, 5]
        default: return [0, 1, 2, 3, 4, 5]
        }
    }
}
