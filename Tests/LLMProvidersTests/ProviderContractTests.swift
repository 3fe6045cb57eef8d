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

    /// api.openai.com gets `max_completion_tokens` (it documents `max_tokens` as deprecated); the request stays in-process.
    @Test func officialOpenAIGetsMaxCompletionTokens() throws {
        let reply = #"{"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"ok"}}]}"#
        let transport = ScriptedTransport([.success(HTTPResponse(status: 200, headers: [:], body: Data(reply.utf8)))])
        let provider = try #require(try ProviderFactory.make(.openai, model: nil, environment: ["OPENAI_API_KEY": "sk-test-0000"], transport: transport))
        #expect(try provider.complete(sampleRequest()).text == "ok")
        let sent = try #require(transport.requests.first)
        #expect(sent.url?.absoluteString == "https://api.openai.com/v1/chat/completions")
        let body = try #require(try JSONSerialization.jsonObject(with: sent.httpBody ?? Data()) as? [String: Any])
        #expect(body["max_completion_tokens"] as? Int == 700)
        #expect(body["max_tokens"] == nil)
        #expect(body["model"] as? String == "gpt-4o-mini")
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

    @Test func bedrockConverseRequestIsSignedAndDecoded() async throws {
        try #require(PythonHelper.canImport("botocore"), "botocore (scripts/test-requirements.txt) checks the signature")
        let server = try FakeModelServer(.bedrock)
        let rec = Recorder()
        let arn = "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0"
        let reply = try await blocking { try server.provider(rec, model: arn).complete(sampleRequest()) }
        #expect(reply.text == "Fake reply from bedrock for \(arn).")
        #expect(reply.model == arn)
        #expect(reply.inputTokens == 103 && reply.outputTokens == 19)
        let entry = try #require(try server.log().first)
        #expect(entry["auth_ok"] as? Bool == true, "\(entry["auth_problem"] ?? "")")
        #expect(entry["method"] as? String == "POST")
        #expect(entry["path"] as? String == "/model/arn%3Aaws%3Abedrock%3Aeu-west-1%3A123456789012%3Ainference-profile%2Feu.anthropic.claude-3-haiku-20240307-v1%3A0/converse")
        #expect((entry["problems"] as? [String]) == [])
        let headers = try #require(entry["headers"] as? [String: String])
        #expect(headers["authorization"]?.hasPrefix("AWS4-HMAC-SHA256 Credential=\(server.accessKey)/") == true)
        #expect(headers["authorization"]?.contains("/eu-west-1/bedrock/aws4_request") == true)
        #expect(headers["x-amz-security-token"] == server.key)
        let body = try #require(entry["body"] as? [String: Any])
        let messages = try #require(body["messages"] as? [[String: Any]])
        let content = try #require(messages.first?["content"] as? [[String: String]])
        #expect(messages.first?["role"] as? String == "user")
        #expect(content.first?["text"]?.contains("sessions 4 of 4") == true)
        #expect((body["system"] as? [[String: String]])?.first?["text"] == sampleRequest().system)
        let config = try #require(body["inferenceConfig"] as? [String: Any])
        #expect(config["maxTokens"] as? Int == 700)
        #expect(config["temperature"] as? Double == 0.2)
    }

    @Test func bedrockNeedsARegionAndAValidEndpoint() {
        let noRegion = ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s", "AWS_CONFIG_FILE": "/nonexistent"]
        #expect(throws: LLMError.self) { try ProviderFactory.make(.bedrock, model: nil, environment: noRegion) }
        let badEndpoint = ["AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": "localhost:4566"]
        let error = #expect(throws: LLMError.self) { try ProviderFactory.make(.bedrock, model: nil, environment: badEndpoint) }
        #expect(String(describing: error!).contains("AWS_ENDPOINT_URL"))
    }

    @Test func bedrockWithoutCredentialsIsAConfigurationError() async throws {
        let env = ["AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_EC2_METADATA_DISABLED": "true",
                   "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_CONFIG_FILE": "/nonexistent"]
        let provider = try #require(try ProviderFactory.make(.bedrock, model: nil, environment: env))
        let error = await #expect(throws: LLMError.self) { try await blocking { try provider.complete(sampleRequest()) } }
        guard case .configuration(let message)? = error else { Issue.record("not configuration: \(String(describing: error))"); return }
        #expect(message.hasPrefix("--llm bedrock: no AWS credentials"))
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
