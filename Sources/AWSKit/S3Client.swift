import Foundation
import HTTPKit
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// S3 PutObject and GetObject over SigV4, with retries on 5xx/429 and transport failures.
///
/// Addressing is path-style (`<endpoint>/<bucket>/<key>`) when an endpoint is configured (S3-compatible
/// stores, local fakes) or the bucket name is not DNS-safe, virtual-hosted
/// (`https://<bucket>.s3.<region>.amazonaws.com/<key>`) otherwise.
public struct S3Client: Sendable {
    public let region: String
    /// The configured endpoint (`AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`), nil for AWS's own.
    public let endpoint: URL?
    public let encryption: S3ServerSideEncryption
    let credentials: RefreshingCredentials
    let transport: any HTTPTransport
    let retry: RetryPolicy

    public init(region: String, endpoint: URL?, credentials: RefreshingCredentials, transport: any HTTPTransport,
                encryption: S3ServerSideEncryption = .aes256, retry: RetryPolicy = RetryPolicy(maxAttempts: 4)) {
        self.region = region
        self.endpoint = endpoint
        self.credentials = credentials
        self.transport = transport
        self.encryption = encryption
        self.retry = retry
    }

    /// A client configured from `environment` as the AWS SDKs configure one (region, endpoint, credential chain)
    /// plus `FITDATA_S3_SSE` / `FITDATA_S3_KMS_KEY_ID`. Credentials are resolved now, so a missing one fails early.
    public init(environment: [String: String]) throws {
        let region = try AWSRegion.resolve(environment: environment)
        let endpoint = try AWSEndpoint.configured(service: "s3", environment: environment)
        let encryption = try S3ServerSideEncryption.fromEnvironment(environment)
        let metadataTransport = URLSessionTransport(limits: TransportLimits(idleTimeout: 2, deadline: 5, maxBodyBytes: 1 << 20))
        let credentials = RefreshingCredentials {
            try CredentialChain.resolve(environment: environment, transport: metadataTransport)
        }
        _ = try credentials.current()
        self.init(region: region, endpoint: endpoint, credentials: credentials,
                  transport: URLSessionTransport(limits: TransportLimits(idleTimeout: 30, deadline: 300)), encryption: encryption)
    }

    /// Whether `bucket` can be a host name label (lower-case letters, digits, hyphens; 3–63 characters).
    static func isDNSSafe(_ bucket: String) -> Bool {
        (3...63).contains(bucket.count) && bucket.first != "-" && bucket.last != "-"
            && bucket.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }

    /// The URL of `key` in `bucket` (the key encoded with SigV4's rules, `/` kept).
    public func objectURL(bucket: String, key: String) -> URL {
        let encodedKey = SigV4Canonical.uriEncode(key, keepSlash: true)
        let encodedBucket = SigV4Canonical.uriEncode(bucket, keepSlash: false)
        if let endpoint {
            var base = endpoint.absoluteString
            while base.hasSuffix("/") { base.removeLast() }
            return URL(string: "\(base)/\(encodedBucket)/\(encodedKey)")!
        }
        let standard = AWSEndpoint.standard(service: "s3", region: region)
        if Self.isDNSSafe(bucket) {
            return URL(string: "https://\(bucket).\(standard.host!)/\(encodedKey)")!
        }
        return URL(string: "\(standard.absoluteString)/\(encodedBucket)/\(encodedKey)")!
    }

    /// What S3 answered to a PutObject.
    public struct PutResult: Sendable, Equatable {
        public var etag: String?
        public var versionId: String?
        /// The encryption S3 reports having applied (`x-amz-server-side-encryption`).
        public var serverSideEncryption: String?
    }

    /// Uploads `body` as `key` with `contentType` and the configured encryption; the payload's SHA-256 is signed.
    @discardableResult
    public func putObject(bucket: String, key: String, body: Data, contentType: String) throws -> PutResult {
        var request = URLRequest(url: objectURL(bucket: bucket, key: key))
        request.httpMethod = "PUT"
        request.httpBody = body
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        for (name, value) in encryption.headers { request.setValue(value, forHTTPHeaderField: name) }
        let response = try send(request, body: body, operation: "PutObject", bucket: bucket, key: key)
        return PutResult(etag: response.headers["etag"], versionId: response.headers["x-amz-version-id"],
                         serverSideEncryption: response.headers["x-amz-server-side-encryption"])
    }

    /// Downloads `key`: its bytes and the response headers (lower-cased names).
    public func getObject(bucket: String, key: String) throws -> (body: Data, headers: [String: String]) {
        var request = URLRequest(url: objectURL(bucket: bucket, key: key))
        request.httpMethod = "GET"
        let response = try send(request, body: Data(), operation: "GetObject", bucket: bucket, key: key)
        return (response.body, response.headers)
    }

    /// Signs and sends `request`, signing again for each retry; throws ``S3Error`` for any non-2xx outcome.
    func send(_ request: URLRequest, body: Data, operation: String, bucket: String, key: String) throws -> HTTPResponse {
        let location = "s3://\(bucket)/\(key)"
        var attempt = 0
        while true {
            attempt += 1
            switch try attemptOnce(request, body: body, operation: operation, location: location) {
            case .success(let response):
                return response
            case .failure(let retryable):
                guard attempt < retry.maxAttempts else { throw retryable.error.afterAttempts(attempt) }
                Thread.sleep(forTimeInterval: retryable.wait ?? retry.backoff(afterAttempt: attempt))
            }
        }
    }

    /// A failure worth retrying, and the wait the server asked for.
    struct Retryable: Error {
        var error: S3Error
        var wait: TimeInterval?
    }

    /// One signed attempt: the response, a retryable failure, or a thrown final ``S3Error``.
    private func attemptOnce(_ request: URLRequest, body: Data, operation: String, location: String) throws -> Result<HTTPResponse, Retryable> {
        let creds = try credentials.current()
        let redact = SecretRedactor(secrets: [creds.secretAccessKey, creds.sessionToken, creds.accessKeyId].compactMap { $0 })
        let signed = SigV4Signer(credentials: creds, region: region, service: "s3").signed(request, body: body)
        let response: HTTPResponse
        do {
            response = try transport.send(signed)
        } catch {
            return .failure(Retryable(error: .transport(operation: operation, location: location,
                                                        reason: redact(ContainerCredentials.describe(error)))))
        }
        if (200..<300).contains(response.status) { return .success(response) }
        let detail = S3ErrorBody(response.body)
        let failure = S3Error.service(operation: operation, location: location, status: response.status,
                                      code: detail.code.map(redact.callAsFunction), message: detail.message.map(redact.callAsFunction),
                                      requestId: detail.requestId ?? response.headers["x-amz-request-id"])
        guard response.status >= 500 || response.status == 429 || detail.code == "SlowDown" else { throw failure }
        let after = RetryPolicy.retryAfter(response.headers["retry-after"])
        if let after, after > retry.maxRetryAfter { throw failure }
        return .failure(Retryable(error: failure, wait: after))
    }
}

/// A failed S3 request: S3's error code and message, or the transport failure, never a credential.
public enum S3Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// S3 answered `status` with an error document (`code`, `message`, `requestId` from its XML).
    case service(operation: String, location: String, status: Int, code: String?, message: String?, requestId: String?)
    /// No answer (refused, timed out, cut off).
    case transport(operation: String, location: String, reason: String)
    /// The last failure after `attempts` tries.
    indirect case gaveUp(attempts: Int, last: S3Error)

    /// S3's error code (`AccessDenied`, `NoSuchBucket`, `SignatureDoesNotMatch`…), when S3 sent one.
    public var code: String? {
        switch self {
        case .service(_, _, _, let code, _, _): return code
        case .transport: return nil
        case .gaveUp(_, let last): return last.code
        }
    }

    func afterAttempts(_ n: Int) -> S3Error { n > 1 ? .gaveUp(attempts: n, last: self) : self }

    public var description: String {
        switch self {
        case let .service(operation, location, status, code, message, requestId):
            return "S3 \(operation) \(location): HTTP \(status)" + (code.map { " \($0)" } ?? "")
                + (message.map { ": \($0)" } ?? "") + (requestId.map { " (request id \($0))" } ?? "")
        case let .transport(operation, location, reason):
            return "S3 \(operation) \(location): \(reason)"
        case let .gaveUp(attempts, last):
            return "\(last) (after \(attempts) attempts)"
        }
    }
}

/// The fields of S3's XML error document (`<Error><Code>…</Code><Message>…</Message><RequestId>…`).
struct S3ErrorBody {
    var code: String?
    var message: String?
    var requestId: String?

    init(_ data: Data) {
        let text = String(decoding: data.prefix(64 << 10), as: UTF8.self)
        code = Self.element("Code", in: text)
        message = Self.element("Message", in: text)
        requestId = Self.element("RequestId", in: text)
    }

    /// The unescaped text of the first `<name>…</name>` in `xml`.
    static func element(_ name: String, in xml: String) -> String? {
        guard let open = xml.range(of: "<\(name)>"),
              let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex) else { return nil }
        let raw = xml[open.upperBound..<close.lowerBound]
        return raw.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
