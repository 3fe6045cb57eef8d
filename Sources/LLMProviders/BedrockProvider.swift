import AWSKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPKit

/// Amazon Bedrock's Converse API: `POST {endpoint}/model/{modelId}/converse`, signed with Signature Version 4
/// (service `bedrock`).
///
/// The endpoint is `bedrock-runtime`'s in the region (`AWS_REGION`, `AWS_DEFAULT_REGION`, the config file), or
/// `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` / `AWS_ENDPOINT_URL`. Credentials come from the AWS credential chain
/// (environment, shared files with `AWS_PROFILE`, the ECS container endpoint, EC2 instance metadata), resolved
/// once and again shortly before temporary credentials expire.
public struct BedrockProvider: LLMProvider {
    /// Amazon Nova Lite: on-demand in the US regions without an inference profile, and cheap.
    public static let defaultModel = "amazon.nova-lite-v1:0"
    /// The SigV4 signing name of the Bedrock runtime.
    public static let signingService = "bedrock"
    public let name = "bedrock"
    let endpoint: URL
    let region: String
    let environment: [String: String]
    let transport: any HTTPTransport
    let options: ProviderOptions
    let credentials: RefreshingCredentials

    /// A provider for the region and endpoint the environment names; throws ``LLMError/configuration(_:)`` when
    /// no region is set.
    public init(environment: [String: String], transport: (any HTTPTransport)? = nil,
                options: ProviderOptions = ProviderOptions()) throws {
        do {
            region = try AWSRegion.resolve(environment: environment)
            _ = try AWSEndpoint.configured(service: "bedrock-runtime", environment: environment)   // a bad variable is an error here
            endpoint = AWSEndpoint.url(service: "bedrock-runtime", region: region, environment: environment)
        } catch {
            throw LLMError.configuration("--llm bedrock: \(error)")
        }
        self.environment = environment
        self.transport = transport ?? URLSessionTransport(limits: options.limits)
        self.options = options
        // the container and instance metadata endpoints answer within seconds or not at all (off AWS)
        let lookup: any HTTPTransport = transport ?? URLSessionTransport(limits: TransportLimits(idleTimeout: 2, deadline: 10, maxBodyBytes: 1 << 20))
        credentials = RefreshingCredentials { try CredentialChain.resolve(environment: environment, transport: lookup) }
    }

    public func complete(_ request: LLMRequest) throws -> LLMReply {
        let credentials: AWSCredentials
        do {
            credentials = try self.credentials.current()
        } catch {
            let known = [environment["AWS_SECRET_ACCESS_KEY"], environment["AWS_SESSION_TOKEN"]].compactMap { $0 }
            throw LLMError.configuration(SecretRedactor(secrets: known)("--llm bedrock: no AWS credentials: \(error)"))
        }
        let secrets = [credentials.secretAccessKey, credentials.sessionToken, credentials.accessKeyId].compactMap { $0 }
        let exchange = JSONExchange(provider: name, sender: options.sender(transport: transport, secrets: secrets))
        let url = try Endpoint.join(endpoint.absoluteString, "/model/\(Self.pathSegment(request.model))/converse",
                                    variable: "AWS_ENDPOINT_URL")
        let body = ConverseRequest(messages: [.init(role: "user", content: [.init(text: request.user)])],
                                   system: [.init(text: request.system)],
                                   inferenceConfig: .init(maxTokens: request.maxTokens, temperature: request.temperature))
        let signer = SigV4Signer(credentials: credentials, region: region, service: Self.signingService)
        let reply = try exchange.post(url, body: body, headers: [:], as: ConverseReply.self) { urlRequest, payload in
            urlRequest = signer.signed(urlRequest, body: payload, at: Date())
        }
        let text = reply.output.message.content.compactMap(\.text).joined()
        guard !text.isEmpty else {
            throw LLMError.malformedReply(provider: name, detail: "POST \(url.path): output.message.content has no text block")
        }
        return LLMReply(text: text, model: request.model,
                        inputTokens: reply.usage?.inputTokens, outputTokens: reply.usage?.outputTokens)
    }

    /// `modelId` percent-encoded as one path segment (`:` and the `/` of an ARN included), as the AWS SDKs send it.
    static func pathSegment(_ modelId: String) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        return modelId.addingPercentEncoding(withAllowedCharacters: allowed) ?? modelId
    }

    /// The request body of Converse.
    struct ConverseRequest: Encodable {
        struct Text: Encodable { var text: String }
        struct Message: Encodable { var role: String; var content: [Text] }
        struct InferenceConfig: Encodable { var maxTokens: Int; var temperature: Double }
        var messages: [Message]
        var system: [Text]
        var inferenceConfig: InferenceConfig
    }

    /// The parts of Converse's reply read here.
    struct ConverseReply: Decodable {
        struct Block: Decodable { var text: String? }
        struct Message: Decodable { var content: [Block] }
        struct Output: Decodable { var message: Message }
        struct Usage: Decodable { var inputTokens: Int?; var outputTokens: Int? }
        var output: Output
        var usage: Usage?
    }
}
