import Foundation
import Testing
@testable import ModelRunner

/// What the compile-speed caches must not change: `adapter.dispatch` answers (cached per project load) and the
/// render state of the current thread (a thread-specific slot, nested renders restore the outer one).
@Suite struct RenderCacheTests {
    func load(_ files: [String: String]) throws -> (Project, TemplateCompiler) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fitdata-cache-\(UUID().uuidString.prefix(8))")
        var all = files
        all["dbt_project.yml"] = all["dbt_project.yml"] ?? "name: fx\n"
        for (p, t) in all {
            let url = dir.appendingPathComponent(p)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(t.utf8).write(to: url)
        }
        let p = try ProjectLoader(projectDir: dir).load()
        return (p, TemplateCompiler(project: p))
    }

    @Test func dispatchAnswersBelongToTheirProjectLoad() throws {
        let model = "select {{ dbt.concat(['a', 'b']) }} as x, {{ dbt.concat(['c']) }} as y"
        // Loaded first: its override is what its dispatch finds, every time.
        let (p1, c1) = try load([
            "macros/concat.sql": "{% macro postgres__concat(fields) %}my_concat({{ fields | join(', ') }}){% endmacro %}",
            "models/m.sql": model, "models/n.sql": model,
        ])
        // Loaded second, without the override: the built-in, not the first project's cached answer.
        let (p2, c2) = try load(["models/m.sql": model])
        let overridden = "select my_concat(a, b) as x, my_concat(c) as y"
        #expect(try c1.compile(model: p1.models["m"]!, isIncremental: false) == overridden)
        #expect(try c2.compile(model: p2.models["m"]!, isIncremental: false) == "select a || b as x, c as y")
        #expect(try c1.compile(model: p1.models["n"]!, isIncremental: false) == overridden)
    }

    @Test func aFailedDispatchFailsEveryTime() throws {
        // Dispatched only when executing, so that loading (the parse pass) succeeds and each compile tries again.
        let (p, c) = try load(["models/m.sql": "select {% if execute %}{{ adapter.dispatch('no_such_macro', 'dbt')() }}{% endif %}"])
        for _ in 0..<2 {
            #expect(throws: ProjectError.self) { try c.compile(model: p.models["m"]!, isIncremental: false) }
        }
    }

    @Test func renderStateIsPerThreadAndNestedRendersRestoreIt() throws {
        let outer = RenderState(mode: .compile, file: "outer.sql")
        let inner = RenderState(mode: .parse, file: "inner.sql")
        #expect(RenderState.current == nil)
        RenderState.with(outer) {
            #expect(RenderState.current === outer)
            RenderState.with(inner) { #expect(RenderState.current === inner) }
            #expect(RenderState.current === outer)
            // Another thread rendering meanwhile sees its own state, not this one.
            let seen = DispatchSemaphore(value: 0)
            final class Seen: @unchecked Sendable { var file: String? }
            let other = Seen()
            Thread {
                let mine = RenderState(mode: .compile, file: "other.sql")
                RenderState.with(mine) { other.file = RenderState.current?.file }
                seen.signal()
            }.start()
            seen.wait()
            #expect(other.file == "other.sql")
            #expect(RenderState.current === outer)
        }
        #expect(RenderState.current == nil)
    }
}
