import Foundation
import HTTPKit

/// Builds the provider `--llm` names from the environment (keys, base URLs, AWS settings).
///
/// | provider    | key                    | base URL (default)                                      | default model |
/// |-------------|------------------------|---------------------------------------------------------|---------------|
/// | `openai`    | `OPENAI_API_KEY`       | `OPENAI_BASE_URL` (`https://api.openai.com/v1`)         | ``OpenAIProvider/defaultModel`` |
/// | `anthropic` | `ANTHROPIC_API_KEY`    | `ANTHROPIC_BASE_URL` (`https://api.anthropic.com`)      | ``AnthropicProvider/defaultModel`` |
/// | `bedrock`   | the AWS credential chain | `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`, `AWS_ENDPOINT_URL`, else the regional endpoint | ``BedrockProvider/defaultModel`` |
public enum ProviderFactory {
    /// The provider for `kind` (nil for `.none`); throws ``LLMError/configuration(_:)`` when its key or settings are missing.
    ///
    /// `transport` replaces the HTTP transport (tests); `options` sets time limits, retries and the retry log.
    public static func make(_ kind: ProviderKind, model: String?, environment: [String: String],
                            transport: (any HTTPTransport)? = nil,
                            options: ProviderOptions = ProviderOptions()) throws -> (any LLMProvider)? {
        func value(_ name: String) -> String? {
            guard let v = environment[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        let chosen = model.flatMap { $0.isEmpty ? nil : $0 }
        switch kind {
        case .none:
            return nil
        case .openai:
            let provider = try OpenAIProvider(baseURL: value("OPENAI_BASE_URL") ?? OpenAIProvider.defaultBaseURL,
                                              apiKey: value("OPENAI_API_KEY"), transport: transport, options: options)
            return ModelPinned(provider: provider, model: chosen ?? OpenAIProvider.defaultModel)
        case .anthropic:
            let provider = try AnthropicProvider(baseURL: value("ANTHROPIC_BASE_URL") ?? AnthropicProvider.defaultBaseURL,
                                                 apiKey: value("ANTHROPIC_API_KEY"), transport: transport, options: options)
            return ModelPinned(provider: provider, model: chosen ?? AnthropicProvider.defaultModel)
        case .bedrock:
            let provider = try BedrockProvider(environment: environment, transport: transport, options: options)
            return ModelPinned(provider: provider, model: chosen ?? BedrockProvider.defaultModel)
        }
    }

    /// The model `make` asks when `--model` is not given (nil for `.none`).
    public static func defaultModel(_ kind: ProviderKind) -> String? {
        switch kind {
        case .none: return nil
        case .openai: return OpenAIProvider.defaultModel
        case .anthropic: return AnthropicProvider.defaultModel
        case .bedrock: return BedrockProvider.defaultModel
        }
    }

    /// The provider used when `--llm` is not given: the first whose key is set (OpenAI, Anthropic), else `.none`.
    public static func defaultKind(environment: [String: String]) -> ProviderKind {
        if let k = environment["OPENAI_API_KEY"], !k.isEmpty { return .openai }
        if let k = environment["ANTHROPIC_API_KEY"], !k.isEmpty { return .anthropic }
        return .none
    }
}

/// A provider with the model `--model` chose (or the provider's default), asked when a request leaves `model` empty.
struct ModelPinned: LLMProvider {
    let provider: any LLMProvider
    let model: String
    var name: String { provider.name }

    func complete(_ request: LLMRequest) throws -> LLMReply {
        var r = request
        if r.model.isEmpty { r.model = model }
        return try provider.complete(r)
    }
}
