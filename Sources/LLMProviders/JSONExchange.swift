import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPKit

/// One JSON POST to a provider's API, retried by a ``RetryingSender``, and the mapping of its outcome to ``LLMError``.
///
/// One home for what every provider shares: 2xx → the typed reply (a body that does not decode is
/// ``LLMError/malformedReply(provider:detail:)``), 401/403 → ``LLMError/unauthorized(provider:detail:)``,
/// other statuses and exhausted retries → ``LLMError/http(provider:status:detail:)``, transport failures →
/// ``LLMError/transport(provider:detail:)``. Every message is redacted.
struct JSONExchange: Sendable {
    let provider: String
    let sender: RetryingSender

    /// POSTs `body` as JSON to `url` with `headers`; `prepare` finishes each attempt's request (e.g. signs it).
    func post<Body: Encodable, Reply: Decodable>(
        _ url: URL, body: Body, headers: [String: String], as: Reply.Type,
        prepare: (inout URLRequest, Data) throws -> Void = { _, _ in }
    ) throws -> Reply {
        let label = "POST \(url.path)"
        let payload: Data
        do {
            payload = try JSONEncoder().encode(body)
        } catch {
            throw LLMError.configuration("\(provider): cannot encode the request: \(error)")
        }
        let response: HTTPResponse
        do {
            response = try sender.send(label) {
                var request = URLRequest(url: url)
                request.httpMethod = "POST"
                request.httpBody = payload
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.setValue("application/json", forHTTPHeaderField: "Accept")
                for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
                try prepare(&request, payload)
                return request
            }
        } catch let error as RetryingSendError {
            switch error {
            case .exhausted(_, let status?, _):
                throw LLMError.http(provider: provider, status: status, detail: "\(label): \(error)")
            case .retryAfterTooLong:
                throw LLMError.http(provider: provider, status: 429, detail: "\(label): \(error)")
            case .exhausted, .failed:
                throw LLMError.transport(provider: provider, detail: "\(label): \(error)")
            }
        }
        switch response.status {
        case 200..<300:
            do {
                return try JSONDecoder().decode(Reply.self, from: response.body)
            } catch {
                throw LLMError.malformedReply(provider: provider, detail: sender.redact("\(label): \(Self.describe(error)); the body began: ") + sender.snippet(response.body))
            }
        case 401, 403:
            throw LLMError.unauthorized(provider: provider, detail: "\(label): HTTP \(response.status): \(detail(response.body))")
        default:
            throw LLMError.http(provider: provider, status: response.status, detail: "\(label): \(detail(response.body))")
        }
    }

    /// The error message a provider put in its body (`error.message` for OpenAI and Anthropic, `message` for
    /// Bedrock), else the body's start; redacted.
    func detail(_ body: Data) -> String {
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
            let nested = object["error"] as? [String: Any]
            let kind = (nested?["type"] ?? object["__type"]) as? String
            if let message = (nested?["message"] ?? object["message"] ?? object["Message"]) as? String {
                return sender.redact((kind.map { "\($0): " } ?? "") + message)
            }
        }
        return body.isEmpty ? "(empty body)" : sender.snippet(body)
    }

    /// Where a reply failed to decode, as a path of keys (e.g. `choices[0].message.content: missing`).
    static func describe(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let p = keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
            return p.isEmpty ? "the top level" : (p.hasPrefix(".") ? String(p.dropFirst()) : p)
        }
        switch error as? DecodingError {
        case .keyNotFound(let key, let c)?: return "\(path(c.codingPath + [key])) is missing"
        case .typeMismatch(_, let c)?: return "\(path(c.codingPath)) has the wrong type"
        case .valueNotFound(_, let c)?: return "\(path(c.codingPath)) is null"
        case .dataCorrupted(let c)?: return c.codingPath.isEmpty ? "the body is not JSON" : "\(path(c.codingPath)) is invalid"
        default: return "\(error)"
        }
    }
}

/// Building provider URLs from a configured base URL.
enum Endpoint {
    /// `base` (an http or https URL, from `variable`) with `path` appended to its path.
    static func join(_ base: String, _ path: String, variable: String) throws -> URL {
        guard var comps = URLComponents(string: base), let scheme = comps.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = comps.host, !host.isEmpty else {
            throw LLMError.configuration("\(variable) must be an http:// or https:// URL with a host")
        }
        guard comps.user == nil, comps.password == nil else {
            throw LLMError.configuration("\(variable) must not contain a user name or password")
        }
        let prefix = comps.percentEncodedPath.hasSuffix("/") ? String(comps.percentEncodedPath.dropLast()) : comps.percentEncodedPath
        comps.percentEncodedPath = prefix + path
        guard let url = comps.url else { throw LLMError.configuration("\(variable) does not form a valid URL with \(path)") }
        return url
    }
}
