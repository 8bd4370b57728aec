// swift-tools-version:6.2
import PackageDescription

/// Hummingbird's strict settings, on every target, and no warnings: a warning in our code fails
/// the build (SwiftPM drops warning settings of remote packages, so a dependency may still warn).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "breakwater",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "breakwater", targets: ["breakwater"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Already there through Hummingbird; named so the server may import NIOCore and NIOHTTP1.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // Already in the graph through AsyncHTTPClient; named so the feeds can match its
        // decompression error by type (a gzip bomb past the limit).
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        // Already there through Hummingbird; named so the server and venues may import HTTPTypes.
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // The shared store for several replicas (storage.kind "postgres").
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // Everything on the wire: the strict JSON reader, the number grammar, the JSON writer,
        // RFC 3339 and Retry-After, text escaping, secrets from the environment. No dependency.
        .target(name: "BreakwaterWire"),
        // Pure risk engine: aggregation, volatility, margin, breakers. No I/O, no clock.
        .target(name: "BreakwaterEngine", dependencies: ["BreakwaterPrefetch"]),
        // One C inline function: a cache prefetch hint (Swift has none) for batched ingestion.
        .target(name: "BreakwaterPrefetch"),
        // Pure stress: position snapshots, liquidation cascades, the insurance fund, ADL, contagion.
        // No I/O, no clock.
        .target(name: "BreakwaterStress", dependencies: ["BreakwaterWire"]),
        // LAPACK's C interface (Debian liblapacke-dev): eigenvalues and Cholesky solves for the
        // cross-market view.
        .systemLibrary(name: "CLapacke", path: "Sources/CLapacke", providers: [.apt(["liblapacke-dev"])]),
        // Pure, across markets: the correlation regime (EWMA covariance, absorption ratio,
        // turbulence, betas). No I/O, no clock.
        .target(name: "BreakwaterSystemic", dependencies: ["BreakwaterEngine", "CLapacke"]),
        // config.json: Codable model, validation with JSON paths, engine parameters.
        .target(
            name: "BreakwaterConfig",
            dependencies: ["BreakwaterEngine", "BreakwaterStress", "BreakwaterSystemic", "BreakwaterWire"]
        ),
        // Venue and oracle adapters, pollers, backoff, the shared HTTP client.
        .target(
            name: "BreakwaterFeeds",
            dependencies: [
                "BreakwaterEngine", "BreakwaterConfig", "BreakwaterWire",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Local simulated venues that speak the real formats (demo and tests). Synthetic prices.
        .target(
            name: "BreakwaterVenues",
            dependencies: [
                "BreakwaterEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Replays recorded prices through the engine in simulated time.
        .target(name: "BreakwaterReplay", dependencies: ["BreakwaterEngine", "BreakwaterWire"]),
        // Storage: breaker and margin state, alerts, outbox; SQLite (GRDB) or PostgreSQL (postgres-nio).
        .target(
            name: "BreakwaterStore",
            dependencies: [
                "BreakwaterEngine", "BreakwaterWire",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Alert lifecycle, destination formats, signing, delivery.
        .target(
            name: "BreakwaterAlerts",
            dependencies: [
                "BreakwaterEngine", "BreakwaterConfig", "BreakwaterStore", "BreakwaterWire",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The Monitor actor, Hummingbird routes, metrics, status page, OpenAPI.
        .target(
            name: "BreakwaterServer",
            dependencies: [
                "BreakwaterEngine", "BreakwaterConfig", "BreakwaterFeeds", "BreakwaterStore", "BreakwaterAlerts",
                "BreakwaterWire", "BreakwaterStress", "BreakwaterSystemic",
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // NIO's blocking thread pool: the cross-market update runs there.
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "breakwater",
            dependencies: [
                "BreakwaterEngine", "BreakwaterConfig", "BreakwaterServer", "BreakwaterReplay",
                "BreakwaterVenues", "BreakwaterWire", "BreakwaterAlerts", "BreakwaterStore", "BreakwaterStress",
                "BreakwaterSystemic",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "EngineBenchmark",
            dependencies: ["BreakwaterEngine"],
            path: "Benchmarks/EngineBenchmark"
        ),
        .executableTarget(
            name: "StressBenchmark",
            dependencies: ["BreakwaterStress"],
            path: "Benchmarks/StressBenchmark"
        ),
        .executableTarget(
            name: "SystemicBenchmark",
            dependencies: ["BreakwaterSystemic"],
            path: "Benchmarks/SystemicBenchmark"
        ),
        .executableTarget(
            name: "BareHummingbird",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "Benchmarks/BareHummingbird"
        ),
        .testTarget(name: "BreakwaterWireTests", dependencies: ["BreakwaterWire"]),
        .testTarget(
            name: "BreakwaterSystemicTests",
            dependencies: ["BreakwaterSystemic", "BreakwaterTestSupport"],
            exclude: ["eigenvalues.py"]
        ),
        .testTarget(name: "BreakwaterEngineTests", dependencies: ["BreakwaterEngine"], exclude: ["Fixtures"]),
        .testTarget(
            name: "BreakwaterStressTests",
            dependencies: ["BreakwaterStress", "BreakwaterWire", "BreakwaterTestSupport"],
            // The independent Python reference the agreement test runs.
            exclude: ["Reference"]
        ),
        .testTarget(
            name: "BreakwaterConfigTests",
            dependencies: [
                "BreakwaterConfig", "BreakwaterEngine", "BreakwaterStress", "BreakwaterSystemic", "BreakwaterWire",
            ]
        ),
        // Child processes awaited without blocking the tests' shared thread pool; a recording log handler.
        .target(
            name: "BreakwaterTestSupport",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            path: "Tests/BreakwaterTestSupport"
        ),
        .testTarget(name: "BreakwaterTestSupportTests", dependencies: ["BreakwaterTestSupport"]),
        .testTarget(
            name: "BreakwaterReplayTests",
            dependencies: ["BreakwaterReplay", "BreakwaterEngine", "BreakwaterWire", "BreakwaterTestSupport"]
        ),
        .testTarget(
            name: "BreakwaterFeedsTests",
            dependencies: [
                "BreakwaterFeeds", "BreakwaterVenues", "BreakwaterConfig", "BreakwaterEngine", "BreakwaterWire",
                "BreakwaterTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            // Real venue responses beside each adapter's tests, read by path (DecodeHelpers.fixture).
            exclude: [
                "Adapters/Binance/book-ticker.json",
                "Adapters/Binance/error-invalid-symbol.json",
                "Adapters/Binance/ticker-price.json",
                "Adapters/Bitstamp/error-invalid-pair.json",
                "Adapters/Bitstamp/ticker.json",
                "Adapters/Bybit/error-symbol.json",
                "Adapters/Bybit/tickers.json",
                "Adapters/Chainlink/decimals.json",
                "Adapters/Chainlink/error-reverted.json",
                "Adapters/Chainlink/latest-round-data.json",
                "Adapters/Coinbase/error-not-found.json",
                "Adapters/Coinbase/spot-price.json",
                "Adapters/CoinbaseExchange/error-not-found.json",
                "Adapters/CoinbaseExchange/ticker.json",
                "Adapters/JSONPointer/nested.json",
                "Adapters/Kraken/error-unknown-pair.json",
                "Adapters/Kraken/ticker.json",
                "Adapters/OKX/error-instrument.json",
                "Adapters/OKX/ticker.json",
                "Adapters/Pyth/latest-price.json",
            ]
        ),
        .testTarget(
            name: "BreakwaterAlertsTests",
            dependencies: [
                "BreakwaterAlerts", "BreakwaterStore", "BreakwaterConfig", "BreakwaterEngine", "BreakwaterWire",
                "BreakwaterTestSupport",
                // GRDB: a commit hook counts the transactions of an SQLite store (AlertCenterCommitTests).
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .testTarget(
            name: "BreakwaterStoreTests",
            dependencies: [
                "BreakwaterStore", "BreakwaterEngine", "BreakwaterTestSupport", "BreakwaterWire",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "BreakwaterVenuesTests",
            dependencies: [
                "BreakwaterVenues",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "BreakwaterServerTests",
            dependencies: [
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                "BreakwaterServer", "BreakwaterConfig", "BreakwaterEngine", "BreakwaterFeeds", "BreakwaterVenues",
                "BreakwaterStore", "BreakwaterWire", "BreakwaterTestSupport", "BreakwaterAlerts", "BreakwaterStress",
                "BreakwaterSystemic",
                "breakwater",  // DemoConfig, which belongs to the CLI
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
    ]
)

// Every Swift target builds with the strict settings; the C prefetch target has no Swift, and
// its warnings fail the build too.
for target in package.targets {
    if target.type == .system {
        continue  // a module map: no sources, no settings
    } else if target.name == "BreakwaterPrefetch" {
        target.cSettings = (target.cSettings ?? []) + [.treatAllWarnings(as: .error)]
    } else {
        target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
    }
}
