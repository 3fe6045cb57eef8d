import CSVStream
import Foundation
import Testing

@Suite("CSV reader (RFC 4180)")
struct CSVReaderTests {
    func records(_ text: String) throws -> [CSVRecord] {
        let r = CSVReader(text: text)
        var out: [CSVRecord] = []
        while let rec = try r.next() { out.append(rec) }
        return out
    }

    @Test func quotedCommasAndDoubledQuotes() throws {
        let recs = try records("a,b,c\n\"8 Apr 2026, 16:50\",\"say \"\"hi\"\"\",3\n")
        #expect(recs.count == 2)
        #expect(recs[1].fields == ["8 Apr 2026, 16:50", "say \"hi\"", "3"])
    }

    @Test func realNewlinesInsideQuotesKeepPhysicalLineNumbers() throws {
        let recs = try records("h1,h2\n\"line one\nline two\",x\nnext,y\n")
        #expect(recs.count == 3)
        #expect(recs[1].fields[0] == "line one\nline two")
        #expect(recs[1].line == 2)
        #expect(recs[2].line == 4)
        #expect(recs[1].raw == "\"line one\nline two\",x")
    }

    @Test func bomIsStripped() throws {
        let recs = try records("\u{FEFF}title,x\n1,2")
        #expect(recs[0].fields == ["title", "x"])
    }

    @Test func crlfAndNoFinalNewline() throws {
        let recs = try records("a,b\r\n1,2\r\n3,4")
        #expect(recs.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(recs[2].line == 3)
    }

    @Test func crlfInsideQuotedFieldIsKept() throws {
        let recs = try records("a\r\n\"x\r\ny\"\r\n")
        #expect(recs[1].fields == ["x\r\ny"])
    }

    @Test func emptyFieldsAndBlankLines() throws {
        let recs = try records("a,b,c\n,,\n\n\"\",x,\n")
        #expect(recs.count == 3)
        #expect(recs[1].fields == ["", "", ""])
        #expect(recs[2].fields == ["", "x", ""])
        #expect(recs[2].line == 4)
    }

    @Test func otherDelimiter() throws {
        let r = CSVReader(text: "a;b\n\"x;y\";2\n", delimiter: UInt8(ascii: ";"))
        var recs: [CSVRecord] = []
        while let rec = try r.next() { recs.append(rec) }
        #expect(recs.map(\.fields) == [["a", "b"], ["x;y", "2"]])
    }

    @Test func quotedEmptyFieldIsToldFromAnEmptyOne() throws {
        let r = CSVReader(text: "\"\",,x\n")
        #expect(try r.advance())
        #expect((0..<3).map(r.isQuoted) == [true, false, false])
        #expect((0..<3).map(r.fieldString) == ["", "", "x"])
    }

    @Test func unterminatedQuoteIsAnError() throws {
        #expect(throws: CSVError.unterminatedQuote(line: 2)) { try records("a\n\"open\nstill open") }
    }

    @Test func emojiAndNonBMPText() throws {
        let recs = try records("t\n\"Morning workout ☀️ 🏋️‍♀️\"\n")
        #expect(recs[1].fields[0] == "Morning workout ☀️ 🏋️‍♀️")
    }

    @Test func chunkBoundariesDoNotSplitRecords() throws {
        // a file read in 7-byte chunks must give the same records as one read
        var text = "title,notes\n"
        for i in 0..<200 { text += "\"w\(i), x\",\"note \"\"\(i)\"\"\nsecond line\"\n" }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("chunks-\(UUID()).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let small = try CSVReader(url: url, chunkSize: 7)
        var chunked: [CSVRecord] = []
        while let r = try small.next() { chunked.append(r) }
        let whole = try records(text)
        #expect(chunked.count == 201)
        #expect(chunked.map(\.fields) == whole.map(\.fields))
        #expect(chunked.map(\.line) == whole.map(\.line))
        #expect(chunked[200].line == 2 + 199 * 2)
    }
}
