import Foundation
import Crypto
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Signs requests with AWS Signature Version 4 (`AWS4-HMAC-SHA256`), in the `Authorization` header.
///
/// S3 requests also get `x-amz-content-sha256` (the payload's SHA-256, signed) and keep their path as
/// sent; every other service has its path normalised and encoded once more, as the AWS SDKs do.
/// Temporary credentials add a signed `x-amz-security-token`.
public struct SigV4Signer: Sendable {
    public let credentials: AWSCredentials
    public let region: String
    public let service: String
    let options: SigV4Options

    /// A signer for `service` (e.g. `s3`, `bedrock`) in `region` with `credentials`.
    public init(credentials: AWSCredentials, region: String, service: String) {
        self.init(credentials: credentials, region: region, service: service, options: .forService(service))
    }

    init(credentials: AWSCredentials, region: String, service: String, options: SigV4Options) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.options = options
    }

    /// `request` with `x-amz-date`, the service's other signing headers and `Authorization` set for `date`.
    ///
    /// `body` must be the bytes sent as the request's body. A signature from an earlier attempt is replaced,
    /// so a retried request can be signed again. An `x-amz-content-sha256` already on the request
    /// (e.g. `UNSIGNED-PAYLOAD`) is signed as the payload hash instead of the body's.
    public func signed(_ request: URLRequest, body: Data, at date: Date = Date()) -> URLRequest {
        var out = request
        for name in ["Authorization", "X-Amz-Date", "X-Amz-Security-Token"] {
            out.setValue(nil, forHTTPHeaderField: name)
        }
        let given = out.value(forHTTPHeaderField: "x-amz-content-sha256")
        let payloadHash = given ?? SigV4Canonical.sha256Hex(body)
        var wire = Self.wireRequest(out)
        if given != nil { wire.headers.removeAll { $0.name.lowercased() == "x-amz-content-sha256" } }
        let signature = signHeaders(wire, payloadHash: payloadHash, date: date)
        for (name, value) in signature.headers { out.setValue(value, forHTTPHeaderField: name) }
        return out
    }

    /// The method, wire path, query and headers of `request`, with `host` taken from its URL.
    static func wireRequest(_ request: URLRequest) -> SigV4Request {
        let url = request.url
        let components = url.flatMap { URLComponents(url: $0, resolvingAgainstBaseURL: false) }
        var headers: [(name: String, value: String)] = []
        if let host = hostHeader(url) { headers.append(("host", host)) }
        for (name, value) in request.allHTTPHeaderFields ?? [:] where name.lowercased() != "host" {
            headers.append((name, value))
        }
        return SigV4Request(
            method: request.httpMethod ?? "GET",
            path: components?.percentEncodedPath ?? "/",
            query: components?.percentEncodedQuery,
            headers: headers)
    }

    /// The `Host` header HTTP sends for `url`: the host, with the port when it is not the scheme's default.
    static func hostHeader(_ url: URL?) -> String? {
        guard let url, var host = url.host else { return nil }
        if host.contains(":") && !host.hasPrefix("[") { host = "[\(host)]" }
        let scheme = url.scheme?.lowercased()
        if let port = url.port, !(scheme == "https" && port == 443), !(scheme == "http" && port == 80) {
            host += ":\(port)"
        }
        return host
    }

    /// One computed signature and the headers that carry it.
    struct Signature {
        /// Header names and values to set on the request (`Authorization` last).
        var headers: [(name: String, value: String)]
        var canonicalRequest: String
        var stringToSign: String
        var signature: String
        /// For query signing: the query string to send (with `X-Amz-Signature`).
        var query: String?
    }

    /// Signs `request` in the headers: adds the date (and token, and payload hash for S3) and the `Authorization` value.
    func signHeaders(_ request: SigV4Request, payloadHash: String, date: Date) -> Signature {
        let stamp = AmzDate(date)
        var added: [(name: String, value: String)] = [("X-Amz-Date", stamp.full)]
        var afterSigning: [(name: String, value: String)] = []
        if let token = credentials.sessionToken, !token.isEmpty {
            if options.signSessionToken { added.append(("X-Amz-Security-Token", token)) } else { afterSigning.append(("X-Amz-Security-Token", token)) }
        }
        if options.addContentSHA256 { added.append(("x-amz-content-sha256", payloadHash)) }
        var signedRequest = request
        signedRequest.headers += added
        let (canonical, signedHeaders) = SigV4Canonical.request(signedRequest, payloadHash: payloadHash, options: options)
        let (toSign, signature) = sign(canonical: canonical, stamp: stamp)
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope(stamp)), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signature(headers: added + afterSigning + [("Authorization", authorization)],
                         canonicalRequest: canonical, stringToSign: toSign, signature: signature, query: nil)
    }

    /// Signs `request` in the query string (a presigned URL valid for `expires` seconds).
    func signQuery(_ request: SigV4Request, payloadHash: String, expires: Int, date: Date) -> Signature {
        let stamp = AmzDate(date)
        let signedHeaders = SigV4Canonical.headers(request.headers).map(\.name).joined(separator: ";")
        let enc = { (text: String) in SigV4Canonical.uriEncode(text, keepSlash: false) }
        var params = [
            "X-Amz-Algorithm=AWS4-HMAC-SHA256",
            "X-Amz-Credential=" + enc("\(credentials.accessKeyId)/\(scope(stamp))"),
            "X-Amz-Date=" + stamp.full,
            "X-Amz-SignedHeaders=" + enc(signedHeaders),
            "X-Amz-Expires=\(expires)",
        ]
        var tokenParam: String?
        if let token = credentials.sessionToken, !token.isEmpty { tokenParam = "X-Amz-Security-Token=" + enc(token) }
        if options.signSessionToken, let tokenParam { params.append(tokenParam) }
        var withParams = request
        withParams.query = ([request.query].compactMap { $0 }.filter { !$0.isEmpty } + params).joined(separator: "&")
        let (canonical, _) = SigV4Canonical.request(withParams, payloadHash: payloadHash, options: options)
        let (toSign, signature) = sign(canonical: canonical, stamp: stamp)
        if !options.signSessionToken, let tokenParam { params.append(tokenParam) }
        let query = ([request.query].compactMap { $0 }.filter { !$0.isEmpty } + params + ["X-Amz-Signature=" + signature])
            .joined(separator: "&")
        return Signature(headers: [], canonicalRequest: canonical, stringToSign: toSign, signature: signature, query: query)
    }

    /// `<date>/<region>/<service>/aws4_request`.
    private func scope(_ stamp: AmzDate) -> String {
        "\(stamp.day)/\(region)/\(service)/aws4_request"
    }

    /// The string to sign for `canonical` and its hex signature.
    private func sign(canonical: String, stamp: AmzDate) -> (stringToSign: String, signature: String) {
        let toSign = [
            "AWS4-HMAC-SHA256", stamp.full, scope(stamp),
            SigV4Canonical.sha256Hex(Data(canonical.utf8)),
        ].joined(separator: "\n")
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [stamp.day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        let mac = HMAC<SHA256>.authenticationCode(for: Data(toSign.utf8), using: key)
        return (toSign, SigV4Canonical.hex(mac))
    }
}

/// A signing time in SigV4's two UTC forms: `20150830T123600Z` and `20150830`.
struct AmzDate {
    let full: String
    let day: String

    init(_ date: Date) {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var tm = tm()
        gmtime_r(&t, &tm)
        day = String(format: "%04d%02d%02d", Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1, Int(tm.tm_mday))
        full = day + String(format: "T%02d%02d%02dZ", Int(tm.tm_hour), Int(tm.tm_min), Int(tm.tm_sec))
    }
}
