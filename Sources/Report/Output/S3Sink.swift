import Foundation

// PLACEHOLDER (replaced by the AWS work): the signature the report and dashboard commands call.

/// Writes report files to `s3://bucket/prefix/…` with PutObject (SigV4, server-side encryption).
public struct S3Sink: ReportSink {
    public let bucket: String
    public let prefix: String

    /// A sink for an `s3://bucket/prefix` URL, with credentials and region resolved from `environment` as the AWS SDKs do.
    public init(url: String, environment: [String: String]) throws {
        guard url.hasPrefix("s3://") else { throw ReportSinkError.badDestination(url) }
        let rest = url.dropFirst(5)
        bucket = String(rest.prefix { $0 != "/" })
        prefix = String(rest.drop { $0 != "/" }.drop { $0 == "/" })
    }

    public func write(relativePath: String, data: Data, contentType: String) throws -> String {
        throw ReportSinkError.badDestination("s3://\(bucket)/\(prefix): S3 output is not available yet")
    }
}

/// A destination that cannot be written.
public enum ReportSinkError: Error, Sendable, Equatable {
    case badDestination(String)
}
