/// Why a dashboard could not be written.
public enum DashboardError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No such athlete in marts.dim_athlete; carries the ids that exist.
    case unknownAthlete(String, known: [String])
    /// `--athlete` was left out and there is not exactly one athlete.
    case athleteRequired(known: [String])
    /// An athlete id that cannot name a folder (`/`, `..`, control characters).
    case unusableAthleteId(String)
    /// The marts are not built yet (a mart table is missing).
    case martsMissing(String)

    public var description: String {
        switch self {
        case .unknownAthlete(let id, let known):
            return "athlete '\(id)' is not in marts.dim_athlete" + (known.isEmpty ? " (no athletes: load data and run `fitdata build`)" : " (athletes: \(known.joined(separator: ", ")))")
        case .athleteRequired(let known):
            return known.isEmpty ? "no athletes in marts.dim_athlete: load data and run `fitdata build` first"
                : "several athletes (\(known.joined(separator: ", "))): choose one with --athlete"
        case .unusableAthleteId(let id):
            return "athlete id '\(id)' cannot name an output folder (it holds '/', '\\\\', a control character, or is '.' or '..')"
        case .martsMissing(let detail):
            return "the marts are not built (\(detail)): run `fitdata build` first"
        }
    }
}
