import Foundation
import HTTPKit
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The fake Hevy API (`fake_hevy/fake_hevy_server.py`) running on 127.0.0.1 with a free port.
///
/// The Python process exits when its stdin closes, so it cannot outlive the test process. Shared by the sync and
/// pipeline tests.
public final class FakeHevyServer: @unchecked Sendable {
    public let apiKey: String
    public var port: Int { helper.port }
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }
    private let helper: PythonHelper
    private let transport = URLSessionTransport(timeout: 10)

    /// Starts the server with a seeded dataset (workouts, templates, body measurements).
    public init(apiKey: String, workouts: Int = 23, templates: Int = 120, bodyMeasurements: Int = 15) throws {
        self.apiKey = apiKey
        helper = try PythonHelper(script: "Tests/HevySyncTests/fake_hevy/fake_hevy_server.py",
                                  arguments: ["--port", "0", "--api-key", apiKey, "--workouts", String(workouts),
                                              "--templates", String(templates), "--body", String(bodyMeasurements)],
                                  systemPython: true)
    }

    /// Stops the server (idempotent); its port then refuses connections.
    public func stop() { helper.stop() }

    /// POSTs a JSON object to a `/_control/…` path.
    public func control(_ path: String, _ body: [String: Any]) throws {
        var request = URLRequest(url: baseURL.appendingPathComponent("_control/\(path)"))
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let response = try transport.send(request)
        guard response.status == 200 else { throw FakeServerError.control(path, response.status) }
    }

    /// GETs a `/_control/…` path and returns the decoded JSON.
    public func inspect(_ path: String) throws -> Any {
        let response = try transport.send(URLRequest(url: baseURL.appendingPathComponent("_control/\(path)")))
        return try JSONSerialization.jsonObject(with: response.body)
    }

    /// The API requests seen so far.
    public func requestLog() throws -> [[String: Any]] { try inspect("log") as? [[String: Any]] ?? [] }

    /// The server's current workouts.
    public func workouts() throws -> [[String: Any]] {
        (try inspect("state") as? [String: Any])?["workouts"] as? [[String: Any]] ?? []
    }

    /// Replaces the fault rules.
    public func setFaults(_ faults: [[String: Any]]) throws { try control("faults", ["faults": faults]) }
}

public enum FakeServerError: Error {
    case control(String, Int)
}
