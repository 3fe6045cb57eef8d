import Foundation
import HTTPKit
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The ECS/Fargate (and EKS Pod Identity) container credentials endpoint.
enum ContainerCredentials {
    /// The ECS agent's address, which `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is relative to.
    static let ecsHost = "http://169.254.170.2"
    /// Hosts a plain-http `AWS_CONTAINER_CREDENTIALS_FULL_URI` may name: the ECS and EKS agents and loopback.
    static let allowedHTTPHosts: Set<String> = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost", "::1"]

    /// Credentials from the endpoint; nil when no endpoint is configured; an error when one is and fails.
    static func fetch(environment env: [String: String], transport: any HTTPTransport) throws -> AWSCredentials? {
        let url: URL
        if let relative = env.nonEmpty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let target = ecsHost + (relative.hasPrefix("/") ? relative : "/" + relative)
            guard let u = URL(string: target) else {
                throw AWSCredentialsError.containerEndpoint(url: target, reason: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is not a valid path")
            }
            url = u
        } else if let full = env.nonEmpty("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            guard let u = URL(string: full), let scheme = u.scheme?.lowercased(), let host = u.host?.lowercased(),
                  scheme == "http" || scheme == "https" else {
                throw AWSCredentialsError.containerEndpoint(url: full, reason: "AWS_CONTAINER_CREDENTIALS_FULL_URI is not an http(s) URL")
            }
            if scheme == "http" && !(allowedHTTPHosts.contains(host) || host.hasPrefix("127.")) {
                throw AWSCredentialsError.containerEndpoint(
                    url: full, reason: "a plain-http AWS_CONTAINER_CREDENTIALS_FULL_URI must be a loopback or ECS/EKS agent address")
            }
            url = u
        } else {
            return nil
        }
        var request = URLRequest(url: url)
        request.timeoutInterval = 5
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let token = try authorizationToken(env, url: url) { request.setValue(token, forHTTPHeaderField: "Authorization") }

        var lastReason = ""
        for _ in 1...3 {
            let response: HTTPResponse
            do {
                response = try transport.send(request)
            } catch {
                lastReason = "request failed: \(Self.describe(error))"
                continue
            }
            guard response.status == 200 else {
                lastReason = "HTTP \(response.status)"
                if response.status >= 500 || response.status == 429 { continue }
                break
            }
            guard let credentials = CredentialsDocument.decode(response.body) else {
                throw AWSCredentialsError.containerEndpoint(url: url.absoluteString, reason: "the reply is not a credentials document (AccessKeyId, SecretAccessKey)")
            }
            return credentials
        }
        throw AWSCredentialsError.containerEndpoint(url: url.absoluteString, reason: lastReason)
    }

    /// The `Authorization` value: `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`'s contents, else `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
    static func authorizationToken(_ env: [String: String], url: URL) throws -> String? {
        var token = env.nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        if let file = env.nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw AWSCredentialsError.containerEndpoint(url: url.absoluteString, reason: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(file) cannot be read")
            }
            token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let token, token.contains("\r") || token.contains("\n") {
            throw AWSCredentialsError.containerEndpoint(url: url.absoluteString, reason: "the authorization token contains a line break")
        }
        return token
    }

    /// A transport error in a few words (URLError's code, or the error's type).
    static func describe(_ error: any Error) -> String {
        if let e = error as? URLError { return "URLError \(e.code.rawValue)" + (e.code == .timedOut ? " (timed out)" : e.code == .cannotConnectToHost ? " (connection refused)" : "") }
        if let e = error as? HTTPTransportError { return "\(e)" }
        return String(describing: type(of: error))
    }
}
