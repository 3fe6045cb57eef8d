import Testing
@testable import Pipeline

/// What the pipeline's test step reads and how its sessions run (BuildStep.testScope; docs/scaling.md "The daily
/// pipeline tests the rows it rebuilt"). That the vars and settings reach the runner's sessions: WhereSubqueryTests and
/// SessionSettingsTests.
@Suite("pipeline: the test step's scope")
struct TestScopeTests {
    @Test("an incremental build's tests read the rebuilt rows without JIT; a full build's or a full refresh's read every row with the server's settings")
    func scopeByPlan() {
        let incremental = BuildStep.testScope(BuildStep.Plan())
        #expect(incremental.vars == #"{"test_changed_rows_only": true}"#)
        #expect(incremental.sessionSettings == ["jit": "off"])
        var full = BuildStep.Plan()
        full.full = true
        var refresh = BuildStep.Plan()
        refresh.fullRefresh = true
        for plan in [full, refresh] {
            let scope = BuildStep.testScope(plan)
            #expect(scope.vars == nil && scope.sessionSettings.isEmpty && scope.note == "every row")
        }
    }
}
