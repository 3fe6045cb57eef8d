import Foundation

// PLACEHOLDER (replaced by the providers work): the signature the report command calls.

/// Builds the provider `--llm` names from the environment (keys, base URLs, AWS settings).
public enum ProviderFactory {
    /// The provider for `kind` (nil for `.none`); throws ``LLMError/configuration(_:)`` when its key or settings are missing.
    public static func make(_ kind: ProviderKind, model: String?, environment: [String: String]) throws -> (any LLMProvider)? {
        if kind == .none { return nil }
        throw LLMError.configuration("--llm \(kind.rawValue) is not available yet")
    }

    /// The provider used when `--llm` is not given: the first whose key is set (OpenAI, Anthropic), else `.none`.
    public static func defaultKind(environment: [String: String]) -> ProviderKind {
        if let k = environment["OPENAI_API_KEY"], !k.isEmpty { return .openai }
        if let k = environment["ANTHROPIC_API_KEY"], !k.isEmpty { return .anthropic }
        return .none
    }
}
