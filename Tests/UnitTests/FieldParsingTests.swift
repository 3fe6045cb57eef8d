import Testing
@testable import FitLoader

@Suite("Numbers read from field bytes")
struct FieldParsingTests {
    func integer(_ s: String) -> Int? {
        Array(s.utf8).withUnsafeBufferPointer { FieldParsing.integer($0) }
    }

    @Test func integersWithAndWithoutTheFastPath() {
        #expect(integer("0") == 0)
        #expect(integer("7") == 7)
        #expect(integer("123456789") == 123_456_789)          // 9 digits: fast path
        #expect(integer("0012") == 12)
        #expect(integer("12.0") == 12)                         // accepted, through the decimal path
        #expect(integer("-3") == -3)
        #expect(integer("+4") == 4)
        #expect(integer("12.5") == nil)
        #expect(integer("1e3") == nil)
        #expect(integer("x") == nil)
        #expect(integer("") == nil)
        #expect(integer("1234567890") == nil)                  // 10 digits: out of range
    }
}
