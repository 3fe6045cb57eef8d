import Foundation
import Testing
import HTTPKit
@testable import AWSKit

/// The credential chain's environment and shared-file steps, their order, and their errors (no network:
/// instance metadata is disabled so nothing waits on it).
@Suite struct CredentialChainTests {
    let home: TempDir
    var base: [String: String]

    init() throws {
        home = try TempDir()
        base = ["HOME": home.path, "AWS_EC2_METADATA_DISABLED": "true"]
    }

    func resolve(_ extra: [String: String]) throws -> AWSCredentials {
        try CredentialChain.resolve(environment: base.merging(extra) { $1 }, transport: ScriptedTransport([]))
    }

    @Test func environmentVariablesWithSessionToken() throws {
        let c = try resolve(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "envsecret", "AWS_SESSION_TOKEN": "envtoken"])
        #expect(c == AWSCredentials(accessKeyId: "AKIDENV", secretAccessKey: "envsecret", sessionToken: "envtoken"))
    }

    @Test func environmentBeatsTheSharedFiles() throws {
        try home.write(".aws/credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = filesecret\n")
        #expect(try resolve(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s"]).accessKeyId == "AKIDENV")
        #expect(try resolve([:]).accessKeyId == "AKIDFILE")
    }

    @Test func halfAKeyPairInTheEnvironmentIsAnError() {
        #expect(throws: AWSCredentialsError.incompleteEnvironment(missing: "AWS_SECRET_ACCESS_KEY")) {
            try resolve(["AWS_ACCESS_KEY_ID": "AKIDENV"])
        }
        #expect(throws: AWSCredentialsError.incompleteEnvironment(missing: "AWS_ACCESS_KEY_ID")) {
            try resolve(["AWS_SECRET_ACCESS_KEY": "x"])
        }
    }

    @Test func profilesFromTheCredentialsAndConfigFiles() throws {
        try home.write(".aws/credentials", """
            # comment
            [default]
            aws_access_key_id = AKIDDEFAULT
            aws_secret_access_key = defaultsecret

            [work]
            aws_access_key_id=AKIDWORK
            aws_secret_access_key=worksecret
            aws_session_token=worktoken
            """)
        try home.write(".aws/config", """
            [default]
            region = eu-west-1
            [profile cfgonly]
            aws_access_key_id = AKIDCONFIG
            aws_secret_access_key = configsecret
            s3 =
              addressing_style = path
            [profile work]
            aws_access_key_id = AKIDSHADOWED
            aws_secret_access_key = shadowed
            """)
        #expect(try resolve([:]).accessKeyId == "AKIDDEFAULT")
        #expect(try resolve(["AWS_PROFILE": "work"]) == AWSCredentials(accessKeyId: "AKIDWORK", secretAccessKey: "worksecret", sessionToken: "worktoken"))
        #expect(try resolve(["AWS_PROFILE": "cfgonly"]).accessKeyId == "AKIDCONFIG")
    }

    @Test func filesNamedByTheEnvironment() throws {
        let creds = try home.write("elsewhere/creds.ini", "[ci]\naws_access_key_id = AKIDCI\naws_secret_access_key = cisecret\n")
        let config = try home.write("elsewhere/config.ini", "[profile ci]\nregion = sa-east-1\n")
        let env = ["AWS_SHARED_CREDENTIALS_FILE": creds, "AWS_CONFIG_FILE": config, "AWS_PROFILE": "ci"]
        #expect(try resolve(env).accessKeyId == "AKIDCI")
        #expect(try AWSRegion.resolve(environment: base.merging(env) { $1 }) == "sa-east-1")
    }

    @Test func aMissingNamedProfileIsAnError() throws {
        try home.write(".aws/credentials", "[default]\naws_access_key_id = A\naws_secret_access_key = B\n")
        #expect(throws: AWSCredentialsError.profileNotFound(profile: "nope", files: ["\(home.path)/.aws/credentials", "\(home.path)/.aws/config"])) {
            try resolve(["AWS_PROFILE": "nope"])
        }
    }

    @Test func profilesThisToolCannotUseSaySo() throws {
        try home.write(".aws/config", "[profile assume]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n")
        #expect(throws: AWSCredentialsError.unsupportedProfile(profile: "assume", file: "\(home.path)/.aws/config", settings: ["role_arn"])) {
            try resolve(["AWS_PROFILE": "assume"])
        }
    }

    @Test func halfAKeyPairInAProfileIsAnError() throws {
        try home.write(".aws/credentials", "[default]\naws_access_key_id = AKIDONLY\n")
        #expect(throws: AWSCredentialsError.incompleteProfile(profile: "default", file: "\(home.path)/.aws/credentials", missing: "aws_secret_access_key")) {
            try resolve([:])
        }
    }

    @Test func aMalformedFileNamesFileAndLine() throws {
        let path = try home.write(".aws/credentials", "[default]\naws_access_key_id = A\nthis line has no equals sign\n")
        #expect(throws: AWSCredentialsError.malformedFile(path: path, line: 3, reason: "expected key = value")) { try resolve([:]) }
    }

    @Test func nothingFoundListsEverySourceTried() throws {
        let error = try #require(throws: AWSCredentialsError.self) { try resolve([:]) }
        guard case .notFound(let tried) = error else { Issue.record("unexpected \(error)"); return }
        #expect(tried.count == 5)
        #expect(tried[0].contains("AWS_ACCESS_KEY_ID"))
        #expect(tried[1] == "\(home.path)/.aws/credentials: no such file")
        #expect(tried[2] == "\(home.path)/.aws/config: no such file")
        #expect(tried[3].contains("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"))
        #expect(tried[4] == "instance metadata (http://169.254.169.254): disabled by AWS_EC2_METADATA_DISABLED")
        #expect(error.description.hasPrefix("no AWS credentials found; tried, in order:"))
    }

    @Test func credentialsAreResolvedAgainShortlyBeforeTheyExpire() throws {
        let calls = Counter()
        let now = Date(timeIntervalSince1970: 1_000_000)
        let cache = RefreshingCredentials {
            calls.increment()
            return AWSCredentials(accessKeyId: "AKID\(calls.value)", secretAccessKey: "s", expiration: now.addingTimeInterval(600))
        }
        #expect(try cache.current(now: now).accessKeyId == "AKID1")
        #expect(try cache.current(now: now.addingTimeInterval(200)).accessKeyId == "AKID1")
        #expect(try cache.current(now: now.addingTimeInterval(301)).accessKeyId == "AKID2")
    }

    /// Every error of the chain, built from files and variables holding recognisable fake keys, keeps them out of its text.
    @Test func errorTextsHoldNoSecret() throws {
        try home.write(".aws/credentials", "[half]\naws_secret_access_key = \(FakeKeys.secret)\naws_session_token = \(FakeKeys.token)\n"
                       + "[bad]\naws_access_key_id = \(FakeKeys.accessKeyId)\n\(FakeKeys.secret)\n")
        try home.write(".aws/config", "[profile proc]\ncredential_process = /bin/echo \(FakeKeys.secret)\n")
        let tokenFile = try home.write("token", "\(FakeKeys.token)\r\nsecond line")
        let cases: [[String: String]] = [
            ["AWS_SECRET_ACCESS_KEY": FakeKeys.secret, "AWS_SESSION_TOKEN": FakeKeys.token],
            ["AWS_ACCESS_KEY_ID": FakeKeys.accessKeyId, "AWS_SESSION_TOKEN": FakeKeys.token],
            ["AWS_PROFILE": "half"], ["AWS_PROFILE": "bad"], ["AWS_PROFILE": "proc"],
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile],
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://example.com/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": FakeKeys.token],
        ]
        for extra in cases {
            let error = try #require(throws: AWSCredentialsError.self) { try resolve(extra) }
            #expect(FakeKeys.absent(in: "\(error)") && FakeKeys.absent(in: String(reflecting: error)), "\(error)")
        }
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
    func increment() { lock.lock(); n += 1; lock.unlock() }
}
