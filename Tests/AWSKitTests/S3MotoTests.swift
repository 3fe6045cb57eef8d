import Foundation
import Testing
import TestSupport
import HTTPKit
@testable import AWSKit

/// PutObject through `S3Destination` (what the report's `S3Sink` writes with) against moto's S3 server with signature and IAM policy checks on
/// (`Tests/fake_aws/moto_s3.py`); objects are read back with boto3 by the helper.
@Suite(.enabled(if: TestPython.motoEnabled, Comment(rawValue: TestPython.motoSkipReason)))
struct S3MotoTests {
    /// One moto server for the suite (starting one costs seconds); each test writes its own keys.
    static let server = Result { () throws -> (HelperProcess, MotoInfo) in
        let moto = try HelperProcess(python: TestPython.path, script: "moto_s3.py")
        let info = try JSONSerialization.jsonObject(with: Data(moto.readyLine.utf8)) as! [String: Any]
        return (moto, MotoInfo(port: info["port"] as! Int, accessKeyId: info["access_key_id"] as! String,
                               secret: info["secret_access_key"] as! String, region: info["region"] as! String))
    }

    /// What the helper printed: its port, the IAM user's key pair, the region.
    struct MotoInfo: Sendable {
        let port: Int
        let accessKeyId: String
        let secret: String
        let region: String
    }

    let moto: HelperProcess
    let info: MotoInfo
    let home: TempDir

    init() throws {
        (moto, info) = try Self.server.get()
        home = try TempDir()
    }

    var accessKeyId: String { info.accessKeyId }
    var secret: String { info.secret }

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["HOME": home.path, "AWS_EC2_METADATA_DISABLED": "true",
         "AWS_ACCESS_KEY_ID": accessKeyId, "AWS_SECRET_ACCESS_KEY": secret,
         "AWS_REGION": info.region, "AWS_ENDPOINT_URL": "http://127.0.0.1:\(info.port)"]
            .merging(extra) { $1 }
    }

    /// The object as boto3 reads it: body, content type, SSE algorithm, KMS key id.
    func readBack(_ key: String) throws -> (body: Data, contentType: String?, sse: String?, kmsKeyId: String?) {
        let reply = try JSONSerialization.jsonObject(with: Data(moto.ask("get \(key)").utf8)) as! [String: Any]
        if let error = reply["error"] as? String { throw ReadBackError(message: error) }
        return (Data(base64Encoded: reply["body"] as! String)!, reply["content_type"] as? String,
                reply["sse"] as? String, reply["kms_key_id"] as? String)
    }

    struct ReadBackError: Error { let message: String }

    @Test func writesTheObjectWithContentTypeAndAES256() throws {
        let sink = try S3Destination(url: "s3://fitdata-reports/weekly/", environment: environment())
        let html = Data("<!doctype html><title>W38</title><p>Relatório: 120 kg × 5</p>".utf8)
        let location = try sink.put(relativePath: "html/2026-W38.html", data: html, contentType: "text/html; charset=utf-8")
        #expect(location == "s3://fitdata-reports/weekly/html/2026-W38.html")
        let object = try readBack("weekly/html/2026-W38.html")
        #expect(object.body == html)
        #expect(object.contentType == "text/html; charset=utf-8")
        #expect(object.sse == "AES256")
    }

    @Test func kmsEncryptionWithAKeyId() throws {
        let keyId = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        let sink = try S3Destination(url: "s3://fitdata-reports/weekly", environment: environment(["FITDATA_S3_SSE": "aws:kms", "FITDATA_S3_KMS_KEY_ID": keyId]))
        _ = try sink.put(relativePath: "kms/2026-W38.json", data: Data("{}".utf8), contentType: "application/json")
        let object = try readBack("weekly/kms/2026-W38.json")
        #expect(object.sse == "aws:kms")
        #expect(object.kmsKeyId == keyId)
    }

    /// Keys with spaces and non-ASCII characters are signed as moto (botocore's rules) computes them.
    @Test func keysThatNeedEncoding() throws {
        let sink = try S3Destination(url: "s3://fitdata-reports/weekly", environment: environment())
        let data = Data("# Semana 38\n".utf8)
        let location = try sink.put(relativePath: "atleta ção/2026-W38 (pt)+v1.md", data: data, contentType: "text/markdown; charset=utf-8")
        #expect(location == "s3://fitdata-reports/weekly/atleta ção/2026-W38 (pt)+v1.md")
        #expect(try readBack("weekly/atleta ção/2026-W38 (pt)+v1.md").body == data)
    }

    @Test func writingAgainReplacesTheObject() throws {
        let sink = try S3Destination(url: "s3://fitdata-reports/weekly", environment: environment())
        _ = try sink.put(relativePath: "again/2026-W38.md", data: Data("first".utf8), contentType: "text/markdown")
        _ = try sink.put(relativePath: "again/2026-W38.md", data: Data("second".utf8), contentType: "text/markdown")
        #expect(try readBack("weekly/again/2026-W38.md").body == Data("second".utf8))
    }

    /// Signature checking is on: the right key id with a wrong secret is refused, and the error names S3's
    /// code without any key material.
    @Test func aWrongSecretIsRefused() throws {
        let sink = try S3Destination(url: "s3://fitdata-reports/weekly", environment: environment(["AWS_SECRET_ACCESS_KEY": FakeKeys.secret]))
        let error = try #require(throws: S3Error.self) {
            try sink.put(relativePath: "wrong-secret/2026-W38.md", data: Data("x".utf8), contentType: "text/markdown")
        }
        #expect(error.code == "SignatureDoesNotMatch")
        guard case .service(_, _, let status, _, _, _) = error else { Issue.record("\(error)"); return }
        #expect(status == 403)
        let text = "\(error)"
        #expect(FakeKeys.absent(in: text) && !text.contains(secret) && !text.contains(accessKeyId), "\(text)")
        #expect(throws: ReadBackError.self) { try readBack("weekly/wrong-secret/2026-W38.md") }
    }

    /// The user's policy allows s3:PutObject only under `weekly/`: the same credentials are refused elsewhere.
    @Test func putObjectOutsideThePolicysPrefixIsDenied() throws {
        let sink = try S3Destination(url: "s3://fitdata-reports/elsewhere", environment: environment())
        let error = try #require(throws: S3Error.self) {
            try sink.put(relativePath: "me/2026-W38.md", data: Data("x".utf8), contentType: "text/markdown")
        }
        #expect(error.code == "AccessDenied")
    }
}
