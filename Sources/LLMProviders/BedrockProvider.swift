import Foundation
import HTTPKit

// PENDING: replaced by the Converse provider once AWSKit's signer and credential chain are merged.

/// Amazon Bedrock's Converse API (not yet available).
public struct BedrockProvider: LLMProvider {
    public static let defaultModel = "amazon.nova-lite-v1:0"
    public let name = "bedrock"

    public init(environment: [String: String], transport: (any HTTPTransport)? = nil,
                options: ProviderOptions = ProviderOptions()) throws {
        throw LLMError.configuration("--llm bedrock is not available yet")
    }

    public func complete(_ request: LLMRequest) throws -> LLMReply {
        throw LLMError.configuration("--llm bedrock is not available yet")
    }
}
