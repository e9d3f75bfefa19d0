// swift-tools-version: 6.0
// Paddock: learn reinforcement learning by teaching a DeepRacer car to race.
// Build with `--explicit-target-dependency-import-check error` (scripts/test.sh does).
import PackageDescription

let package = Package(
    name: "Paddock",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "paddock", targets: ["paddock"]),
        .library(name: "Simulator", targets: ["Simulator"]),
    ],
    // The versions tested here, pinned exactly. Package.resolved is not committed: the build
    // machine reads github.com from a local mirror whose commit ids are not GitHub's, so a
    // resolved file from here would not check out anywhere else (docs/architecture.md).
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", exact: "1.35.2"),
    ],
    targets: [
        // System library: zlib (Debian zlib1g-dev), used to deflate PNG image data.
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // System library: Debian's CPython (python3-dev) for reward functions.
        .systemLibrary(
            name: "CPython",
            path: "Sources/CPython",
            pkgConfig: "python3-embed",
            providers: [.apt(["python3-dev"])]
        ),
        // System library: OpenBLAS (Debian libopenblas-dev) for the networks' matrix products.
        .systemLibrary(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // System library: oneDNN (Debian libdnnl-dev; 2.x on Debian 12, 3.x on Ubuntu 24.04, the shim
        // covers both) for the networks' convolutions. It has no pkg-config file.
        .systemLibrary(
            name: "CDNNL",
            path: "Sources/CDNNL",
            providers: [.apt(["libdnnl-dev"])]
        ),
        // glibc's malloc.h (part of libc6-dev), for mallopt.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        // System library: cmark (Debian libcmark-dev), to read lessons written in Markdown.
        .systemLibrary(
            name: "CCmark",
            path: "Sources/CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        // System library: SDL2 and SDL2_ttf (Debian libsdl2-dev, libsdl2-ttf-dev): the app's window.
        .systemLibrary(
            name: "CSDL2",
            path: "Sources/CSDL2",
            pkgConfig: "sdl2",
            providers: [.apt(["libsdl2-dev", "libsdl2-ttf-dev"])]
        ),
        // Pure: lesson files (Markdown) to steps, scenes and checks; a learner's progress.
        .target(name: "Lessons", dependencies: ["CCmark"]),
        // The SDL2 desktop app: window, drawing, panels, lessons beside the simulator and trainer.
        .target(
            name: "App",
            dependencies: [
                "CSDL2", "Lessons", "Simulator", "Imaging", "Assets", "RewardScript", "NeuralNetwork", "Reinforcement",
                "Model", "Training", "CarExport", "Workshop", "Analysis",
            ]
        ),
        // Tensors, layers, Adam, save/load over OpenBLAS and oneDNN. Knows nothing of cars.
        .target(name: "NeuralNetwork", dependencies: ["COpenBLAS", "CDNNL"]),
        // PPO and SAC, buffers, GAE, DeepRacer's hyperparameters and action spaces. Knows nothing of cars.
        .target(name: "Reinforcement", dependencies: ["NeuralNetwork"]),
        // Pure Swift: tracks, car, episode rules, reward params, sensors, race types, simtrace rows.
        .target(name: "Simulator"),
        // Pure: gray/RGB raster images, drawing primitives, PNG encoding.
        .target(name: "Imaging", dependencies: ["CZlib"]),
        // Embedded CPython: compile a learner's reward_function, call it with params, report errors.
        .target(name: "RewardScript", dependencies: ["CPython", "Simulator"]),
        // Reading any DeepRacer run's logs (Paddock's, the console's, DeepRacer for Cloud's): figures
        // per iteration and evaluation, the pictures, and a reward function re-scored on past steps.
        .target(name: "Analysis", dependencies: ["Simulator", "Imaging", "RewardScript", "Assets"]),
        // The glue: a training run (simulator + reward + learner), evaluation, logs, checkpoints, models.
        // What a model is, without training it: the model folder, settings, architectures,
        // trained-model loading and evaluation. No Python: the car export and the workshop host
        // depend on this, not on Training.
        .target(name: "Model", dependencies: ["Simulator", "NeuralNetwork", "Reinforcement", "Assets"]),
        .target(
            name: "Training",
            dependencies: ["Model", "Simulator", "NeuralNetwork", "Reinforcement", "RewardScript", "Assets"]),
        // System library: libcurl (Debian libcurl4-openssl-dev), for the car's device console (HTTPS).
        .systemLibrary(
            name: "CCurl",
            path: "Sources/CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // To the physical car: TensorFlow GraphDef export and import, model_metadata.json, the car
        // archive (.tar.gz), the loader's rules, the device console client.
        .target(
            name: "CarExport",
            dependencies: [
                "NeuralNetwork", "Reinforcement", "Simulator", "Model", "Assets", "CZlib", "CCurl",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        // Workshop mode: the instructor's host (HTTP server, SQLite state), joining, pacing,
        // submissions evaluated without running student Python, the race and its leaderboard.
        .target(
            name: "Workshop",
            dependencies: [
                "CarExport", "Model", "Simulator", "Assets", "Reinforcement", "NeuralNetwork",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]
        ),
        // Files: locating the project's data folders, loading tracks, atomic writes.
        .target(name: "Assets", dependencies: ["Simulator"]),
        .executableTarget(
            name: "paddock",
            dependencies: [
                "Simulator", "Imaging", "Assets", "RewardScript", "NeuralNetwork", "Reinforcement", "Model", "Training",
                "Lessons", "App", "CarExport", "Workshop", "CMalloc", "Analysis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Shared by the test targets: where the repository and ../shared/data are.
        .target(name: "PaddockTestSupport", path: "Tests/Support"),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "PaddockTestSupport"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"]),
        .testTarget(
            name: "CarExportTests",
            dependencies: [
                "CarExport", "NeuralNetwork", "Reinforcement", "Simulator", "Model", "PaddockTestSupport",
            ]),
        // Shared by WorkshopTests and AppTests: a workshop host in memory, headless Chromium.
        .target(
            name: "WorkshopTestSupport",
            dependencies: [
                "Workshop", "CarExport", "Model", "Assets", "NeuralNetwork", "PaddockTestSupport",
            ],
            path: "Tests/WorkshopSupport"),
        .testTarget(
            name: "WorkshopTests",
            dependencies: [
                "Workshop", "CarExport", "Model", "NeuralNetwork", "Simulator", "PaddockTestSupport",
                "WorkshopTestSupport", "Imaging", "Reinforcement", "Assets",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]),
        .testTarget(name: "LessonsTests", dependencies: ["Lessons", "PaddockTestSupport"]),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App", "Lessons", "Simulator", "Assets", "Imaging", "Model", "NeuralNetwork", "Reinforcement",
                "CarExport", "Training", "Workshop", "PaddockTestSupport", "WorkshopTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]),
        .testTarget(name: "NeuralNetworkTests", dependencies: ["NeuralNetwork"]),
        .testTarget(name: "ReinforcementTests", dependencies: ["Reinforcement", "NeuralNetwork"]),
        .testTarget(
            name: "TrainingTests",
            dependencies: [
                "Model", "Training", "Simulator", "NeuralNetwork", "Reinforcement", "RewardScript", "Assets",
                "PaddockTestSupport",
            ]),
        .testTarget(name: "RewardScriptTests", dependencies: ["RewardScript", "Simulator", "PaddockTestSupport"]),
        .testTarget(
            name: "AnalysisTests",
            dependencies: ["Analysis", "Simulator", "Imaging", "RewardScript", "Assets", "PaddockTestSupport"]),
        .testTarget(name: "AssetsTests", dependencies: ["Assets", "Simulator", "PaddockTestSupport"]),
        .testTarget(name: "PaddockCLITests", dependencies: ["paddock", "PaddockTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
