import Foundation
import PostgresClient

/// `fitdata dashboard`: reads the marts, renders the page, writes `<athlete>/dashboard.html` through a ``ReportSink``.
public enum Dashboard {
    /// Writes the dashboard of `athlete` (or the only athlete) to `sink`; returns where it was written.
    public static func write(athlete requested: String?, connection: Connection, sink: any ReportSink) throws -> String {
        let athlete = try DashboardQueries.resolveAthlete(requested, connection: connection)
        try checkUsableAsFolder(athlete)
        let data = try DashboardQueries.load(athlete: athlete, connection: connection)
        let html = DashboardPage.render(data)
        return try sink.write(relativePath: "\(athlete)/dashboard.html", data: Data(html.utf8), contentType: "text/html; charset=utf-8")
    }

    /// Throws when `athlete` cannot be one folder name of the output.
    static func checkUsableAsFolder(_ athlete: String) throws {
        let bad = athlete.isEmpty || athlete == "." || athlete == ".." || athlete.contains("/") || athlete.contains("\\")
            || athlete.unicodeScalars.contains { $0.properties.generalCategory == .control }
        if bad { throw DashboardError.unusableAthleteId(athlete) }
    }
}
