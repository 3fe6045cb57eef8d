import Foundation

/// One step of a pipeline run as logged (one JSON line with `--log-format json`) and stored in `meta.pipeline_runs.steps`.
public struct StepRecord: Sendable, Encodable {
    /// How a step ended.
    public enum Outcome: String, Sendable, Encodable {
        /// Done.
        case ok
        /// Not needed or not possible (no Hevy key, no inbox, nothing changed, an earlier step failed).
        case skipped
        /// Failed: the run exits 1 (2 when ``StepRecord/isConfiguration``).
        case failed
    }

    /// `lock`, `sync`, `load`, `build`, `test`, `report` or `pipeline` (the run's closing line).
    public let step: String
    public let started: Date
    public var durationMs = 0
    /// What the step counted (files loaded, nodes built, tests passed …).
    public var counts: [String: Int] = [:]
    public var outcome: Outcome = .ok
    /// Why it failed; nil otherwise.
    public var error: String?
    /// A sentence for people: why it was skipped, what was selected.
    public var note: String?
    /// The load step: what happened to each file.
    public var files: [InboxFileOutcome]?
    /// The build and test steps: the runner's `--select` (empty: everything).
    public var selection: [String]?
    /// True when the failure is bad usage or configuration (exit 2), not retryable.
    public var isConfiguration = false

    public init(step: String, started: Date = Date()) {
        self.step = step
        self.started = started
    }

    /// Sets the duration from ``started`` to now.
    mutating func finish(_ outcome: Outcome, error: String? = nil) {
        self.outcome = outcome
        self.error = error
        durationMs = max(0, Int((Date().timeIntervalSince(started) * 1000).rounded()))
    }

    enum CodingKeys: String, CodingKey {
        case step, started, durationMs = "duration_ms", counts, outcome, error, note, files, selection
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(step, forKey: .step)
        try c.encode(Self.timestamp(started), forKey: .started)
        try c.encode(durationMs, forKey: .durationMs)
        try c.encode(counts, forKey: .counts)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(error, forKey: .error)      // always present: null when the step did not fail
        try c.encodeIfPresent(note, forKey: .note)
        try c.encodeIfPresent(files, forKey: .files)
        try c.encodeIfPresent(selection, forKey: .selection)
    }

    /// The record as one line of JSON (keys sorted).
    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{\"step\":\"\(step)\",\"outcome\":\"failed\"}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The record as one line for people: `build: ok in 1.2 s (models 12, …) — note`.
    public var textLine: String {
        var s = "\(step): \(outcome.rawValue) in \(String(format: "%.1f", Double(durationMs) / 1000)) s"
        if !counts.isEmpty { s += " (" + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")" }
        if let note { s += ": \(note)" }
        if let error { s += "\n  error: \(error)" }
        for f in files ?? [] where f.outcome != "loaded" {
            s += "\n  \(f.name): \(f.outcome)" + (f.detail.map { " (\($0))" } ?? "")
        }
        return s
    }

    /// ISO 8601 with milliseconds, UTC.
    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}

/// What the load step did with one file of the drop folder.
public struct InboxFileOutcome: Sendable, Encodable, Equatable {
    /// The file name in the inbox.
    public let name: String
    /// `hevy-csv`, a nutrition format, `body-weight-csv`; nil when not recognized.
    public var format: String?
    /// `loaded`, `duplicate` (moved to processed/ unloaded), `rejected` (moved to rejected/ with a reason file)
    /// or `failed` (left in the inbox: the database failed, not the file; the next run tries again).
    public var outcome: String
    /// The reason, the duplicate's original, or the rows loaded and rejected.
    public var detail: String?
    /// Where the file is now, relative to the inbox (`processed/x.csv`).
    public var movedTo: String?

    enum CodingKeys: String, CodingKey { case name, format, outcome, detail, movedTo = "moved_to" }
}
