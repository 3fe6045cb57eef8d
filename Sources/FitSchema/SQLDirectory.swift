import Foundation

/// Finds the project's `sql/` folder (migrations and the fitness extension scripts).
public enum SQLDirectory {
    /// Errors locating the SQL scripts.
    public enum LocateError: Error, CustomStringConvertible {
        case notFound([String])
        public var description: String {
            switch self {
            case .notFound(let tried):
                return "cannot find the sql/ directory (looked in: \(tried.joined(separator: ", "))); set FITDATA_SQL_DIR"
            }
        }
    }

    /// `FITDATA_SQL_DIR`, else a `sql/` with `fitness.control` above the working directory or the executable.
    public static func locate() throws -> URL {
        let fm = FileManager.default
        var tried: [String] = []
        if let env = ProcessInfo.processInfo.environment["FITDATA_SQL_DIR"] {
            return URL(fileURLWithPath: env)
        }
        let starts = [URL(fileURLWithPath: fm.currentDirectoryPath),
                      URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()]
        for start in starts {
            var dir = start.standardizedFileURL
            while true {
                let candidate = dir.appendingPathComponent("sql")
                tried.append(candidate.path)
                if fm.fileExists(atPath: candidate.appendingPathComponent("fitness.control").path) { return candidate }
                if dir.path == "/" { break }
                dir.deleteLastPathComponent()
            }
        }
        throw LocateError.notFound(Array(tried.prefix(4)))
    }
}
