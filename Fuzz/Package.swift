// swift-tools-version: 6.1
// Coverage-guided fuzz targets for poam (libFuzzer, which ships with the Swift toolchain on
// Linux). A package of its own, depending on poam by path, so that the normal `swift build` and
// `swift test` never build or run it. Build and run with Fuzz/run.sh; see docs/fuzzing.md.
import PackageDescription

let targets = ["FuzzXML", "FuzzCSV", "FuzzXLSX", "FuzzJSONDetect", "FuzzIDResolver", "FuzzPrior"]

let package = Package(
  name: "poam-fuzz",
  platforms: [.macOS(.v13)],
  products: targets.map { .executable(name: $0, targets: [$0]) },
  dependencies: [.package(name: "poam", path: "..")],
  targets: [.target(name: "FuzzSupport", swiftSettings: [.swiftLanguageMode(.v5)])]
    + targets.map {
      .executableTarget(
        name: $0, dependencies: ["FuzzSupport", .product(name: "POAMKit", package: "poam")],
        path: "Sources/\($0)", swiftSettings: [.swiftLanguageMode(.v5)])
    }
)
