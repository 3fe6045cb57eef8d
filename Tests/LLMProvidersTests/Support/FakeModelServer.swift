import Foundation
import HTTPKit
import LLMProviders
import TestSupport
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Runs `body` on a dedicated thread: the providers block, and the cooperative pool stays free.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
    }
}

/// Collects what the providers log and the delays they wait, from any thread.
final class Recorder: @unchecked Sendable {
    private let lock = NSLock()
    private var _lines: [String] = []
    private var _delays: [TimeInterval] = []
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return _lines }
    var delays: [TimeInterval] { lock.lock(); defer { lock.unlock() }; return _delays }

    /// Options with fast retries (4 attempts) whose log and waits land here; nothing actually sleeps.
    func options(attempts: Int = 4, idle: TimeInterval = 5, deadline: TimeInterval = 10) -> ProviderOptions {
        ProviderOptions(limits: TransportLimits(idleTimeout: idle, deadline: deadline, maxBodyBytes: 1 << 20),
                        retry: RetryPolicy(maxAttempts: attempts, baseDelay: 0.5, maxDelay: 4, maxRetryAfter: 30),
                        log: { [self] line in lock.lock(); _lines.append(line); lock.unlock() },
                        sleep: { [self] d in lock.lock(); _delays.append(d); lock.unlock() })
    }
}

/// The fake model server (`fake_llm/fake_llm_server.py`) for one provider, with recognisable fake credentials.
final class FakeModelServer: @unchecked Sendable {
    let kind: ProviderKind
    let helper: PythonHelper
    /// The API key (OpenAI, Anthropic) or the session token (Bedrock) the client is given.
    let key: String
    let accessKey = "AKIDFAKELLMTEST\(Int.random(in: 10000...99999))"
    let secretKey = "fake-secret-\(UUID().uuidString)"
    let region = "eu-west-1"
    var baseURL: String { "http://127.0.0.1:\(helper.port)" }
    private let transport = URLSessionTransport(timeout: 10)

    /// Starts a server for `kind`; `serverKey` is the key it accepts (default: the client's).
    init(_ kind: ProviderKind, serverKey: String? = nil) throws {
        self.kind = kind
        key = "fake-\(kind.rawValue)-key-\(UUID().uuidString)"
        var args = ["--port", "0", "--provider", kind.rawValue, "--key", serverKey ?? key]
        if kind == .bedrock {
            args += ["--region", region, "--access-key", accessKey, "--secret-key", serverKey ?? secretKey, "--session-token", key]
        }
        helper = try PythonHelper(script: "Tests/LLMProvidersTests/fake_llm/fake_llm_server.py", arguments: args)
    }

    /// The environment `fitdata report` would see for this server.
    var environment: [String: String] {
        switch kind {
        case .openai: return ["OPENAI_API_KEY": key, "OPENAI_BASE_URL": baseURL + "/v1"]
        case .anthropic: return ["ANTHROPIC_API_KEY": key, "ANTHROPIC_BASE_URL": baseURL]
        case .bedrock:
            return ["AWS_ACCESS_KEY_ID": accessKey, "AWS_SECRET_ACCESS_KEY": secretKey, "AWS_SESSION_TOKEN": key,
                    "AWS_REGION": region, "AWS_ENDPOINT_URL": baseURL,
                    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_CONFIG_FILE": "/nonexistent",
                    "AWS_EC2_METADATA_DISABLED": "true"]
        case .none: return [:]
        }
    }

    /// Every secret the client holds (each must stay out of every output).
    var secrets: [String] { kind == .bedrock ? [key, secretKey] : [key] }

    /// The provider `fitdata` builds from ``environment``.
    func provider(_ recorder: Recorder, model: String? = nil, attempts: Int = 4, idle: TimeInterval = 5,
                  deadline: TimeInterval = 10, environment extra: [String: String] = [:]) throws -> any LLMProvider {
        let env = environment.merging(extra) { $1 }
        return try #require(try ProviderFactory.make(kind, model: model, environment: env,
                                                     options: recorder.options(attempts: attempts, idle: idle, deadline: deadline)))
    }

    /// The next API requests get these answers in order (then normal replies).
    func script(_ steps: [[String: Any]]) throws {
        var request = URLRequest(url: URL(string: baseURL + "/_control/script")!)
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: ["steps": steps])
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        _ = try transport.send(request)
    }

    /// The API requests the server saw.
    func log() throws -> [[String: Any]] {
        let response = try transport.send(URLRequest(url: URL(string: baseURL + "/_control/log")!))
        return try JSONSerialization.jsonObject(with: response.body) as? [[String: Any]] ?? []
    }
}

/// A request as the report sends one, with text the tests look for on the server.
func sampleRequest(model: String = "") -> LLMRequest {
    LLMRequest(system: "You are a strength coach. Use only the facts given.",
               user: "Facts for 2026-W47: sessions 4 of 4; bench press e1RM 102.5 kg; protein 151 g/day.",
               model: model, maxTokens: 700, temperature: 0.2)
}
