import Foundation
import Testing
import TestSupport
@testable import AWSKit
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The signer against AWS's published SigV4 suite (aws-c-auth's `v4` folder): every case, header and query signing.
@Suite struct SigV4VectorTests {
    static let date = ISO8601DateFormatter().date(from: "2015-08-30T12:36:00Z")!

    static func signer(_ c: SigningSuite.Case) -> SigV4Signer {
        let creds = c.context["credentials"] as! [String: Any]
        var options = SigV4Options()
        options.normalizePath = c.context["normalize"] as? Bool ?? true
        options.addContentSHA256 = c.context["sign_body"] as? Bool ?? false
        options.signSessionToken = !(c.context["omit_session_token"] as? Bool ?? false)
        return SigV4Signer(
            credentials: AWSCredentials(accessKeyId: creds["access_key_id"] as! String,
                                        secretAccessKey: creds["secret_access_key"] as! String,
                                        sessionToken: creds["token"] as? String),
            region: c.context["region"] as! String, service: c.context["service"] as! String, options: options)
    }

    static func request(_ c: SigningSuite.Case) -> SigV4Request {
        SigV4Request(method: c.method, path: c.path, query: c.query, headers: c.headers)
    }

    @Test("every case of the suite, signed in the headers", .enabled(if: SigningSuite.enabled, Comment(rawValue: SigningSuite.skipReason)))
    func headerSigning() throws {
        let cases = try SigningSuite.cases()
        #expect(cases.count == 38, "every folder of the suite is a case; none is skipped")
        for c in cases {
            let s = Self.signer(c).signHeaders(Self.request(c), payloadHash: SigV4Canonical.sha256Hex(c.body), date: Self.date)
            #expect(s.canonicalRequest == (try c.expected("header-canonical-request.txt")), "\(c.name): canonical request")
            #expect(s.stringToSign == (try c.expected("header-string-to-sign.txt")), "\(c.name): string to sign")
            #expect(s.signature == (try c.expected("header-signature.txt")), "\(c.name): signature")
            // Every header the expected signed request adds (date, token, payload hash, Authorization) is set to the same value.
            let expectedLines = try c.expected("header-signed-request.txt").split(separator: "\n").map(String.init)
            for (name, value) in s.headers {
                #expect(expectedLines.contains("\(name):\(value)") || expectedLines.contains { $0.lowercased() == "\(name):\(value)".lowercased() },
                        "\(c.name): header \(name)")
            }
        }
    }

    @Test("every case of the suite, signed in the query string", .enabled(if: SigningSuite.enabled, Comment(rawValue: SigningSuite.skipReason)))
    func querySigning() throws {
        for c in try SigningSuite.cases() {
            let expires = c.context["expiration_in_seconds"] as? Int ?? 3600
            let s = Self.signer(c).signQuery(Self.request(c), payloadHash: SigV4Canonical.sha256Hex(c.body), expires: expires, date: Self.date)
            #expect(s.canonicalRequest == (try c.expected("query-canonical-request.txt")), "\(c.name): canonical request")
            #expect(s.stringToSign == (try c.expected("query-string-to-sign.txt")), "\(c.name): string to sign")
            #expect(s.signature == (try c.expected("query-signature.txt")), "\(c.name): signature")
            let firstLine = try c.expected("query-signed-request.txt").split(separator: "\n")[0]
            #expect(firstLine.hasSuffix("?\(s.query!) HTTP/1.1"), "\(c.name): signed query")
        }
    }

    @Test("the public URLRequest API gives the suite's Authorization for the cases a URLRequest can carry",
          .enabled(if: SigningSuite.enabled, Comment(rawValue: SigningSuite.skipReason)))
    func urlRequestAPI() throws {
        // Cases whose request a URLRequest can hold as given: no repeated or folded headers, a path URL keeps.
        let names = ["get-vanilla", "get-vanilla-query-order-key-case", "get-vanilla-with-session-token", "post-vanilla",
                     "post-vanilla-query", "post-header-key-sort", "post-header-value-case", "post-sts-header-before",
                     "get-unreserved", "get-vanilla-query-unreserved", "get-header-value-trim", "post-x-www-form-urlencoded",
                     "post-x-www-form-urlencoded-parameters"]
        let dir = try #require(SigningSuite.directory)
        for name in names {
            let c = try SigningSuite.load(dir.appendingPathComponent(name))
            var request = URLRequest(url: URL(string: "https://example.amazonaws.com\(c.path)\(c.query.map { "?\($0)" } ?? "")")!)
            request.httpMethod = c.method
            for (h, v) in c.headers where h.lowercased() != "host" { request.setValue(v, forHTTPHeaderField: h) }
            let signer = Self.signer(c)
            // The public initialiser picks the options from the service name; these cases use "service".
            let publicSigner = SigV4Signer(credentials: signer.credentials, region: signer.region, service: signer.service)
            let signed = (c.context["sign_body"] as? Bool ?? false || c.context["omit_session_token"] as? Bool ?? false)
                ? signer.signed(request, body: c.body, at: Self.date)
                : publicSigner.signed(request, body: c.body, at: Self.date)
            let expected = try c.expected("header-signed-request.txt").split(separator: "\n").first { $0.hasPrefix("Authorization:") }
            #expect(signed.value(forHTTPHeaderField: "Authorization") == expected.map { String($0.dropFirst("Authorization:".count)) }, "\(name)")
            #expect(signed.value(forHTTPHeaderField: "X-Amz-Date") == "20150830T123600Z")
        }
    }

    /// AWS's S3 example (GET `/test.txt` with a Range header, from "Signature Calculations for the Authorization
    /// Header" in the S3 API reference): the S3 rules (payload hash header, path as sent) give its signature.
    @Test func s3DocumentationExample() {
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyId: "AKIAIOSFODNN7EXAMPLE",
                                                             secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                                 region: "us-east-1", service: "s3")
        var request = URLRequest(url: URL(string: "https://examplebucket.s3.amazonaws.com/test.txt")!)
        request.setValue("bytes=0-9", forHTTPHeaderField: "Range")
        let signed = signer.signed(request, body: Data(), at: ISO8601DateFormatter().date(from: "2013-05-24T00:00:00Z")!)
        #expect(signed.value(forHTTPHeaderField: "x-amz-content-sha256") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(signed.value(forHTTPHeaderField: "Authorization") ==
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    /// Re-signing a signed request (a retry) replaces the old signature instead of signing it.
    @Test func resigningReplacesTheSignature() {
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "tok"),
                                 region: "eu-west-1", service: "bedrock")
        let request = URLRequest(url: URL(string: "https://bedrock-runtime.eu-west-1.amazonaws.com/model/a.b-v1:0/converse")!)
        let once = signer.signed(request, body: Data("{}".utf8), at: Date(timeIntervalSince1970: 1_700_000_000))
        let twice = signer.signed(once, body: Data("{}".utf8), at: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(once.value(forHTTPHeaderField: "Authorization") == twice.value(forHTTPHeaderField: "Authorization"))
        #expect(once.value(forHTTPHeaderField: "X-Amz-Security-Token") == "tok")
        #expect(once.value(forHTTPHeaderField: "x-amz-content-sha256") == nil)
        #expect(once.value(forHTTPHeaderField: "Authorization")?.contains("SignedHeaders=host;x-amz-date;x-amz-security-token,") == true)
    }

    /// Non-S3 services sign the path encoded once more (a `:` sent as `%3A` is signed as `%253A`); S3 signs it encoded once.
    @Test func pathEncodingPerService() {
        let opts = SigV4Options.forService("bedrock-runtime")
        #expect(SigV4Canonical.path("/model/a.b-v1%3A0/converse", options: opts) == "/model/a.b-v1%253A0/converse")
        #expect(SigV4Canonical.path("/model/a.b-v1:0/converse", options: opts) == "/model/a.b-v1%3A0/converse")
        let s3 = SigV4Options.forService("s3")
        #expect(SigV4Canonical.path("/bucket/a%20b/../c$", options: s3) == "/bucket/a%20b/../c%24")
    }
}
