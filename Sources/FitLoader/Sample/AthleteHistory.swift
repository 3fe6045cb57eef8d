import Foundation

/// One athlete of the many-athlete sample written in the real export formats: `hevy_workouts.csv`
/// (kg or lbs), a nutrition export from the athlete's app (Cronometer daily, MyFitnessPal summary or a
/// MacroFactor sheet, which also carries the weigh-ins) and, except for MacroFactor, `body_weight.csv`.
///
/// Every week and day is drawn from its own stream keyed by (seed, athlete, calendar day), so a day's
/// data does not depend on how many weeks are written or in which order: the files are streamed week by
/// week (Hevy's newest-first order) or day by day, with memory bounded by one week.
struct AthleteHistory {
    let profile: AthleteProfile
    let seed: UInt64
    /// First day written (a Monday when the last day is a Sunday) and last day.
    let first: CivilDay, last: CivilDay

    /// What a week looks like: a holiday (no training, little food logging), a week without food
    /// logging, or part of a longer break (nothing logged, few weigh-ins).
    struct WeekPlan { let holiday: Bool, foodGap: Bool, inBreak: Bool }

    /// What was written, for the summary line.
    struct Written { var files: [URL] = []; var bytes = 0; var workouts = 0; var setRows = 0 }

    private enum Stream: UInt64 { case week = 1, breakBlock, workout, day }

    private func rng(_ stream: Stream, _ key: Int) -> SeededRandom {
        SeededRandom.keyed(seed, UInt64(profile.index), stream.rawValue, UInt64(bitPattern: Int64(key)))
    }

    /// The plan of the week holding `day`.
    func week(of day: CivilDay) -> WeekPlan {
        let monday = day.adding(-day.weekday)
        var r = rng(.week, monday.number)
        let holiday = r.chance(profile.holidayWeekRate), foodGap = r.chance(profile.foodGapWeekRate)
        // about one break of 2–6 weeks in two 52-week blocks (an injury, a move, a busy season)
        let weekNumber = (monday.number - 4) / 7
        var b = rng(.breakBlock, weekNumber / 52)
        let hasBreak = b.chance(0.5), start = b.below(46), length = Int.random(in: 2...6, using: &b)
        let inBreak = hasBreak && (start..<(start + length)).contains(weekNumber % 52)
        return WeekPlan(holiday: holiday, foodGap: foodGap, inBreak: inBreak)
    }

    /// Writes the athlete's files into `directory`.
    func write(to directory: URL) throws -> Written {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var out = Written()
        try writeHevy(directory.appendingPathComponent(Self.hevyName), into: &out)
        try writeNutrition(directory.appendingPathComponent(nutritionName), into: &out)
        if let name = bodyWeightName { try writeBodyWeight(directory.appendingPathComponent(name), into: &out) }
        return out
    }

    static let hevyName = "hevy_workouts.csv"
    var nutritionName: String {
        switch profile.nutritionApp {
        case .cronometer: return "cronometer_dailysummary.csv"
        case .myfitnesspal: return "myfitnesspal_nutrition_summary.csv"
        case .macrofactor: return "macrofactor_daily.csv"
        }
    }
    /// MacroFactor sheets carry the weigh-ins; the other apps' athletes have a scale CSV.
    var bodyWeightName: String? { profile.nutritionApp == .macrofactor ? nil : "body_weight.csv" }

    // MARK: training

    private func writeHevy(_ url: URL, into out: inout Written) throws {
        let file = try SampleFileWriter(url)
        try file.line(profile.imperial ? SampleText.hevyHeaderImperial : SampleText.hevyHeader)
        let days = ProgramCatalog.weekdays(profile.sessionsPerWeek)
        var monday = last.adding(-last.weekday)
        while monday.adding(6) >= first {                                     // newest week first, as Hevy exports
            let plan = week(of: monday)
            if !plan.holiday && !plan.inBreak {
                let weekNumber = (monday.number - 4) / 7
                for (k, weekday) in days.enumerated().reversed() {
                    let day = monday.adding(weekday)
                    guard day >= first, day <= last else { continue }
                    var r = rng(.workout, day.number)
                    if r.chance(profile.missRate) { continue }
                    let session = profile.sessions[(weekNumber * profile.sessionsPerWeek + k) % profile.sessions.count]
                    let rows = workoutRows(session, day: day, weekNumber: weekNumber, rng: &r)
                    for row in rows { try file.line(row) }
                    out.workouts += 1
                    out.setRows += rows.count
                }
            }
            monday = monday.adding(-7)
        }
        try file.finish(finalNewline: false)                                  // Hevy writes no final newline
        out.files.append(url); out.bytes += file.bytes
    }

    private func workoutRows(_ session: (title: String, exercises: [ProgramCatalog.Choice]), day: CivilDay,
                             weekNumber: Int, rng r: inout SeededRandom) -> [String] {
        let q = SampleText.quoted
        let base = day.weekday >= 5 ? 10 * 60 : profile.startMinute
        let startMinute = min(max(base + Int.random(in: -30...30, using: &r), 5 * 60 + 30), 20 * 60 + 30)
        let start = SampleText.hevyStamp(day, minute: startMinute)
        let end = SampleText.hevyStamp(day, minute: startMinute + Int.random(in: 40...95, using: &r))
        let trainingWeeks = max(0, (day.number - profile.startedOn.number) / 7)
        let wave = weekNumber % profile.waveWeeks, deload = wave == profile.waveWeeks - 1
        let description = deload ? "Deload, \"easy\" week" : (r.chance(0.05) ? "Slept badly,\nshort session" : "")
        let prefix = [q(session.title), q(start), q(end), q(description)].joined(separator: ",")
        var rows: [String] = []
        for (e, lift) in session.exercises.enumerated() {
            let head = prefix + "," + q(lift.title) + ",," + q(e == 0 && r.chance(0.1) ? "Cue: brace, \"chest up\"" : "") + ","
            var index = 0
            func add(_ type: String, weight: String = "", reps: String = "", distance: String = "", duration: String = "", rpe: String = "") {
                rows.append(head + String(index) + "," + q(type) + "," + [weight, reps, distance, duration, rpe].joined(separator: ","))
                index += 1
            }
            let growth = 1 + profile.progression * log2(1 + Double(trainingWeeks) / 26)
            switch lift.kind {
            case .cardio:
                let km = Double(Int.random(in: 20...60, using: &r)) / 10
                let distance = profile.imperial ? km / 1.609344 : km
                add("normal", distance: SampleText.decimal(Int((distance * 100).rounded())), duration: String(Int(km * 330) + Int.random(in: 0...90, using: &r)))
                continue
            case .duration:
                let seconds = min(120, 30 + trainingWeeks / 4)
                for _ in 0..<profile.workSets { add("normal", duration: String(seconds)) }
                continue
            case .bodyweight:
                let reps = min(15, 5 + trainingWeeks / 20 + wave / 2)
                for s in 0..<profile.workSets { add("normal", reps: String(s == profile.workSets - 1 && r.chance(0.3) ? reps - 1 : reps), rpe: rpe(s, wave, deload, &r)) }
                continue
            case .weighted, .assisted:
                break
            }
            let kg = lift.kind == .assisted
                ? lift.ratio * profile.bodyWeightKg / growth
                : lift.ratio * profile.bodyWeightKg * growth * (1 + 0.025 * Double(wave)) * (deload ? 0.8 : 1)
            let compound = lift.isCompound
            if e == 0, compound, lift.kind == .weighted {
                for w in 0..<(r.chance(0.5) ? 2 : 1) { add("warmup", weight: load(kg * (0.5 + 0.2 * Double(w))), reps: "5") }
            }
            let reps = compound ? profile.compoundReps : min(15, profile.compoundReps + 4)
            let sets = deload ? max(1, profile.workSets - 1) : profile.workSets
            for s in 0..<sets {
                let last = s == sets - 1
                let failure = !deload && last && r.chance(0.08)
                add(failure ? "failure" : "normal", weight: load(kg), reps: String(last && r.chance(0.25) ? reps - 1 : reps),
                    rpe: rpe(s, wave, deload || failure, &r))
            }
            if !compound, !deload, r.chance(0.05) { add("dropset", weight: load(kg * 0.7), reps: String(reps)) }
        }
        return rows
    }

    /// The working weight `kg` in the export's unit, on a plate step (2.5 kg / 5 lb; 1 kg / 2.5 lb when light).
    private func load(_ kg: Double) -> String {
        let value = profile.imperial ? kg / 0.45359237 : kg
        let step = profile.imperial ? (abs(value) >= 45 ? 500 : 250) : (abs(value) >= 20 ? 250 : 100)
        let hundredths = Int((value * 100 / Double(step)).rounded()) * step
        return SampleText.decimal(hundredths == 0 ? (value < 0 ? -step : step) : hundredths)
    }

    /// An RPE (6.5–10 in halves) when the athlete logs one for this set.
    private func rpe(_ set: Int, _ wave: Int, _ hardOrEasy: Bool, _ r: inout SeededRandom) -> String {
        guard r.chance(profile.rpeRate) else { return "" }
        let halves = min(20, 13 + set + wave + (hardOrEasy ? 2 : 0))
        return SampleText.decimal(halves * 5, scale: 10)
    }

    // MARK: diet and scale

    /// The day's intake in hundredths (kcal, protein, carbs, fat, fiber, sodium), or nil when not logged.
    private func intake(_ day: CivilDay, _ r: inout SeededRandom) -> [Int]? {
        let plan = week(of: day)
        let skip = r.chance(profile.skipDayRate)
        guard !plan.inBreak, !plan.foodGap, !skip, !plan.holiday || r.chance(0.4) else { return nil }
        let kcal = Int((profile.intakeKcal(on: day) + (day.weekday >= 5 ? 250 : 0) + r.uniform(-250...250)) * 100)
        let protein = Int(Double(profile.proteinTargetG) * r.uniform(0.85...1.15) * 100)
        let carbs = Int(Double(kcal) * 0.45 / 4)
        let fat = max(0, (kcal - protein * 4 - carbs * 4) / 9)
        return [kcal, protein, carbs, fat, Int(r.uniform(18...40) * 100), Int(r.uniform(1_800...3_400) * 100)]
    }

    /// The weigh-in of `day` in kg, or nil.
    private func weighIn(_ day: CivilDay, _ r: inout SeededRandom) -> Double? {
        let rate = week(of: day).inBreak ? profile.weighInRate * 0.2 : profile.weighInRate
        guard r.chance(rate) else { return nil }
        return profile.bodyWeight(on: day) + r.uniform(-0.6...0.6)
    }

    /// Splits `total` over four meals (25/30/35/10 %) so the parts add up to it exactly.
    private static func meals(_ total: [Int]) -> [(String, [Int])] {
        var left = total
        return [("Breakfast", 25), ("Lunch", 30), ("Dinner", 35), ("Snacks", 10)].enumerated().map { m, meal in
            let part = m == 3 ? left : total.map { $0 * meal.1 / 100 }
            for k in left.indices { left[k] -= part[k] }
            return (meal.0, part)
        }
    }

    private func writeNutrition(_ url: URL, into out: inout Written) throws {
        let file = try SampleFileWriter(url)
        let app = profile.nutritionApp
        switch app {
        case .cronometer:
            try file.line("Date," + (profile.cronometerGroups ? "Group," : "") + "Energy (kcal),Protein (g),Carbs (g),Fat (g),Fiber (g),Sodium (mg),Completed")
        case .myfitnesspal:
            try file.line("Date,Meal,Calories,Fat (g),Sodium (mg),Carbohydrates (g),Fiber,Protein (g),Note")
        case .macrofactor:
            let u = profile.imperial ? "lbs" : "kg"
            try file.line("Date,Expenditure,Trend Weight (\(u)),Weight (\(u)),Steps,Calories (kcal),Protein (g),Fat (g),Carbs (g),Target Calories (kcal),Target Protein (g),Target Fat (g),Target Carbs (g)")
        }
        var day = first
        while day <= last {
            var r = rng(.day, day.number)
            let values = intake(day, &r)
            let date = SampleText.isoDate(day)
            switch app {
            case .cronometer:
                let group = profile.cronometerGroups ? ",\"Total\"" : ""
                guard let values else { try file.line(date + group + String(repeating: ",", count: 6) + ",false"); break }
                try file.line(date + group + "," + values.map(SampleText.cents).joined(separator: ",") + ",true")
                if profile.cronometerGroups, r.chance(0.4) {
                    for (meal, part) in Self.meals(values) {
                        try file.line(date + ",\"\(meal)\"," + part.map(SampleText.cents).joined(separator: ",") + ",true")
                    }
                }
            case .myfitnesspal:
                guard let values else { break }                               // MyFitnessPal lists logged days only
                for (meal, part) in Self.meals(values) {
                    let t = part.map { $0 / 10 }                              // tenths
                    try file.line([date, meal, SampleText.tenths(t[0]), SampleText.tenths(t[3]), SampleText.tenths(t[5]),
                                   SampleText.tenths(t[2]), SampleText.tenths(t[4]), SampleText.tenths(t[1]), ""].joined(separator: ","))
                }
            case .macrofactor:
                let weighed = weighIn(day, &r).map(scale)
                let trend = SampleText.decimal(Int((scale(profile.bodyWeight(on: day)) * 100).rounded()))
                let expenditure = String(Int(Double(profile.kcalTarget) + r.uniform(-120...120)))
                let steps = String(Int.random(in: 2_500...15_000, using: &r))
                let food = values.map { v in [String(v[0] / 100), SampleText.decimal(v[1] / 10, scale: 10),
                                              SampleText.decimal(v[3] / 10, scale: 10), SampleText.decimal(v[2] / 10, scale: 10)] }
                    ?? ["", "", "", ""]
                try file.line(([SampleText.usShortDate(day), expenditure, trend,
                                weighed.map { SampleText.decimal(Int(($0 * 10).rounded()), scale: 10) } ?? "", steps]
                               + food + ["", "", "", ""]).joined(separator: ","))
            }
            day = day.adding(1)
        }
        try file.finish(finalNewline: true)
        out.files.append(url); out.bytes += file.bytes
    }

    /// Kilograms in the athlete's unit.
    private func scale(_ kg: Double) -> Double { profile.imperial ? kg / 0.45359237 : kg }

    private func writeBodyWeight(_ url: URL, into out: inout Written) throws {
        let file = try SampleFileWriter(url)
        try file.line(profile.imperial ? "date,weight_lbs" : "date,weight_kg")
        var day = first
        while day <= last {
            var r = rng(.day, day.number)
            _ = intake(day, &r)                                              // same stream as the diet: draw past it
            if let kg = weighIn(day, &r) {
                try file.line(SampleText.isoDate(day) + "," + SampleText.decimal(Int((scale(kg) * 10).rounded()), scale: 10))
            }
            day = day.adding(1)
        }
        try file.finish(finalNewline: true)
        out.files.append(url); out.bytes += file.bytes
    }
}
