import Foundation
import AWSKit

/// Writes report files to `s3://bucket/prefix/…` with PutObject (SigV4, server-side encryption).
///
/// Region, endpoint and credentials come from the environment as the AWS SDKs find them; encryption from
/// `FITDATA_S3_SSE` / `FITDATA_S3_KMS_KEY_ID` (docs/aws.md). Each object is written whole by one PutObject,
/// so a reader never sees part of a file, and writing the same path again replaces it.
public struct S3Sink: ReportSink {
    let destination: S3Destination
    public var bucket: String { destination.bucket }
    public var prefix: String { destination.prefix }

    /// A sink for an `s3://bucket/prefix` URL, with credentials and region resolved from `environment` as the AWS SDKs do.
    ///
    /// Fails now (not at the first write) when the URL, region, endpoint, encryption setting or credentials are unusable.
    public init(url: String, environment: [String: String]) throws {
        destination = try Self.mapped { try S3Destination(url: url, environment: environment) }
    }

    /// A sink over a configured destination.
    public init(destination: S3Destination) {
        self.destination = destination
    }

    public func write(relativePath: String, data: Data, contentType: String) throws -> String {
        try Self.mapped { try destination.put(relativePath: relativePath, data: data, contentType: contentType) }
    }

    /// Runs `body`, reporting an unusable URL or path as ``ReportSinkError/badDestination(_:)`` like the directory sink.
    private static func mapped<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch S3DestinationError.invalid(let reason) { throw ReportSinkError.badDestination(reason) }
    }
}

/// A destination that cannot be written.
public enum ReportSinkError: Error, Sendable, Equatable {
    case badDestination(String)
}
