import Crypto
import Foundation
import PostgresClient
import Yams

/// A loaded dbt-style project: models, sources, seeds and tests with merged configuration.
public final class Project: @unchecked Sendable {
    public let root: URL
    public let name: String
    public let modelPaths: [String]
    public let seedPaths: [String]
    public let testPaths: [String]
    public let snapshotPaths: [String]
    /// `vars` from dbt_project.yml with `--vars` applied over them.
    public let vars: ConfigValue
    public let targetSchema: String
    public internal(set) var models: [String: Model] = [:]
    public internal(set) var sources: [String: SourceTable] = [:]
    public internal(set) var seeds: [String: Seed] = [:]
    public internal(set) var snapshots: [String: Snapshot] = [:]
    /// `on-run-start` / `on-run-end` of dbt_project.yml, in order.
    public internal(set) var onRunStart: [RunHook] = []
    public internal(set) var onRunEnd: [RunHook] = []
    public internal(set) var dataTests: [DataTest] = []
    public internal(set) var unitTests: [UnitTest] = []
    /// Analyses, compiled by `fitdata compile` only.
    public internal(set) var analyses: [Analysis] = []
    /// Models and seeds with `enabled: false` (a ref to one is an error that says so).
    public internal(set) var disabled: Set<String> = []
    /// Names of models, seeds and snapshots whose file failed to load: a ref to one is not reported again.
    var lostNames: Set<String> = []
    /// True when a properties `.yml` failed to load: the sources it may declare are unknown, not missing.
    var lostProperties = false
    /// Installed packages' project-relative folders by package name (`local_pkg` → `dbt_packages/local_pkg`).
    var packageFolders: [String: String] = [:]
    public let warnings: WarningLog
    /// The project's Jinja: dbt's context and every macro; renders hooks and other templates with a node's context.
    public let jinja: DbtJinja

    init(root: URL, name: String, modelPaths: [String], seedPaths: [String], testPaths: [String], snapshotPaths: [String],
         vars: ConfigValue, targetSchema: String, warnings: WarningLog, jinja: DbtJinja) {
        self.jinja = jinja
        self.root = root
        self.name = name
        self.modelPaths = modelPaths
        self.seedPaths = seedPaths
        self.testPaths = testPaths
        self.snapshotPaths = snapshotPaths
        self.vars = vars
        self.targetSchema = targetSchema
        self.warnings = warnings
    }

    /// A project-relative path as dbt records it in the manifest: relative to its package's folder for package files.
    func localPath(_ path: String) -> String { packagePath(path).local }

    /// The package a project-relative path lies in (nil: the root project) and the path relative to that package.
    func packagePath(_ path: String) -> (package: String?, local: String) {
        for (name, folder) in packageFolders where path.hasPrefix(folder + "/") { return (name, String(path.dropFirst(folder.count + 1))) }
        return (nil, path)
    }

    /// Model, seed and snapshot names, for "did you mean" suggestions.
    var refNames: [String] { Array(models.keys) + Array(seeds.keys) + Array(snapshots.keys) }
}

/// Hex SHA-256 of a file's bytes (the checksum dbt stores in its manifest).
func sha256Hex(_ data: Data) -> String { Hex.lowercase(SHA256.hash(data: data)) }

func sha256Hex(_ text: String) -> String { sha256Hex(Data(text.utf8)) }

/// Reads `dbt_project.yml`, the models, properties `.yml` files, seeds and singular tests.
public struct ProjectLoader {
    /// Config keys dbt knows for models, seeds and tests (with or without `+`).
    static let knownConfigKeys: Set<String> = [
        "materialized", "schema", "alias", "tags", "unique_key", "indexes", "grants", "persist_docs", "enabled",
        "incremental_strategy", "on_schema_change", "meta", "docs", "full_refresh", "database", "pre-hook", "post-hook",
        "pre_hook", "post_hook", "contract", "sql_header", "group", "access", "column_types", "quote_columns", "delimiter",
        "severity", "where", "warn_if", "error_if", "limit", "store_failures", "store_failures_as", "fail_calc",
        "on_configuration_change", "transient", "unlogged", "event_time", "batch_size", "lookback", "begin", "concurrent_batches",
        "distributed_by",   // ours: Citus distribution (Execution/Distribution.swift); dbt keeps it as a custom config
    ]
    /// Known keys we accept but do not act on; a warning says so when they are set.
    static let ignoredConfigKeys: Set<String> = [
        "contract", "sql_header", "database", "store_failures",
        "store_failures_as", "on_configuration_change", "transient", "unlogged", "event_time", "batch_size",
        "lookback", "begin", "concurrent_batches", "limit",
    ]

    public let root: URL
    public let cliVars: ConfigValue
    public let targetSchema: String
    public let warnings: WarningLog
    /// `target` in templates (its schema is `targetSchema`).
    public let target: TargetInfo
    /// `flags.FULL_REFRESH` and `flags.WHICH` in templates.
    public var fullRefresh = false
    public var which = "run"
    /// Where `log()` / `print()` output of templates goes.
    public var log: @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    /// Opens a database connection when `fitdata compile` renders a template that introspects or runs a query.
    public var connect: (@Sendable () throws -> Connection)?

    public init(projectDir: URL, vars: ConfigValue = .dict([]), targetSchema: String = "public", warnings: WarningLog = WarningLog(),
                target: TargetInfo? = nil) {
        self.root = projectDir.standardizedFileURL
        self.cliVars = vars
        self.targetSchema = targetSchema
        self.warnings = warnings
        var t = target ?? TargetInfo()
        t.schema = targetSchema
        self.target = t
    }

    /// Loads the project; throws ``ProjectError`` with file and line for anything malformed (every error at once).
    public func load() throws -> Project {
        let (project, errors) = try loadCollectingErrors()
        if !errors.isEmpty { throw ProjectError.combined(errors) }
        return project
    }

    /// Loads the project as far as it can: the errors of every file and node come back with it instead of stopping
    /// at the first, so that the graph's errors can be reported with them. Throws only when there is no project to read.
    public func loadCollectingErrors() throws -> (Project, [ProjectError]) {
        let projectFile = root.appendingPathComponent("dbt_project.yml")
        guard let text = try? String(contentsOf: projectFile, encoding: .utf8) else {
            throw ProjectError("no dbt_project.yml in \(root.path) (use --project-dir)")
        }
        let doc = try composeYAML(text, file: "dbt_project.yml")
        guard case .dict(let top) = doc else { throw ProjectError("dbt_project.yml must be a mapping", at: SourceLocation(file: "dbt_project.yml", line: 1)) }
        guard let name = doc["name"]?.stringValue, !name.isEmpty else {
            throw ProjectError("dbt_project.yml has no `name`", at: SourceLocation(file: "dbt_project.yml", line: 1))
        }
        // Declared packages must be installed (fitdata deps) before the project can be read.
        let installed = try InstalledPackages.check(projectRoot: root)
        let knownTop: Set<String> = [
            "name", "version", "profile", "config-version", "model-paths", "seed-paths", "test-paths", "macro-paths",
            "analysis-paths", "snapshot-paths", "docs-paths", "asset-paths", "target-path", "clean-targets", "log-path",
            "packages-install-path", "require-dbt-version", "vars", "models", "seeds", "tests", "data_tests", "sources",
            "quoting", "dispatch", "query-comment", "flags", "snapshots", "unit_tests", "metrics", "semantic-models",
            "saved-queries", "exposures", "restrict-access", "on-run-start", "on-run-end", "source-paths", "data-paths",
        ]
        for (k, _) in top where !knownTop.contains(k) {
            warnings.warn("unknown key `\(k)` ignored", at: SourceLocation(file: "dbt_project.yml", line: 1))
        }
        func paths(_ key: String, _ fallback: String) -> [String] {
            let l = doc[key]?.stringList ?? []
            return l.isEmpty ? [fallback] : l
        }
        // vars: global keys, plus keys scoped under the project name.
        var vars = ConfigValue.dict([])
        if case .dict(let pairs)? = doc["vars"] {
            for (k, v) in pairs {
                if k == name, case .dict = v { vars = vars.merged(with: v) } else { vars = vars.merged(with: .dict([(k, v)])) }
            }
        }
        vars = vars.merged(with: cliVars)
        var errors: [ProjectError] = []
        let packages = PackageProject.read(installed, root: root, errors: &errors)
        var target = self.target
        target.profileName = doc["profile"]?.stringValue ?? name
        let jinja = DbtJinja(root: root, projectName: name, macroPaths: paths("macro-paths", "macros"), packages: packages, dispatch: doc["dispatch"],
                             vars: vars, target: target, fullRefresh: fullRefresh, which: which, log: log, errors: &errors)
        jinja.connect = connect
        // Jinja in dbt_project.yml values, rendered as dbt renders them (hooks are rendered when they run).
        let projectYML = SourceLocation(file: "dbt_project.yml", line: 1)
        let hookKeys: Set<String> = ["pre-hook", "post-hook", "+pre-hook", "+post-hook", "pre_hook", "post_hook", "+pre_hook", "+post_hook"]
        vars = try jinja.renderYAMLValue(vars, at: projectYML)
        jinja.vars = vars
        for package in packages {
            jinja.packageVars[package.name] = try jinja.renderYAMLValue(Self.packageVars(package, rootVars: doc["vars"], cliVars: cliVars),
                                                                        at: SourceLocation(file: package.projectFile, line: 1))
        }
        try jinja.loadDocs(root: root, dirs: paths("model-paths", "models") + (doc["docs-paths"]?.stringList ?? []))
        let project = Project(root: root, name: name, modelPaths: paths("model-paths", "models"),
                              seedPaths: paths("seed-paths", "seeds"), testPaths: paths("test-paths", "tests"),
                              snapshotPaths: paths("snapshot-paths", "snapshots"),
                              vars: vars, targetSchema: targetSchema, warnings: warnings, jinja: jinja)
        jinja.project = project
        Hook.installContext(into: jinja)
        project.onRunStart = try RunHook.read(doc["on-run-start"], kind: .start, at: Self.topKeyLocation(text, "on-run-start"))
        project.onRunEnd = try RunHook.read(doc["on-run-end"], kind: .end, at: Self.topKeyLocation(text, "on-run-end"))
        func tree(_ key: String) throws -> ConfigValue {
            try jinja.renderYAMLValue(doc[key] ?? .dict([]), at: projectYML, skipKeys: hookKeys)
        }
        var trees = FolderConfigTrees(models: try tree("models"), seeds: try tree("seeds"),
                                      tests: try tree("data_tests").merged(with: try tree("tests")),
                                      snapshots: try tree("snapshots"))

        // Models and properties files.
        var ymlFiles: [String] = []
        /// Loads the files ending in `suffix` under each of `dirs`, collecting the properties files beside them.
        func scan(_ dirs: [String], _ suffix: String, _ load: (String, String) throws -> Void) rethrows {
            for dir in dirs {
                for rel in listFiles(under: dir) {
                    if rel.hasSuffix(suffix) {
                        try load(rel, dir)
                    } else if rel.hasSuffix(".yml") || rel.hasSuffix(".yaml") {
                        ymlFiles.append(rel)
                    }
                }
            }
        }
        /// Records the error of a file that failed to load; refs to the node it would have defined are not reported again.
        func lost(_ error: Error, _ rel: String) {
            errors.append(asProjectError(error, rel))
            project.lostNames.insert(((rel as NSString).lastPathComponent as NSString).deletingPathExtension)
        }
        scan(project.modelPaths, ".sql") { rel, dir in
            do { try loadModel(rel, modelDir: dir, project: project, trees: &trees) } catch { lost(error, rel) }
        }
        scan(project.seedPaths, ".csv") { rel, dir in
            do { try loadSeed(rel, seedDir: dir, project: project, trees: &trees) } catch { lost(error, rel) }
        }
        scan(project.snapshotPaths, ".sql") { rel, dir in
            do { try loadSnapshotFile(rel, snapshotDir: dir, project: project) } catch { lost(error, rel) }
        }
        // Each package's models, seeds and properties, as dbt loads a dependency (docs/runner.md "Packages").
        var packageOfFile: [String: String] = [:]
        var packageScopes: [PackageScope] = []
        for package in packages {
            project.packageFolders[package.name] = package.folder
            let scope: PackageScope
            do { scope = try packageScope(package, jinja: jinja, hookKeys: hookKeys) } catch { errors.append(asProjectError(error, package.projectFile)); continue }
            packageScopes.append(scope)
            let before = ymlFiles.count
            scan(package.modelPaths.map(package.path), ".sql") { rel, dir in
                do { try loadModel(rel, modelDir: dir, project: project, trees: &trees, package: scope) } catch { lost(error, rel) }
            }
            scan(package.seedPaths.map(package.path), ".csv") { rel, dir in
                do { try loadSeed(rel, seedDir: dir, project: project, trees: &trees, package: scope) } catch { lost(error, rel) }
            }
            scan(package.snapshotPaths.map(package.path), ".sql") { rel, dir in
                do { try loadSnapshotFile(rel, snapshotDir: dir, project: project, package: package.name) } catch { lost(error, rel) }
            }
            for rel in ymlFiles[before...] { packageOfFile[rel] = package.name }
        }
        var properties = PropertiesReader(project: project, warnings: warnings)
        for rel in ymlFiles {
            properties.package = packageOfFile[rel]
            do { try properties.read(rel) } catch { errors.append(asProjectError(error, rel)); project.lostProperties = true }
        }
        // Singular tests.
        for dir in project.testPaths {
            for rel in listFiles(under: dir) where rel.hasSuffix(".sql") {
                do { try loadSingularTest(rel, project: project, trees: &trees) } catch { errors.append(asProjectError(error, rel)) }
            }
        }
        // Analyses: parsed like models, compiled by `compile` only.
        for dir in paths("analysis-paths", "analyses") {
            for rel in listFiles(under: dir) where rel.hasSuffix(".sql") {
                do { try loadAnalysis(rel, project: project) } catch { errors.append(asProjectError(error, rel)) }
            }
        }
        for scope in packageScopes {
            for dir in scope.project.testPaths.map(scope.project.path) {
                for rel in listFiles(under: dir) where rel.hasSuffix(".sql") {
                    do { try loadSingularTest(rel, project: project, trees: &trees, package: scope) } catch { errors.append(asProjectError(error, rel)) }
                }
            }
            for dir in scope.project.analysisPaths.map(scope.project.path) {
                for rel in listFiles(under: dir) where rel.hasSuffix(".sql") {
                    do { try loadAnalysis(rel, project: project, package: scope.name) } catch { errors.append(asProjectError(error, rel)) }
                }
            }
        }
        // Resolve relations now that configs are final (errors collected, as above).
        let naming = RelationNaming(jinja: jinja, targetSchema: targetSchema)
        var finalModels: [String: Model] = [:]
        finalModels.reserveCapacity(project.models.count)
        for (n, var m) in project.models.sorted(by: { $0.value.path < $1.value.path }) {
            m.config.apply(m.rootProjectConfig.filter { !NodeConfig.isHookKey($0.0) })
            if !m.config.enabled { project.disabled.insert(n); continue }
            do {
                m.relation = try naming.relation(name: m.name, resourceType: "model", uniqueId: m.uniqueId, fqn: m.fqn, path: m.path, config: m.config)
            } catch { lost(error, m.path); continue }
            if Materialization(rawValue: m.config.materialized) == nil {
                let loc = m.template.config.isEmpty ? SourceLocation(file: m.path, line: 1) : m.template.refs.first?.location
                lost(ProjectError("model \(m.name): unknown materialization '\(m.config.materialized)' (use view, table, incremental or ephemeral)",
                                  at: loc ?? SourceLocation(file: m.path, line: 1)), m.path)
                continue
            }
            if m.materialization == .incremental, m.config["incremental_strategy"].flatMap(\.stringValue).map({ !["delete+insert", "append", "merge"].contains($0) }) == true {
                warnings.warn("model \(m.name): incremental_strategy '\(m.config["incremental_strategy"]!.stringValue!)' not supported; using delete+insert")
            }
            for (k, _) in m.config.values where Self.ignoredConfigKeys.contains(k) {
                warnings.warn("model \(m.name): config `\(k)` is not supported and is ignored", at: SourceLocation(file: m.path, line: 1))
            }
            // Hooks of {{ config() }} run after those of dbt_project.yml and the .yml, like dbt.
            m.config.apply(m.template.config.filter { NodeConfig.isHookKey($0.0) })
            m.config.apply(m.rootProjectConfig.filter { NodeConfig.isHookKey($0.0) })
            do { try m.config.checkHooks(what: "model \(m.name)", at: SourceLocation(file: m.path, line: 1)) } catch { lost(error, m.path); continue }
            finalModels[n] = m
        }
        project.models = finalModels
        var finalSeeds: [String: Seed] = [:]
        for (n, var s) in project.seeds.sorted(by: { $0.value.path < $1.value.path }) {
            s.config.apply(s.rootProjectConfig)
            if !s.config.enabled { project.disabled.insert(n); continue }
            do {
                s.relation = try naming.relation(name: s.name, resourceType: "seed", uniqueId: s.uniqueId, fqn: s.fqn, path: s.path, config: s.config)
                try s.config.checkHooks(what: "seed \(s.name)", at: SourceLocation(file: s.path, line: 1))
            } catch { lost(error, s.path); continue }
            finalSeeds[n] = s
        }
        project.seeds = finalSeeds
        do { try resolveSnapshots(project, trees: &trees, packages: packageScopes) } catch { errors.append(asProjectError(error, "dbt_project.yml")) }
        // dbt_project.yml's `data_tests:` config reaches a generic test by the folders of the .yml that defines it.
        var generic = properties.tests
        for i in generic.indices {
            let rel = generic[i].location.file
            let scope = packageOfFile[rel].flatMap { name in packageScopes.first { $0.name == name } }
            generic[i].config = testConfig(file: rel, name: generic[i].name, own: generic[i].config.values, project: project,
                                           trees: &trees, package: scope)
        }
        project.dataTests.append(contentsOf: generic)
        project.unitTests = properties.unitTests
        project.dataTests = project.dataTests.filter { $0.config.enabled }
        for t in project.dataTests where t.config.severity != "error" && t.config.severity != "warn" {
            errors.append(ProjectError("test \(t.name): severity must be warn or error, not '\(t.config.severity)'", at: t.location))
        }
        for path in trees.unusedPaths() {
            warnings.warn("configuration path `\(path)` in dbt_project.yml matches no resource", at: SourceLocation(file: "dbt_project.yml", line: 1))
        }
        return (project, errors)
    }

    /// Files under `dir` (relative to the project root), recursively, sorted, as project-relative paths.
    func listFiles(under dir: String) -> [String] {
        let base = root.appendingPathComponent(dir).path
        guard let subpaths = try? FileManager.default.subpathsOfDirectory(atPath: base) else { return [] }
        return subpaths.filter { p in
            let name = (p as NSString).lastPathComponent
            guard !name.hasPrefix("."), !p.contains("/.") else { return false }
            return name.hasSuffix(".sql") || name.hasSuffix(".yml") || name.hasSuffix(".yaml") || name.hasSuffix(".csv")
        }.map { dir + "/" + $0 }.sorted()
    }

    /// A project file's bytes.
    func readFile(_ rel: String) throws -> Data {
        guard let d = FileManager.default.contents(atPath: root.path + "/" + rel) else {
            throw ProjectError("cannot read \(rel)", at: SourceLocation(file: rel, line: 1))
        }
        return d
    }

    /// Loads one model file of the root project, or of `package` (its own config trees first, the root's applied last).
    private func loadModel(_ rel: String, modelDir: String, project: Project, trees: inout FolderConfigTrees,
                           package: PackageScope? = nil) throws {
        let data = try readFile(rel)
        let raw = String(decoding: data, as: UTF8.self)
        let name = ((rel as NSString).lastPathComponent as NSString).deletingPathExtension
        if let existing = project.models[name] {
            throw Self.duplicate("model", name, existing.path, existing.package, rel, package?.name)
        }
        let inner = String(rel.dropFirst(modelDir.count + 1))
        let folders = inner.split(separator: "/").dropLast().map(String.init)
        let owner = package?.name ?? project.name
        let fqn = [owner] + folders + [name]
        var config = NodeConfig()
        config.apply([("materialized", .string("view"))])
        config.apply(package?.trees.models(for: fqn) ?? trees.models(for: fqn))
        let template = try ParsedTemplate.parse(raw, file: rel, dbt: project.jinja) { state in
            state.nodeName = name
            state.package = package?.name
            state.this = Relation(schema: targetSchema, name: name)
            state.config = config
        }
        var model = Model(name: name, uniqueId: "model.\(owner).\(name)", path: rel, relativePath: inner, fqn: fqn,
                          rawSQL: raw, checksum: sha256Hex(data), template: template)
        model.package = package?.name
        if package != nil { model.rootProjectConfig = trees.models(for: fqn) }
        model.config = config
        model.config.apply(template.config.filter { !NodeConfig.isHookKey($0.0) })
        for (k, _) in template.config where !Self.knownConfigKeys.contains(k) {
            warnings.warn("model \(name): unknown config key `\(k)` ignored", at: SourceLocation(file: rel, line: 1))
        }
        project.models[name] = model
    }

    /// Loads one seed file of the root project or of `package` (config as for models).
    private func loadSeed(_ rel: String, seedDir: String, project: Project, trees: inout FolderConfigTrees,
                          package: PackageScope? = nil) throws {
        let data = try readFile(rel)
        let name = ((rel as NSString).lastPathComponent as NSString).deletingPathExtension
        let inner = String(rel.dropFirst(seedDir.count + 1))
        let owner = package?.name ?? project.name
        let fqn = [owner] + inner.split(separator: "/").dropLast().map(String.init) + [name]
        var seed = Seed(name: name, uniqueId: "seed.\(owner).\(name)", path: rel, fqn: fqn, checksum: sha256Hex(data))
        seed.package = package?.name
        seed.config.apply([("materialized", .string("seed"))])
        seed.config.apply(package?.trees.seeds(for: fqn) ?? trees.seeds(for: fqn))
        if package != nil { seed.rootProjectConfig = trees.seeds(for: fqn) }
        if let m = project.models[name] {
            throw ProjectError("seed '\(name)' has the same name as model \(m.path)", at: SourceLocation(file: rel, line: 1))
        }
        if let existing = project.seeds[name] {
            throw Self.duplicate("seed", name, existing.path, existing.package, rel, package?.name)
        }
        project.seeds[name] = seed
    }

    /// Two nodes of one kind with one name. In one project (or package) dbt fails the same way; across the root project
    /// and a package dbt accepts them only when their relations differ, which fitdata does not support (names are unique).
    static func duplicate(_ kind: String, _ name: String, _ firstPath: String, _ firstPackage: String?, _ rel: String,
                          _ package: String?) -> ProjectError {
        if firstPackage == package {
            return ProjectError("two \(kind)s named '\(name)': \(firstPath) and \(rel)", at: SourceLocation(file: rel, line: 1))
        }
        return ProjectError("two \(kind)s named '\(name)': \(firstPath) and \(rel) (another package); dbt builds both only when their "
                            + "relations differ, fitdata needs \(kind) names unique across the project and its packages",
                            at: SourceLocation(file: rel, line: 1))
    }

    /// Loads one singular test of the root project or of `package` (the root's `data_tests:` config applied last).
    private func loadSingularTest(_ rel: String, project: Project, trees: inout FolderConfigTrees, package: PackageScope? = nil) throws {
        let data = try readFile(rel)
        let raw = String(decoding: data, as: UTF8.self)
        let name = ((rel as NSString).lastPathComponent as NSString).deletingPathExtension
        let template = try ParsedTemplate.parse(raw, file: rel, dbt: project.jinja) { state in
            state.nodeName = name
            state.resourceType = "test"
            state.package = package?.name
        }
        let owner = package?.name ?? project.name
        var test = DataTest(name: name, uniqueId: "test.\(owner).\(name)", body: .singular(template: template),
                            location: SourceLocation(file: rel, line: 1), attachedTo: nil, fileChecksum: sha256Hex(data))
        test.config = testConfig(file: rel, name: name, own: template.config, project: project, trees: &trees, package: package)
        project.dataTests.append(test)
    }

    /// A data test's config: dbt_project.yml's `data_tests:` config for its fqn ([project or package, the folders of
    /// the file that defines it under its resource path, test name], as dbt-core's), then the test's own config over it;
    /// for a package's test, the package's project config, its own, then the root project's over everything.
    private func testConfig(file rel: String, name: String, own: [(String, ConfigValue)], project: Project,
                            trees: inout FolderConfigTrees, package: PackageScope?) -> NodeConfig {
        let folders = project.localPath(rel).split(separator: "/").dropFirst().dropLast().map(String.init)
        let fqn = [package?.name ?? project.name] + folders + [name]
        var config = NodeConfig()
        config.apply(package?.trees.tests(for: fqn) ?? trees.tests(for: fqn))
        config.apply(own)
        if package != nil { config.apply(trees.tests(for: fqn)) }
        return config
    }

    /// Loads one analysis of the root project or of `package`: parsed like a model, compiled by `compile` only.
    private func loadAnalysis(_ rel: String, project: Project, package: String? = nil) throws {
        let name = ((rel as NSString).lastPathComponent as NSString).deletingPathExtension
        let raw = String(decoding: try readFile(rel), as: UTF8.self)
        let template = try ParsedTemplate.parse(raw, file: rel, dbt: project.jinja) { state in
            state.nodeName = name
            state.resourceType = "analysis"
            state.package = package
        }
        project.analyses.append(Analysis(name: name, path: rel, template: template, package: package))
    }
}

/// Any error of loading `file` as a project error.
func asProjectError(_ error: Error, _ file: String) -> ProjectError {
    (error as? ProjectError) ?? ProjectError("\(error)", at: SourceLocation(file: file, line: 1))
}

/// Parses YAML into a ``ConfigValue``, mapping syntax errors to file:line.
func composeYAML(_ text: String, file: String) throws -> ConfigValue {
    do {
        guard let node = try Yams.compose(yaml: text, .basic) else { return .dict([]) }
        return ConfigValue(yaml: node)
    } catch let e as YamlError {
        throw yamlProjectError(e, file: file)
    }
}

func yamlProjectError(_ e: YamlError, file: String) -> ProjectError {
    switch e {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
        return ProjectError("invalid YAML: \(problem)", at: SourceLocation(file: file, line: mark.line, column: mark.column))
    default:
        return ProjectError("invalid YAML: \(e)", at: SourceLocation(file: file, line: 1))
    }
}

/// The `models:`, `seeds:` and `data_tests:` trees of dbt_project.yml, resolved per resource path.
struct FolderConfigTrees {
    let modelTree: ConfigValue
    let seedTree: ConfigValue
    let testTree: ConfigValue
    private var used: Set<String> = []

    let snapshotTree: ConfigValue

    init(models: ConfigValue, seeds: ConfigValue, tests: ConfigValue, snapshots: ConfigValue = .dict([])) {
        modelTree = models
        seedTree = seeds
        testTree = tests
        snapshotTree = snapshots
    }

    mutating func models(for fqn: [String]) -> [(String, ConfigValue)] { collect(modelTree, fqn, "models") }
    mutating func seeds(for fqn: [String]) -> [(String, ConfigValue)] { collect(seedTree, fqn, "seeds") }
    mutating func tests(for fqn: [String]) -> [(String, ConfigValue)] { collect(testTree, fqn, "data_tests") }
    mutating func snapshots(for fqn: [String]) -> [(String, ConfigValue)] { collect(snapshotTree, fqn, "snapshots") }

    static func isConfigKey(_ k: String) -> Bool {
        k.hasPrefix("+") || ProjectLoader.knownConfigKeys.contains(k) || SnapshotConfig.knownKeys.contains(k)
    }

    /// Configs along `path` from the root: outer folders first, inner ones override them.
    private mutating func collect(_ tree: ConfigValue, _ path: [String], _ label: String) -> [(String, ConfigValue)] {
        guard case .dict(let pairs) = tree else { return [] }
        var out = pairs.filter { Self.isConfigKey($0.0) }
        used.insert(label)
        if let head = path.first, let sub = tree[head], case .dict = sub, !Self.isConfigKey(head) {
            out += collect(sub, Array(path.dropFirst()), label + "." + head)
        }
        return out
    }

    /// Folder paths configured in dbt_project.yml that matched no resource.
    func unusedPaths() -> [String] {
        var out: [String] = []
        func walk(_ tree: ConfigValue, _ label: String) {
            guard case .dict(let pairs) = tree else { return }
            for (k, v) in pairs where !Self.isConfigKey(k) {
                guard case .dict = v else { continue }
                let p = label + "." + k
                if !used.contains(p) { out.append(p) } else { walk(v, p) }
            }
        }
        if used.contains("models") { walk(modelTree, "models") }
        if used.contains("seeds") { walk(seedTree, "seeds") }
        if used.contains("data_tests") { walk(testTree, "data_tests") }
        if used.contains("snapshots") { walk(snapshotTree, "snapshots") }
        return out
    }
}
