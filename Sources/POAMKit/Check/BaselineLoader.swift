import Foundation

/// Loads what `poam check --baseline` and `poam diff` compare: a gap report or an OSCAL POA&M
/// that poam wrote, told apart by their top-level keys. Anything else is a ``BaselineError``
/// that names the file and what was expected.
public struct BaselineLoader: Sendable {
  /// The catalog used to canonicalize requirement IDs in a POA&M (nil: take them as written).
  public let catalog: Catalog?

  /// Creates a loader.
  public init(catalog: Catalog?) {
    self.catalog = catalog
  }

  /// Reads and recognizes a file.
  public func load(path: String) throws(BaselineError) -> AssessmentSnapshot {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw .unreadable(path: path, reason: FileProblem.reason(path: path, error: error))
    }
    return try load(data: data, path: path)
  }

  /// Recognizes bytes already read; `path` names them in errors.
  public func load(data: Data, path: String) throws(BaselineError) -> AssessmentSnapshot {
    if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { throw .empty(path: path) }
    let root: Any
    do {
      root = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    } catch {
      throw .notJSON(path: path, detail: Self.jsonProblem(error))
    }
    guard let object = root as? [String: Any] else {
      throw .foreign(path: path, found: "a JSON \(root is [Any] ? "array" : "value") at the top level")
    }
    if object["plan-of-action-and-milestones"] != nil {
      return try POAMBaselineReader(catalog: catalog).read(root: object, path: path)
    }
    if object["tool_version"] != nil, object["requirements"] != nil, object["level"] != nil {
      return AssessmentSnapshot(report: try decodeGapReport(data, path: path), source: path)
    }
    let keys = object.keys.sorted()
    let shown = keys.prefix(8).joined(separator: ", ") + (keys.count > 8 ? ", …" : "")
    throw .foreign(path: path, found: keys.isEmpty ? "an empty object" : "top-level keys \(shown)")
  }

  /// Decodes a gap report, turning a decoding error into the field and what was expected.
  public func decodeGapReport(_ data: Data, path: String) throws(BaselineError) -> GapReport {
    do {
      let report = try JSONDecoder().decode(GapReport.self, from: data)
      if let field = report.implausibleNumber() {
        throw BaselineError.malformedGapReport(path: path, field: field, problem: "expected \(FileNumbers.expectation)")
      }
      return report
    } catch let error as BaselineError {
      throw error
    } catch let error as DecodingError {
      var problem = JSONPath.expectation(error)
      if case .dataCorrupted(let context) = error, !context.codingPath.isEmpty {
        problem = "unexpected value: \(context.debugDescription)"
      }
      throw .malformedGapReport(path: path, field: JSONPath.describe(error), problem: problem)
    } catch {
      throw .malformedGapReport(path: path, field: "", problem: "\(error)")
    }
  }

  /// A short reason from a `JSONSerialization` error, with the byte offset when Foundation gives one.
  static func jsonProblem(_ error: any Error) -> String {
    let nsError = error as NSError
    if let detail = nsError.userInfo["NSDebugDescription"] as? String { return detail }
    return nsError.localizedDescription
  }
}
