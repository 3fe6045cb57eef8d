/// The synthetic athlete's program: an upper/lower split with weekly progression and deloads.
struct TrainingProgram {
    /// How an exercise is loaded and progressed.
    struct Lift {
        var title: String
        var start: Double          // kg in week 0 (negative = assisted, 0 = bodyweight)
        var weeklyStep: Double     // kg added per non-deload week
        var sets: Int
        var reps: Int
        var warmups: Int = 0
        var kind: Kind = .weighted
        enum Kind { case weighted, bodyweight, duration, cardio }
    }

    /// One session of the week.
    struct Session {
        var title: String
        var weekday: Int           // 0 = Monday
        var hour: Int
        var lifts: [Lift]
    }

    static let sessions: [Session] = [
        Session(title: "Upper A", weekday: 0, hour: 18, lifts: [
            Lift(title: "Bench Press (Barbell)", start: 80, weeklyStep: 2.5, sets: 4, reps: 5, warmups: 2),
            Lift(title: "Bent Over Row (Barbell)", start: 70, weeklyStep: 2.5, sets: 3, reps: 8),
            Lift(title: "Overhead Press (Barbell)", start: 45, weeklyStep: 1.25, sets: 3, reps: 6),
            Lift(title: "Pull Up", start: 0, weeklyStep: 0, sets: 3, reps: 8, kind: .bodyweight),
            Lift(title: "Bicep Curl (Dumbbell)", start: 14, weeklyStep: 0.5, sets: 3, reps: 10),
        ]),
        Session(title: "Lower A", weekday: 1, hour: 7, lifts: [
            Lift(title: "Squat (Barbell)", start: 100, weeklyStep: 2.5, sets: 4, reps: 5, warmups: 3),
            Lift(title: "Romanian Deadlift (Barbell)", start: 90, weeklyStep: 2.5, sets: 3, reps: 8),
            Lift(title: "Leg Press (Machine)", start: 160, weeklyStep: 5, sets: 3, reps: 10),
            Lift(title: "Plank", start: 0, weeklyStep: 0, sets: 3, reps: 60, kind: .duration),
        ]),
        Session(title: "Upper B", weekday: 3, hour: 18, lifts: [
            Lift(title: "Incline Bench Press (Dumbbell)", start: 28, weeklyStep: 1, sets: 3, reps: 8, warmups: 1),
            Lift(title: "Lat Pulldown (Cable)", start: 60, weeklyStep: 2.5, sets: 3, reps: 10),
            Lift(title: "Chest Dip (Assisted)", start: -25, weeklyStep: 1.25, sets: 3, reps: 8),
            Lift(title: "Triceps Pushdown (Cable)", start: 25, weeklyStep: 1, sets: 3, reps: 12),
        ]),
        Session(title: "Lower B", weekday: 5, hour: 10, lifts: [
            Lift(title: "Deadlift (Barbell)", start: 130, weeklyStep: 5, sets: 3, reps: 5, warmups: 3),
            Lift(title: "Bulgarian Split Squat", start: 16, weeklyStep: 1, sets: 3, reps: 10),
            Lift(title: "Lying Leg Curl (Machine)", start: 40, weeklyStep: 1, sets: 3, reps: 12),
            Lift(title: "Treadmill", start: 0, weeklyStep: 0, sets: 1, reps: 0, kind: .cardio),
        ]),
    ]

    /// Every fifth week is a deload at 60 % of the working weight.
    static func isDeload(week: Int) -> Bool { week % 5 == 4 }

    /// The working weight in `week`, rounded to a 1.25 kg plate step (assisted loads shrink toward 0).
    static func weight(_ lift: Lift, week: Int) -> Double {
        let progressed = Double(week - week / 5)       // deload weeks do not progress
        // gains slow down as the athlete gets stronger
        var w = lift.start + lift.weeklyStep * progressed / (1 + progressed / 20)
        if lift.start < 0 { w = min(w, -5) }
        if isDeload(week: week) { w *= lift.start < 0 ? 1.4 : 0.6 }
        return (w / 1.25).rounded() * 1.25
    }
}
