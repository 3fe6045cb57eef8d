import Testing
@testable import Pipeline

/// What the pipeline's test step reads and how its sessions run (BuildStep.testScope; docs/scaling.md "The daily
/// pipeline tests the rows it rebuilt"). That the vars and settings reach the runner's sessions: WhereSubqueryTests and
/// SessionSettingsTests.
@Suite("pipeline: the test step's scope")
struct TestScopeTests {
    @Test("a daily incremental build's tests read the rebuilt rows without JIT and leave the audits; a full build's, a full refresh's and every weekly run's read every row with the server's settings")
    func scopeByPlan() {
        let incremental = BuildStep.testScope(BuildStep.Plan(), kind: .daily)
        #expect(incremental.vars == #"{"test_changed_rows_only": true}"#)
        #expect(incremental.sessionSettings == ["jit": "off"])
        #expect(incremental.exclude == ["tag:whole_history"])
        var full = BuildStep.Plan()
        full.full = true
        var refresh = BuildStep.Plan()
        refresh.fullRefresh = true
        let scopes = [BuildStep.testScope(full, kind: .daily), BuildStep.testScope(refresh, kind: .daily),
                      BuildStep.testScope(BuildStep.Plan(), kind: .weekly)]
        for scope in scopes {
            #expect(scope.vars == nil && scope.sessionSettings.isEmpty && scope.exclude.isEmpty && scope.note == "every row")
        }
    }
}
