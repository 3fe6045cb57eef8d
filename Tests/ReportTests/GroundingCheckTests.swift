import Testing
@testable import Report

/// Facts with hand-picked values: this week 3 of 4 sessions, 2450.43 kcal vs 2600, trend −0.35 kg, squat e1RM 140.5.
func groundingFacts() -> WeeklyFacts {
    var weeks: [WeekFacts] = (0..<5).map { i in
        var w = WeekFacts(isoWeek: "2026-W\(47 - i)", weekStart: "2026-11-\(16 - 7 * i)", hasData: true)
        w.sessions = [3, 4, 4, 2, 4][i]
        w.targetSessions = 4
        w.sessionAdherencePct = [75, 100, 100, 50, 100][i]
        w.hardSets = [58, 64, 60, 30, 62][i]
        w.tonnageKg = [12345.67, 13000.5, 12800, 6000, 12950][i]
        w.avgKcal = [2450.43, 2600, 2550, 2700, 2480][i]
        w.targetKcal = 2600
        w.avgProteinG = [151.2, 160, 158, 140, 150][i]
        w.targetProteinG = 160
        w.daysLogged = [6, 7, 7, 5, 7][i]
        w.dietAdherencePct = [42.9, 71.4, 57.1, 14.3, 57.1][i]
        w.trendWeightKg = [80.12, 80.47, 80.6, 80.7, 80.9][i]
        w.trendWeightChangeKg = [-0.35, -0.13, -0.1, -0.2, -0.05][i]
        w.weighIns = [3, 4, 2, 0, 3][i]
        return w
    }
    weeks[0].energyBalanceKcalPerDay = nil
    weeks[1].energyBalanceKcalPerDay = -143
    weeks[1].estimatedMaintenanceKcal = 2743
    return WeeklyFacts(athleteId: "me", timezone: "Europe/Lisbon", isoWeek: "2026-W47", weekStart: "2026-11-16", weekEnd: "2026-11-22",
                       weeks: weeks,
                       muscleGroups: [MuscleGroupFacts(muscleGroup: "quadriceps", hardSets: [12.5, 14, 13, 6, 12])],
                       mainLifts: [MainLiftFacts(rank: 1, exerciseId: 1, exerciseTitle: "Squat (Barbell)", e1rmKg: [140.5, 138, nil, 135, 132.25],
                                                 e1rmChangeKg: 5.5)],
                       personalRecords: [PersonalRecord(exerciseTitle: "Squat (Barbell)", kinds: ["e1rm"], e1rmKg: 140.5,
                                                        topSetWeightKg: 120, topSetReps: 5)],
                       days: [], missing: MissingDataRule.find(in: weeks))
}

@Suite("Grounding check")
struct GroundingCheckTests {
    let check = GroundingCheck(facts: groundingFacts())

    func unverified(_ text: String) -> [String] { check.unverified(in: text).map(\.text) }

    @Test func factsRoundedToTheShownPrecisionVerify() {
        #expect(unverified("You averaged 2450 kcal, or 2450.4 kcal, against 2600 kcal; tonnage was 12,345.67 kg (12346 kg).") == [])
        #expect(unverified("Trend weight 80.1 kg, down 0.35 kg; squat e1RM 140.5 kg.") == [])
    }

    @Test func wrongNumbersAreListed() {
        #expect(unverified("You averaged 2475 kcal and your squat reached 142.5 kg.") == ["2475 kcal", "142.5 kg"])
        // 2450.43 to one decimal is 2450.4, not 2450.5
        #expect(unverified("Intake 2450.5 kcal.") == ["2450.5 kcal"])
    }

    @Test func unitChangesVerify() {
        // 140.5 kg = 309.75 lb; −0.35 kg = 350 g; 2600 kcal = 10878 kJ
        #expect(unverified("Squat 309.7 lb, trend down 350 g, target 10878 kJ.") == [])
        #expect(unverified("Squat 310.9 lb.") == ["310.9 lb"])
    }

    @Test func unitPicksTheDimension() {
        // 58 is this week's hard sets (a count), not a mass: "58 kg" does not verify
        #expect(unverified("You did 58 hard sets.") == [])
        #expect(unverified("You lifted 58 kg.") == ["58 kg"])
    }

    @Test func derivedValuesVerify() {
        // sessions 3 vs 4 the week before: 1 fewer, −25 %; intake 2450.43 vs target 2600: 149.57 below, 94.2 % of target;
        // hard sets 58 vs the mean of the previous four (54): +4; e1RM 140.5 vs 138: +2.5 kg, +1.8 %
        #expect(unverified("One session fewer (1), down 25% from 4. Intake was 150 kcal below target, 94.2% of it. "
                           + "Hard sets 4 above your 4-week average of 54. Squat up 2.5 kg (1.8%).") == [])
        #expect(unverified("Squat up 3.5 kg.") == ["3.5 kg"])
    }

    @Test func datesWeeksAndOrdinalsAreNotClaims() {
        let text = """
            ### 2026-W47 (2026-11-16 to 2026-11-22)
            1. Week 47 went well; on 16/11 and Nov 18th you trained, and on 20 de novembro too.
            2) Your 3rd session at 07:30 was the best; e1RM rose.
            """
        #expect(unverified(text) == [])
        // the report's year alone is a year; with a unit, or another year, it is a claim
        #expect(unverified("Your best block of 2026.") == [])
        #expect(unverified("You ate 2026 kcal; back in 1999.") == ["2026 kcal", "1999"])
    }

    @Test func signsGluedUnitsAndWeekWords() {
        #expect(unverified("Trend −0.35 kg, squat +2.5kg; top set 120kg × 5. In week 47 you did 58 sets.") == [])
        // after "week" only a bare 1..53 is a week number: with a unit it is a claim
        #expect(unverified("This week 99 kg was lifted.") == ["99 kg"])
    }

    @Test func portugueseDecimalCommaAndGrouping() {
        #expect(unverified("Ingestão média de 2450,4 kcal; peso de tendência 80,12 kg; volume 12.346 kg.") == [])
        #expect(unverified("Agachamento 141,5 kg.") == ["141,5 kg"])
    }

    @Test func roundNumbersMayDropTrailingDigits() {
        // 2450.43 ≈ 2,500 (hundreds) and 12345.67 ≈ 12,300; 2,900 is 2,700 or 2,743 rounded to nothing
        #expect(unverified("About 2,500 kcal a day and 12,300 kg moved.") == [])
        #expect(unverified("You hit 100% of the session target last week.") == [])   // last week's session adherence
        #expect(unverified("Around 2,900 kcal.") == ["2,900 kcal"])
    }

    @Test func contextNamesTheSentence() {
        let u = check.unverified(in: "First line.\nYour bench press reached 99.5 kg this week.")
        #expect(u.count == 1)
        #expect(u.first?.context == "Your bench press reached 99.5 kg this week.")
    }

    @Test func scannerReadings() {
        #expect(NumberScanner.readings(of: "1,234")!.map(\.value).sorted() == [1.234, 1234])
        #expect(NumberScanner.readings(of: "82,5")!.map(\.value) == [82.5])
        #expect(NumberScanner.readings(of: "12,345.67")!.map(\.value) == [12345.67])
        #expect(NumberScanner.scan("e1RM of 140 kg in W47").map(\.text) == ["140"])
    }
}
