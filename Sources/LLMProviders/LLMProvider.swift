import Foundation

/// One completion request: a system prompt, one user message and the model to ask.
public struct LLMRequest: Sendable, Codable, Equatable {
    /// The system prompt (role, rules).
    public var system: String
    /// The user message (the facts and the task).
    public var user: String
    /// The provider's model identifier (e.g. `gpt-4o-mini`, a Bedrock model id).
    public var model: String
    /// The most tokens the reply may use.
    public var maxTokens: Int
    /// Sampling temperature.
    public var temperature: Double

    public init(system: String, user: String, model: String, maxTokens: Int = 2000, temperature: Double = 0.2) {
        self.system = system
        self.user = user
        self.model = model
        self.maxTokens = maxTokens
        self.temperature = temperature
    }
}

/// What a provider answered: the text and the token counts it reported.
public struct LLMReply: Sendable, Codable, Equatable {
    public var text: String
    /// The model the provider says answered (may differ from the one asked, e.g. a dated alias).
    public var model: String
    public var inputTokens: Int?
    public var outputTokens: Int?

    public init(text: String, model: String, inputTokens: Int? = nil, outputTokens: Int? = nil) {
        self.text = text
        self.model = model
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }
}

/// A language model behind an HTTP API; `complete` blocks the calling thread until the reply or an error.
public protocol LLMProvider: Sendable {
    /// The provider's name as given to `--llm` (`openai`, `anthropic`, `bedrock`).
    var name: String { get }
    /// Sends `request`, retrying transient failures, and returns the reply; throws ``LLMError``.
    func complete(_ request: LLMRequest) throws -> LLMReply
}

/// The providers `--llm` accepts.
public enum ProviderKind: String, Sendable, CaseIterable, Codable {
    case none, openai, anthropic, bedrock
}
