// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ArchonREPL",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "archon", targets: ["ArchonREPL"]),
        .library(name: "ArchonKit", targets: ["ArchonKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(name: "CEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(
            name: "ArchonKit",
            dependencies: ["CCurl", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .executableTarget(
            name: "ArchonREPL",
            dependencies: [
                "ArchonKit", "CEdit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "ArchonTestSupport", dependencies: ["ArchonKit"], path: "Tests/ArchonTestSupport",
                exclude: ["fake_openai.py", "model_pool.py"]),
        .testTarget(name: "ArchonKitTests", dependencies: ["ArchonKit", "ArchonTestSupport"]),
        .testTarget(name: "ArchonREPLTests", dependencies: ["ArchonREPL", "ArchonKit", "ArchonTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
