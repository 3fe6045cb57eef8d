import Foundation
import Testing
@testable import AWSKit

/// Region and endpoint resolution from the environment and the config file.
@Suite struct RegionAndEndpointTests {
    @Test func regionOrder() throws {
        let home = try TempDir()
        try home.write(".aws/config", "[default]\nregion = eu-central-1\n[profile br]\nregion = sa-east-1\n")
        let base = ["HOME": home.path]
        #expect(try AWSRegion.resolve(environment: base.merging(["AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "ap-south-1"]) { $1 }) == "us-west-2")
        #expect(try AWSRegion.resolve(environment: base.merging(["AWS_DEFAULT_REGION": "ap-south-1"]) { $1 }) == "ap-south-1")
        #expect(try AWSRegion.resolve(environment: base) == "eu-central-1")
        #expect(try AWSRegion.resolve(environment: base.merging(["AWS_PROFILE": "br"]) { $1 }) == "sa-east-1")
    }

    /// The region comes from the config file only: an unreadable credentials file does not stop it.
    @Test func regionIgnoresTheCredentialsFile() throws {
        let home = try TempDir()
        try home.write(".aws/credentials", "not an ini file\n")
        try home.write(".aws/config", "[default]\nregion = eu-north-1\n")
        #expect(try AWSRegion.resolve(environment: ["HOME": home.path]) == "eu-north-1")
    }

    @Test func noRegionIsAnError() throws {
        let home = try TempDir()
        let error = try #require(throws: AWSRegionError.self) { try AWSRegion.resolve(environment: ["HOME": home.path, "AWS_REGION": ""]) }
        #expect(error.description.contains("set AWS_REGION"))
    }

    @Test func endpointOrder() throws {
        let env = ["AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9000", "AWS_ENDPOINT_URL": "http://localhost:4566",
                   "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": "https://bedrock.internal:8443/base"]
        #expect(AWSEndpoint.url(service: "s3", region: "eu-west-1", environment: env).absoluteString == "http://127.0.0.1:9000")
        #expect(AWSEndpoint.url(service: "bedrock-runtime", region: "eu-west-1", environment: env).absoluteString == "https://bedrock.internal:8443/base")
        #expect(AWSEndpoint.url(service: "sts", region: "eu-west-1", environment: env).absoluteString == "http://localhost:4566")
        #expect(AWSEndpoint.url(service: "bedrock-runtime", region: "us-east-1", environment: [:]).absoluteString == "https://bedrock-runtime.us-east-1.amazonaws.com")
        #expect(AWSEndpoint.url(service: "s3", region: "cn-north-1", environment: [:]).absoluteString == "https://s3.cn-north-1.amazonaws.com.cn")
        #expect(AWSEndpoint.url(service: "s3", region: "eu-west-1", environment: env.merging(["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"]) { $1 }).absoluteString
            == "https://s3.eu-west-1.amazonaws.com")
        #expect(AWSEndpoint.variable(for: "bedrock-runtime") == "AWS_ENDPOINT_URL_BEDROCK_RUNTIME")
    }

    @Test func aMalformedEndpointIsAnErrorNamingTheVariable() {
        #expect(throws: AWSEndpointError.invalid(variable: "AWS_ENDPOINT_URL_S3", value: "localhost:9000")) {
            try AWSEndpoint.configured(service: "s3", environment: ["AWS_ENDPOINT_URL_S3": "localhost:9000"])
        }
    }
}
