import Foundation

/// poam's own results format, for teams that write their own exporters:
///
/// ```json
/// { "format": "poam-results", "version": 1,
///   "producer": { "tool": "my-exporter", "version": "2.0" },
///   "asset": { "host_name": "web01", "ip": "10.0.0.5" },
///   "results": [
///     { "requirement": "AC.L2-3.1.1[a]", "status": "met", "kind": "assessor",
///       "details": "Accounts reviewed 2026-10-01", "comments": "", "asset": "web02",
///       "refs": [ { "kind": "cci", "value": "CCI-000015" } ], "partial_points": 3 } ] }
/// ```
/// `requirement` takes any spelling the catalog resolves; `refs` may replace it. `kind` is
/// `assessor` (default) or `automated`; `asset` is a host name or an asset object.
struct NativeJSONImporter: Importer {
  public let format = InputFormat.native

  /// Creates the importer.
  public init() {}

  struct Document: Decodable {
    var format: String
    var version: Int?
    var producer: Producer?
    var asset: Asset?
    var results: [Result]
  }

  struct Result: Decodable {
    var requirement: String?
    var refs: [Reference]?
    var status: String?
    var kind: ObservationKind?
    var asset: AssetValue?
    var title: String?
    var details: String?
    var comments: String?
    var severity: String?
    var partialPoints: Int?

    enum CodingKeys: String, CodingKey {
      case requirement, refs, status, kind, asset, title, details, comments, severity
      case partialPoints = "partial_points"
    }
  }

  /// An asset written as a host name or as an object.
  enum AssetValue: Decodable {
    case name(String)
    case object(Asset)

    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let name = try? container.decode(String.self) {
        self = .name(name)
      } else {
        self = .object(try container.decode(Asset.self))
      }
    }

    var asset: Asset? {
      switch self {
      case .name(let name): return Asset(hostName: name)
      case .object(let asset): return asset
      }
    }
  }

  public func read(_ input: InputFile) throws -> ImportResult {
    let data = try input.readAll()
    let document: Document
    do {
      document = try JSONDecoder().decode(Document.self, from: data)
    } catch let error as DecodingError {
      throw ImportError.malformed(
        file: input.displayName, line: nil, column: nil,
        expected: "poam results JSON: \(JSONPath.describe(error)) \(JSONPath.expectation(error))")
    }
    guard document.format == "poam-results" else {
      throw ImportError.unsupported(
        file: input.displayName, reason: "format is '\(document.format)', expected 'poam-results'")
    }
    var result = ImportResult()
    for (index, row) in document.results.enumerated() {
      let location = "results[\(index)]"
      var refs = row.refs ?? []
      if let requirement = row.requirement, !requirement.isEmpty {
        refs.insert(Reference(.requirement, requirement), at: 0)
      }
      if refs.isEmpty {
        result.diagnostics.append(
          Diagnostic(
            .warning, .noReferences, source: input.displayName, location: location,
            message: "result has neither 'requirement' nor 'refs'; it cannot be used"))
      }
      let raw = row.status ?? ""
      let status = StatusNormalizer.normalize(
        raw, source: input.displayName, location: location, diagnostics: &result.diagnostics)
      result.observations.append(
        Observation(
          source: input.displayName, location: location, asset: row.asset?.asset ?? document.asset,
          producer: document.producer ?? Producer(tool: "poam-results"), kind: row.kind ?? .assessor, refs: refs,
          rawStatus: raw, status: status, severity: row.severity, title: row.title, details: row.details,
          comments: row.comments, partialPoints: row.partialPoints))
    }
    return result
  }
}
