import Crypto
import Foundation
import LLMProviders
import PostgresClient
import Testing
import TestSupport
@testable import Report

/// An in-process stand-in for a model: returns `text` and records what it was asked.
final class ScriptedProvider: LLMProvider, @unchecked Sendable {
    let name = "openai"
    let text: String
    private(set) var requests: [LLMRequest] = []

    init(text: String) { self.text = text }

    func complete(_ request: LLMRequest) throws -> LLMReply {
        requests.append(request)
        return LLMReply(text: text, model: "scripted-1", inputTokens: 1234, outputTokens: 321)
    }
}

private func tempDir() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-report-out-\(UUID().uuidString.prefix(8))")
}

private func sha256(_ url: URL) throws -> String {
    SHA256.hash(data: try Data(contentsOf: url)).map { String(format: "%02x", $0) }.joined()
}

@Suite("Weekly report over the sample athlete's marts", .serialized)
struct WeeklyReportTests {
    @Test func factsAgreeWithDirectQueriesOnTheMarts() throws {
        let m = try SampleMarts.shared()
        let c = try m.connect(); defer { c.close() }
        let f = try FactsReader(connection: c).read(athlete: "me", week: try ReportWeek.parse("2026-W47"))
        #expect(f.weekStart == "2026-11-16" && f.weekEnd == "2026-11-22" && f.timezone == "Europe/Lisbon")
        #expect(f.weeks.map(\.isoWeek) == ["2026-W47", "2026-W46", "2026-W45", "2026-W44", "2026-W43"])
        for w in f.weeks {
            let t = try c.query("""
                SELECT sessions, hard_sets, tonnage_kg, adherence_pct FROM marts.mart_weekly_training
                WHERE athlete_id = 'me' AND week_start = $1::date
                """, [w.weekStart]).rows[0]
            #expect(w.sessions == Int(t[0]!) && w.hardSets == Int(t[1]!) && w.tonnageKg == Double(t[2]!), "\(w.isoWeek)")
            #expect(w.sessionAdherencePct == t[3].flatMap(Double.init))
            let n = try c.query("""
                SELECT avg_kcal, avg_protein_g, days_logged, adherence_pct, protein_adherence_pct FROM marts.mart_weekly_nutrition
                WHERE athlete_id = 'me' AND week_start = $1::date
                """, [w.weekStart]).rows[0]
            #expect(w.avgKcal == n[0].flatMap(Double.init) && w.avgProteinG == n[1].flatMap(Double.init), "\(w.isoWeek)")
            #expect(w.daysLogged == Int(n[2]!) && w.dietAdherencePct == n[3].flatMap(Double.init))
            #expect(w.proteinAdherencePct == n[4].flatMap(Double.init))
            let d = try c.query("""
                SELECT trend_weight_change_kg, energy_balance_kcal_per_day, weigh_ins FROM marts.mart_weekly_training_diet
                WHERE athlete_id = 'me' AND week_start = $1::date
                """, [w.weekStart]).rows[0]
            #expect(w.trendWeightChangeKg == d[0].flatMap(Double.init) && w.energyBalanceKcalPerDay == d[1].flatMap(Double.init))
            #expect(w.weighIns == Int(d[2]!))
        }
        #expect(f.thisWeek.sessions ?? 0 > 0 && f.thisWeek.avgKcal != nil, "the sample trains and logs in its last week")
        // muscle groups: this week's weighted hard sets
        for g in f.muscleGroups {
            let v = try c.query("""
                SELECT coalesce(sum(weighted_hard_sets), 0) FROM marts.mart_weekly_muscle_volume
                WHERE athlete_id = 'me' AND week_start = '2026-11-16' AND muscle_group = $1
                """, [g.muscleGroup]).scalar.flatMap(Double.init)
            #expect(g.hardSets[0] == v, "\(g.muscleGroup)")
        }
        #expect(!f.muscleGroups.isEmpty)
        // main lifts: 3, by rank, each week's best e1RM from mart_exercise_progression
        #expect(f.mainLifts.count == 3 && f.mainLifts.map(\.rank) == [1, 2, 3])
        for lift in f.mainLifts {
            for (i, w) in f.weeks.enumerated() {
                let v = try c.query("""
                    SELECT best_e1rm_kg FROM marts.mart_exercise_progression
                    WHERE athlete_id = 'me' AND exercise_id = $1 AND week_start = $2::date
                    """, [lift.exerciseId, w.weekStart]).scalar.flatMap(Double.init)
                #expect(lift.e1rmKg[i] == v, "\(lift.exerciseTitle) \(w.isoWeek)")
            }
        }
        // PRs: the exercises with a PR flag this week
        let prs = try c.query("""
            SELECT exercise_title FROM marts.mart_exercise_progression WHERE athlete_id = 'me' AND week_start = '2026-11-16'
              AND (is_weight_pr OR is_e1rm_pr OR is_best_set_pr OR is_session_tonnage_pr) ORDER BY 1
            """).rows.map { $0[0]! }
        #expect(f.personalRecords.map(\.exerciseTitle) == prs)
        // daily series: 35 days; kcal and trend as in the daily marts
        #expect(f.days.count == 35 && f.days.first?.date == "2026-10-19" && f.days.last?.date == "2026-11-22")
        let kcal = try c.query("""
            SELECT date::text, kcal FROM marts.fct_nutrition_daily WHERE athlete_id = 'me' AND date BETWEEN '2026-10-19' AND '2026-11-22'
            """).rows
        #expect(f.days.filter { $0.kcal != nil }.count == kcal.count)
        for r in kcal { #expect(f.days.first { $0.date == r[0] }?.kcal == Double(r[1]!)) }
        let trend = try c.query("SELECT trend_kg FROM marts.fct_body_weight_daily WHERE athlete_id = 'me' AND date = '2026-11-22'").scalar
        #expect(f.days.last?.trendKg == trend.flatMap(Double.init))
    }

    @Test func latestIsTheLastCompleteWeekInTheAthletesZone() throws {
        let m = try SampleMarts.shared()
        let c = try m.connect(); defer { c.close() }
        // 2026-11-22 16:00 UTC: still Sunday in UTC (W47 not complete), already Monday in Tokyo
        let now = Date(timeIntervalSince1970: 1_795_363_200)
        #expect(try ReportWeek.resolve("latest", timezone: "UTC", now: now, on: c).description == "2026-W46")
        #expect(try ReportWeek.resolve("latest", timezone: "Asia/Tokyo", now: now, on: c).description == "2026-W47")
        // through the report: `me` (Europe/Lisbon) one day after the sample's last Sunday
        let f = try WeeklyReport.facts(for: WeeklyReportRequest(athlete: "me", week: "latest", now: now.addingTimeInterval(86_400)), connection: c)
        #expect(f.isoWeek == "2026-W47")
    }

    @Test func badWeeksAndAthletesAreClearErrors() throws {
        let m = try SampleMarts.shared()
        let c = try m.connect(); defer { c.close() }
        #expect { try ReportWeek.parse("2026-47") } throws: { "\($0)".contains("--week 2026-47: use YYYY-Www") }
        #expect { try ReportWeek.parse("2026-W54") } throws: { "\($0)".contains("use YYYY-Www") }
        #expect { try ReportWeek(year: 2027, week: 53).monday(on: c) } throws: { "\($0)".contains("ISO year 2027 has no week 53") }
        #expect { try FactsReader(connection: c).read(athlete: "nobody", week: ReportWeek(year: 2026, week: 47)) } throws: {
            "\($0)".contains("athlete \"nobody\" is not in core.athletes")
        }
        #expect { try FactsReader(connection: c).read(athlete: "me", week: ReportWeek(year: 2026, week: 50)) } throws: {
            "\($0)" == "athlete \"me\" has no data in marts.mart_weekly_report for 2026-W50: the athlete's weeks with data are 2026-W36 to 2026-W47"
        }
    }

    @Test func missingDataWeeksAreNamed() throws {
        let m = try SampleMarts.shared()
        let c = try m.connect(); defer { c.close() }
        let gap = try FactsReader(connection: c).read(athlete: "gaps", week: ReportWeek(year: 2026, week: 46))
        #expect(gap.thisWeek.daysLogged == 0 && gap.thisWeek.avgKcal == nil && gap.thisWeek.weighIns == 0)
        let kinds = gap.missing.filter { $0.isoWeek == "2026-W46" }.map(\.kind)
        #expect(kinds.contains(.noNutrition) && kinds.contains(.noWeighIns))
        #expect(gap.days.filter { $0.date >= "2026-11-09" && $0.date <= "2026-11-15" }.allSatisfy { $0.kcal == nil && $0.weightKg == nil })
        let text = FactsNarrative.render(gap, language: .en)
        #expect(text.contains("Eating: nothing logged this week."))
        #expect(text.contains("- 2026-W46: no food logged") && text.contains("- 2026-W46: no weigh-in"))
        #expect(try WeeklyReport.prompt(for: gap, request: WeeklyReportRequest(athlete: "gaps")).user.contains("- 2026-W46: no food logged"))
        // the first week of the sample: the four weeks before it have no data
        let first = try FactsReader(connection: c).read(athlete: "me", week: ReportWeek(year: 2026, week: 36))
        #expect(first.weeks.map(\.hasData) == [true, false, false, false, false])
        #expect(first.missing.filter { $0.kind == .noData }.count == 4)
        #expect(GroundingCheck(facts: first).unverified(in: FactsNarrative.render(first, language: .pt)) == [])
    }

    @Test func promptCarriesTheFacts() throws {
        let m = try SampleMarts.shared()
        let c = try m.connect(); defer { c.close() }
        let f = try FactsReader(connection: c).read(athlete: "me", week: ReportWeek(year: 2026, week: 47))
        let p = try WeeklyReport.prompt(for: f, request: WeeklyReportRequest(athlete: "me", language: .en))
        #expect(p.user.contains("ISO week 2026-W47 (2026-11-16 to 2026-11-22, time zone Europe/Lisbon)"))
        let w = f.thisWeek
        #expect(p.user.contains("| Sessions | \(f.weeks.reversed().map { "\($0.sessions!)" }.joined(separator: " | ")) |"))
        #expect(p.user.contains(NumberText.whole(w.tonnageKg!)))
        for lift in f.mainLifts { #expect(p.user.contains("| \(lift.exerciseTitle) |")) }
        for g in f.muscleGroups { #expect(p.user.contains("| \(g.muscleGroup) |")) }
        #expect(p.system.contains("Write in English."))
    }

    @Test func modelTextIsCheckedRenderedAndRecorded() throws {
        let m = try SampleMarts.shared()
        let c = try m.connect(); defer { c.close() }
        let f = try FactsReader(connection: c).read(athlete: "me", week: ReportWeek(year: 2026, week: 45))
        let sessions = f.thisWeek.sessions!
        let provider = ScriptedProvider(text: """
            ### Training
            You trained **\(sessions)** times in 2026-W45 <img src=x onerror=alert(1)>.
            - Your squat moved 999.5 kg more than ever.
            """)
        let out = tempDir(); defer { try? FileManager.default.removeItem(at: out) }
        let request = WeeklyReportRequest(athlete: "me", week: "2026-W45", providerKind: .openai, model: "asked-model")
        let r = try WeeklyReport.write(facts: f, request: request, provider: provider, sink: DirectorySink(directory: out.path), connection: c)
        #expect(provider.requests.count == 1 && provider.requests[0].model == "asked-model")
        #expect(provider.requests[0].user.contains("| Sessions |"))
        #expect(r.unverified.map(\.text) == ["999.5 kg"])
        let md = try String(contentsOf: out.appendingPathComponent("me/2026-W45.md"), encoding: .utf8)
        let html = try String(contentsOf: out.appendingPathComponent("me/2026-W45.html"), encoding: .utf8)
        #expect(md.hasSuffix("## Could not verify\n\n" + ReportStrings.en.couldNotVerifyIntro + "\n\n"
                             + "- `999.5 kg`: “- Your squat moved 999.5 kg more than ever.”\n"), "the section ends the report")
        #expect(md.contains("Text written by openai (scripted-1)."))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;") && !html.contains("<img"))
        #expect(html.contains("<code>999.5 kg</code>"))
        // four charts from the facts, and nothing loaded from elsewhere
        #expect(html.components(separatedBy: "<figure class=\"chart\"><svg").count - 1 == 4)
        for title in [ReportStrings.en.chartE1RM, ReportStrings.en.chartMuscles, ReportStrings.en.chartIntake, ReportStrings.en.chartWeight] {
            #expect(html.contains(title), "\(title)")
        }
        #expect(html.range(of: #"(src|href)\s*=\s*["']?\s*(https?:)?//"#, options: .regularExpression) == nil)
        #expect(try FactsFile.read(out.appendingPathComponent("me/2026-W45.json")) == f)
        let row = try c.query("""
            SELECT provider, model, input_tokens, output_tokens, unverified_numbers, location, language,
                   markdown_sha256, html_sha256, facts_sha256
            FROM meta.reports WHERE athlete_id = 'me' AND iso_week = '2026-W45'
            """).rows
        #expect(row.count == 1)
        let v = row[0]
        #expect(v[0] == "openai" && v[1] == "scripted-1" && v[2] == "1234" && v[3] == "321" && v[4] == "1" && v[6] == "en")
        #expect(v[5] == out.appendingPathComponent("me/2026-W45.html").path)
        #expect(v[7] == (try sha256(out.appendingPathComponent("me/2026-W45.md"))))
        #expect(v[8] == (try sha256(out.appendingPathComponent("me/2026-W45.html"))))
        #expect(v[9] == (try sha256(out.appendingPathComponent("me/2026-W45.json"))))
    }

    @Test func rerunningAWeekReplacesOnlyThatWeek() throws {
        let m = try SampleMarts.shared()
        let c = try m.connect(); defer { c.close() }
        let out = tempDir(); defer { try? FileManager.default.removeItem(at: out) }
        let sink = DirectorySink(directory: out.path)
        func run(_ week: String, _ language: ReportLanguage) throws {
            let request = WeeklyReportRequest(athlete: "gaps", week: week, language: language)
            _ = try WeeklyReport.write(facts: try WeeklyReport.facts(for: request, connection: c), request: request, provider: nil,
                                       sink: sink, connection: c)
        }
        try run("2026-W43", .en)
        try run("2026-W44", .en)
        let w43 = try ["md", "html", "json"].map { try Data(contentsOf: out.appendingPathComponent("gaps/2026-W43.\($0)")) }
        let created43 = try c.query("SELECT created_at FROM meta.reports WHERE athlete_id = 'gaps' AND iso_week = '2026-W43'").scalar
        try run("2026-W44", .pt)
        #expect(try ["md", "html", "json"].map { try Data(contentsOf: out.appendingPathComponent("gaps/2026-W43.\($0)")) } == w43)
        let md44 = try String(contentsOf: out.appendingPathComponent("gaps/2026-W44.md"), encoding: .utf8)
        #expect(md44.hasPrefix("# Relatório semanal · gaps · 2026-W44") && md44.contains("Escrito sem modelo de linguagem"))
        let html44 = try String(contentsOf: out.appendingPathComponent("gaps/2026-W44.html"), encoding: .utf8)
        #expect(html44.contains("<html lang=\"pt\""))
        let rows = try c.query("""
            SELECT iso_week, language, created_at::text, html_sha256 FROM meta.reports WHERE athlete_id = 'gaps' ORDER BY iso_week
            """).rows
        #expect(rows.map { $0[0]! } == ["2026-W43", "2026-W44"])
        #expect(rows.map { $0[1]! } == ["en", "pt"])
        #expect(rows[0][2] == created43)
        #expect(rows[1][3] == (try sha256(out.appendingPathComponent("gaps/2026-W44.html"))))
        let files = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("gaps").path).sorted()
        #expect(files == ["2026-W43.html", "2026-W43.json", "2026-W43.md", "2026-W44.html", "2026-W44.json", "2026-W44.md"])
    }

    @Test func theCommandPrintsThePromptWritesAndReRendersFromFacts() throws {
        let m = try SampleMarts.shared()
        let out = tempDir(); defer { try? FileManager.default.removeItem(at: out) }
        let base = ["report", "weekly", "--database-url", m.db.conninfo, "--athlete", "me", "--week", "2026-W47"]
        let noKeys = ["OPENAI_API_KEY": "", "ANTHROPIC_API_KEY": ""]
        let prompt = try FitdataProcess.run(base + ["--print-prompt", "--out", out.path], environment: noKeys)
        #expect(prompt.status == 0, "\(prompt.stderr)")
        #expect(prompt.stdout.hasPrefix("=== system ===\n") && prompt.stdout.contains("=== user ===\nWeekly facts for athlete \"me\", ISO week 2026-W47"))
        #expect(!FileManager.default.fileExists(atPath: out.path), "--print-prompt writes nothing")

        let run = try FitdataProcess.run(base + ["--out", out.path, "--language", "pt"], environment: noKeys)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("weekly report me 2026-W47: provider none, 0 unverified number(s)"))
        let json = out.appendingPathComponent("me/2026-W47.json")
        #expect(run.stdout.contains(json.path))
        let md = try Data(contentsOf: out.appendingPathComponent("me/2026-W47.md"))
        let html = try Data(contentsOf: out.appendingPathComponent("me/2026-W47.html"))

        // from the facts file alone: the same prompt without a database, and the same report
        let copy = out.appendingPathComponent("facts-copy.json")
        try FileManager.default.copyItem(at: json, to: copy)
        let again = try FitdataProcess.run(["report", "weekly", "--from-facts", copy.path, "--print-prompt", "--database-url", "host=/nonexistent"],
                                           environment: noKeys)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout == prompt.stdout)
        let rerender = try FitdataProcess.run(["report", "weekly", "--from-facts", copy.path, "--language", "pt", "--database-url", m.db.conninfo,
                                               "--out", out.appendingPathComponent("again").path], environment: noKeys)
        #expect(rerender.status == 0, "\(rerender.stderr)")
        #expect(try Data(contentsOf: out.appendingPathComponent("again/me/2026-W47.md")) == md)
        #expect(try Data(contentsOf: out.appendingPathComponent("again/me/2026-W47.html")) == html)
    }

    @Test func theCommandRejectsBadInputWithExitTwo() throws {
        let m = try SampleMarts.shared()
        let base = ["report", "weekly", "--database-url", m.db.conninfo, "--print-prompt"]
        let cases: [([String], String)] = [
            (["--week", "47"], "--week 47: use YYYY-Www"),
            (["--week", "2026-W50"], "has no data in marts.mart_weekly_report for 2026-W50"),
            (["--athlete", "nobody", "--week", "2026-W47"], "athlete \"nobody\" is not in core.athletes"),
            (["--language", "fr"], "--language fr: use en or pt"),
            (["--from-facts", "/nonexistent/f.json", "--week", "2026-W47"], "--from-facts: the facts file names the athlete and week"),
            (["--from-facts", "/nonexistent/f.json"], "/nonexistent/f.json: cannot read"),
            (["--llm", "gpt"], "--llm gpt: use none, openai, anthropic, bedrock"),
            (["--week", "2026-W47", "--prompt-template", "/nonexistent/p.md"], "/nonexistent/p.md: cannot read the prompt template"),
        ]
        for (args, message) in cases {
            let r = try FitdataProcess.run(base + args)
            #expect(r.status == 2 && r.stderr.contains(message), "\(args): \(r.status) \(r.stderr)")
        }
    }
}

@Suite("meta.reports on the plain-SQL schema path")
struct ReportRecordPlainSQLTests {
    @Test func migration0011AppliesAsPlainSQLAndTheRowIsReplaced() throws {
        let db = try TestDatabase.initialized(prefix: "reportplain", plainSQL: true); defer { db.drop() }
        let c = try db.connect(); defer { c.close() }
        #expect(try c.query("SELECT name FROM meta.schema_migrations WHERE version = 11").scalar == "report_runs")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-report-plain-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: out) }
        let facts = groundingFacts()
        for text in ["3 sessions, 77 kg.", "3 sessions."] {
            _ = try WeeklyReport.write(facts: facts, request: WeeklyReportRequest(athlete: "me", providerKind: .openai),
                                       provider: ScriptedProvider(text: text), sink: DirectorySink(directory: out.path), connection: c)
        }
        let rows = try c.query("SELECT iso_week, unverified_numbers, week_start::text FROM meta.reports").rows
        #expect(rows.count == 1 && rows[0] == ["2026-W47", "0", "2026-11-16"])
        // the table refuses what the report never writes
        #expect(throws: (any Error).self) {
            try c.query("UPDATE meta.reports SET provider = 'scripted'")
        }
    }
}
