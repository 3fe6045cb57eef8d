import Foundation
import HTTPKit
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A transport answering from a script: each entry a response or a transport error.
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var steps: [Result<HTTPResponse, any Error>]
    private(set) var requests: [URLRequest] = []

    init(_ steps: [Result<HTTPResponse, any Error>]) { self.steps = steps }

    func send(_ request: URLRequest) throws -> HTTPResponse {
        lock.lock(); defer { lock.unlock() }
        requests.append(request)
        return try steps.removeFirst().get()
    }
}

/// HTTPKit's RetryingSender on its own: what it retries, how long it waits, what it returns and what it says.
struct RetryingSenderTests {
    static func response(_ status: Int, _ body: String = "", headers: [String: String] = [:]) -> Result<HTTPResponse, any Error> {
        .success(HTTPResponse(status: status, headers: headers, body: Data(body.utf8)))
    }

    func sender(_ transport: ScriptedTransport, attempts: Int = 4, delays: Recorder) -> RetryingSender {
        let options = delays.options(attempts: attempts)
        return RetryingSender(transport: transport, policy: options.retry, redact: SecretRedactor(secrets: ["sk-secret-123"]),
                              log: options.log, sleep: options.sleep)
    }

    @Test func buildsAFreshRequestForEveryAttempt() throws {
        let transport = ScriptedTransport([Self.response(503), .failure(URLError(.networkConnectionLost)), Self.response(200, "ok")])
        let rec = Recorder()
        var built = 0
        let response = try sender(transport, delays: rec).send("POST /x") {
            built += 1
            var r = URLRequest(url: URL(string: "http://127.0.0.1:1/x")!)
            r.setValue("\(built)", forHTTPHeaderField: "X-Attempt")
            return r
        }
        #expect(response.status == 200)
        #expect(built == 3)
        #expect(transport.requests.map { $0.value(forHTTPHeaderField: "X-Attempt") } == ["1", "2", "3"])
        #expect(rec.lines.count == 2)
        #expect(rec.lines[1].contains("connection to 127.0.0.1 was lost"))
    }

    @Test func retryAfterLongerThanThePolicyFailsAtOnce() {
        let transport = ScriptedTransport([Self.response(429, headers: ["retry-after": "3600"])])
        #expect(throws: RetryingSendError.retryAfterTooLong(seconds: 3600, limit: 30)) {
            try sender(transport, delays: Recorder()).send("POST /x") { URLRequest(url: URL(string: "http://h/x")!) }
        }
        #expect(transport.requests.count == 1)
    }

    @Test func retryAfterAsAnHTTPDateIsHonoured() throws {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let transport = ScriptedTransport([Self.response(429, headers: ["retry-after": f.string(from: Date().addingTimeInterval(20))]),
                                           Self.response(200)])
        let rec = Recorder()
        _ = try sender(transport, delays: rec).send("POST /x") { URLRequest(url: URL(string: "http://h/x")!) }
        #expect(rec.delays.count == 1)
        #expect((15...20).contains(rec.delays.first ?? 0))
    }

    @Test func nonTransientTransportErrorsAreNotRetried() {
        let transport = ScriptedTransport([.failure(URLError(.unsupportedURL))])
        #expect(throws: RetryingSendError.self) {
            try sender(transport, delays: Recorder()).send("POST /x") { URLRequest(url: URL(string: "http://h/x")!) }
        }
        #expect(transport.requests.count == 1)
    }

    @Test func bodiesAndMessagesAreRedacted() throws {
        let transport = ScriptedTransport([Self.response(500, "echo sk-secret-123"), Self.response(400, #"{"k":"sk-secret-123"}"#)])
        let rec = Recorder()
        let response = try sender(transport, delays: rec).send("POST /x") { URLRequest(url: URL(string: "http://h/x")!) }
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"k":"[redacted]"}"#)
        #expect(rec.lines.count == 1 && !rec.lines[0].contains("sk-secret-123") && rec.lines[0].contains("[redacted]"))
    }

    @Test func exhaustedTransportFailuresHaveNoStatus() {
        let transport = ScriptedTransport(Array(repeating: .failure(URLError(.timedOut)), count: 2))
        let error = #expect(throws: RetryingSendError.self) {
            try sender(transport, attempts: 2, delays: Recorder()).send("POST /x") { URLRequest(url: URL(string: "http://h/x")!) }
        }
        #expect(error == .exhausted(attempts: 2, lastStatus: nil, lastProblem: "timed out waiting for h"))
    }
}
