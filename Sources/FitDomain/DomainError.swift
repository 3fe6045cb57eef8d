/// A rule of the domain refused a value (an unknown or ambiguous time zone, …): bad configuration, exit 2.
public enum DomainError: Error, Equatable, CustomStringConvertible {
    case configuration(String)

    public var description: String {
        switch self { case .configuration(let m): return m }
    }
}
