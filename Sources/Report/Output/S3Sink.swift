import Foundation
import AWSKit

/// Writes report files to `s3://bucket/prefix/…` with PutObject (SigV4, server-side encryption).
///
/// Region, endpoint and credentials come from the environment as the AWS SDKs find them; encryption from
/// `FITDATA_S3_SSE` / `FITDATA_S3_KMS_KEY_ID` (docs/aws.md). Each object is written whole by one PutObject,
/// so a reader never sees part of a file, and writing the same path again replaces it.
public struct S3Sink: ReportSink {
    public let bucket: String
    public let prefix: String
    let client: S3Client

    /// A sink for an `s3://bucket/prefix` URL, with credentials and region resolved from `environment` as the AWS SDKs do.
    ///
    /// Fails now (not at the first write) when the URL, region, endpoint, encryption setting or credentials are unusable.
    public init(url: String, environment: [String: String]) throws {
        let (bucket, prefix) = try Self.parse(url)
        try self.init(bucket: bucket, prefix: prefix, client: S3Client(environment: environment))
    }

    /// A sink over an existing client (tests, callers that configure S3 themselves).
    public init(bucket: String, prefix: String, client: S3Client) {
        self.bucket = bucket
        self.prefix = prefix
        self.client = client
    }

    /// The bucket and the prefix (without surrounding slashes) of an `s3://bucket/prefix` URL.
    static func parse(_ url: String) throws -> (bucket: String, prefix: String) {
        guard url.hasPrefix("s3://") else { throw ReportSinkError.badDestination("\(url): not an s3://bucket/prefix URL") }
        let rest = url.dropFirst(5)
        let bucket = String(rest.prefix { $0 != "/" })
        guard !bucket.isEmpty else { throw ReportSinkError.badDestination("\(url): no bucket name") }
        let prefix = rest.dropFirst(bucket.count).split(separator: "/").joined(separator: "/")
        if prefix.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) {
            throw ReportSinkError.badDestination("\(url): the prefix has a . or .. segment")
        }
        return (bucket, prefix)
    }

    public func write(relativePath: String, data: Data, contentType: String) throws -> String {
        let parts = relativePath.split(separator: "/", omittingEmptySubsequences: false)
        guard !relativePath.isEmpty, !relativePath.hasPrefix("/"), !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw ReportSinkError.badDestination("\(relativePath): not a relative path inside s3://\(bucket)/\(prefix)")
        }
        let key = prefix.isEmpty ? relativePath : "\(prefix)/\(relativePath)"
        try client.putObject(bucket: bucket, key: key, body: data, contentType: contentType)
        return "s3://\(bucket)/\(key)"
    }
}

/// A destination that cannot be written.
public enum ReportSinkError: Error, Sendable, Equatable {
    case badDestination(String)
}
