import Foundation
import HTTPKit
import LLMProviders
import Testing
import TestSupport

/// Each provider against a fake server that checks the published request shape: method, path, headers, JSON body,
/// the model and the prompt; and the reply decoded into text and token counts.
@Suite(.enabled(if: PythonHelper.enabled, Comment(rawValue: PythonHelper.skipReason)))
struct ProviderContractTests {
    @Test func openAIChatCompletionsRequestAndReply() async throws {
        let server = try FakeModelServer(.openai)
        let rec = Recorder()
        let reply = try await blocking { try server.provider(rec, model: "gpt-test-1").complete(sampleRequest()) }
        #expect(reply.text == "Fake reply from openai for gpt-test-1.")
        #expect(reply.model == "gpt-test-1-2024")
        #expect(reply.inputTokens == 101 && reply.outputTokens == 17)
        let log = try server.log()
        #expect(log.count == 1)
        let entry = try #require(log.first)
        #expect(entry["method"] as? String == "POST")
        #expect(entry["path"] as? String == "/v1/chat/completions")
        #expect((entry["problems"] as? [String]) == [])
        let headers = try #require(entry["headers"] as? [String: String])
        #expect(headers["authorization"] == "Bearer \(server.key)")
        let body = try #require(entry["body"] as? [String: Any])
        #expect(body["model"] as? String == "gpt-test-1")
        #expect(body["max_tokens"] as? Int == 700)           // a server other than api.openai.com
        #expect(body["max_completion_tokens"] == nil)
        let messages = try #require(body["messages"] as? [[String: String]])
        #expect(messages.map { $0["role"] } == ["system", "user"])
        #expect(messages[0]["content"] == sampleRequest().system)
        #expect(messages[1]["content"]?.contains("bench press e1RM 102.5 kg") == true)
    }

    @Test func openAICompatibleServerWithoutKeySendsNoAuthorization() async throws {
        let server = try FakeModelServer(.openai, serverKey: "")
        let rec = Recorder()
        let env = ["OPENAI_BASE_URL": server.baseURL + "/v1"]
        let provider = try #require(try ProviderFactory.make(.openai, model: "llama3.2", environment: env, options: rec.options()))
        let reply = try await blocking { try provider.complete(sampleRequest()) }
        #expect(reply.text == "Fake reply from openai for llama3.2.")
        let headers = try #require(try server.log().first?["headers"] as? [String: String])
        #expect(headers["authorization"] == nil)
    }

    @Test func openAIOfficialEndpointNeedsKey() {
        #expect(throws: LLMError.self) { try ProviderFactory.make(.openai, model: nil, environment: [:]) }
        #expect(throws: LLMError.configuration("OPENAI_BASE_URL must be an http:// or https:// URL with a host")) {
            try ProviderFactory.make(.openai, model: nil, environment: ["OPENAI_API_KEY": "k-123456", "OPENAI_BASE_URL": "localhost:11434/v1"])
        }
    }

    @Test func anthropicMessagesRequestAndReply() async throws {
        let server = try FakeModelServer(.anthropic)
        let rec = Recorder()
        let reply = try await blocking { try server.provider(rec).complete(sampleRequest()) }
        #expect(reply.text == "Fake reply from anthropic for \(AnthropicProvider.defaultModel).")
        #expect(reply.model == AnthropicProvider.defaultModel + "-20250929")
        #expect(reply.inputTokens == 102 && reply.outputTokens == 18)
        let entry = try #require(try server.log().first)
        #expect(entry["method"] as? String == "POST")
        #expect(entry["path"] as? String == "/v1/messages")
        #expect((entry["problems"] as? [String]) == [])
        let headers = try #require(entry["headers"] as? [String: String])
        #expect(headers["x-api-key"] == server.key)
        #expect(headers["anthropic-version"] == "2023-06-01")
        #expect(headers["content-type"] == "application/json")
        let body = try #require(entry["body"] as? [String: Any])
        #expect(body["model"] as? String == AnthropicProvider.defaultModel)
        #expect(body["max_tokens"] as? Int == 700)
        #expect(body["system"] as? String == sampleRequest().system)
        let messages = try #require(body["messages"] as? [[String: String]])
        #expect(messages.count == 1 && messages[0]["role"] == "user")
        #expect(messages[0]["content"]?.contains("protein 151 g/day") == true)
    }

    @Test func anthropicNeedsKey() {
        #expect(throws: LLMError.configuration("--llm anthropic: ANTHROPIC_API_KEY is not set")) {
            try ProviderFactory.make(.anthropic, model: nil, environment: ["ANTHROPIC_API_KEY": ""])
        }
    }

    @Test func defaultKindAndModels() throws {
        #expect(ProviderFactory.defaultKind(environment: [:]) == ProviderKind.none)
        #expect(ProviderFactory.defaultKind(environment: ["ANTHROPIC_API_KEY": "a"]) == .anthropic)
        #expect(ProviderFactory.defaultKind(environment: ["ANTHROPIC_API_KEY": "a", "OPENAI_API_KEY": "o"]) == .openai)
        #expect(try ProviderFactory.make(.none, model: nil, environment: ["OPENAI_API_KEY": "o"]) == nil)
        #expect(ProviderFactory.defaultModel(.openai) == "gpt-4o-mini")
        #expect(ProviderFactory.defaultModel(.anthropic) == "claude-sonnet-4-5")
        #expect(ProviderFactory.defaultModel(.bedrock) == "amazon.nova-lite-v1:0")
    }

    @Test func aModelNamedInTheRequestWins() async throws {
        let server = try FakeModelServer(.anthropic)
        let reply = try await blocking { try server.provider(Recorder(), model: "from-flag").complete(sampleRequest(model: "from-request")) }
        #expect(reply.text == "Fake reply from anthropic for from-request.")
    }
}
