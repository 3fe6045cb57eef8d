import Foundation

/// Everything a weekly report says, read from the marts: the report week, the four weeks before it and the daily series.
///
/// Written as `<athlete>/<YYYY-Www>.json` beside the report; `fitdata report weekly --from-facts FILE` renders a
/// report again from it without the database. Weeks are ISO weeks (Monday..Sunday) in the athlete's local dates.
/// Values are the marts' shown values (kg and kcal to 2 decimals, percentages to 1); `nil` means "no value"
/// (not logged, no target, or before the athlete's first week).
public struct WeeklyFacts: Codable, Sendable, Equatable {
    /// The version of this structure; bumped when a field changes meaning.
    public var formatVersion: Int
    public var athleteId: String
    /// The athlete's IANA time zone (`core.athletes.timezone`).
    public var timezone: String
    /// The report week, `2026-W47`.
    public var isoWeek: String
    /// Monday of the report week, `YYYY-MM-DD`.
    public var weekStart: String
    /// Sunday of the report week.
    public var weekEnd: String
    /// Five weeks: element 0 is the report week, 1 the week before, …, 4 four weeks before.
    public var weeks: [WeekFacts]
    /// Weighted hard sets per muscle group (primary 1.0, secondary 0.5) over the five weeks, most trained first.
    public var muscleGroups: [MuscleGroupFacts]
    /// The report week's main lifts by rank (the marts' `int_main_lifts__weekly`: most hard sets over 12 weeks).
    public var mainLifts: [MainLiftFacts]
    /// Exercises with a personal record in the report week.
    public var personalRecords: [PersonalRecord]
    /// One element per day of the five weeks, oldest first: intake, targets, weigh-in and trend weight.
    public var days: [DayFacts]
    /// What is missing, per week (no training, no logging, no weigh-ins, no targets).
    public var missing: [MissingData]

    public init(athleteId: String, timezone: String, isoWeek: String, weekStart: String, weekEnd: String,
                weeks: [WeekFacts], muscleGroups: [MuscleGroupFacts], mainLifts: [MainLiftFacts],
                personalRecords: [PersonalRecord], days: [DayFacts], missing: [MissingData]) {
        self.formatVersion = 1
        self.athleteId = athleteId
        self.timezone = timezone
        self.isoWeek = isoWeek
        self.weekStart = weekStart
        self.weekEnd = weekEnd
        self.weeks = weeks
        self.muscleGroups = muscleGroups
        self.mainLifts = mainLifts
        self.personalRecords = personalRecords
        self.days = days
        self.missing = missing
    }

    /// The report week's facts (element 0 of ``weeks``).
    public var thisWeek: WeekFacts { weeks[0] }
}

/// One ISO week of training, intake and body weight (a row of `mart_weekly_training_diet` as `mart_weekly_report` shows it).
public struct WeekFacts: Codable, Sendable, Equatable {
    public var isoWeek: String
    public var weekStart: String
    /// False for a week before the athlete's first week with data (every value then nil).
    public var hasData: Bool
    public var sessions: Int?
    public var targetSessions: Double?
    /// 100 × sessions / target sessions, 1 decimal; nil without a target.
    public var sessionAdherencePct: Double?
    public var hardSets: Int?
    public var tonnageKg: Double?
    /// Exercise sessions that set at least one PR (weight, e1RM, best set, session tonnage).
    public var prs: Int?
    public var avgKcal: Double?
    public var targetKcal: Double?
    public var avgProteinG: Double?
    public var targetProteinG: Double?
    public var daysLogged: Int?
    /// 100 × days within ±10 % of the calorie target and at/above the protein target / 7.
    public var dietAdherencePct: Double?
    /// 100 × days at or above the protein target / 7.
    public var proteinAdherencePct: Double?
    public var weighIns: Int?
    /// Trend weight on the week's Sunday.
    public var trendWeightKg: Double?
    /// Trend weight change over the week (Sunday − Sunday before).
    public var trendWeightChangeKg: Double?
    /// 7700 × trend change / 7; only with 7 logged days and ≥ 2 weigh-ins.
    public var energyBalanceKcalPerDay: Double?
    public var estimatedMaintenanceKcal: Double?

    public init(isoWeek: String, weekStart: String, hasData: Bool) {
        self.isoWeek = isoWeek
        self.weekStart = weekStart
        self.hasData = hasData
    }
}

/// Weighted hard sets of one muscle group over the five weeks (element 0 the report week).
public struct MuscleGroupFacts: Codable, Sendable, Equatable {
    public var muscleGroup: String
    public var hardSets: [Double]

    public init(muscleGroup: String, hardSets: [Double]) {
        self.muscleGroup = muscleGroup
        self.hardSets = hardSets
    }
}

/// A main lift of the report week: its best e1RM in each of the five weeks and its four-week change.
public struct MainLiftFacts: Codable, Sendable, Equatable {
    public var rank: Int
    public var exerciseId: Int
    public var exerciseTitle: String
    /// Best e1RM per week, element 0 the report week; nil in a week it was not trained.
    public var e1rmKg: [Double?]
    /// Best e1RM of the 4 weeks ending with the report week − best of the 4 weeks before.
    public var e1rmChangeKg: Double?

    public init(rank: Int, exerciseId: Int, exerciseTitle: String, e1rmKg: [Double?], e1rmChangeKg: Double?) {
        self.rank = rank
        self.exerciseId = exerciseId
        self.exerciseTitle = exerciseTitle
        self.e1rmKg = e1rmKg
        self.e1rmChangeKg = e1rmChangeKg
    }
}

/// An exercise with at least one personal record in the report week (`mart_exercise_progression`).
public struct PersonalRecord: Codable, Sendable, Equatable {
    public var exerciseTitle: String
    /// The kinds set: `weight`, `e1rm`, `best_set`, `session_tonnage`.
    public var kinds: [String]
    /// Best e1RM of the week (named so that its snake_case JSON key, `e1rm_kg`, converts back).
    public var e1rmKg: Double?
    public var topSetWeightKg: Double?
    public var topSetReps: Int?

    public init(exerciseTitle: String, kinds: [String], e1rmKg: Double?, topSetWeightKg: Double?, topSetReps: Int?) {
        self.exerciseTitle = exerciseTitle
        self.kinds = kinds
        self.e1rmKg = e1rmKg
        self.topSetWeightKg = topSetWeightKg
        self.topSetReps = topSetReps
    }
}

/// One local day of the five weeks: intake (nil when not logged), the day's targets, weigh-in and trend.
public struct DayFacts: Codable, Sendable, Equatable {
    public var date: String
    public var kcal: Double?
    public var targetKcal: Double?
    public var proteinG: Double?
    public var targetProteinG: Double?
    public var weightKg: Double?
    public var trendKg: Double?

    public init(date: String, kcal: Double? = nil, targetKcal: Double? = nil, proteinG: Double? = nil,
                targetProteinG: Double? = nil, weightKg: Double? = nil, trendKg: Double? = nil) {
        self.date = date
        self.kcal = kcal
        self.targetKcal = targetKcal
        self.proteinG = proteinG
        self.targetProteinG = targetProteinG
        self.weightKg = weightKg
        self.trendKg = trendKg
    }
}

/// Something the facts cannot say for a week because it was not logged.
public struct MissingData: Codable, Sendable, Equatable {
    /// What is missing.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// A week before the athlete's first week with data.
        case noData = "no_data"
        /// No workout logged.
        case noTraining = "no_training"
        /// No day with logged intake.
        case noNutrition = "no_nutrition"
        /// Some days without logged intake (1..6 logged).
        case partialNutrition = "partial_nutrition"
        /// No weigh-in.
        case noWeighIns = "no_weigh_ins"
        /// No calorie or protein target in effect.
        case noDietTargets = "no_diet_targets"
    }

    public var isoWeek: String
    public var kind: Kind
    /// Days logged, for ``Kind/partialNutrition``.
    public var daysLogged: Int?

    public init(isoWeek: String, kind: Kind, daysLogged: Int? = nil) {
        self.isoWeek = isoWeek
        self.kind = kind
        self.daysLogged = daysLogged
    }
}
