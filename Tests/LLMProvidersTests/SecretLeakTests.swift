import Foundation
import HTTPKit
import LLMProviders
import Testing
import TestSupport

/// Every provider with recognisable fake keys, against servers that quote the key back in replies, errors and
/// retried failures: no error text, log line or returned value contains a key.
@Suite(.enabled(if: PythonHelper.enabled, Comment(rawValue: PythonHelper.skipReason)))
struct SecretLeakTests {
    @Test(arguments: [ProviderKind.openai, .anthropic, .bedrock])
    func keysAppearInNoErrorLogOrReply(_ kind: ProviderKind) async throws {
        let server = try FakeModelServer(kind)
        let rec = Recorder()
        var outputs: [String] = []

        // a reply whose text quotes the credential sent, after a retried 503 whose body quotes it too
        try server.script([["status": 503, "body": "overloaded for key \(server.key)"], ["echo_secret": true]])
        let reply = try await blocking { try server.provider(rec).complete(sampleRequest()) }
        outputs += [reply.text, reply.model]
        #expect(reply.text.contains("You sent"))
        #expect(reply.text.contains("[redacted]"))

        // retries exhausted on bodies quoting the key
        try server.script(Array(repeating: ["status": 500, "body": #"{"message":"internal error, key \#(server.key)"}"#], count: 2))
        do { _ = try await blocking { try server.provider(rec, attempts: 2).complete(sampleRequest()) }; Issue.record("no error") }
        catch { outputs.append(String(describing: error)) }

        // a 400 quoting the key
        try server.script([["status": 400, "body": #"{"error":{"message":"bad key \#(server.key)"},"message":"bad key \#(server.key)"}"#]])
        do { _ = try await blocking { try server.provider(rec).complete(sampleRequest()) }; Issue.record("no error") }
        catch { outputs.append(String(describing: error)) }

        // a malformed 200 quoting the key
        try server.script([["status": 200, "body": "<html>key \(server.key)</html>"]])
        do { _ = try await blocking { try server.provider(rec).complete(sampleRequest()) }; Issue.record("no error") }
        catch { outputs.append(String(describing: error)) }

        // the server refuses the key and quotes it (as OpenAI's 401 does)
        let refusing = try FakeModelServer(kind, serverKey: "some-other-key-entirely")
        do {
            _ = try await blocking { try refusing.provider(rec).complete(sampleRequest()) }
            Issue.record("no error")
        } catch { outputs.append(String(describing: error)) }

        outputs += rec.lines
        #expect(outputs.count >= 7)
        #expect(rec.lines.count >= 2)
        for secret in server.secrets + refusing.secrets {
            for text in outputs {
                #expect(!text.contains(secret), "a key leaked into: \(text)")
            }
        }
    }
}
