import Foundation

/// Where report and dashboard files are written: a directory or an S3 prefix.
public protocol ReportSink: Sendable {
    /// Writes `data` at `relativePath` (e.g. `me/2026-W38.html`), replacing what was there;
    /// returns the location written (a file path or an `s3://` URL).
    func write(relativePath: String, data: Data, contentType: String) throws -> String
}
