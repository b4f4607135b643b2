// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "jiuzhu",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "jiuzhu", targets: ["jiuzhu"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        /// Pure domain types: no I/O, no NIO, no GRDB, no Hummingbird.
        .target(name: "JiuzhuDomain"),
        /// The policy calculator: dated rules loaded from YAML, every programme evaluated and explained.
        .target(
            name: "JiuzhuPolicy",
            dependencies: [
                "JiuzhuDomain", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        /// The registry's records (households, people, citizen IDs) and its files (CSV in UTF-8 or GB18030); pure Swift.
        .target(name: "JiuzhuRegistry", dependencies: ["JiuzhuDomain", "JiuzhuPolicy"]),
        /// The node's SQLite database: connection setup, migrations, records.
        .target(
            name: "JiuzhuStorage",
            dependencies: [
                "JiuzhuDomain",
                .product(name: "Crypto", package: "swift-crypto"),
                "CSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        /// SQLite 3.54.1, compiled in (`Sources/CSQLite/bundled_sqlite.c` says why): GRDB's calls
        /// resolve to it, not to the system's libsqlite3.
        .target(
            name: "CSQLite",
            exclude: ["sqlite/sqlite3.c"],
            cSettings: [
                .define("SQLITE_THREADSAFE", to: "1"),
                .define("SQLITE_DEFAULT_MEMSTATUS", to: "0"),
                .define("SQLITE_SECURE_DELETE"),
                .define("SQLITE_USE_URI", to: "1"),
                .define("SQLITE_MAX_VARIABLE_NUMBER", to: "250000"),
                .define("SQLITE_LIKE_DOESNT_MATCH_BLOBS"),
                .define("SQLITE_ENABLE_COLUMN_METADATA"),
                .define("SQLITE_ENABLE_DBSTAT_VTAB"),
                .define("SQLITE_ENABLE_FTS5"),
                .define("SQLITE_ENABLE_MATH_FUNCTIONS"),
                .define("SQLITE_ENABLE_UNLOCK_NOTIFY"),
                // What Debian's configure finds on Linux: fdatasync for syncs, and malloc's own
                // record of each block's size instead of a header SQLite would add to every one.
                .define("HAVE_FDATASYNC", to: "1"),
                .define("HAVE_MALLOC_H", to: "1"),
                .define("HAVE_MALLOC_USABLE_SIZE", to: "1"),
                .define("HAVE_LOCALTIME_R", to: "1"),
                .define("HAVE_STRCHRNUL", to: "1"),
                .define("HAVE_ISNAN", to: "1"),
                // Optimised in debug builds too, where the tests' clusters run; its warnings are SQLite's own.
                .unsafeFlags(["-O2", "-w"]),
            ]
        ),
        /// The application's operations, one per use case (register or change a household, import a
        /// register, index, publish policy, manage accounts): the one path every surface calls.
        .target(
            name: "JiuzhuServices",
            dependencies: [
                "JiuzhuDomain",
                "JiuzhuPolicy",
                "JiuzhuRegistry",
                "JiuzhuStorage",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        /// The whole node-to-node protocol: topology, the cluster's certificates, the wire documents,
        /// the client and the link to a parent, the server's routes and admission, typed refusals;
        /// and, on the same mTLS listener, the city's endpoint for the departments' feeds.
        .target(
            name: "JiuzhuFederation",
            dependencies: [
                "JiuzhuDomain",
                "JiuzhuPolicy",
                "JiuzhuRegistry",
                "JiuzhuServices",
                "JiuzhuStorage",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        /// The operator listener (HTTPS): pages and API, each reading the request, calling a service
        /// and rendering.
        .target(
            name: "JiuzhuWeb",
            dependencies: [
                "JiuzhuDomain",
                "JiuzhuFederation",
                "JiuzhuPolicy",
                "JiuzhuRegistry",
                "JiuzhuServices",
                "JiuzhuStorage",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        /// The C library allocator's tuning calls (arena cap, trim), which Swift's Glibc module lacks.
        .target(name: "CAllocator"),
        /// Keeps listening sockets from outliving the node: close-on-exec, and closed on a fatal signal.
        .target(name: "CListeners"),
        /// Running one node: its configuration, databases, listeners and services.
        .target(
            name: "JiuzhuNode",
            dependencies: [
                "CAllocator",
                "CListeners",
                "JiuzhuDomain",
                "JiuzhuFederation",
                "JiuzhuServices",
                "JiuzhuStorage",
                "JiuzhuWeb",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        /// Benchmarks, the demo cluster's supervisor and accounts, and the one synthetic-data
        /// generator. Only the command line and the tests import it; no production module does.
        .target(
            name: "JiuzhuTools",
            dependencies: [
                "JiuzhuDomain",
                "JiuzhuFederation",
                "JiuzhuPolicy",
                "JiuzhuRegistry",
                "JiuzhuServices",
                "JiuzhuStorage",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        /// The `jiuzhu` command line: a thin layer over the modules above.
        .executableTarget(
            name: "jiuzhu",
            dependencies: [
                "JiuzhuDomain",
                "JiuzhuFederation",
                "JiuzhuNode",
                "JiuzhuPolicy",
                "JiuzhuRegistry",
                "JiuzhuServices",
                "JiuzhuStorage",
                "JiuzhuTools",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        /// The policy cases (YAML, under Cases/) and the policy files' validation.
        .testTarget(
            name: "JiuzhuPolicyTests",
            dependencies: ["JiuzhuDomain", "JiuzhuPolicy", "JiuzhuTools", .product(name: "Yams", package: "Yams")],
            exclude: ["Cases"]
        ),
        /// Casework in pure domain code: the working-day calendars (the files under `calendar/`),
        /// deadline arithmetic and the case state machine, exhaustively.
        .testTarget(name: "JiuzhuCaseworkTests", dependencies: ["JiuzhuDomain", "JiuzhuPolicy"]),
        /// The registry's records and files; `StoredFormat` holds payloads written by earlier releases.
        .testTarget(
            name: "JiuzhuRegistryTests", dependencies: ["JiuzhuRegistry", "JiuzhuTools"], exclude: ["StoredFormat"]
        ),
        /// The services over databases in memory.
        .testTarget(
            name: "JiuzhuServicesTests",
            dependencies: [
                "JiuzhuDomain", "JiuzhuRegistry", "JiuzhuServices", "JiuzhuStorage",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// The last-writer rule, repair, restore and the audit chain, against real SQLite files.
        .testTarget(
            name: "JiuzhuStorageTests",
            dependencies: [
                "CSQLite", "JiuzhuDomain", "JiuzhuFederation", "JiuzhuStorage",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "JiuzhuTests",
            dependencies: [
                "CAllocator",
                "JiuzhuDomain",
                "JiuzhuFederation",
                "JiuzhuNode",
                "JiuzhuPolicy",
                "JiuzhuRegistry",
                "JiuzhuServices",
                "JiuzhuStorage",
                "JiuzhuTools",
                "JiuzhuWeb",
                "jiuzhu",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
