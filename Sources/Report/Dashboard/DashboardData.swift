/// Everything the dashboard shows for one athlete, read from the marts in one snapshot.
public struct DashboardData: Sendable, Equatable {
    /// The athlete's id, time zone and the last day with data.
    public var athlete: String
    public var timezone: String?
    public var lastDate: String?
    /// Weekly progression of each main lift, main lift 1 first.
    public var lifts: [LiftProgression]
    /// Weighted hard sets per muscle group for the last weeks (oldest first).
    public var muscleWeeks: [String]
    public var muscleSets: [MuscleSets]
    /// Every week from the first to the last of the athlete's data, oldest first.
    public var weeks: [WeekRow]
    /// Logged days of intake, oldest first.
    public var intake: [IntakeDay]
    /// Days from the first to the last weigh-in, oldest first.
    public var bodyWeight: [BodyWeightDay]
}

/// One main lift's best e1RM and top set per week, with the weeks that set a PR.
public struct LiftProgression: Sendable, Equatable {
    public var exerciseId: Int64
    public var title: String
    public var weeks: [LiftWeek]
}

/// One week of a lift.
public struct LiftWeek: Sendable, Equatable {
    public var weekStart: String
    public var e1rmKg: Double?
    public var topSetKg: Double?
    public var isE1rmPR: Bool
    public var isWeightPR: Bool
}

/// A muscle group's weighted hard sets in each of ``DashboardData/muscleWeeks`` (nil = not trained that week).
public struct MuscleSets: Sendable, Equatable {
    public var muscleGroup: String
    public var sets: [Double?]
}

/// One ISO week of training and diet (mart_weekly_training_diet).
public struct WeekRow: Sendable, Equatable {
    public var isoWeek: String
    public var weekStart: String
    public var sessions: Int
    public var targetSessions: Double?
    public var hardSets: Double?
    public var tonnageKg: Double?
    public var avgKcal: Double?
    public var targetKcal: Double?
    public var avgProteinG: Double?
    public var targetProteinG: Double?
    public var daysLogged: Int
    public var dietAdherencePct: Double?
    public var weighIns: Int
    public var trendWeightKg: Double?
    public var trendWeightChangeKg: Double?
    public var energyBalanceKcalPerDay: Double?
}

/// One logged day of intake with the targets in effect that day.
public struct IntakeDay: Sendable, Equatable {
    public var date: String
    public var kcal: Double
    public var proteinG: Double?
    public var targetKcal: Double?
    public var targetProteinG: Double?
}

/// One day of body weight: the weigh-in, if any, and the smoothed trend.
public struct BodyWeightDay: Sendable, Equatable {
    public var date: String
    public var weightKg: Double?
    public var trendKg: Double
}
