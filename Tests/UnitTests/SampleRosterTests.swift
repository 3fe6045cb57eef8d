@testable import FitLoader
import Foundation
import Testing

/// The many-athlete sample (`fitdata sample --athletes N`): deterministic, independent of N, varied, with gaps.
@Suite("Sample roster")
struct SampleRosterTests {
    static func tempDir(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("roster-\(name)-\(UUID().uuidString.prefix(8))")
    }

    /// Every regular file under `dir`, by relative path.
    static func files(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey])!
        for case let url as URL in e where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            out[String(url.path.dropFirst(dir.path.count + 1))] = try Data(contentsOf: url)
        }
        return out
    }

    /// FNV-1a, 64 bits: a fingerprint of bytes written before this change.
    static func fnv1a(_ d: Data) -> UInt64 {
        d.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    @Test func theSameSeedWritesTheSameBytesWhateverTheJobs() throws {
        let a = Self.tempDir("a"), b = Self.tempDir("b"), c = Self.tempDir("c")
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(at: d) } }
        let one = try SampleRoster(athletes: 6, weeks: 10, seed: 9).write(to: a, jobs: 1)
        _ = try SampleRoster(athletes: 6, weeks: 10, seed: 9).write(to: b, jobs: 3)
        _ = try SampleRoster(athletes: 6, weeks: 10, seed: 10).write(to: c, jobs: 2)
        let fa = try Self.files(a), fb = try Self.files(b), fc = try Self.files(c)
        #expect(fa.count >= 6 * 2 + 1 && fa.keys.sorted() == fb.keys.sorted())
        for (path, data) in fa { #expect(fb[path] == data, "\(path)") }
        #expect(fa["athletes.csv"] != fc["athletes.csv"])                        // another seed, other athletes
        #expect(one.workouts > 0 && one.setRows > one.workouts && one.bytes == fa.values.reduce(0) { $0 + $1.count })
        #expect(!fa.keys.contains { $0.hasSuffix(".partial") })
    }

    @Test func athleteSevenIsTheSameWhateverTheNumberOfAthletes() throws {
        let small = Self.tempDir("n7"), big = Self.tempDir("n12")
        defer { for d in [small, big] { try? FileManager.default.removeItem(at: d) } }
        _ = try SampleRoster(athletes: 7, weeks: 12, seed: 5).write(to: small)
        _ = try SampleRoster(athletes: 12, weeks: 12, seed: 5).write(to: big)
        let fs = try Self.files(small), fb = try Self.files(big)
        let seventh = fs.keys.filter { $0.hasPrefix("athlete-0007/") }
        #expect(!seventh.isEmpty)
        for path in seventh { #expect(fs[path] == fb[path], "\(path)") }
        let rows = { (d: Data) in String(decoding: d, as: UTF8.self).split(separator: "\n") }
        #expect(rows(fs["athletes.csv"]!)[7] == rows(fb["athletes.csv"]!)[7])
        #expect(rows(fb["athletes.csv"]!).count == 13 && rows(fb["athletes.csv"]!)[0] == Substring(SampleRoster.manifestHeader))
    }

    @Test func oneAthleteKeepsTheBytesWrittenBeforeTheRoster() throws {
        let dir = Self.tempDir("one"); defer { try? FileManager.default.removeItem(at: dir) }
        let urls = try SampleAthlete(weeks: 26, seed: 42).write(to: dir)
        // (size, FNV-1a) of `fitdata sample --weeks 26 --seed 42` as written before --athletes existed
        let before: [String: (Int, UInt64)] = [
            "hevy_workouts.csv": (146_608, 0x5463_e89e_29c8_afd5),
            "cronometer_dailysummary.csv": (26_520, 0x95b2_31ad_93f0_a2a5),
            "body_weight.csv": (1_999, 0xec16_b6e5_0651_d69e),
        ]
        #expect(urls.map(\.lastPathComponent).sorted() == before.keys.sorted())
        for url in urls {
            let d = try Data(contentsOf: url), want = before[url.lastPathComponent]!
            #expect(d.count == want.0 && Self.fnv1a(d) == want.1, "\(url.lastPathComponent)")
        }
    }

    @Test func athletesDifferInZoneProgramUnitsAndDiet() throws {
        let profiles = (1...12).map { AthleteProfile(seed: 42, index: $0) }
        #expect(Set(profiles.map(\.timezone)).count == 12)                         // consecutive athletes: distinct zones
        #expect(Set((1...AthleteProfile.timezones.count).map { AthleteProfile(seed: 3, index: $0).timezone }).count
                == AthleteProfile.timezones.count)
        let zones = profiles.prefix(8).compactMap { TimeZone(identifier: $0.timezone) }
        #expect(zones.count == 8)
        let january = Date(timeIntervalSince1970: 1_767_225_600), july = Date(timeIntervalSince1970: 1_782_864_000)
        #expect(zones.contains { $0.secondsFromGMT(for: january) % 3_600 != 0 })   // a half-hour (or 45-minute) offset
        #expect(zones.contains { $0.secondsFromGMT(for: january) != $0.secondsFromGMT(for: july) })   // DST
        #expect(zones.contains { $0.secondsFromGMT(for: january) == $0.secondsFromGMT(for: july) })   // no DST
        #expect(Set(profiles.map(\.split)).count >= 3)
        #expect(Set(profiles.map(\.sessionsPerWeek)).count >= 3)
        #expect(Set(profiles.map(\.nutritionApp)).count == 3)
        #expect(Set(profiles.map(\.imperial)).count == 2)
        #expect(Set(profiles.map(\.bodyWeightKg)).count >= 8)
        #expect(Set(profiles.map(\.progression)).count == 12)
        let programs = profiles.map { $0.sessions.flatMap { $0.exercises.map(\.title) }.joined(separator: "|") }
        #expect(Set(programs).count == 12)                                          // exercise selection differs
        #expect(Set(profiles.map(\.weighInRate)).count >= 3)
    }

    @Test func historiesHaveHolidaysBreaksFoodGapsAndSparseWeighIns() throws {
        let roster = SampleRoster(athletes: 10, weeks: 104, seed: 42)
        var holidays = 0, breaks = 0, foodGaps = 0
        for i in 1...10 {
            let h = roster.history(i)
            var day = h.first
            while day <= h.last {
                let p = h.week(of: day)
                if p.holiday { holidays += 1 }
                if p.inBreak { breaks += 1 }
                if p.foodGap { foodGaps += 1 }
                day = day.adding(7)
            }
        }
        #expect(holidays > 0 && breaks > 0 && foodGaps > 0)
        let dir = Self.tempDir("gaps"); defer { try? FileManager.default.removeItem(at: dir) }
        _ = try SampleRoster(athletes: 10, weeks: 104, seed: 42).write(to: dir)
        var weighInShares: [Double] = []
        for i in 1...10 {
            let h = roster.history(i)
            let folder = dir.appendingPathComponent(h.profile.id)
            // training weeks without any workout (holidays, breaks)
            let hevy = try String(contentsOf: folder.appendingPathComponent("hevy_workouts.csv"), encoding: .utf8)
            let workoutDays = Set(hevy.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[1] + $0.split(separator: ",")[2] })
            #expect(workoutDays.count < 104 * h.profile.sessionsPerWeek, "\(h.profile.id)")
            if let bw = h.bodyWeightName {
                let lines = try String(contentsOf: folder.appendingPathComponent(bw), encoding: .utf8).split(separator: "\n").count - 1
                weighInShares.append(Double(lines) / (104 * 7))
            }
        }
        #expect(weighInShares.contains { $0 < 0.35 } && weighInShares.contains { $0 > 0.5 })   // sparse and regular scales
    }

    @Test func aLaterEndDateAddsDaysWithoutChangingTheOldOnes() throws {
        // days are keyed by date: a history one week longer at the end holds every line of the shorter one,
        // so "one more day of data" is a later --end-date
        let short = Self.tempDir("short"), long = Self.tempDir("long")
        defer { for d in [short, long] { try? FileManager.default.removeItem(at: d) } }
        _ = try SampleRoster(athletes: 3, weeks: 8, seed: 4).write(to: short)
        _ = try SampleRoster(athletes: 3, weeks: 9, seed: 4, endDate: DateComponents(year: 2026, month: 11, day: 29)).write(to: long)
        let old = try Self.files(short), new = try Self.files(long)
        for (path, data) in old where path != SampleRoster.manifestName {
            let oldLines = Set(String(decoding: data, as: UTF8.self).split(separator: "\n"))
            let newLines = Set(String(decoding: new[path]!, as: UTF8.self).split(separator: "\n"))
            #expect(oldLines.isSubset(of: newLines) && newLines.count > oldLines.count, "\(path)")
        }
    }
}
