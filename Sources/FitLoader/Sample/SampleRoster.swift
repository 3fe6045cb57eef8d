import Foundation
import Synchronization

/// Writes many synthetic athletes (``AthleteProfile``, ``AthleteHistory``): one folder per athlete,
/// `DIR/<athlete_id>/`, and the manifest `DIR/athletes.csv` a loader reads (id, time zone, files, targets).
///
/// Athletes are written in parallel, each streamed to its files; the manifest rows are in athlete order,
/// so the same seed gives byte-identical output whatever the number of jobs.
public struct SampleRoster: Sendable {
    public let athletes: Int
    public let weeks: Int
    public let seed: UInt64
    /// The last day covered (default 2026-11-22, a Sunday), so the output does not depend on today's date.
    public let endDate: DateComponents

    public static let manifestName = "athletes.csv"
    public static let manifestHeader = "athlete_id,timezone,split,sessions_per_week,units,hevy_csv,nutrition_csv,nutrition_format,body_weight_csv,targets_from,kcal_target,protein_g_target"

    /// What was written.
    public struct Summary: Sendable {
        public let manifest: URL
        public let athletes: Int, workouts: Int, setRows: Int, bytes: Int
    }

    public init(athletes: Int, weeks: Int, seed: UInt64, endDate: DateComponents = DateComponents(year: 2026, month: 11, day: 22)) {
        self.athletes = athletes
        self.weeks = weeks
        self.seed = seed
        self.endDate = endDate
    }

    /// The history of athlete `index` (1-based).
    func history(_ index: Int) -> AthleteHistory {
        let last = CivilDay(year: endDate.year!, month: endDate.month!, day: endDate.day!)
        return AthleteHistory(profile: AthleteProfile(seed: seed, index: index), seed: seed,
                              first: last.adding(-(weeks * 7 - 1)), last: last)
    }

    /// Writes every athlete into `directory` with up to `jobs` athletes at a time, then the manifest.
    public func write(to directory: URL, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> Summary {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let totals = Mutex<(workouts: Int, setRows: Int, bytes: Int, failure: String?)>((0, 0, 0, nil))
        let next = Atomic<Int>(1)
        let workers = max(1, min(jobs, athletes))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i <= athletes, totals.withLock({ $0.failure == nil }) else { return }
                let h = history(i)
                do {
                    let w = try h.write(to: directory.appendingPathComponent(h.profile.id))
                    totals.withLock { $0.workouts += w.workouts; $0.setRows += w.setRows; $0.bytes += w.bytes }
                } catch {
                    totals.withLock { if $0.failure == nil { $0.failure = "\(h.profile.id): \(error)" } }
                }
            }
        }
        let done = totals.withLock { $0 }
        if let failure = done.failure { throw LoadError.configuration("sample: \(failure)") }
        let manifest = try SampleFileWriter(directory.appendingPathComponent(Self.manifestName))
        try manifest.line(Self.manifestHeader)
        for i in stride(from: 1, through: athletes, by: 1) { try manifest.line(manifestRow(history(i))) }
        try manifest.finish(finalNewline: true)
        return Summary(manifest: manifest.url, athletes: athletes, workouts: done.workouts, setRows: done.setRows,
                       bytes: done.bytes + manifest.bytes)
    }

    /// The manifest row of one athlete (paths relative to the output directory).
    func manifestRow(_ h: AthleteHistory) -> String {
        let p = h.profile
        func path(_ name: String?) -> String { name.map { p.id + "/" + $0 } ?? "" }
        return [p.id, p.timezone, p.split, String(p.sessionsPerWeek), p.imperial ? "imperial" : "metric",
                path(AthleteHistory.hevyName), path(h.nutritionName), p.nutritionApp.rawValue, path(h.bodyWeightName),
                SampleText.isoDate(h.first), String(p.kcalTarget), String(p.proteinTargetG)].joined(separator: ",")
    }
}
