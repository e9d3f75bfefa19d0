// swift-tools-version: 6.0
// Paddock: learn reinforcement learning by teaching a DeepRacer car to race.
// Build with `--explicit-target-dependency-import-check error` (scripts/test.sh does).
import PackageDescription

let package = Package(
    name: "Paddock",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "paddock", targets: ["paddock"]),
        .library(name: "Simulator", targets: ["Simulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        // System library: zlib (Debian zlib1g-dev), used to deflate PNG image data.
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Pure Swift: tracks, car, episode rules, reward params, sensors, race types, simtrace rows.
        .target(name: "Simulator"),
        // Pure: gray/RGB raster images, drawing primitives, PNG encoding.
        .target(name: "Imaging", dependencies: ["CZlib"]),
        // Files: locating the project's data folders, loading tracks, atomic writes.
        .target(name: "Assets", dependencies: ["Simulator"]),
        .executableTarget(
            name: "paddock",
            dependencies: [
                "Simulator", "Imaging", "Assets",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Shared by the test targets: where the repository and ../shared/data are.
        .target(name: "PaddockTestSupport", path: "Tests/Support"),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "PaddockTestSupport"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"]),
        .testTarget(name: "AssetsTests", dependencies: ["Assets", "Simulator", "PaddockTestSupport"]),
        .testTarget(name: "PaddockCLITests", dependencies: ["paddock", "PaddockTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
