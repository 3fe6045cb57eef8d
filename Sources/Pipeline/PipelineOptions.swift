import Foundation
import HevySync

/// What one `fitdata pipeline daily | weekly` run does and where.
public struct PipelineOptions: Sendable {
    /// `daily`: sync → load → build → test. `weekly`: the same, then the weekly report.
    public enum Kind: String, Sendable, CaseIterable {
        case daily, weekly
    }

    public var kind: Kind
    /// The athlete the sync and the loads write for.
    public var athleteID = "me"
    /// IANA zone for Hevy CSV local times and for an athlete the run creates (nil: the athlete's, else UTC).
    public var timezone: String?
    /// The drop folder (`--inbox`); nil: the load step is skipped.
    public var inbox: URL?
    /// The dbt-style project folder.
    public var projectDir = "dbt_style_models"
    /// Where the runner writes artifacts (default `<project-dir>/target`).
    public var targetDir: String?
    /// Independent nodes built at the same time.
    public var threads = 1
    /// Seconds to wait for another pipeline on the same database before exiting 1.
    public var lockTimeout: Double = 600
    /// libpq conninfo or URL; empty: libpq's defaults (`PG*`).
    public var conninfo = ""
    /// The Hevy sync's settings; nil skips the sync step (with ``syncSkipReason``).
    public var sync: SyncConfiguration?
    /// Why the sync step is skipped when ``sync`` is nil.
    public var syncSkipReason = "HEVY_API_KEY is not set"

    public init(kind: Kind) {
        self.kind = kind
    }
}
