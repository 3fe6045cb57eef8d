import Foundation
import HTTPKit

/// OpenAI's Chat Completions API (`POST {OPENAI_BASE_URL}/chat/completions`) and the servers that copy it
/// (Ollama, vLLM, llama.cpp's server, LM Studio).
///
/// The base URL includes the version path (`https://api.openai.com/v1`, `http://localhost:11434/v1`). The key goes
/// in `Authorization: Bearer`; a server other than api.openai.com may need none.
public struct OpenAIProvider: LLMProvider {
    public static let defaultModel = "gpt-4o-mini"
    public static let defaultBaseURL = "https://api.openai.com/v1"
    public let name = "openai"
    let url: URL
    let apiKey: String?
    /// True for api.openai.com itself (a key is required; the token limit is `max_completion_tokens`).
    let official: Bool
    let exchange: JSONExchange

    /// A provider posting to `baseURL` + `/chat/completions`; throws ``LLMError/configuration(_:)`` for a bad URL, or
    /// for api.openai.com without a key.
    public init(baseURL: String = defaultBaseURL, apiKey: String?, transport: (any HTTPTransport)? = nil,
                options: ProviderOptions = ProviderOptions()) throws {
        url = try Endpoint.join(baseURL, "/chat/completions", variable: "OPENAI_BASE_URL")
        let key = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        official = url.host?.lowercased() == "api.openai.com"
        if key == nil && official {
            throw LLMError.configuration("--llm openai: OPENAI_API_KEY is not set (only a local server set with OPENAI_BASE_URL may go without one)")
        }
        self.apiKey = key
        exchange = JSONExchange(provider: name, sender: options.sender(transport: transport, secrets: [key].compactMap { $0 }))
    }

    public func complete(_ request: LLMRequest) throws -> LLMReply {
        // api.openai.com documents max_tokens as deprecated (its reasoning models refuse it); the compatible
        // servers know max_tokens.
        let body = ChatRequest(model: request.model,
                               messages: [.init(role: "system", content: request.system), .init(role: "user", content: request.user)],
                               max_tokens: official ? nil : request.maxTokens,
                               max_completion_tokens: official ? request.maxTokens : nil,
                               temperature: request.temperature)
        let headers = apiKey.map { ["Authorization": "Bearer \($0)"] } ?? [:]
        let reply = try exchange.post(url, body: body, headers: headers, as: ChatReply.self)
        guard let text = reply.choices.first?.message.content, !text.isEmpty else {
            throw LLMError.malformedReply(provider: name, detail: "POST \(url.path): choices[0].message.content is empty or missing")
        }
        return LLMReply(text: text, model: reply.model ?? request.model,
                        inputTokens: reply.usage?.prompt_tokens, outputTokens: reply.usage?.completion_tokens)
    }

    /// The request body of `POST /chat/completions`.
    struct ChatRequest: Encodable {
        struct Message: Encodable { var role: String; var content: String }
        var model: String
        var messages: [Message]
        var max_tokens: Int?
        var max_completion_tokens: Int?
        var temperature: Double
    }

    /// The parts of a chat completion object read here.
    struct ChatReply: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable { var content: String? }
            var message: Message
        }
        struct Usage: Decodable { var prompt_tokens: Int?; var completion_tokens: Int? }
        var model: String?
        var choices: [Choice]
        var usage: Usage?
    }
}
