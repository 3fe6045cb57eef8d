import PostgresClient
import Testing
import TestSupport

@Suite("PostgresClient: binary COPY encoding against a real server")
struct BinaryCopyTests {
    /// Every value sent in binary must be stored exactly as `numeric_in` stores its text.
    @Test func numericsMatchTheirTextInput() throws {
        let db = try TestDatabase.initialized(prefix: "bincopy"); defer { db.drop() }
        let c = try db.connect()
        let texts = ["0", "-0", "0.0", "+3", "7", "12", "100", "1000", "9999", "10000", "12345.678", "90.5", "90.50",
                     "-22.05", ".5", "0.0001", "0.00001", "00012.3400", "114.0013703521", "251.33", "0.45359237",
                     "-1000.5", "99999999.99999999", "1234567890123456789.0123456789", "1609.344", "8", "8.5", "9.0", "10"]
        try c.execute("CREATE TEMP TABLE nums (id int, value numeric, rpe numeric(3,1))")
        let out = ByteBuffer()
        out.append(contentsOf: BinaryCopy.header)
        for (id, t) in texts.enumerated() {
            BinaryCopy.beginRow(3, in: out)
            BinaryCopy.int4(id, out)
            let ok = Array(t.utf8).withUnsafeBufferPointer { BinaryCopy.numeric($0, out) }
            #expect(ok, "\(t) was not encoded")
            if let r = Double(t), r >= 6, r <= 10 {
                _ = Array(t.utf8).withUnsafeBufferPointer { BinaryCopy.numeric($0, out) }
            } else {
                BinaryCopy.null(out)
            }
        }
        out.append(contentsOf: BinaryCopy.trailer)
        _ = try c.copyIn("COPY nums FROM STDIN WITH (FORMAT binary)") { try $0.write(bytes: out.bytes) }
        for (id, t) in texts.enumerated() {
            let row = try c.query("""
                SELECT value::text, value::text = $2::numeric::text, rpe IS NOT DISTINCT FROM
                       (CASE WHEN $2::numeric BETWEEN 6 AND 10 THEN $2::numeric(3,1) END)
                FROM nums WHERE id = $1
                """, [id, t]).rows[0]
            #expect(row[1] == "t", "\(t) was stored as \(row[0] ?? "NULL")")
            #expect(row[2] == "t", "rpe \(t)")
        }
        // not plain decimals: nothing written
        for bad in ["", "-", ".", "1e3", "1.2.3", "x", "1 2"] {
            let before = out.count
            #expect(!Array(bad.utf8).withUnsafeBufferPointer { BinaryCopy.numeric($0, out) })
            #expect(out.count == before)
        }
    }

    @Test func integersTextAndNullRoundTrip() throws {
        let db = try TestDatabase.initialized(prefix: "bincopy"); defer { db.drop() }
        let c = try db.connect()
        try c.execute("CREATE TEMP TABLE t (a bigint, b int, c text, d int)")
        let out = ByteBuffer()
        out.append(contentsOf: BinaryCopy.header)
        for (a, b, c) in [(0, 0, "normal"), (Int(Int64.max), Int(Int32.min), "warmup"), (-1, Int(Int32.max), "é ✓")] {
            BinaryCopy.beginRow(4, in: out)
            BinaryCopy.int8(a, out); BinaryCopy.int4(b, out)
            Array(c.utf8).withUnsafeBufferPointer { BinaryCopy.text($0, out) }
            BinaryCopy.null(out)
        }
        out.append(contentsOf: BinaryCopy.trailer)
        _ = try c.copyIn("COPY t FROM STDIN WITH (FORMAT binary)") { try $0.write(bytes: out.bytes) }
        let rows = try c.query("SELECT a::text, b::text, c, d IS NULL FROM t ORDER BY a").rows
        #expect(rows == [["-1", "2147483647", "é ✓", "t"], ["0", "0", "normal", "t"],
                         ["9223372036854775807", "-2147483648", "warmup", "t"]])
    }
}
