import Foundation
import Testing
import HTTPKit
@testable import AWSKit
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The chain's container-endpoint and IMDSv2 steps against a fake of both on loopback (`Tests/fake_aws/fake_metadata_server.py`).
@Suite struct ContainerAndInstanceMetadataTests {
    let home: TempDir
    let server: HelperProcess
    let port: Int

    init() throws {
        home = try TempDir()
        server = try HelperProcess(python: "python3", script: "fake_metadata_server.py", arguments: [
            "--container-token", "container-auth-token-42",
            "--access-key-id", FakeKeys.accessKeyId, "--secret-access-key", FakeKeys.secret,
            "--session-token", FakeKeys.token, "--expiration", "2099-06-01T12:00:00Z",
        ])
        port = Int(server.readyLine.dropFirst("PORT ".count))!
    }

    var expected: AWSCredentials {
        AWSCredentials(accessKeyId: FakeKeys.accessKeyId, secretAccessKey: FakeKeys.secret, sessionToken: FakeKeys.token,
                       expiration: CredentialsDocument.parseDate("2099-06-01T12:00:00Z"))
    }

    /// The requests the fake saw: method, path, headers.
    func log() throws -> [[String: Any]] {
        let response = try shortTransport().send(URLRequest(url: URL(string: "http://127.0.0.1:\(port)/_log")!))
        return try JSONSerialization.jsonObject(with: response.body) as! [[String: Any]]
    }

    func env(_ extra: [String: String]) -> [String: String] {
        ["HOME": home.path, "AWS_EC2_METADATA_DISABLED": "true"].merging(extra) { $1 }
    }

    @Test func fullURIWithAuthorizationToken() throws {
        let c = try CredentialChain.resolve(environment: env([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:\(port)/v2/credentials/task-1",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-auth-token-42",
        ]), transport: shortTransport())
        #expect(c == expected)
        let seen = try log()
        #expect(seen.count == 1)
        #expect((seen[0]["headers"] as? [String: String])?["authorization"] == "container-auth-token-42")
    }

    @Test func theTokenFileWinsOverTheTokenVariable() throws {
        let file = try home.write("eks-token", "container-auth-token-42\n")
        let c = try CredentialChain.resolve(environment: env([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:\(port)/v2/credentials/task-1",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": file,
        ]), transport: shortTransport())
        #expect(c.accessKeyId == FakeKeys.accessKeyId)
    }

    /// Fargate's form: a path relative to 169.254.170.2 (sent to the fake by a redirecting transport).
    @Test func relativeURIGoesToTheECSAgentAddress() throws {
        let transport = RedirectingTransport(fromHost: "169.254.170.2", toPort: port)
        let c = try CredentialChain.resolve(environment: env([
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/task-1",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-auth-token-42",
        ]), transport: transport)
        #expect(c == expected)
        #expect(transport.requestedURLs.map(\.absoluteString) == ["http://169.254.170.2/v2/credentials/task-1"])
    }

    @Test func sharedFilesComeBeforeTheContainer() throws {
        try home.write(".aws/credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n")
        let c = try CredentialChain.resolve(environment: env([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:\(port)/v2/credentials/task-1",
        ]), transport: shortTransport())
        #expect(c.accessKeyId == "AKIDFILE")
        #expect(try log().isEmpty)
    }

    /// A configured endpoint that refuses stops the chain with its own error instead of falling through to IMDS.
    @Test func aFailingContainerEndpointIsAnErrorNotAFallThrough() throws {
        let error = try #require(throws: AWSCredentialsError.self) {
            try CredentialChain.resolve(environment: env([
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:\(port)/v2/credentials/task-1",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong-token",
                "AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(port)",
            ]), transport: shortTransport())
        }
        #expect(error == .containerEndpoint(url: "http://127.0.0.1:\(port)/v2/credentials/task-1", reason: "HTTP 403"))
        #expect(try log().allSatisfy { ($0["path"] as? String)?.hasPrefix("/latest") == false })
    }

    @Test func plainHTTPToAnotherHostIsRefused() throws {
        let error = try #require(throws: AWSCredentialsError.self) {
            try CredentialChain.resolve(environment: env(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://198.51.100.7/creds"]),
                                        transport: shortTransport())
        }
        guard case .containerEndpoint(_, let reason) = error else { Issue.record("\(error)"); return }
        #expect(reason.contains("loopback"))
    }

    /// IMDSv2: PUT for a session token (with its TTL header), then the role and its credentials with that token.
    @Test func instanceMetadataV2() throws {
        let c = try CredentialChain.resolve(environment: [
            "HOME": home.path, "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(port)/",
        ], transport: shortTransport())
        #expect(c == expected)
        let seen = try log()
        #expect(seen.map { "\($0["method"]!) \($0["path"]!)" } == [
            "PUT /latest/api/token",
            "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/fitdata-task-role",
        ])
        let headers = seen.map { $0["headers"] as! [String: String] }
        #expect(headers[0]["x-aws-ec2-metadata-token-ttl-seconds"] == "21600")
        #expect(headers[1]["x-aws-ec2-metadata-token"] == "imds-session-token-0123456789")
        #expect(headers[2]["x-aws-ec2-metadata-token"] == "imds-session-token-0123456789")
    }

    @Test func instanceMetadataDisabledIsNotAsked() throws {
        #expect(throws: AWSCredentialsError.self) {
            try CredentialChain.resolve(environment: [
                "HOME": home.path, "AWS_EC2_METADATA_DISABLED": "TRUE", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(port)",
            ], transport: shortTransport())
        }
        #expect(try log().isEmpty)
    }

    @Test func anUnreachableMetadataServiceEndsTheChainWithTheReason() throws {
        server.stop()   // the port now refuses connections
        let error = try #require(throws: AWSCredentialsError.self) {
            try CredentialChain.resolve(environment: ["HOME": home.path, "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(port)"],
                                        transport: shortTransport())
        }
        guard case .notFound(let tried) = error else { Issue.record("\(error)"); return }
        #expect(tried.last?.hasPrefix("instance metadata (http://127.0.0.1:\(port)): PUT /latest/api/token failed") == true)
    }
}
