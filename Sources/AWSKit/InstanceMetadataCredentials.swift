import Foundation
import HTTPKit
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The role credentials of an EC2 instance from its metadata service, with IMDSv2 session tokens.
enum InstanceMetadataCredentials {
    /// Why the metadata service gave no credentials (the sentence for the "tried" list).
    struct Failure: Error { let text: String }

    /// The metadata base URL: `AWS_EC2_METADATA_SERVICE_ENDPOINT`, else the IPv4 (or, with
    /// `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`, the IPv6) link-local address.
    static func endpoint(_ env: [String: String]) -> String {
        if let explicit = env.nonEmpty("AWS_EC2_METADATA_SERVICE_ENDPOINT") {
            return explicit.hasSuffix("/") ? String(explicit.dropLast()) : explicit
        }
        return env["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"]?.lowercased() == "ipv6" ? "http://[fd00:ec2::254]" : "http://169.254.169.254"
    }

    /// PUT `/latest/api/token`, then the role name, then the role's credentials.
    static func fetch(environment env: [String: String], transport: any HTTPTransport) -> Result<AWSCredentials, Failure> {
        let base = endpoint(env)
        let name = "instance metadata (\(base))"
        if env["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" {
            return .failure(Failure(text: "\(name): disabled by AWS_EC2_METADATA_DISABLED"))
        }
        func call(_ method: String, _ path: String, _ headers: [String: String]) -> Result<HTTPResponse, Failure> {
            guard let url = URL(string: base + path) else { return .failure(Failure(text: "\(name): not a valid URL")) }
            var request = URLRequest(url: url)
            request.httpMethod = method
            request.timeoutInterval = 1
            for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
            do {
                let response = try transport.send(request)
                guard response.status == 200 else { return .failure(Failure(text: "\(name): \(method) \(path) answered HTTP \(response.status)")) }
                return .success(response)
            } catch {
                return .failure(Failure(text: "\(name): \(method) \(path) failed: \(ContainerCredentials.describe(error))"))
            }
        }
        let rolesPath = "/latest/meta-data/iam/security-credentials/"
        return call("PUT", "/latest/api/token", ["X-aws-ec2-metadata-token-ttl-seconds": "21600"]).flatMap { tokenResponse in
            let token = ["X-aws-ec2-metadata-token": String(decoding: tokenResponse.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)]
            return call("GET", rolesPath, token).flatMap { rolesResponse in
                guard let role = String(decoding: rolesResponse.body, as: UTF8.self)
                    .split(whereSeparator: \.isNewline).first.map({ $0.trimmingCharacters(in: .whitespaces) }), !role.isEmpty else {
                    return .failure(Failure(text: "\(name): the instance has no IAM role"))
                }
                return call("GET", rolesPath + SigV4Canonical.uriEncode(role, keepSlash: false), token).flatMap { credentialResponse in
                    guard let credentials = CredentialsDocument.decode(credentialResponse.body) else {
                        return .failure(Failure(text: "\(name): the reply for role '\(role)' is not a credentials document"))
                    }
                    return .success(credentials)
                }
            }
        }
    }
}
