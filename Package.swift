// swift-tools-version: 6.1
import PackageDescription

/// Set `POAM_WARNINGS_AS_ERRORS=1` (CI does) to turn every warning in the project's own
/// targets into an error. Dependencies are untouched.
let strictFlags: [SwiftSetting] =
  Context.environment["POAM_WARNINGS_AS_ERRORS"] == "1"
  ? [.unsafeFlags(["-warnings-as-errors"])] : []

let package = Package(
  name: "poam",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "poam", targets: ["poam"]),
    .library(name: "POAMKit", targets: ["POAMKit"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
    .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CLibXML2",
      pkgConfig: "libxml-2.0",
      providers: [.apt(["libxml2-dev"])]
    ),
    // The system zlib: poam inflates ZIP members itself, each from its own bytes (ZIPContainer).
    .systemLibrary(
      name: "CZlibInflate",
      pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]
    ),
    .target(
      name: "POAMKit",
      dependencies: [
        "CLibXML2",
        "CZlibInflate",
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        .product(name: "Yams", package: "Yams"),
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      swiftSettings: strictFlags
    ),
    .executableTarget(
      name: "poam",
      dependencies: [
        "POAMKit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strictFlags
    ),
    .testTarget(
      name: "POAMKitTests",
      dependencies: [
        "POAMKit", "poam", "CLibXML2",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Yams", package: "Yams"),
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        // An independent CSV reader, used only to cross-check fixtures against poam's own parser.
        .product(name: "CSV", package: "CSV.swift"),
      ],
      // Golden outputs read from disk by ReferenceOutputTests, not resources of the bundle.
      exclude: ["References"],
      swiftSettings: strictFlags
    ),
  ]
)
