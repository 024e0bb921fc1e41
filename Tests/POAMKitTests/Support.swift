import Foundation
import Testing

@testable import POAMKit

/// Paths the tests read: the repository, its fixtures and controls, and `../shared`.
enum Paths {
  /// The repository root (this file is Tests/POAMKitTests/Support.swift).
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let fixtures = root.appendingPathComponent("Fixtures")
  static let controls = root.appendingPathComponent("controls")
  /// `../shared` beside the checkout (CI has it; a bare clone may not).
  static let shared = root.deletingLastPathComponent().appendingPathComponent("shared")
  static let sharedAvailable = FileManager.default.fileExists(
    atPath: shared.appendingPathComponent("reference/cmmc-facts.json").path)
  static let sharedReason: Comment = "needs ../shared beside the checkout (reference facts and samples); CI has it"

  static func sharedFile(_ relative: String) -> URL { shared.appendingPathComponent(relative) }
}

/// The bundled catalog, loaded once per test process.
enum TestCatalog {
  static let shared: Catalog = {
    do { return try Catalog.bundled() } catch { fatalError("bundled catalog does not load: \(error)") }
  }()
}

/// Runs the built `poam` executable.
enum CLI {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static var executable: URL {
    // Swift Testing runs inside the test bundle next to the built products.
    let products = Bundle.main.bundleURL
    let candidate = products.appendingPathComponent("poam")
    if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    return Paths.root.appendingPathComponent(".build/debug/poam")
  }

  @discardableResult
  static func run(
    _ arguments: [String], executable: URL = CLI.executable, cwd: URL? = nil, stdin: Data? = nil,
    environment: [String: String]? = nil
  ) throws -> Result {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let cwd { process.currentDirectoryURL = cwd }
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    // Read both pipes concurrently so a large output cannot block the child.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}

/// A fresh temporary directory, removed by the caller.
func makeTemporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("poam-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// A decoder for third-party snake_case JSON.
func snakeCaseDecoder() -> JSONDecoder {
  let decoder = JSONDecoder()
  decoder.keyDecodingStrategy = .convertFromSnakeCase
  return decoder
}
