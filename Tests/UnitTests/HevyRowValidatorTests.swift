import PostgresClient
import CSVStream
import Testing
@testable import FitLoader

/// Reject reasons quote the field as written, also when it had to be decoded (doubled quotes).
@Suite("Hevy row validator")
struct HevyRowValidatorTests {
    @Test func reasonsQuoteDecodedFieldsExactly() throws {
        // found by the row-validator fuzz run (seed 20261202): the text of a decoded field was read after its buffer was freed
        let header = "title,start_time,end_time,exercise_title,set_index,set_type,weight_kg,reps,rpe"
        let rows = ["Push,\"8 Apr 2026, 16:50\",\"8 Apr 2026, 17:50\",Row,0,normal,10,5,\"1\"\"2\"",
                    "Push,\"8 Apr 2026, 16:50\",\"8 Apr 2026, 17:50\",Row,1,normal,10,\"5\"\"x\",8",
                    "Push,\"8 Apr 2026, 16:50\",\"8 Apr 2026, 17:50\",Row,\"2\"\"\",normal,10,5,8"]
        let reader = CSVReader(text: ([header] + rows).joined(separator: "\n"))
        var validator = HevyRowValidator(header: try HevyCSVHeader(fields: try reader.next()!.fields), dates: DateResolver(language: .english))
        var reasons: [String] = []
        while try reader.advance() {
            if case .failure(let r) = validator.validate(reader, payload: ByteBuffer(), binary: ByteBuffer()) { reasons.append(r.reason) }
        }
        #expect(reasons == ["rpe \"1\"2\" is not one of 6, 6.5, 7 … 10", "reps \"5\"x\" is not a non-negative integer",
                            "set_index \"2\"\" is not a non-negative integer"])
    }
}
