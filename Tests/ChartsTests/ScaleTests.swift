@testable import Charts
import Testing

/// Nice ticks, the linear scale, the date axis and number formatting.
@Suite("Chart scales and ticks")
struct ScaleTests {
    @Test func niceTicksCoverTheDataWithRoundSteps() {
        let t = NiceTicks(min: 3, max: 97)
        #expect(t.step == 20)
        #expect(t.values == [0, 20, 40, 60, 80, 100])
        #expect(t.low <= 3 && t.high >= 97)
        #expect(t.decimals == 0)

        let kg = NiceTicks(min: 81.3, max: 82.9)
        #expect(kg.step == 0.5)
        #expect(kg.values.first == 81 && kg.values.last == 83)
        #expect(kg.decimals == 1)

        let wide = NiceTicks(min: 0, max: 21_000)
        #expect(wide.step == 5_000)
        #expect(wide.values == [0, 5_000, 10_000, 15_000, 20_000, 25_000])
    }

    @Test func aSingleValueGetsARangeAroundIt() {
        let one = NiceTicks(min: 100, max: 100)
        #expect(one.low < 100 && one.high > 100)
        #expect(one.values.count >= 2)
        let zero = NiceTicks(min: 0, max: 0)
        #expect(zero.low <= 0 && zero.high >= 1)
    }

    @Test func negativeValuesTickThroughZero() {
        let t = NiceTicks(min: -0.8, max: 1.2)
        #expect(t.values.contains(0))
        #expect(t.low <= -0.8 && t.high >= 1.2)
        #expect(!t.values.contains { $0.sign == .minus && $0 == 0 })
    }

    @Test func theScaleMapsTheDomainOntoTheRange() {
        let s = LinearScale(domain: (0, 100), range: (200, 0))
        #expect(s(0) == 200)
        #expect(s(100) == 0)
        #expect(s(25) == 150)
        #expect(LinearScale(domain: (5, 5), range: (0, 10))(5) == 5)
    }

    @Test func calendarDaysRoundTripAcrossLeapYearsAndTheEpoch() {
        #expect(CalendarDay(iso: "1970-01-01")?.number == 0)
        #expect(CalendarDay(iso: "2024-03-01")!.number - CalendarDay(iso: "2024-02-28")!.number == 2)
        #expect(CalendarDay(iso: "2026-01-05T10:00:00")?.number == CalendarDay(iso: "2026-01-05")?.number)
        let d = CalendarDay(iso: "2026-12-31")!
        #expect((d.year, d.month, d.day) == (2026, 12, 31))
        #expect(CalendarDay(iso: "not a date") == nil)
        #expect(CalendarDay(iso: "2026-13-01") == nil)
    }

    @Test func dateTicksPickMondaysOrMonthStartsThatFit() {
        let jan5 = CalendarDay(iso: "2026-01-05")!.number  // a Monday
        let weeks = DateTicks(first: jan5 + 1, last: jan5 + 40, maxCount: 5)
        #expect(weeks.ticks.count <= 5 && weeks.ticks.count >= 2)
        #expect(weeks.ticks.allSatisfy { ($0.day - jan5) % 7 == 0 })

        let halfYear = DateTicks(first: jan5, last: jan5 + 182, maxCount: 5)
        #expect(halfYear.ticks.count <= 5 && halfYear.ticks.count >= 2)
        #expect(halfYear.ticks.allSatisfy { CalendarDay(number: $0.day).day == 1 })
        #expect(halfYear.ticks.first?.label.hasSuffix("2026") == true)

        let days = DateTicks(first: jan5, last: jan5 + 2, maxCount: 5)
        #expect(days.ticks.map(\.label) == ["5 Jan", "6 Jan", "7 Jan"])
    }

    @Test func numbersPrintWithThousandsSeparatorsAndFixedDecimals() {
        #expect(ChartFormat.number(12_345.678, decimals: 1) == "12,345.7")
        #expect(ChartFormat.number(-1_000) == "-1,000")
        #expect(ChartFormat.number(-0.001, decimals: 1) == "0.0")
        #expect(ChartFormat.number(999) == "999")
        #expect(ChartFormat.value(82.5) == "82.5")
        #expect(ChartFormat.value(2_400) == "2,400")
        #expect(ChartFormat.value(1.25) == "1.25")
    }
}
