import Foundation
import Testing

@testable import POAMKit

/// Helpers for the XML importer tests.
enum XMLImportTest {
  /// Reads a file from disk with an importer.
  static func read(_ importer: any Importer, _ url: URL, displayName: String? = nil) throws -> ImportResult {
    try importer.read(InputFile(displayName: displayName ?? url.path, content: .file(url)))
  }

  /// Reads bytes held in memory with an importer.
  static func read(_ importer: any Importer, data: Data, displayName: String = "-") throws -> ImportResult {
    try importer.read(InputFile(displayName: displayName, content: .data(data)))
  }

  /// Observations per normalized status (`unknown` for nil).
  static func statusCounts(_ result: ImportResult) -> [String: Int] {
    Dictionary(grouping: result.observations, by: { $0.status?.rawValue ?? "unknown" }).mapValues(\.count)
  }

  /// How many references of a kind all observations carry.
  static func referenceCount(_ result: ImportResult, _ kind: ReferenceKind) -> Int {
    result.observations.reduce(0) { $0 + $1.refs.filter { $0.kind == kind }.count }
  }

  /// How many observations carry at least one reference of a kind.
  static func observationsWith(_ result: ImportResult, _ kind: ReferenceKind) -> Int {
    result.observations.filter { $0.refs.contains { $0.kind == kind } }.count
  }

  /// The error an expression throws, as an ``ImportError``.
  static func importError(_ body: () throws -> Void) -> ImportError? {
    do {
      try body()
      return nil
    } catch let error as ImportError {
      return error
    } catch {
      Issue.record("unexpected error type: \(error)")
      return nil
    }
  }

  /// Everything an import produced, as one string (to search for leaked content).
  static func allText(_ result: ImportResult) throws -> String {
    let encoder = JSONEncoder()
    let observations = String(decoding: try encoder.encode(result.observations), as: UTF8.self)
    let diagnostics = String(decoding: try encoder.encode(result.diagnostics), as: UTF8.self)
    return observations + diagnostics
  }

  static func fixture(_ relative: String) -> URL {
    Paths.fixtures.appendingPathComponent(relative)
  }
}
