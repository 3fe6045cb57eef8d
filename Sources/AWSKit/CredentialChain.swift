import Foundation
import HTTPKit

/// Finds AWS credentials in the order the AWS SDKs use: environment, shared files, container endpoint, instance metadata.
///
/// 1. `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`);
/// 2. the profile (`AWS_PROFILE`, else `default`) in the shared credentials file
///    (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`), then in the config file
///    (`AWS_CONFIG_FILE`, else `~/.aws/config`, sections `[default]` / `[profile NAME]`);
/// 3. the ECS/Fargate container endpoint (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` on 169.254.170.2, or
///    `AWS_CONTAINER_CREDENTIALS_FULL_URI` with `AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]`);
/// 4. EC2 instance metadata, IMDSv2 (unless `AWS_EC2_METADATA_DISABLED=true`).
///
/// A source that is configured but broken (half a key pair, a missing named profile, a failing container
/// endpoint) stops the search with its own error rather than falling through to the next source.
public enum CredentialChain {
    /// The first credentials found, or ``AWSCredentialsError`` naming every source tried.
    ///
    /// `transport` fetches from the container and metadata endpoints; give it short limits (seconds),
    /// since the metadata address is probed last and does not answer off EC2.
    public static func resolve(environment: [String: String], transport: any HTTPTransport) throws -> AWSCredentials {
        var tried: [String] = []
        if let credentials = try fromEnvironment(environment) { return credentials }
        tried.append("environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY not set")

        let shared = try AWSSharedConfig(environment: environment)
        if let credentials = try fromProfile(shared, tried: &tried) { return credentials }

        if let credentials = try ContainerCredentials.fetch(environment: environment, transport: transport) { return credentials }
        tried.append("container endpoint: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI not set")

        switch InstanceMetadataCredentials.fetch(environment: environment, transport: transport) {
        case .success(let credentials): return credentials
        case .failure(let reason): tried.append(reason.text)
        }
        throw AWSCredentialsError.notFound(tried: tried)
    }

    /// Keys from the environment; nil when neither key variable is set.
    static func fromEnvironment(_ env: [String: String]) throws -> AWSCredentials? {
        let id = env.nonEmpty("AWS_ACCESS_KEY_ID"), secret = env.nonEmpty("AWS_SECRET_ACCESS_KEY")
        switch (id, secret) {
        case (nil, nil): return nil
        case (nil, _): throw AWSCredentialsError.incompleteEnvironment(missing: "AWS_ACCESS_KEY_ID")
        case (_, nil): throw AWSCredentialsError.incompleteEnvironment(missing: "AWS_SECRET_ACCESS_KEY")
        case let (id?, secret?):
            return AWSCredentials(accessKeyId: id, secretAccessKey: secret,
                                  sessionToken: env.nonEmpty("AWS_SESSION_TOKEN") ?? env.nonEmpty("AWS_SECURITY_TOKEN"))
        }
    }

    /// Settings that fetch credentials some other way (assume role, a process, IAM Identity Center, web identity).
    static let unsupportedSettings = ["role_arn", "credential_process", "sso_start_url", "sso_session", "web_identity_token_file"]

    /// Keys from the profile in the credentials file, then in the config file; nil (with the reasons in `tried`) when neither has any.
    static func fromProfile(_ shared: AWSSharedConfig, tried: inout [String]) throws -> AWSCredentials? {
        if shared.profileExplicit && !shared.profileFound {
            throw AWSCredentialsError.profileNotFound(profile: shared.profile, files: [shared.credentialsPath, shared.configPath])
        }
        for (section, path, exists) in [(shared.credentialsSection, shared.credentialsPath, shared.credentialsFileExists),
                                        (shared.configSection, shared.configPath, shared.configFileExists)] {
            guard exists else { tried.append("\(path): no such file"); continue }
            guard let section else { tried.append("\(path): no profile '\(shared.profile)'"); continue }
            let id = section["aws_access_key_id"].flatMap { $0.isEmpty ? nil : $0 }
            let secret = section["aws_secret_access_key"].flatMap { $0.isEmpty ? nil : $0 }
            switch (id, secret) {
            case let (id?, secret?):
                let token = section["aws_session_token"] ?? section["aws_security_token"]
                return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: token?.isEmpty == false ? token : nil)
            case (nil, _?):
                throw AWSCredentialsError.incompleteProfile(profile: shared.profile, file: path, missing: "aws_access_key_id")
            case (_?, nil):
                throw AWSCredentialsError.incompleteProfile(profile: shared.profile, file: path, missing: "aws_secret_access_key")
            case (nil, nil):
                let other = unsupportedSettings.filter { section[$0] != nil }
                if !other.isEmpty { throw AWSCredentialsError.unsupportedProfile(profile: shared.profile, file: path, settings: other) }
                tried.append("\(path): profile '\(shared.profile)' has no aws_access_key_id")
            }
        }
        return nil
    }
}

/// The credentials JSON the container endpoint and instance metadata both return.
enum CredentialsDocument {
    /// `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration` from `data`; nil when it is not such a document.
    static func decode(_ data: Data) -> AWSCredentials? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let id = object["AccessKeyId"] as? String, !id.isEmpty,
              let secret = object["SecretAccessKey"] as? String, !secret.isEmpty else { return nil }
        let token = object["Token"] as? String
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: token?.isEmpty == false ? token : nil,
                              expiration: (object["Expiration"] as? String).flatMap(parseDate))
    }

    /// An ISO 8601 time with or without fractional seconds.
    static func parseDate(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let d = plain.date(from: text) { return d }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
