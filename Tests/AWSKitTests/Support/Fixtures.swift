import Foundation
import HTTPKit
@testable import AWSKit
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Recognisable fake credentials: any of these in an error text or output is a leak.
enum FakeKeys {
    static let accessKeyId = "AKIAFITDATAFAKE0001"
    static let secret = "fitdataFAKEsecret/0123456789abcdefghijklmnopq"
    static let token = "fitdataFAKEsessionTOKEN0123456789"
    static let all = [accessKeyId, secret, token]

    /// True when `text` contains none of the fake keys (nor the secret's distinctive start).
    static func absent(in text: String) -> Bool {
        !(all + ["fitdataFAKEsecret", "fitdataFAKEsessionTOKEN"]).contains { text.contains($0) }
    }
}

/// A temporary directory for a test's HOME and shared files, removed at deinit.
final class TempDir {
    let url: URL
    var path: String { url.path }

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("awskit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `text` at `name` (creating folders) and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file.path
    }
}

/// A transport with short limits, as the credential chain should get.
func shortTransport() -> URLSessionTransport {
    URLSessionTransport(limits: TransportLimits(idleTimeout: 2, deadline: 5, maxBodyBytes: 1 << 20))
}

/// Sends requests for `fromHost` to `127.0.0.1:port` instead (the ECS agent address cannot be bound in a test),
/// recording the URLs as the client built them.
final class RedirectingTransport: HTTPTransport, @unchecked Sendable {
    let fromHost: String
    let port: Int
    let inner = shortTransport()
    private let lock = NSLock()
    private var seen: [URL] = []

    init(fromHost: String, toPort port: Int) {
        self.fromHost = fromHost
        self.port = port
    }

    var requestedURLs: [URL] { lock.lock(); defer { lock.unlock() }; return seen }

    func send(_ request: URLRequest) throws -> HTTPResponse {
        lock.lock(); seen.append(request.url!); lock.unlock()
        var rewritten = request
        if var c = URLComponents(url: request.url!, resolvingAgainstBaseURL: false), c.host == fromHost {
            c.host = "127.0.0.1"
            c.port = port
            rewritten.url = c.url
        }
        return try inner.send(rewritten)
    }
}

/// Answers from a script of responses (or errors), recording every request: for retry logic without a network.
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var script: [Result<HTTPResponse, URLError>]
    private(set) var requests: [URLRequest] = []

    init(_ script: [Result<HTTPResponse, URLError>]) { self.script = script }

    func send(_ request: URLRequest) throws -> HTTPResponse {
        lock.lock(); defer { lock.unlock() }
        requests.append(request)
        guard !script.isEmpty else { throw URLError(.resourceUnavailable) }
        return try script.removeFirst().get()
    }
}
