/// A template error: syntax (lexing, parsing) or runtime (undefined, type errors, unsupported constructs).
///
/// Errors thrown by the engine carry `template:line:column`; Swift callables may throw `JinjaError.runtime(...)`
/// without a location and the engine adds the location of the call.
public struct JinjaError: Error, CustomStringConvertible, Equatable {
    /// Which kind of error.
    public enum Kind: String, Sendable { case syntax, undefined, runtime }
    public let kind: Kind
    public let message: String
    /// The template's name, or nil until the engine locates the error.
    public var template: String?
    public var line: Int
    public var column: Int

    public init(_ kind: Kind, _ message: String, template: String? = nil, line: Int = 0, column: Int = 0) {
        self.kind = kind
        self.message = message
        self.template = template
        self.line = line
        self.column = column
    }

    /// A runtime error without location (the engine adds it).
    public static func runtime(_ message: String) -> JinjaError { JinjaError(.runtime, message) }
    /// An undefined-value error without location.
    public static func undefined(_ message: String) -> JinjaError { JinjaError(.undefined, message) }

    /// `template:line:column: message`.
    public var description: String {
        guard let t = template else { return message }
        return "\(t):\(line):\(column): \(message)"
    }
}
