import Foundation
import Testing
import HTTPKit
@testable import AWSKit
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// S3 addressing, encryption settings, error documents and retries (a scripted transport; moto covers the wire).
@Suite struct S3ClientTests {
    static let creds = RefreshingCredentials { AWSCredentials(accessKeyId: FakeKeys.accessKeyId, secretAccessKey: FakeKeys.secret, sessionToken: FakeKeys.token) }

    func client(_ transport: any HTTPTransport = ScriptedTransport([]), endpoint: URL? = nil,
                encryption: S3ServerSideEncryption = .aes256) -> S3Client {
        S3Client(region: "eu-west-1", endpoint: endpoint, credentials: Self.creds, transport: transport, encryption: encryption,
                 retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.001, maxDelay: 0.001, maxRetryAfter: 1))
    }

    static func reply(_ status: Int, _ body: String = "", headers: [String: String] = [:]) -> Result<HTTPResponse, URLError> {
        .success(HTTPResponse(status: status, headers: headers, body: Data(body.utf8)))
    }

    @Test func addressing() {
        #expect(client().objectURL(bucket: "reports", key: "a b/ç.md").absoluteString == "https://reports.s3.eu-west-1.amazonaws.com/a%20b/%C3%A7.md")
        #expect(client().objectURL(bucket: "my.reports", key: "k").absoluteString == "https://s3.eu-west-1.amazonaws.com/my.reports/k")
        #expect(client(endpoint: URL(string: "http://127.0.0.1:9000/")!).objectURL(bucket: "reports", key: "x/y.html").absoluteString
            == "http://127.0.0.1:9000/reports/x/y.html")
    }

    @Test func encryptionSettings() throws {
        #expect(try S3ServerSideEncryption.fromEnvironment([:]) == .aes256)
        #expect(try S3ServerSideEncryption.fromEnvironment(["FITDATA_S3_SSE": "aws:kms"]) == .kms(keyId: nil))
        #expect(try S3ServerSideEncryption.fromEnvironment(["FITDATA_S3_KMS_KEY_ID": "alias/x"]) == .kms(keyId: "alias/x"))
        #expect(try S3ServerSideEncryption.fromEnvironment(["FITDATA_S3_SSE": "none"]) == S3ServerSideEncryption.none)
        #expect(throws: S3ConfigurationError.unknownEncryption("des")) { try S3ServerSideEncryption.fromEnvironment(["FITDATA_S3_SSE": "des"]) }
        #expect(throws: S3ConfigurationError.kmsKeyWithoutKMS) {
            try S3ServerSideEncryption.fromEnvironment(["FITDATA_S3_SSE": "AES256", "FITDATA_S3_KMS_KEY_ID": "k"])
        }
    }

    @Test func putObjectRequestShape() throws {
        let transport = ScriptedTransport([Self.reply(200, headers: ["etag": "\"abc\"", "x-amz-server-side-encryption": "aws:kms"])])
        let body = Data("hello".utf8)
        let result = try client(transport, encryption: .kms(keyId: "alias/fitdata")).putObject(bucket: "reports", key: "me/w.md", body: body, contentType: "text/markdown")
        #expect(result == S3Client.PutResult(etag: "\"abc\"", versionId: nil, serverSideEncryption: "aws:kms"))
        let sent = try #require(transport.requests.first)
        #expect(sent.httpMethod == "PUT")
        #expect(sent.httpBody == body)
        #expect(sent.value(forHTTPHeaderField: "Content-Type") == "text/markdown")
        #expect(sent.value(forHTTPHeaderField: "x-amz-server-side-encryption") == "aws:kms")
        #expect(sent.value(forHTTPHeaderField: "x-amz-server-side-encryption-aws-kms-key-id") == "alias/fitdata")
        #expect(sent.value(forHTTPHeaderField: "x-amz-content-sha256") == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        let auth = try #require(sent.value(forHTTPHeaderField: "Authorization"))
        #expect(auth.contains("/eu-west-1/s3/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-server-side-encryption;x-amz-server-side-encryption-aws-kms-key-id,"))
    }

    @Test func retriesServerErrorsAndThrottlingThenSucceeds() throws {
        let transport = ScriptedTransport([Self.reply(503, "<Error><Code>SlowDown</Code></Error>"),
                                           Self.reply(429, headers: ["retry-after": "0"]), Self.reply(200)])
        try client(transport).putObject(bucket: "b-1", key: "k", body: Data(), contentType: "text/plain")
        #expect(transport.requests.count == 3)
    }

    @Test func givesUpAfterTheLastAttemptWithS3sCode() throws {
        let transport = ScriptedTransport([.failure(URLError(.timedOut)), Self.reply(500), Self.reply(500, "<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message><RequestId>R1</RequestId></Error>")])
        let error = try #require(throws: S3Error.self) { try client(transport).putObject(bucket: "b-1", key: "k", body: Data(), contentType: "text/plain") }
        #expect(error == .gaveUp(attempts: 3, last: .service(operation: "PutObject", location: "s3://b-1/k", status: 500, code: "InternalError",
                                                            message: "We encountered an internal error.", requestId: "R1")))
        #expect("\(error)" == "S3 PutObject s3://b-1/k: HTTP 500 InternalError: We encountered an internal error. (request id R1) (after 3 attempts)")
    }

    @Test func clientErrorsAreNotRetried() throws {
        let transport = ScriptedTransport([Self.reply(404, "<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist &amp; never did</Message></Error>")])
        let error = try #require(throws: S3Error.self) { try client(transport).putObject(bucket: "b-1", key: "k", body: Data(), contentType: "text/plain") }
        #expect(error.code == "NoSuchBucket")
        #expect("\(error)".contains("does not exist & never did"))
        #expect(transport.requests.count == 1)
    }

    /// An error document echoing key material (as SignatureDoesNotMatch does) is redacted in the error text.
    @Test func echoedKeyMaterialIsRedacted() throws {
        let transport = ScriptedTransport([Self.reply(403, "<Error><Code>SignatureDoesNotMatch</Code><Message>key \(FakeKeys.accessKeyId) token \(FakeKeys.token) secret \(FakeKeys.secret)</Message></Error>")])
        let error = try #require(throws: S3Error.self) { try client(transport).putObject(bucket: "b-1", key: "k", body: Data(), contentType: "text/plain") }
        #expect(FakeKeys.absent(in: "\(error)") && FakeKeys.absent(in: String(reflecting: error)), "\(error)")
        #expect("\(error)".contains("[redacted]"))
    }

    @Test func sinkURLsAndPaths() throws {
        let sink = S3Destination(bucket: "b-1", prefix: "reports/weekly", client: client(ScriptedTransport([Self.reply(200)])))
        #expect(try sink.put(relativePath: "me/2026-W38.md", data: Data(), contentType: "text/markdown") == "s3://b-1/reports/weekly/me/2026-W38.md")
        #expect(throws: S3DestinationError.self) { try sink.put(relativePath: "../escape.md", data: Data(), contentType: "text/markdown") }
        #expect(throws: S3DestinationError.self) { try sink.put(relativePath: "/abs.md", data: Data(), contentType: "text/markdown") }
        #expect(throws: S3DestinationError.self) { try S3Destination(url: "s3:///prefix", environment: [:]) }
        #expect(throws: S3DestinationError.self) { try S3Destination(url: "https://bucket/prefix", environment: [:]) }
    }

    /// The sink resolves region and credentials when it is made, so a run fails before doing any work.
    @Test func sinkFailsEarlyWithoutRegionOrCredentials() throws {
        let home = try TempDir()
        #expect(throws: AWSRegionError.self) { try S3Destination(url: "s3://b-1/p", environment: ["HOME": home.path]) }
        #expect(throws: AWSCredentialsError.self) {
            try S3Destination(url: "s3://b-1/p", environment: ["HOME": home.path, "AWS_REGION": "eu-west-1", "AWS_EC2_METADATA_DISABLED": "true"])
        }
    }
}
