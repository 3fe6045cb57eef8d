import Foundation
import Testing
@testable import ModelRunner

/// `RunnerOptions.sessionSettings` (the pipeline's incremental tests run with `jit = off`) reach every session of a run.
@Suite("runner: session settings")
struct SessionSettingsTests {
    @Test("each thread's session has the settings, for models and tests; without them the server's defaults apply")
    func everySessionHasTheSettings() throws {
        var files = ["models/m.sql": "{{ config(materialized='table') }}\nselect current_setting('work_mem') as work_mem, current_setting('jit') as jit"]
        for i in 1...4 {
            files["tests/settings_\(i).sql"] = "select 1 where current_setting('work_mem') <> '7MB' or current_setting('jit') <> 'off'"
        }
        let fx = try Fixture("session-settings", files: files)
        let set: (inout RunnerOptions) -> Void = { $0.threads = 2; $0.sessionSettings = ["jit": "off", "work_mem": "7MB"] }
        let out = fx.run(.build, set)
        #expect(out.exitCode == 0, "\(fx.output)\(fx.errorOutput)")
        #expect(out.results.filter { $0.uniqueId.hasPrefix("test.") && $0.status == "pass" }.count == 4)
        #expect(try fx.scalar("SELECT work_mem || ' ' || jit FROM public.m") == "7MB off")
        // the settings are the run's own: another run without them reads the server's
        let plain = fx.run(.test) { $0.threads = 2 }
        #expect(plain.results.filter { $0.uniqueId.hasPrefix("test.") && $0.status == "fail" }.count == 4)
    }

    @Test("a setting PostgreSQL refuses stops the run before any node, naming it")
    func refusedSetting() throws {
        let fx = try Fixture("session-settings-bad", files: ["models/m.sql": "select 1 as x"])
        let out = fx.run(.build) { $0.sessionSettings = ["no_such_setting": "1"] }
        #expect(out.exitCode != 0)
        #expect(out.results.isEmpty)
        #expect(fx.errorOutput.contains("no_such_setting"), "\(fx.errorOutput)")
    }
}
