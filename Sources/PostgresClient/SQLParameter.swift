import Foundation

/// A value that can be bound as a text-format query parameter.
public protocol SQLParameter: Sendable {
    /// The parameter's text representation, or nil for SQL NULL.
    var sqlText: String? { get }
}

extension String: SQLParameter { public var sqlText: String? { self } }
extension Int: SQLParameter { public var sqlText: String? { String(self) } }
extension Int64: SQLParameter { public var sqlText: String? { String(self) } }
extension Int32: SQLParameter { public var sqlText: String? { String(self) } }
extension Bool: SQLParameter { public var sqlText: String? { self ? "true" : "false" } }
extension Double: SQLParameter {
    public var sqlText: String? { isFinite ? String(self) : nil }
}
extension Date: SQLParameter {
    public var sqlText: String? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: self)
    }
}
extension Optional: SQLParameter where Wrapped: SQLParameter {
    public var sqlText: String? { self.flatMap { $0.sqlText } }
}

/// An explicit SQL NULL parameter.
public struct SQLNull: SQLParameter {
    public init() {}
    public var sqlText: String? { nil }
}
