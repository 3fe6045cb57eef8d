import Foundation

/// Turns an `--out` value into the sink that writes there: one rule for the report, the dashboard and the pipeline.
public enum ReportDestination {
    /// `s3://bucket/prefix` → ``S3Sink`` (credentials and region resolved now, so a bad setting fails before any work);
    /// anything else → a ``DirectorySink`` on that directory.
    public static func sink(_ out: String, environment: [String: String]) throws -> any ReportSink {
        out.hasPrefix("s3://") ? try S3Sink(url: out, environment: environment) : DirectorySink(directory: out)
    }
}
