import Foundation
import Testing
@testable import ModelRunner

/// `distributed_by:` (Citus) — parsed, turned into Citus calls, and inert on plain PostgreSQL.
@Suite struct DistributionTests {
    @Test func configValuesMapToReferenceOrHashDistribution() {
        var c = NodeConfig()
        #expect(Distribution(config: c) == nil)
        c.apply([("+distributed_by", .string("athlete_id"))])
        #expect(Distribution(config: c) == .hash(column: "athlete_id"))
        c.apply([("distributed_by", .string("Reference"))])
        #expect(Distribution(config: c) == .reference)
        c.apply([("distributed_by", .string("  "))])
        #expect(Distribution(config: c) == nil)
    }

    @Test func statementsQuoteTheRelationAndColumnAsLiterals() {
        let rel = Relation(schema: "marts", name: "fct_sets")
        #expect(Distribution.hash(column: "athlete_id").statements(rel) == [
            #"SELECT create_distributed_table('"marts"."fct_sets"', 'athlete_id')"#,
            #"SELECT truncate_local_data_after_distributing_table('"marts"."fct_sets"')"#,
        ])
        #expect(Distribution.reference.statements(Relation(schema: "seeds", name: "it's"))[0]
                == #"SELECT create_reference_table('"seeds"."it''s"')"#)
    }

    /// On plain PostgreSQL the key changes nothing: create_distributed_table does not exist there, so a runner that
    /// sent it would fail the build (42883); tables, seeds, indexes and grants come out as without the key.
    @Test func plainPostgresBuildIgnoresDistributedBy() throws {
        let fx = try Fixture("distby", files: [
            "dbt_project.yml": """
            name: fx
            models:
              fx:
                +materialized: table
                +distributed_by: athlete_id
                dim:
                  +distributed_by: reference
            seeds:
              fx:
                +distributed_by: reference
            """,
            "models/fct.sql": "{{ config(indexes=[{'columns': ['athlete_id']}]) }}select a as athlete_id, k from {{ ref('lookup') }} cross join generate_series(1, 3) a",
            "models/dim.sql": "select distinct k from {{ ref('lookup') }}",
            "seeds/lookup.csv": "k\nx\ny\n",
        ])
        let out = fx.run(.build)
        #expect(out.exitCode == 0, "\(fx.output)\n\(fx.errorOutput)")
        #expect(try fx.scalar("SELECT count(*) FROM public.fct") == "6")
        #expect(try fx.scalar("SELECT count(*) FROM public.dim") == "2")
        #expect(try fx.scalar("SELECT indexname FROM pg_indexes WHERE tablename = 'fct'") == "fct_athlete_id_idx")
        #expect(!fx.errorOutput.contains("distributed_by"), "\(fx.errorOutput)")
        // A rebuild (the replace path) is just as plain.
        #expect(fx.run(.build).exitCode == 0, "\(fx.output)")
        #expect(try fx.scalar("SELECT count(*) FROM public.fct") == "6")
    }
}
