import Foundation

extension Catalog {
  /// The catalog compiled into the binary from `controls/` (see `Scripts/embed-catalog.py`).
  /// It needs no file on disk, so a relocated binary works from any directory.
  public static func bundled() throws -> Catalog {
    try load(manifestPath: "catalog.json", origin: "bundled catalog", checkingRules: false) { path in
      guard let text = EmbeddedCatalog.files[path] else {
        throw CatalogError.unreadable(path: path, reason: "not in the bundled catalog")
      }
      return Data(text.utf8)
    }
  }

  /// Loads a user's catalog: a directory laid out like `controls/` (with `catalog.json`), or
  /// one JSON file with the manifest schema and its requirements inline.
  public static func load(from path: String) throws -> Catalog {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw CatalogError.unreadable(path: path, reason: FileProblem.reason(path: path))
    }
    let base =
      isDirectory.boolValue ? URL(fileURLWithPath: path) : URL(fileURLWithPath: path).deletingLastPathComponent()
    let manifest = isDirectory.boolValue ? "catalog.json" : URL(fileURLWithPath: path).lastPathComponent
    return try load(manifestPath: manifest, origin: path) { relative in
      let url = base.appendingPathComponent(relative)
      do {
        return try Data(contentsOf: url)
      } catch {
        throw CatalogError.unreadable(path: url.path, reason: FileProblem.reason(path: url.path, error: error))
      }
    }
  }

  /// Loads a catalog through `read`, which returns the bytes of a path relative to the manifest;
  /// `checkingRules` false only for the bundled catalog (see `Catalog.init`).
  static func load(
    manifestPath: String, origin: String, checkingRules: Bool = true, read: (String) throws -> Data
  ) throws -> Catalog {
    let manifest = try decode(CatalogManifest.self, from: read(manifestPath), path: display(origin, manifestPath))
    var requirements = manifest.requirements ?? []
    for file in manifest.requirementFiles ?? [] {
      requirements += try decode([Requirement].self, from: read(file), path: display(origin, file))
    }
    if requirements.isEmpty {
      throw CatalogError.invalid(
        path: display(origin, manifestPath), requirement: nil,
        problem: "no requirements: expected `requirements` or `requirement_files`")
    }
    var cmmcV1 = manifest.cmmcV1
    if let file = manifest.cmmcV1File {
      cmmcV1 = try decode(CMMCv1Mapping.self, from: read(file), path: display(origin, file))
    }
    var rev3 = manifest.nist800171R3
    if let file = manifest.rev3File {
      rev3 = try decode(Rev3Mapping.self, from: read(file), path: display(origin, file))
    }
    var objectiveMap = manifest.sp80053Objectives
    if let file = manifest.sp80053ObjectivesFile {
      objectiveMap = try decode(SP80053ObjectiveMap.self, from: read(file), path: display(origin, file))
    }
    return try Catalog(
      manifest: manifest, requirements: requirements, cmmcV1: cmmcV1, rev3: rev3, objectiveMap: objectiveMap,
      origin: display(origin, manifestPath), checkingRules: checkingRules)
  }

  private static func display(_ origin: String, _ file: String) -> String {
    origin.hasSuffix(file) ? origin : "\(origin)/\(file)"
  }

  static func decode<T: Decodable>(_ type: T.Type, from data: Data, path: String) throws -> T {
    do {
      return try JSONDecoder().decode(type, from: data)
    } catch let error as DecodingError {
      throw CatalogError.malformed(path: path, where: JSONPath.describe(error), expected: JSONPath.expectation(error))
    }
  }
}

/// Turns `DecodingError`s into a JSON path and a plain statement of what was expected.
enum JSONPath {
  static func describe(_ error: DecodingError) -> String {
    let path: [any CodingKey]
    switch error {
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
      path = context.codingPath
    case .keyNotFound(_, let context):
      path = context.codingPath
    @unknown default:
      path = []
    }
    return render(path)
  }

  static func render(_ path: [any CodingKey]) -> String {
    var text = ""
    for key in path {
      if let index = key.intValue {
        text += "[\(index)]"
      } else {
        text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
      }
    }
    return text
  }

  static func expectation(_ error: DecodingError) -> String {
    switch error {
    case .typeMismatch(let type, _):
      return "expected a value of type \(readable(type))"
    case .valueNotFound(let type, _):
      return "expected a value of type \(readable(type)), found null"
    case .keyNotFound(let key, _):
      return "missing required key '\(key.stringValue)'"
    case .dataCorrupted(let context):
      let underlying = (context.underlyingError as NSError?)?.localizedDescription
      return "not valid JSON" + (underlying.map { ": \($0)" } ?? ": \(context.debugDescription)")
    @unknown default:
      return "unexpected content"
    }
  }

  private static func readable(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: return "string"
    case is Int.Type: return "integer"
    case is Bool.Type: return "boolean"
    default:
      let name = String(describing: type)
      if name.hasPrefix("Array") { return "array" }
      if name.hasPrefix("Dictionary") { return "object" }
      return name
    }
  }
}
