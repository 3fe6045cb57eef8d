import Foundation
import HTTPKit

/// Anthropic's Messages API: `POST {ANTHROPIC_BASE_URL}/v1/messages` with `x-api-key` and `anthropic-version`.
public struct AnthropicProvider: LLMProvider {
    public static let defaultModel = "claude-sonnet-4-5"
    public static let defaultBaseURL = "https://api.anthropic.com"
    /// The API version sent in `anthropic-version`.
    public static let apiVersion = "2023-06-01"
    public let name = "anthropic"
    let url: URL
    let apiKey: String
    let exchange: JSONExchange

    /// A provider posting to `baseURL` + `/v1/messages`; throws ``LLMError/configuration(_:)`` for a missing key or bad URL.
    public init(baseURL: String = defaultBaseURL, apiKey: String?, transport: (any HTTPTransport)? = nil,
                options: ProviderOptions = ProviderOptions()) throws {
        guard let apiKey, !apiKey.isEmpty else {
            throw LLMError.configuration("--llm anthropic: ANTHROPIC_API_KEY is not set")
        }
        url = try Endpoint.join(baseURL, "/v1/messages", variable: "ANTHROPIC_BASE_URL")
        self.apiKey = apiKey
        exchange = JSONExchange(provider: name, sender: options.sender(transport: transport, secrets: [apiKey]))
    }

    public func complete(_ request: LLMRequest) throws -> LLMReply {
        let body = MessagesRequest(model: request.model, max_tokens: request.maxTokens, system: request.system,
                                   messages: [.init(role: "user", content: request.user)], temperature: request.temperature)
        let headers = ["x-api-key": apiKey, "anthropic-version": Self.apiVersion]
        let reply = try exchange.post(url, body: body, headers: headers, as: MessagesReply.self)
        let text = reply.content.filter { $0.type == "text" }.compactMap(\.text).joined()
        guard !text.isEmpty else {
            throw LLMError.malformedReply(provider: name, detail: "POST \(url.path): the reply has no text content block")
        }
        return LLMReply(text: text, model: reply.model ?? request.model,
                        inputTokens: reply.usage?.input_tokens, outputTokens: reply.usage?.output_tokens)
    }

    /// The request body of `POST /v1/messages`.
    struct MessagesRequest: Encodable {
        struct Message: Encodable { var role: String; var content: String }
        var model: String
        var max_tokens: Int
        var system: String
        var messages: [Message]
        var temperature: Double
    }

    /// The parts of a Message object read here.
    struct MessagesReply: Decodable {
        struct Block: Decodable { var type: String; var text: String? }
        struct Usage: Decodable { var input_tokens: Int?; var output_tokens: Int? }
        var model: String?
        var content: [Block]
        var usage: Usage?
    }
}
