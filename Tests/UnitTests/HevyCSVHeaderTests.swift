import Testing
@testable import FitLoader

@Suite("Hevy header and row validation")
struct HevyCSVHeaderTests {
    static let kgKm = ["title", "start_time", "end_time", "description", "exercise_title", "superset_id", "exercise_notes",
                       "set_index", "set_type", "weight_kg", "reps", "distance_km", "duration_seconds", "rpe"]

    @Test func unitsComeFromColumnNamesIndependently() throws {
        let a = try HevyCSVHeader(fields: Self.kgKm)
        #expect(a.weightUnit == .kg && a.distanceUnit == .km)
        let mixed = Self.kgKm.map { $0 == "distance_km" ? "distance_miles" : $0 }
        let b = try HevyCSVHeader(fields: mixed)
        #expect(b.weightUnit == .kg && b.distanceUnit == .miles)
        #expect(b.metresPerUnit == "1609.344")
        let lbs = Self.kgKm.map { $0 == "weight_kg" ? "weight_lbs" : $0 }
        let c = try HevyCSVHeader(fields: lbs)
        #expect(c.weightUnit == .lbs && c.distanceUnit == .km && c.kilogramsPerUnit == "0.45359237")
    }

    @Test func columnsMappedByNameInAnyOrder() throws {
        let h = try HevyCSVHeader(fields: Self.kgKm.reversed())
        #expect(h.title == 13 && h.rpe == 0)
    }

    @Test func nonHevyAndUnknownHeaders() {
        #expect(throws: HevyCSVHeader.HeaderError.notHevy(missing: ["title", "start_time", "end_time", "exercise_title", "set_index", "set_type"])) {
            try HevyCSVHeader(fields: ["Date", "Meal", "Calories"])
        }
        #expect(throws: HevyCSVHeader.HeaderError.unknownColumns(["mood"])) { try HevyCSVHeader(fields: Self.kgKm + ["mood"]) }
    }

    func validator() throws -> HevyRowValidator {
        let d = LocalDateTime(year: 2026, month: 4, day: 8, hour: 16, minute: 50)
        return HevyRowValidator(header: try HevyCSVHeader(fields: Self.kgKm),
                                dates: ["8 Apr 2026, 16:50": d, "8 Apr 2026, 17:50": d, "bad": nil])
    }

    func row(_ overrides: [String: String]) -> CSVRecord {
        var values = ["Push", "8 Apr 2026, 16:50", "8 Apr 2026, 17:50", "", "Bench Press (Barbell)", "", "",
                      "0", "normal", "100", "5", "", "", "8"]
        for (k, v) in overrides { values[Self.kgKm.firstIndex(of: k)!] = v }
        return CSVRecord(fields: values, line: 7, raw: values.joined(separator: ","))
    }

    func rejection(_ overrides: [String: String]) throws -> RejectedRecord? {
        if case .failure(let r) = try validator().validate(row(overrides)) { return r }
        return nil
    }

    @Test func goodRowPasses() throws {
        guard case .success(let v) = try validator().validate(row([:])) else { Issue.record("rejected"); return }
        #expect(v.weight == "100" && v.reps == 5 && v.rpe == "8" && v.setType == "normal")
    }

    @Test func badFieldsAreRejectedWithFieldAndLine() throws {
        let cases: [([String: String], String)] = [
            (["weight_kg": "heavy"], "weight_kg"), (["weight_kg": "1,050"], "weight_kg"), (["reps": "5.5"], "reps"),
            (["set_type": "superset"], "set_type"), (["rpe": "6.2"], "rpe"), (["rpe": "11"], "rpe"),
            (["start_time": "bad"], "start_time"), (["set_index": "-1"], "set_index"), (["superset_id": "x"], "superset_id"),
            (["distance_km": "-3"], "distance_km"), (["duration_seconds": "1e3"], "duration_seconds"),
            (["exercise_title": ""], "exercise_title"),
        ]
        for (o, field) in cases {
            let r = try rejection(o)
            #expect(r?.field == field, "\(o)")
            #expect(r?.line == 7)
        }
    }

    @Test func wrongFieldCount() throws {
        let rec = CSVRecord(fields: ["a", "b"], line: 3, raw: "a,b")
        guard case .failure(let r) = try validator().validate(rec) else { Issue.record("accepted"); return }
        #expect(r.reason.contains("expected 14 fields, found 2") && r.raw == "a,b" && r.line == 3)
    }

    @Test func assistedNegativeWeightIsKept() throws {
        guard case .success(let v) = try validator().validate(row(["weight_kg": "-22.05"])) else { Issue.record("rejected"); return }
        #expect(v.weight == "-22.05")
    }

    @Test func literalBackslashNBecomesNewline() {
        #expect(NoteText.unescape("closed grip\\n\\nue") == "closed grip\n\nue")
        #expect(NoteText.unescape("plain") == "plain")
    }
}
