import PostgresClient
import CSVStream
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
        HevyRowValidator(header: try HevyCSVHeader(fields: Self.kgKm), dates: DateResolver(language: .english))
    }

    /// A reader positioned on one record at physical line 7 (six blank lines before it).
    func reader(_ fields: [String]) throws -> CSVReader {
        let line = fields.map { $0.contains(",") || $0.contains("\"") ? "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : $0 }
            .joined(separator: ",")
        let r = CSVReader(text: String(repeating: "\n", count: 6) + line + "\n")
        #expect(try r.advance())
        return r
    }

    func row(_ overrides: [String: String]) -> [String] {
        var values = ["Push", "8 Apr 2026, 16:50", "8 Apr 2026, 17:50", "", "Bench Press (Barbell)", "", "",
                      "0", "normal", "100", "5", "", "", "8"]
        for (k, v) in overrides { values[Self.kgKm.firstIndex(of: k)!] = v }
        return values
    }

    /// Validates one record; returns the result and the encoded set columns.
    func validate(_ fields: [String], header: [String] = Self.kgKm) throws -> (Result<ValidSetRow, RejectedRecord>, String) {
        var v = HevyRowValidator(header: try HevyCSVHeader(fields: header), dates: DateResolver(language: .english))
        let payload = ByteBuffer()
        let r = try reader(fields)
        let result = v.validate(r, payload: payload, binary: ByteBuffer())
        return (result, String(decoding: payload.bytes, as: UTF8.self))
    }

    func rejection(_ overrides: [String: String]) throws -> RejectedRecord? {
        if case .failure(let r) = try validate(row(overrides)).0 { return r }
        return nil
    }

    @Test func goodRowPasses() throws {
        let (result, payload) = try validate(row([:]))
        guard case .success(let v) = result else { Issue.record("rejected"); return }
        #expect(v.setIndex == 0 && v.exerciseTitle == "Bench Press (Barbell)" && v.workout.title == "Push" && v.line == 7)
        // set_index, set_type, weight_kg, reps, distance_m, duration_s, rpe
        #expect(payload == "0\tnormal\t100\t5\t\\N\t\\N\t8")
    }

    @Test func numbersAreNormalizedForCopy() throws {
        let (result, payload) = try validate(row(["set_type": " Warmup ", "reps": "12.0", "set_index": "3",
                                                  "distance_km": "2.5", "duration_seconds": "600", "rpe": "7.5"]))
        guard case .success = result else { Issue.record("rejected"); return }
        #expect(payload == "3\twarmup\t100\t12\t2500.0\t600\t7.5")
    }

    @Test func poundsAndMilesAreConvertedExactly() throws {
        let header = Self.kgKm.map { $0 == "weight_kg" ? "weight_lbs" : $0 == "distance_km" ? "distance_miles" : $0 }
        let cases: [(String, String, String)] = [("251.33", "1", "114.0013703521\t5\t1609.344"),
                                                  ("100", "0.5", "45.35923700\t5\t804.6720"),
                                                  ("-50.5", "0", "-22.906414685\t5\t0.000"),
                                                  ("0.1", "10", "0.045359237\t5\t16093.440")]
        for (w, d, expected) in cases {
            var f = row([:])
            f[Self.kgKm.firstIndex(of: "weight_kg")!] = w
            f[Self.kgKm.firstIndex(of: "distance_km")!] = d
            let (result, payload) = try validate(f, header: header)
            guard case .success = result else { Issue.record("rejected \(w)"); continue }
            #expect(payload == "0\tnormal\t" + expected + "\t\\N\t8", "\(w) lb, \(d) mi")
        }
    }

    @Test func badFieldsAreRejectedWithFieldAndLine() throws {
        let cases: [([String: String], String)] = [
            (["weight_kg": "heavy"], "weight_kg"), (["weight_kg": "1,050"], "weight_kg"), (["reps": "5.5"], "reps"),
            (["set_type": "superset"], "set_type"), (["rpe": "6.2"], "rpe"), (["rpe": "11"], "rpe"),
            (["start_time": "bad"], "start_time"), (["set_index": "-1"], "set_index"), (["superset_id": "x"], "superset_id"),
            (["distance_km": "-3"], "distance_km"), (["duration_seconds": "1e3"], "duration_seconds"),
            (["exercise_title": ""], "exercise_title"), (["weight_kg": "12000"], "weight_kg"),
        ]
        for (o, field) in cases {
            let r = try rejection(o)
            #expect(r?.field == field, "\(o)")
            #expect(r?.line == 7)
        }
    }

    @Test func wrongFieldCount() throws {
        var v = try validator()
        let r = try reader(["a", "b"])
        guard case .failure(let rej) = v.validate(r, payload: ByteBuffer(), binary: ByteBuffer()) else { Issue.record("accepted"); return }
        #expect(rej.reason.contains("expected 14 fields, found 2") && rej.raw == "a,b" && rej.line == 7)
    }

    @Test func assistedNegativeWeightIsKept() throws {
        let (result, payload) = try validate(row(["weight_kg": "-22.05"]))
        guard case .success = result else { Issue.record("rejected"); return }
        #expect(payload.hasPrefix("0\tnormal\t-22.05\t"))
    }

    @Test func repeatedFieldsAreReadOncePerChange() throws {
        var v = try validator()
        let csv = [row([:]), row(["set_index": "1"]), row(["exercise_title": "Squat", "set_index": "0"])]
            .map { $0.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",") }.joined(separator: "\n")
        let r = CSVReader(text: csv)
        var titles: [String] = []
        while try r.advance() {
            if case .success(let row) = v.validate(r, payload: ByteBuffer(), binary: ByteBuffer()) { titles.append(row.exerciseTitle) }
        }
        #expect(titles == ["Bench Press (Barbell)", "Bench Press (Barbell)", "Squat"])
    }

    @Test func sharedFieldsFollowEveryChangeEvenAcrossRejectedRows() throws {
        var v = try validator()
        let rows = [
            row([:]),                                                                        // workout 1, bench
            row(["start_time": "9 Apr 2026, 16:50", "set_type": "bogus"]),                   // workout 2, rejected
            row(["start_time": "9 Apr 2026, 16:50", "set_index": "1"]),                      // workout 2
            row(["start_time": "9 Apr 2026, 16:50", "set_index": "2", "exercise_notes": "slow"]),  // new notes
            row(["start_time": "9 Apr 2026, 16:50", "set_index": "3", "exercise_notes": "slow"]),
        ]
        let csv = rows.map { $0.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",") }.joined(separator: "\n")
        let r = CSVReader(text: csv)
        var valid: [ValidSetRow] = []
        while try r.advance() {
            if case .success(let row) = v.validate(r, payload: ByteBuffer(), binary: ByteBuffer()) { valid.append(row) }
        }
        #expect(valid.count == 4)
        #expect(valid.map(\.workout.start.day) == [8, 9, 9, 9])
        #expect(valid.map(\.notesRaw) == [nil, nil, "slow", "slow"])
        #expect(valid[0].workoutFields !== valid[1].workoutFields && valid[1].workoutFields === valid[2].workoutFields)
        #expect(valid[1].exerciseFields !== valid[2].exerciseFields && valid[2].exerciseFields === valid[3].exerciseFields)
    }

    @Test func literalBackslashNBecomesNewline() {
        #expect(NoteText.unescape("closed grip\\n\\nue") == "closed grip\n\nue")
        #expect(NoteText.unescape("plain") == "plain")
    }
}
