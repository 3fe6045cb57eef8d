import Foundation

/// Who one athlete of the many-athlete sample is: time zone, program, body, diet app and logging habits.
///
/// Drawn from its own stream keyed by (seed, index) only, so athlete 7 is the same whether 10 or 1,000
/// athletes are written.
public struct AthleteProfile: Sendable {
    /// Which nutrition export the athlete's app writes.
    public enum NutritionApp: String, Sendable, CaseIterable { case cronometer, myfitnesspal, macrofactor }

    public let index: Int
    /// `athlete-0007` (the index, zero-padded to four digits).
    public let id: String
    public let timezone: String
    public let split: String
    /// Session titles and the exercise picked for each slot, in rotation order.
    let sessions: [(title: String, exercises: [ProgramCatalog.Choice])]
    public let sessionsPerWeek: Int
    /// Working sets per exercise and reps of the compound lifts.
    let workSets: Int, compoundReps: Int
    /// Share of the starting working weight gained per doubling of training age (in 26-week units), 0.06–0.2.
    let progression: Double
    /// Weeks in a progression wave; the last is a deload.
    let waveWeeks: Int
    /// Probability a set has an RPE logged.
    let rpeRate: Double
    let missRate: Double
    public let imperial: Bool
    public let bodyWeightKg: Double
    /// Amplitude (kg) and period (days) of the slow cut/bulk cycle of body weight.
    let weightSwingKg: Double, weightPeriodDays: Double, weightPhase: Double
    public let nutritionApp: NutritionApp
    /// Cronometer exports with a `Group` column and meal rows (else one row per day).
    let cronometerGroups: Bool
    /// Probability of a weigh-in on a day (some athletes weigh in rarely).
    let weighInRate: Double
    /// Probability a day is not logged, a week has no food logged, a week is a holiday.
    let skipDayRate: Double, foodGapWeekRate: Double, holidayWeekRate: Double
    /// Preferred session start, minutes after local midnight.
    let startMinute: Int
    /// The Monday the athlete started training (weights grow from here).
    let startedOn: CivilDay
    public let kcalTarget: Int, proteinTargetG: Int

    /// IANA zones across the world: whole, half- and three-quarter-hour offsets, with and without DST.
    public static let timezones = [
        "Europe/Lisbon", "America/New_York", "Asia/Kolkata", "Australia/Adelaide", "America/St_Johns",
        "Asia/Kathmandu", "Asia/Tokyo", "America/Los_Angeles", "Europe/Berlin", "Australia/Darwin",
        "America/Sao_Paulo", "Asia/Tehran", "Pacific/Auckland", "Africa/Lagos", "Pacific/Chatham",
        "America/Chicago", "Asia/Singapore", "Europe/London", "America/Phoenix", "Australia/Sydney",
        "Africa/Johannesburg", "Asia/Dubai", "America/Mexico_City", "Pacific/Honolulu", "Asia/Yangon",
        "Europe/Helsinki", "America/Bogota", "Asia/Seoul", "America/Anchorage", "Australia/Eucla",
        "Africa/Cairo", "America/Argentina/Buenos_Aires", "Asia/Jakarta", "Europe/Madrid", "America/Denver",
        "Asia/Colombo", "Europe/Istanbul", "America/Toronto", "Asia/Manila", "Atlantic/Azores",
    ]

    /// Athlete `index` (1-based) of the sample drawn with `seed`.
    public init(seed: UInt64, index: Int) {
        var rng = SeededRandom.keyed(seed, UInt64(index), 0x70726F66)        // "prof"
        self.index = index
        id = Self.id(index)
        // consecutive athletes get distinct zones (a seed-dependent rotation of the list)
        timezone = Self.timezones[(index - 1 + Int(seed % UInt64(Self.timezones.count))) % Self.timezones.count]
        let split = rng.pick(ProgramCatalog.splits)
        self.split = split.name
        sessionsPerWeek = Int.random(in: split.sessionsPerWeek, using: &rng)
        var picked: [ProgramCatalog.Slot: ProgramCatalog.Choice] = [:]
        for slot in ProgramCatalog.Slot.allCases { picked[slot] = rng.pick(ProgramCatalog.choices(slot)) }
        let perSession = Int.random(in: 3...4, using: &rng)      // shorter sessions for some athletes
        sessions = split.sessions.map { s in (s.title, s.slots.prefix(perSession).map { picked[$0]! }) }
        let strength = rng.chance(0.4)
        workSets = strength ? 3 : Int.random(in: 2...3, using: &rng)
        compoundReps = strength ? rng.pick([3, 5]) : rng.pick([6, 8, 10])
        progression = rng.uniform(0.06...0.20)
        waveWeeks = Int.random(in: 4...8, using: &rng)
        rpeRate = rng.pick([0.0, 0.3, 0.7, 0.95])
        missRate = rng.uniform(0.03...0.18)
        imperial = rng.chance(0.25)
        let female = rng.chance(0.4)
        bodyWeightKg = (female ? rng.uniform(52...80) : rng.uniform(65...110)).rounded()
        weightSwingKg = rng.uniform(1...5)
        weightPeriodDays = rng.uniform(150...400)
        weightPhase = rng.uniform(0...(2 * .pi))
        nutritionApp = rng.pick(NutritionApp.allCases)
        cronometerGroups = rng.chance(0.6)
        weighInRate = rng.pick([0.1, 0.3, 0.6, 0.9])
        skipDayRate = rng.uniform(0.02...0.15)
        foodGapWeekRate = rng.uniform(0...0.08)
        holidayWeekRate = rng.uniform(0.01...0.05)
        startMinute = rng.pick([6 * 60 + 30, 7 * 60, 12 * 60, 17 * 60, 18 * 60 + 30, 19 * 60 + 30])
        startedOn = CivilDay(year: 2021, month: 1, day: 4).adding(-7 * Int.random(in: 0...104, using: &rng))
        kcalTarget = Int((bodyWeightKg * 33 + (female ? 0 : 250)) / 50) * 50
        proteinTargetG = Int(bodyWeightKg * rng.uniform(1.6...2.2) / 5) * 5
    }

    /// The id of athlete `index`.
    public static func id(_ index: Int) -> String {
        let n = String(index)
        return "athlete-" + String(repeating: "0", count: max(0, 4 - n.count)) + n
    }

    /// The body weight (kg, before the day's noise) on `day`: a slow cut/bulk cycle around the start weight.
    func bodyWeight(on day: CivilDay) -> Double {
        bodyWeightKg + weightSwingKg * sin(2 * .pi * Double(day.number) / weightPeriodDays + weightPhase)
    }

    /// The intake that moves weight as ``bodyWeight(on:)`` does: maintenance plus 7,700 kcal per kg of change.
    func intakeKcal(on day: CivilDay) -> Double {
        let slope = weightSwingKg * 2 * .pi / weightPeriodDays * cos(2 * .pi * Double(day.number) / weightPeriodDays + weightPhase)
        return Double(kcalTarget) + 7_700 * slope
    }
}
