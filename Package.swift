// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "fitness-data-platform",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "fitdata", targets: ["fitdata"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // The exclusivity flag below applies to the modules whose code the load's hot loop runs (the CSV reader's
        // scan, the validator and assembler, and the COPY encoders they inline): the runtime's exclusivity checks
        // on class state read per byte were a third of the load's CPU (perf). Debug builds keep the checks, and
        // `make test-release` runs the suite against the release build. Cost measured in BENCHMARKS.md.
        .target(name: "PostgresClient", dependencies: ["CLibPQ"]),
        // The one CSV parser (streaming RFC 4180): Hevy and nutrition loaders, the runner's seeds.
        .target(name: "CSVStream", swiftSettings: [
            .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
        ]),
        .target(name: "FitSchema", dependencies: ["PostgresClient"]),
        .target(name: "FitDomain", dependencies: ["PostgresClient"]),
        .target(name: "FitLoader", dependencies: [
            "PostgresClient", "FitDomain", "CSVStream",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: [
            .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
        ]),
        .target(name: "ModelRunner", dependencies: [
            "PostgresClient", "CSVStream", "Jinja",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], resources: [.copy("Resources/dbt_macros")]),
        .target(name: "HTTPKit"),
        .target(name: "Jinja"),
        .target(name: "AWSKit", dependencies: ["HTTPKit", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "LLMProviders", dependencies: ["HTTPKit", "AWSKit"]),
        .target(name: "Charts"),
        .systemLibrary(name: "CLibCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "Mail", dependencies: ["CLibCurl", "HTTPKit"]),
        .target(name: "Report", dependencies: ["PostgresClient", "FitDomain", "HTTPKit", "AWSKit", "LLMProviders", "Charts",
                                              .product(name: "Crypto", package: "swift-crypto")],
                resources: [.copy("Prompts")]),
        .target(name: "HevySync", dependencies: ["PostgresClient", "FitDomain", "HTTPKit"]),
        .target(name: "Pipeline", dependencies: [
            "PostgresClient", "FitSchema", "FitDomain", "FitLoader", "ModelRunner", "HevySync",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .executableTarget(name: "fitdata", dependencies: [
            "PostgresClient", "FitSchema", "FitLoader", "ModelRunner", "HevySync", "HTTPKit", "Pipeline", "Report", "LLMProviders", "AWSKit", "Charts", "Mail",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "TestSupport", dependencies: ["PostgresClient", "FitSchema", "HTTPKit"], path: "Tests/TestSupport"),
        .testTarget(name: "UnitTests", dependencies: ["FitDomain", "FitLoader", "CSVStream", "PostgresClient", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["FitDomain", "FitLoader", "CSVStream", "FitSchema", "PostgresClient", "TestSupport"]),
        .testTarget(name: "ModelRunnerTests", dependencies: ["ModelRunner", "FitSchema", "FitLoader", "PostgresClient", "TestSupport"]),
        .testTarget(name: "AWSKitTests", dependencies: ["AWSKit", "HTTPKit", "TestSupport"]),
        .testTarget(name: "LLMProvidersTests", dependencies: ["LLMProviders", "HTTPKit", "AWSKit", "TestSupport"],
                    exclude: ["fake_llm"]),
        .testTarget(name: "MailTests", dependencies: ["Mail", "TestSupport"], exclude: ["fake_smtp"]),
        .testTarget(name: "ChartsTests", dependencies: ["Charts"]),
        .testTarget(name: "JinjaTests", dependencies: ["Jinja", "TestSupport"], exclude: ["corpus", "jinja2_render.py"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "HTTPKit", "Charts", "LLMProviders", "AWSKit", "FitSchema", "FitLoader", "ModelRunner", "PostgresClient", "TestSupport"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "FitSchema", "FitLoader", "ModelRunner", "HevySync", "PostgresClient", "TestSupport"]),
        .testTarget(name: "HevySyncTests", dependencies: ["HevySync", "HTTPKit", "FitSchema", "FitLoader", "PostgresClient", "TestSupport"],
                    exclude: ["fake_hevy"]),
    ]
)
