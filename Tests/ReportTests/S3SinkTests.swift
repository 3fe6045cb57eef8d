import Foundation
import Testing
import AWSKit
@testable import Report

/// The report's S3 sink reports unusable URLs and paths as `ReportSinkError`, like the directory sink
/// (the S3 writes themselves are tested against moto in AWSKitTests).
@Suite struct S3SinkTests {
    @Test func badURLsAreBadDestinations() {
        #expect(throws: ReportSinkError.badDestination("https://bucket/prefix: not an s3://bucket/prefix URL")) {
            try S3Sink(url: "https://bucket/prefix", environment: [:])
        }
        #expect(throws: ReportSinkError.badDestination("s3:///prefix: no bucket name")) { try S3Sink(url: "s3:///prefix", environment: [:]) }
    }

    @Test func pathsOutsideThePrefixAreBadDestinations() throws {
        let sink = try S3Sink(url: "s3://b-1/weekly/", environment: [
            "AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "not-used", "AWS_REGION": "eu-west-1",
            "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        ])
        #expect(sink.bucket == "b-1" && sink.prefix == "weekly")
        #expect(throws: ReportSinkError.badDestination("../x.md: not a relative path inside s3://b-1/weekly")) {
            try sink.write(relativePath: "../x.md", data: Data(), contentType: "text/markdown")
        }
    }
}
