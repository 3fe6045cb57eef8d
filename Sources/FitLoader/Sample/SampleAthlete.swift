import Foundation

/// Writes a deterministic synthetic athlete in the real export formats: a Hevy CSV (English app, kg/km),
/// and for the same days a Cronometer daily-nutrition export and a body-weight CSV (see ``SampleDiet``).
///
/// The program progresses weekly, deloads every fifth week and misses some sessions; notes carry
/// commas, quotes and newlines so every parser path is exercised.
public struct SampleAthlete {
    public let weeks: Int
    public let seed: UInt64
    /// The last day covered (a Sunday by default), so the output does not depend on today's date.
    public let endDate: DateComponents

    public init(weeks: Int, seed: UInt64, endDate: DateComponents = DateComponents(year: 2026, month: 11, day: 22)) {
        self.weeks = weeks
        self.seed = seed
        self.endDate = endDate
    }

    static let header = SampleText.hevyHeader
    static let months = SampleText.months

    /// Writes the files into `directory` and returns their URLs.
    @discardableResult
    public func write(to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("hevy_workouts.csv")
        try hevyCSV().write(to: url, atomically: true, encoding: .utf8)
        let diet = SampleDiet(days: days(), seed: seed)
        let nutrition = directory.appendingPathComponent("cronometer_dailysummary.csv")
        try diet.cronometerCSV().write(to: nutrition, atomically: true, encoding: .utf8)
        let weight = directory.appendingPathComponent("body_weight.csv")
        try diet.bodyWeightCSV().write(to: weight, atomically: true, encoding: .utf8)
        return [url, nutrition, weight]
    }

    /// Every day covered, Monday of the first week to `endDate`.
    func days() -> [DateComponents] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let end = calendar.date(from: endDate)!
        return (0..<(weeks * 7)).map { i in
            calendar.dateComponents([.year, .month, .day], from: calendar.date(byAdding: .day, value: i - (weeks * 7 - 1), to: end)!)
        }
    }

    /// The Hevy export text, newest workout first and without a final newline, as the app writes it.
    public func hevyCSV() -> String {
        var rng = SeededRandom(seed: seed)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let end = calendar.date(from: endDate)!
        let firstMonday = calendar.date(byAdding: .day, value: -(weeks * 7 - 1), to: end)!
        var workouts: [[String]] = []
        for week in 0..<weeks {
            for session in TrainingProgram.sessions {
                if rng.chance(0.08) { continue }                    // missed session
                let day = calendar.date(byAdding: .day, value: week * 7 + session.weekday, to: firstMonday)!
                let startMinute = session.hour * 60 + Int.random(in: -20...25, using: &rng)
                let length = Int.random(in: 55...85, using: &rng)
                workouts.append(rows(session: session, week: week, day: day, startMinute: startMinute,
                                     length: length, calendar: calendar, rng: &rng))
            }
        }
        let lines = workouts.reversed().flatMap { $0 }
        return ([Self.header] + lines).joined(separator: "\n")
    }

    private func rows(session: TrainingProgram.Session, week: Int, day: Date, startMinute: Int, length: Int,
                      calendar: Calendar, rng: inout SeededRandom) -> [String] {
        let start = stamp(day, minute: startMinute, calendar: calendar)
        let end = stamp(day, minute: startMinute + length, calendar: calendar)
        let deload = TrainingProgram.isDeload(week: week)
        let description = deload ? "Deload week, \"easy\" pace" : (week % 7 == 3 ? "Felt strong;\nslept 8h" : "")
        let q = SampleText.quoted
        var out: [String] = []
        for (index, lift) in session.lifts.enumerated() {
            let superset = session.title.hasPrefix("Upper") && index >= 3 ? "0" : ""
            let notes = lift.warmups > 0 && week % 6 == 1 ? "Belt on top sets, cue: \"chest up\"" : ""
            var setIndex = 0
            func add(_ type: String, weight: String, reps: String, distance: String = "", duration: String = "", rpe: String = "") {
                out.append([q(session.title), q(start), q(end), q(description), q(lift.title), superset, q(notes),
                            String(setIndex), q(type), weight, reps, distance, duration, rpe].joined(separator: ","))
                setIndex += 1
            }
            let work = TrainingProgram.weight(lift, week: week)
            switch lift.kind {
            case .cardio:
                let km = 2.0 + Double(Int.random(in: 0...10, using: &rng)) / 10
                add("normal", weight: "", reps: "", distance: fmt(km), duration: String(Int(km * 360) + Int.random(in: 0...60, using: &rng)))
                continue
            case .duration:
                for _ in 0..<lift.sets { add("normal", weight: "", reps: "", duration: String(lift.reps + 15 * (week / 4))) }
                continue
            case .bodyweight, .weighted:
                break
            }
            for w in 0..<lift.warmups {
                let frac = 0.4 + 0.2 * Double(w)
                add("warmup", weight: fmt((work * frac / 2.5).rounded() * 2.5), reps: String(max(3, 8 - 2 * w)))
            }
            let sets = deload ? max(2, lift.sets - 1) : lift.sets
            for s in 0..<sets {
                var reps = lift.reps + (lift.kind == .bodyweight ? week / 3 : 0)
                if !deload, s == sets - 1, rng.chance(0.25) { reps -= Int.random(in: 1...2, using: &rng) }
                let failure = !deload && s == sets - 1 && rng.chance(0.15)
                let logsRPE = rng.chance(0.7)
                let rpe = deload ? 6.0 : min(10, 7 + Double(s) * 0.5 + (failure ? 1.5 : 0))
                add(failure ? "failure" : "normal", weight: lift.kind == .bodyweight ? "" : fmt(work),
                    reps: String(reps), rpe: logsRPE ? fmt(rpe) : "")
            }
            if lift.title == "Bench Press (Barbell)", !deload, rng.chance(0.3) {
                add("dropset", weight: fmt(work * 0.7), reps: "10")
            }
        }
        return out
    }

    private func stamp(_ day: Date, minute: Int, calendar: Calendar) -> String {
        let t = calendar.date(byAdding: .minute, value: minute, to: day)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: t)
        return "\(c.day!) \(Self.months[c.month! - 1]) \(c.year!), \(String(format: "%02d:%02d", c.hour!, c.minute!))"
    }

    private func fmt(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%g", v)
    }
}
