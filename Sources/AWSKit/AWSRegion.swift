import Foundation

/// The AWS region, found as the AWS SDKs find it.
public enum AWSRegion {
    /// `AWS_REGION`, else `AWS_DEFAULT_REGION`, else `region` in the profile's section of the config file
    /// (`AWS_CONFIG_FILE`, else `~/.aws/config`; profile `AWS_PROFILE`, else `default`).
    public static func resolve(environment: [String: String]) throws -> String {
        if let region = environment.nonEmpty("AWS_REGION") ?? environment.nonEmpty("AWS_DEFAULT_REGION") { return region }
        let shared = try AWSSharedConfig(environment: environment, credentials: false)
        if let region = shared.configSection?["region"], !region.isEmpty { return region }
        throw AWSRegionError.notFound(tried: [
            "AWS_REGION and AWS_DEFAULT_REGION not set",
            shared.configFileExists ? "\(shared.configPath): no region for profile '\(shared.profile)'" : "\(shared.configPath): no such file",
        ])
    }
}
