import Foundation
import Testing
@testable import ModelRunner

@Suite struct SeedTests {
    @Test func csvTypesInferredOrDeclared() throws {
        let fx = try Fixture("seed", files: [
            "dbt_project.yml": "name: fx\nseeds:\n  fx:\n    +schema: ref_data\n",
            "seeds/targets.csv": "athlete,week,kcal,protein,on,day,note,big\nme,1,2500.5,180,true,2026-01-05,\"a, b\",3000000000\nyou,2,,150,false,2026-01-12,,1\n",
            "seeds/codes.csv": "code,label\n001,zero-one\n002,\"quoted \"\"x\"\"\"\n",
            "seeds/seeds.yml": "version: 2\nseeds:\n  - name: codes\n    description: Codes.\n    config:\n      column_types:\n        code: text\n",
        ])
        let out = fx.run(.seed)
        #expect(out.exitCode == 0, "\(fx.output)\(fx.errorOutput)")
        #expect(out.result("targets")?.rowsAffected == 2)
        let types = try fx.scalar("""
            SELECT string_agg(attname || ':' || format_type(atttypid, atttypmod), ',' ORDER BY attnum)
              FROM pg_attribute WHERE attrelid = 'public_ref_data.targets'::regclass AND attnum > 0
            """)
        #expect(types == "athlete:text,week:integer,kcal:numeric,protein:integer,on:boolean,day:date,note:text,big:bigint")
        #expect(try fx.scalar("SELECT kcal IS NULL FROM public_ref_data.targets WHERE athlete = 'you'") == "t")
        #expect(try fx.scalar("SELECT note FROM public_ref_data.targets WHERE athlete = 'me'") == "a, b")
        #expect(try fx.scalar("SELECT string_agg(code, ',' ORDER BY code) FROM public_ref_data.codes") == "001,002")
        #expect(try fx.scalar("SELECT label FROM public_ref_data.codes WHERE code = '002'") == "quoted \"x\"")
        // Reseeding replaces the content atomically.
        try fx.write("seeds/codes.csv", "code,label\n003,three\n")
        #expect(fx.run(.seed, select: ["codes"]).exitCode == 0)
        #expect(try fx.scalar("SELECT string_agg(code, ',') FROM public_ref_data.codes") == "003")
    }

    @Test func badSeedRowNamesTheLine() throws {
        let fx = try Fixture("seedbad", files: ["seeds/s.csv": "a,b\n1,2\n3\n"])
        let out = fx.run(.seed)
        #expect(out.exitCode == 1)
        #expect(out.results.first?.location == "seeds/s.csv:3")
    }

    /// Seeds are read by CSVStream's reader (the project's one CSV parser): its delimiter, BOM, CRLF and
    /// quoting rules, with an empty unquoted field as NULL and `""` as the empty text.
    @Test func seedsAreReadByTheOneCSVReader() throws {
        let text = "\u{FEFF}code;label;note\r\n001;\"a;b\";\r\n002;\"say \"\"x\"\"\";\"\"\r\n"
        let table = try #require(try SeedLoader.read(Array(text.utf8), seed: "s", file: "seeds/s.csv", delimiter: UInt8(ascii: ";")))
        #expect(table.header == ["code", "label", "note"])
        #expect(table.rows == [["001", "a;b", nil], ["002", "say \"x\"", ""]])
    }

    /// Regression: the runner's own parser took an unclosed quote as text to the end of the file and loaded it.
    @Test func unclosedQuoteInASeedNamesTheLine() throws {
        let fx = try Fixture("seedquote", files: ["seeds/s.csv": "a,b\n1,2\n3,\"open\n4,5\n"])
        let out = fx.run(.seed)
        #expect(out.exitCode == 1)
        #expect(out.results.first?.location == "seeds/s.csv:3")
        #expect(out.results.first?.message.contains("a quoted field is not closed before the end of the file") == true,
                "\(out.results.first?.message ?? "")")
    }

    /// Regression: a seed that is not UTF-8 failed as a whole-file decoding error naming no line or column.
    @Test func seedNotUTF8NamesLineAndColumn() throws {
        let fx = try Fixture("seedutf8", files: ["seeds/s.csv": "a,b\n1,2\n3,x\n"])
        let path = fx.dir.appendingPathComponent("seeds/s.csv")
        try Data(Array("a,b\n1,2\n3,".utf8) + [0xFF] + Array("x\n".utf8)).write(to: path)
        let out = fx.run(.seed)
        #expect(out.exitCode == 1)
        #expect(out.results.first?.location == "seeds/s.csv:3")
        #expect(out.results.first?.message.contains("column 'b' is not valid UTF-8") == true, "\(out.results.first?.message ?? "")")
    }
}

@Suite struct DataTestTests {
    static let schemaYML = """
    version: 2
    models:
      - name: people
        columns:
          - name: id
            data_tests: [unique, not_null]
          - name: team
            tests:
              - accepted_values:
                  values: ['a', 'b']
              - relationships:
                  to: ref('teams')
                  field: code
          - name: age
            data_tests:
              - not_null:
                  config:
                    severity: warn
              - accepted_values:
                  arguments:
                    values: [30, 40]
                    quote: false
                  config:
                    where: "id < 3"
    """

    @Test func everyGenericTestKindPassing() throws {
        let fx = try Fixture("tests", files: [
            "models/people.sql": "select * from (values (1, 'a', 30), (2, 'b', 40), (3, 'a', 50)) v(id, team, age)",
            "models/teams.sql": "select * from (values ('a'), ('b')) v(code)",
            "models/schema.yml": Self.schemaYML,
            "tests/no_old_people.sql": "select * from {{ ref('people') }} where age > 100",
        ])
        let out = fx.run(.build)
        #expect(out.exitCode == 0, "\(fx.output)")
        let tests = out.results.filter { $0.uniqueId.hasPrefix("test.") }
        #expect(tests.count == 7)
        #expect(tests.allSatisfy { $0.status == "pass" })
    }

    @Test func failuresWarningsAndSkippingDownstream() throws {
        let fx = try Fixture("testsfail", files: [
            "models/people.sql": "select * from (values (1, 'a', 30), (1, 'c', null), (null, 'b', 40)) v(id, team, age)",
            "models/teams.sql": "select * from (values ('a'), ('b')) v(code)",
            "models/downstream.sql": "select * from {{ ref('people') }}",
            "models/schema.yml": Self.schemaYML,
            "tests/no_old_people.sql": "{{ config(severity='warn') }}select * from {{ ref('people') }} where age is null",
        ])
        let out = fx.run(.build)
        #expect(out.exitCode == 1)
        func status(_ prefix: String) -> String? { out.results.first { $0.uniqueId.hasPrefix("test.fx." + prefix) }?.status }
        #expect(status("unique_people_id") == "fail")
        #expect(status("not_null_people_id") == "fail")
        #expect(status("accepted_values_people_team") == "fail")
        #expect(status("relationships_people_team") == "fail")
        #expect(status("not_null_people_age") == "warn")
        #expect(status("no_old_people") == "warn")
        #expect(out.result("downstream")?.status == "skipped")
        #expect(out.results.first { $0.uniqueId.hasPrefix("test.fx.unique_people_id") }?.failures == 1)
        #expect(fx.output.contains("FAIL test unique_people_id at models/schema.yml:6"))
        #expect(fx.output.contains("Done. PASS="))
        #expect(fx.output.contains("SKIP=1"))
        // `test` alone runs only tests; a model filter keeps its tests.
        let only = fx.run(.test, select: ["teams"])
        #expect(!only.results.isEmpty)
        #expect(only.results.map(\.uniqueId).allSatisfy { $0.hasPrefix("test.fx.relationships") })
    }

    @Test func sourceTestsAndWarnIfThresholds() throws {
        let fx = try Fixture("srctests", files: [
            "models/sources.yml": """
            version: 2
            sources:
              - name: raw
                tables:
                  - name: events
                    columns:
                      - name: kind
                        data_tests:
                          - accepted_values:
                              values: [squat, bench]
                              config:
                                error_if: ">20"
                                warn_if: ">=1"
            """,
        ])
        try fx.execute(rawEventsSQL)
        let out = fx.run(.test)
        #expect(out.exitCode == 0)
        #expect(out.results.first?.status == "warn")
        #expect(out.results.first?.failures == 1)
    }

    @Test func failingSourceTestSkipsModelsReadingTheSource() throws {
        let fx = try Fixture("srcblock", files: [
            "models/sources.yml": """
            version: 2
            sources:
              - name: raw
                tables:
                  - name: events
                    columns:
                      - name: kind
                        data_tests:
                          - accepted_values:
                              values: [squat]
            """,
            "models/stg.sql": "select * from {{ source('raw', 'events') }}",
            "models/other.sql": "select 1 as x",
        ])
        try fx.execute(rawEventsSQL)
        let out = fx.run(.build)
        #expect(out.exitCode == 1)
        #expect(out.result("stg")?.status == "skipped")
        #expect(out.result("other")?.status == "success")
    }

    @Test func testsReadingASourceAndItsModelDoNotDeadlockTheBuild() throws {
        let fx = try Fixture("srcmodel", files: [
            "models/sources.yml": rawSourcesYML,
            "models/stg.sql": "select * from {{ source('raw', 'events') }}",
            "tests/reconcile.sql": "select 1 from {{ source('raw', 'events') }} e left join {{ ref('stg') }} s using (id) where s.id is null",
        ])
        try fx.execute(rawEventsSQL)
        for threads in [1, 2] {
            let out = fx.run(.build) { $0.threads = threads }
            #expect(out.exitCode == 0)
            #expect(out.results.map(\.uniqueId) == ["model.fx.stg", "test.fx.reconcile"])
        }
    }
}
