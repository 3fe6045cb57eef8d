import Testing
@testable import LLMProviders
