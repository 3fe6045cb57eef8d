import Foundation
import ModelRunner
import Testing

/// `pre_hook` / `post_hook` of an incremental model: `is_incremental()` in a hook, run in its transaction, empty renderings skipped.
@Suite("Model hooks in incremental models")
struct IncrementalHookTests {
    static let model = """
        {{ config(materialized='incremental') }}
        select 1 as id
        {% if is_incremental() %}
        union all select max(id) + 1 from {{ this }}
        {% endif %}
        """

    static func properties(pre: String, post: String) -> String {
        """
        version: 2
        models:
          - name: m
            config:
              pre_hook: \(pre)
              post_hook: \(post)
        """
    }

    @Test func hooksRunBeforeAndAfterTheModelInItsTransaction() throws {
        let fx = try Fixture("hooks", files: [
            "models/m.sql": Self.model,
            "models/m.yml": Self.properties(
                pre: #"["create table if not exists public.hook_log (note text)", "{% if is_incremental() %}insert into public.hook_log values ('pre {{ this.name }} incremental'){% endif %}"]"#,
                post: #""insert into public.hook_log select 'post ' || count(*) from {{ this }}""#),
        ])
        let first = fx.run(.run)
        #expect(first.exitCode == 0, "\(fx.errorOutput)")
        #expect(!fx.errorOutput.contains("not supported"), "\(fx.errorOutput)")
        // first build: the is_incremental() hook renders to nothing and is skipped; the post-hook sees the new table
        #expect(try fx.scalar("SELECT string_agg(note, ',' ORDER BY note) FROM public.hook_log") == "post 1")
        let second = fx.run(.run)
        #expect(second.exitCode == 0, "\(fx.errorOutput)")
        #expect(try fx.scalar("SELECT string_agg(note, ',' ORDER BY note) FROM public.hook_log") == "post 1,post 3,pre m incremental")
        #expect(try fx.scalar("SELECT count(*) FROM public.m") == "3")
    }

    @Test func aFailingHookRollsBackTheModel() throws {
        let fx = try Fixture("hookfail", files: [
            "models/m.sql": Self.model,
            "models/m.yml": Self.properties(pre: #""select 1""#, post: #""select 1 / (select count(*) - 5 from {{ this }})""#),
        ])
        #expect(fx.run(.run).exitCode == 0, "\(fx.errorOutput)")              // 1 row: 1 / -4
        #expect(fx.run(.run).exitCode == 0, "\(fx.errorOutput)")              // 1 + 2 rows: 1 / -2
        #expect(fx.run(.run).exitCode != 0)                                   // 3 + 2 rows: division by zero in the post-hook
        #expect(try fx.scalar("SELECT count(*) FROM public.m") == "3")        // the insert rolled back with it
    }
}
