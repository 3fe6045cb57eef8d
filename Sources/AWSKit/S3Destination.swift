import Foundation

/// An `s3://bucket/prefix` output location: objects are written under the prefix with PutObject.
public struct S3Destination: Sendable {
    public let bucket: String
    /// The key prefix without leading or trailing slashes ("" for the bucket's root).
    public let prefix: String
    public let client: S3Client

    /// The location `url` with a client configured from `environment` (region, endpoint, credentials, encryption),
    /// all resolved now so that a run fails before doing any work.
    public init(url: String, environment: [String: String]) throws {
        let (bucket, prefix) = try Self.parse(url)
        self.init(bucket: bucket, prefix: prefix, client: try S3Client(environment: environment))
    }

    public init(bucket: String, prefix: String, client: S3Client) {
        self.bucket = bucket
        self.prefix = prefix
        self.client = client
    }

    /// The bucket and the prefix (without surrounding slashes) of an `s3://bucket/prefix` URL.
    public static func parse(_ url: String) throws -> (bucket: String, prefix: String) {
        guard url.hasPrefix("s3://") else { throw S3DestinationError.invalid("\(url): not an s3://bucket/prefix URL") }
        let rest = url.dropFirst(5)
        let bucket = String(rest.prefix { $0 != "/" })
        guard !bucket.isEmpty else { throw S3DestinationError.invalid("\(url): no bucket name") }
        let segments = rest.dropFirst(bucket.count).split(separator: "/")
        if segments.contains(where: { $0 == "." || $0 == ".." }) {
            throw S3DestinationError.invalid("\(url): the prefix has a . or .. segment")
        }
        return (bucket, segments.joined(separator: "/"))
    }

    /// The object key for `relativePath` (e.g. `me/2026-W38.html`) under the prefix.
    public func key(for relativePath: String) throws -> String {
        let parts = relativePath.split(separator: "/", omittingEmptySubsequences: false)
        guard !relativePath.isEmpty, !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw S3DestinationError.invalid("\(relativePath): not a relative path inside s3://\(bucket)/\(prefix)")
        }
        return prefix.isEmpty ? relativePath : "\(prefix)/\(relativePath)"
    }

    /// Writes `data` at `relativePath` with one PutObject (replacing any object there); returns its `s3://` URL.
    @discardableResult
    public func put(relativePath: String, data: Data, contentType: String) throws -> String {
        let key = try key(for: relativePath)
        try client.putObject(bucket: bucket, key: key, body: data, contentType: contentType)
        return "s3://\(bucket)/\(key)"
    }
}

/// An output location or path that cannot be an S3 object.
public enum S3DestinationError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self { case .invalid(let reason): return reason }
    }
}
