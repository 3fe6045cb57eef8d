import Foundation
import HTTPKit
import LLMProviders
import Testing
import TestSupport

/// How every provider meets refused keys, rate limits, server errors, silence and replies of the wrong shape.
@Suite(.enabled(if: PythonHelper.enabled, Comment(rawValue: PythonHelper.skipReason)))
struct ProviderFailureTests {
    static let kinds: [ProviderKind] = [.openai, .anthropic, .bedrock]

    /// A refused credential is ``LLMError/unauthorized(provider:detail:)`` at once (no retry), quoting the server.
    @Test(arguments: kinds) func refusedCredentialsAreUnauthorized(_ kind: ProviderKind) async throws {
        let server = try FakeModelServer(kind, serverKey: "the-server-wants-another-key")
        let rec = Recorder()
        let error = await #expect(throws: LLMError.self) {
            try await blocking { try server.provider(rec).complete(sampleRequest()) }
        }
        guard case .unauthorized(let provider, let detail)? = error else { Issue.record("not unauthorized: \(String(describing: error))"); return }
        #expect(provider == kind.rawValue)
        #expect(detail.contains(kind == .bedrock ? "HTTP 403" : "HTTP 401"))
        #expect(detail.contains(kind == .bedrock ? "signature" : "key"))
        #expect(try server.log().count == 1)
        #expect(rec.delays.isEmpty)
    }

    /// A 429 with `Retry-After: 7` waits exactly 7 s, then the retry succeeds.
    @Test(arguments: kinds) func rateLimitHonoursRetryAfter(_ kind: ProviderKind) async throws {
        let server = try FakeModelServer(kind)
        try server.script([["status": 429, "headers": ["Retry-After": "7"], "body": #"{"message":"slow down"}"#]])
        let rec = Recorder()
        let reply = try await blocking { try server.provider(rec, model: "m-1").complete(sampleRequest()) }
        #expect(reply.text.hasPrefix("Fake reply from \(kind.rawValue) for m-1"))
        #expect(rec.delays == [7])
        #expect(rec.lines.count == 1)
        #expect(rec.lines.first?.contains("HTTP 429") == true)
        #expect(rec.lines.first?.contains("retrying in 7.0 s (attempt 2 of 4)") == true)
        let log = try server.log()
        #expect(log.count == 2)
        #expect(log.allSatisfy { ($0["problems"] as? [String]) == [] && $0["auth_ok"] as? Bool == true })
    }

    /// 500 and 503 are retried after the policy's backoff (0.5 s base, doubling, half of it random), then succeed.
    @Test(arguments: kinds) func serverErrorsAreRetriedWithBackoff(_ kind: ProviderKind) async throws {
        let server = try FakeModelServer(kind)
        try server.script([["status": 500, "body": "boom"], ["status": 503, "body": "{}"]])
        let rec = Recorder()
        let reply = try await blocking { try server.provider(rec).complete(sampleRequest()) }
        #expect(reply.text.hasPrefix("Fake reply from \(kind.rawValue)"))
        let delays = rec.delays
        #expect(delays.count == 2)
        if delays.count == 2 {
            #expect((0.25...0.5).contains(delays[0]))
            #expect((0.5...1.0).contains(delays[1]))
        }
        #expect(try server.log().count == 3)
    }

    /// 5xx on every attempt ends with ``LLMError/http(provider:status:detail:)`` naming the attempts and the last status.
    @Test(arguments: kinds) func serverErrorsUntilAttemptsRunOut(_ kind: ProviderKind) async throws {
        let server = try FakeModelServer(kind)
        try server.script(Array(repeating: ["status": 502, "body": "bad gateway"], count: 4))
        let rec = Recorder()
        let error = await #expect(throws: LLMError.self) {
            try await blocking { try server.provider(rec, attempts: 4).complete(sampleRequest()) }
        }
        guard case .http(let provider, let status, _)? = error else { Issue.record("not http: \(String(describing: error))"); return }
        #expect(provider == kind.rawValue && status == 502)
        let text = String(describing: error!)
        #expect(text.contains("gave up after 4 attempts"))
        #expect(text.contains("HTTP 502: bad gateway"))
        #expect(try server.log().count == 4)
        #expect(rec.delays.count == 3)
    }

    /// A 4xx other than 401/403/429 is not retried and quotes the server's message.
    @Test(arguments: kinds) func clientErrorsAreNotRetried(_ kind: ProviderKind) async throws {
        let server = try FakeModelServer(kind)
        try server.script([["status": 400, "body": #"{"error":{"type":"invalid_request_error","message":"model unknown"},"message":"model unknown"}"#]])
        let error = await #expect(throws: LLMError.self) {
            try await blocking { try server.provider(Recorder()).complete(sampleRequest()) }
        }
        guard case .http(_, 400, let detail)? = error else { Issue.record("not http 400: \(String(describing: error))"); return }
        #expect(detail.contains("model unknown"))
        #expect(try server.log().count == 1)
    }

    /// A server that never answers is abandoned after the idle timeout, retried, then reported as a transport error.
    @Test(arguments: kinds) func silentServerTimesOut(_ kind: ProviderKind) async throws {
        let server = try FakeModelServer(kind)
        try server.script([["hang": true], ["hang": true]])
        let rec = Recorder()
        let error = await #expect(throws: LLMError.self) {
            try await blocking { try server.provider(rec, attempts: 2, idle: 1, deadline: 3).complete(sampleRequest()) }
        }
        guard case .transport(let provider, let detail)? = error else { Issue.record("not transport: \(String(describing: error))"); return }
        #expect(provider == kind.rawValue)
        #expect(detail.contains("gave up after 2 attempts"))
        #expect(detail.contains("timed out") || detail.contains("deadline"))
        #expect(try server.log().count == 2)
    }

    /// A 200 whose body is not the documented shape is ``LLMError/malformedReply(provider:detail:)`` naming what is wrong.
    @Test(arguments: kinds) func malformedRepliesAreReported(_ kind: ProviderKind) async throws {
        let server = try FakeModelServer(kind)
        let missing = ["openai": "choices is missing", "anthropic": "content is missing", "bedrock": "output is missing"][kind.rawValue]!
        let cases: [(String, String)] = [("this is not json", "the body is not JSON"), (#"{"unexpected": true}"#, missing)]
        for (body, expected) in cases {
            try server.script([["status": 200, "body": body]])
            let error = await #expect(throws: LLMError.self) {
                try await blocking { try server.provider(Recorder()).complete(sampleRequest()) }
            }
            guard case .malformedReply(let provider, let detail)? = error else { Issue.record("not malformed: \(String(describing: error))"); continue }
            #expect(provider == kind.rawValue)
            #expect(detail.contains(expected), "\(detail)")
        }
        // the right shape with no text in it
        let empty = ["openai": #"{"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null}}]}"#,
                     "anthropic": #"{"model":"m","content":[],"usage":{"input_tokens":1,"output_tokens":0}}"#,
                     "bedrock": #"{"output":{"message":{"role":"assistant","content":[]}}}"#][kind.rawValue]!
        try server.script([["status": 200, "body": empty]])
        await #expect(throws: LLMError.self) {
            try await blocking { try server.provider(Recorder()).complete(sampleRequest()) }
        }
    }
}
