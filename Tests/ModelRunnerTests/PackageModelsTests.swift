import Foundation
import Testing
import TestSupport
@testable import ModelRunner

/// A package's own models, seeds and properties (Tests/Fixtures/package_models_project, its package installed with
/// `fitdata deps`) are loaded and built as dbt-core 1.11 does; DbtCompatTests compares the relations with dbt's.
@Suite struct PackageModelsTests {
    static let fixture = TestPaths.repoRoot.appendingPathComponent("Tests/Fixtures/package_models_project")

    /// A fixture holding a copy of the project, its package installed.
    static func project(_ name: String) throws -> Fixture {
        let fx = try Fixture(name)
        try FileManager.default.removeItem(at: fx.dir)
        try FileManager.default.copyItem(at: fixture, to: fx.dir)
        _ = try PackageInstaller(projectDir: URL(fileURLWithPath: fx.dir.path, isDirectory: true)).install()
        return fx
    }

    @Test func packageModelsSeedsAndTestsBuildWithTheRootsConfigAndVars() throws {
        let fx = try Self.project("pkgmodels")
        let out = fx.run(.build)
        #expect(out.exitCode == 0, "\(fx.output)\n\(fx.errorOutput)")
        // seed, snapshot, two package models, the root model, the tests of both properties files, the package's singular test
        #expect(out.results.filter { $0.status == "success" || $0.status == "pass" }.count == 13, "\(fx.output)")
        #expect(fx.output.contains("OK    snapshot pkg_countries_snap"), "\(fx.output)")
        #expect(try fx.scalar("SELECT count(*) FROM public.pkg_countries_snap WHERE dbt_valid_to IS NULL AND dbt_valid_from = updated_at") == "3")
        for line in ["OK    seed pkg_countries", "PASS  test accepted_values_pkg_customers_country_code__BR__DE__PT",
                     "PASS  test assert_rates_positive", "PASS  test is_positive_pkg_rates_rate",
                     "PASS  test unique_pkg_countries_country_code", "OK    table model root_report"] {
            #expect(fx.output.contains(line), "\(line)")
        }
        // pkg_rates: the root's `models: local_pkg: configured:` wins over the package's folder config, its .yml config
        // and its config() (a table, not a view), its schema named by the root's generate_schema_name override; vars
        // scoped as dbt scopes them; a package macro called unqualified.
        #expect(try fx.scalar("SELECT relkind FROM pg_class WHERE oid = to_regclass('public__pkgconf.pkg_rates')") == "r")
        #expect(try fx.scalar("SELECT relkind FROM pg_class WHERE oid = to_regclass('public.pkg_customers')") == "v")
        #expect(try fx.scalar("SELECT concat_ws(',', rate, scoped, pkg_only, from_macro) FROM public__pkgconf.pkg_rates") == "10,from_root,5,42")
        #expect(try fx.scalar("SELECT count(*) FROM public.root_report WHERE country_name = 'Brazil'") == "2")
        // seed column types from the package's own `seeds:` config
        #expect(try fx.scalar("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'public.pkg_countries'::regclass AND attname = 'country_code'") == "character varying(2)")
        // manifest: dbt's unique ids, package names and package-relative paths; compiled SQL under the package's name
        let manifest = try fx.read("target/manifest.json")
        for id in ["model.local_pkg.pkg_customers", "model.local_pkg.pkg_rates", "seed.local_pkg.pkg_countries",
                   "source.local_pkg.pkg_src.countries", "test.local_pkg.unique_pkg_customers_customer_id.", "model.pkg_models_root.root_report",
                   "test.local_pkg.assert_rates_positive", "snapshot.local_pkg.pkg_countries_snap"] {
            #expect(manifest.contains("\"\(id)"), "\(id)")
        }
        #expect(manifest.contains("\"original_file_path\": \"models/configured/pkg_rates.sql\""))
        #expect(manifest.contains("\"name\": \"pkg_rates\", \"package_name\": \"local_pkg\""))
        #expect(fx.exists("target/compiled/local_pkg/models/configured/pkg_rates.sql"))
        #expect(fx.exists("target/compiled/pkg_models_root/models/root_report.sql"))
    }

    @Test func varsFromTheCommandLineWinOverEveryProjectsVars() throws {
        let fx = try Self.project("pkgvars")
        #expect(fx.run(.compile) { $0.vars = "{pkg_only: 7, shared_rate: 3}" }.exitCode == 0, "\(fx.errorOutput)")
        let sql = try fx.read("target/compiled/local_pkg/models/configured/pkg_rates.sql")
        #expect(sql.contains("select 3 as rate, 'from_root'::text as scoped, 7 as pkg_only"), "\(sql)")
    }

    @Test func aPackageModelsHooksSeeThePackagesVarsAndMacros() throws {
        let fx = try Self.project("pkghooks")
        try fx.write("dbt_packages/local_pkg/models/hooked.sql", """
            {{ config(post_hook="comment on view {{ this }} is '{{ var('pkg_only') }} {{ var('pkg_scoped') }} {{ pkg_answer() }}'") }}
            select 1 as x
            """)
        #expect(fx.run(.run, select: ["hooked"]).exitCode == 0, "\(fx.errorOutput)")
        #expect(try fx.scalar("SELECT obj_description('public.hooked'::regclass)") == "5 from_root 42")
    }

    @Test func aPackagesOwnMacroComesBeforeTheRootProjectsOfTheSameName() throws {
        let fx = try Self.project("pkgmacroorder")
        try fx.write("macros/pkg_answer.sql", "{% macro pkg_answer() %}7{% endmacro %}")
        try fx.write("models/root_answer.sql", "select {{ pkg_answer() }} as a")
        #expect(fx.run(.compile).exitCode == 0, "\(fx.errorOutput)")
        #expect(try fx.read("target/compiled/local_pkg/models/configured/pkg_rates.sql").contains("42 as from_macro"))
        #expect(try fx.read("target/compiled/pkg_models_root/models/root_answer.sql") == "select 7 as a\n")
    }

    @Test func aRefToTheWrongPackageOrAMissingPackageModelIsAnError() throws {
        let fx = try Self.project("pkgbadref")
        try fx.write("models/bad_pkg.sql", "select * from {{ ref('pkg_models_root', 'pkg_customers') }}")
        try fx.write("models/bad_name.sql", "select * from {{ ref('local_pkg', 'pkg_customer') }}")
        #expect(fx.run(.compile).exitCode == 2)
        #expect(fx.errorOutput.contains("models/bad_pkg.sql:1:18: ref('pkg_models_root', 'pkg_customers') does not match any model or seed of package 'pkg_models_root'; 'pkg_customers' is in 'local_pkg'"), "\(fx.errorOutput)")
        #expect(fx.errorOutput.contains("models/bad_name.sql:1:18: ref('local_pkg', 'pkg_customer') does not match any model or seed; did you mean 'pkg_customers'?"))
    }

    @Test func aModelNameInBothTheRootAndAPackageIsAnError() throws {
        let fx = try Self.project("pkgdup")
        try fx.write("models/pkg_customers.sql", "select 1 as customer_id")
        #expect(fx.run(.ls).exitCode == 2)
        #expect(fx.errorOutput.contains("dbt_packages/local_pkg/models/pkg_customers.sql:1: two models named 'pkg_customers': models/pkg_customers.sql and dbt_packages/local_pkg/models/pkg_customers.sql (another package)"), "\(fx.errorOutput)")
    }

    @Test func packageAnalysesCompileAndAFailingPackageSingularTestFailsTheBuild() throws {
        let fx = try Self.project("pkganalysis")
        try fx.write("dbt_packages/local_pkg/analyses/pkg_summary.sql", "select count(*) from {{ ref('pkg_customers') }} -- {{ var('pkg_only') }}")
        #expect(fx.run(.compile).exitCode == 0, "\(fx.errorOutput)")
        #expect(try fx.read("target/compiled/local_pkg/analyses/pkg_summary.sql") == "select count(*) from \"\(fx.db.name)\".\"public\".\"pkg_customers\" -- 5\n")
        #expect(fx.exists("target/compiled/local_pkg/tests/assert_rates_positive.sql"))
        try fx.write("dbt_packages/local_pkg/tests/assert_rates_positive.sql", "select * from {{ ref('pkg_rates') }} where rate > 0")
        #expect(fx.run(.build).exitCode == 1)
        #expect(fx.output.contains("FAIL  test assert_rates_positive"), "\(fx.output)")
    }
}
