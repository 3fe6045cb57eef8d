import Foundation

/// The base URL of an AWS service: a configured endpoint (S3-compatible stores, local fakes) or AWS's own.
public enum AWSEndpoint {
    /// `AWS_ENDPOINT_URL_<SERVICE>` (service id upper-cased, `-` as `_`: `AWS_ENDPOINT_URL_S3`,
    /// `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`), else `AWS_ENDPOINT_URL`, else `https://<service>.<region>.amazonaws.com`
    /// (`.amazonaws.com.cn` in China regions).
    ///
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` ignores both variables. A variable that is not an absolute
    /// http(s) URL is ignored here; ``configured(service:environment:)`` reports it as an error.
    public static func url(service: String, region: String, environment: [String: String]) -> URL {
        (try? configured(service: service, environment: environment)) ?? standard(service: service, region: region)
    }

    /// The endpoint set in the environment for `service`, nil when none; throws when the variable is not an http(s) URL.
    public static func configured(service: String, environment: [String: String]) throws -> URL? {
        if environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() == "true" { return nil }
        for name in [variable(for: service), "AWS_ENDPOINT_URL"] {
            guard let value = environment.nonEmpty(name) else { continue }
            guard let url = URL(string: value), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  url.host?.isEmpty == false else {
                throw AWSEndpointError.invalid(variable: name, value: value)
            }
            return url
        }
        return nil
    }

    /// The service-specific variable, e.g. `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` for `bedrock-runtime`.
    public static func variable(for service: String) -> String {
        "AWS_ENDPOINT_URL_" + service.uppercased().map { $0 == "-" || $0 == " " ? "_" : $0 }.map(String.init).joined()
    }

    /// `https://<service>.<region>.amazonaws.com` (`.com.cn` for `cn-` regions).
    public static func standard(service: String, region: String) -> URL {
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return URL(string: "https://\(service).\(region).\(suffix)")!
    }
}

/// An endpoint variable that is not a usable URL.
public enum AWSEndpointError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(variable: String, value: String)

    public var description: String {
        switch self {
        case .invalid(let variable, _): return "\(variable) is not an absolute http(s) URL (scheme://host[:port])"
        }
    }
}
