import Foundation

/// Why no AWS credentials could be resolved. The text names files, variables and endpoints, never a secret.
public enum AWSCredentialsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No source had credentials; `tried` says, for each source in order, why it had none.
    case notFound(tried: [String])
    /// One of `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` is set without the other (`missing` names it).
    case incompleteEnvironment(missing: String)
    /// `AWS_PROFILE` names a profile that neither shared file has.
    case profileNotFound(profile: String, files: [String])
    /// The profile has `aws_access_key_id` without `aws_secret_access_key` or the reverse.
    case incompleteProfile(profile: String, file: String, missing: String)
    /// The profile gets credentials in a way this tool does not implement (`role_arn`, `credential_process`, SSO…).
    case unsupportedProfile(profile: String, file: String, settings: [String])
    /// A shared file could not be parsed.
    case malformedFile(path: String, line: Int, reason: String)
    /// The container credentials endpoint is configured but gave no credentials.
    case containerEndpoint(url: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let tried):
            return "no AWS credentials found; tried, in order:\n" + tried.map { "  - \($0)" }.joined(separator: "\n")
        case .incompleteEnvironment(let missing):
            return "AWS credentials in the environment are incomplete: \(missing) is not set"
        case .profileNotFound(let profile, let files):
            return "AWS profile '\(profile)' (AWS_PROFILE) is in none of: \(files.joined(separator: ", "))"
        case .incompleteProfile(let profile, let file, let missing):
            return "\(file): profile '\(profile)' has no \(missing)"
        case .unsupportedProfile(let profile, let file, let settings):
            return "\(file): profile '\(profile)' gets credentials through \(settings.joined(separator: ", ")), which fitdata does not support; "
                + "use access keys, the container endpoint or instance metadata (see docs/aws.md)"
        case .malformedFile(let path, let line, let reason):
            return line > 0 ? "\(path):\(line): \(reason)" : "\(path): \(reason)"
        case .containerEndpoint(let url, let reason):
            return "container credentials endpoint \(url): \(reason)"
        }
    }
}

/// Why no AWS region could be resolved.
public enum AWSRegionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Neither variable nor the profile's `region` setting gave a region; `tried` lists what was looked at.
    case notFound(tried: [String])

    public var description: String {
        switch self {
        case .notFound(let tried):
            return "no AWS region configured; set AWS_REGION (tried: \(tried.joined(separator: "; ")))"
        }
    }
}
