import Foundation
import Testing

@testable import POAMKit

struct EmbeddedCatalogTests {
  /// The catalog compiled into the binary is byte-for-byte `controls/`.
  /// When this fails, run `python3 Scripts/embed-catalog.py`.
  @Test func embeddedCatalogMatchesControls() throws {
    let enumerator = try #require(FileManager.default.enumerator(atPath: Paths.controls.path))
    var onDisk: [String: String] = [:]
    while let relative = enumerator.nextObject() as? String {
      guard relative.hasSuffix(".json") else { continue }
      onDisk[relative] = try String(contentsOf: Paths.controls.appendingPathComponent(relative), encoding: .utf8)
    }
    #expect(Set(onDisk.keys) == Set(EmbeddedCatalog.files.keys), "run python3 Scripts/embed-catalog.py")
    for (path, text) in onDisk {
      #expect(
        EmbeddedCatalog.files[path] == text, "\(path) is stale in the binary: run python3 Scripts/embed-catalog.py")
    }
  }

  @Test func catalogFromDiskEqualsBundledCatalog() throws {
    let fromDisk = try Catalog.load(from: Paths.controls.path)
    let bundled = TestCatalog.shared
    #expect(fromDisk.requirements == bundled.requirements)
    #expect(fromDisk.version == bundled.version)
  }
}

/// `--catalog PATH` with a user's catalog, good and bad.
struct UserCatalogTests {
  func write(_ text: String, name: String = "catalog.json") throws -> URL {
    let directory = try makeTemporaryDirectory()
    let url = directory.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url
  }

  static let manifest = """
    "catalog_version": "test-1", "title": "t", "sources": [],
    "families": [{"code": "AC", "name": "Access Control"}],
    "scoring": {"2": {"max_score": 1, "min_score": -4, "conditional_min_score": 1, "basis": "test"}}
    """

  static func requirement(
    id: String = "AC.L2-3.1.1", points: String = "5", objectives: String = #"[{"id": "a", "description": "x."}]"#
  ) -> String {
    """
    {"id": "\(id)", "level": 2, "family": "AC", "nist_id": "3.1.1", "source": "s", "title": "Authorized Access",
     "description": "d", "points": \(points), "poam": {"allowed": false, "excluded_by_name": false, "rule": "r", "reason": "r"},
     "objectives": \(objectives)}
    """
  }

  @Test func singleFileCatalogLoads() throws {
    let url = try write("{\(Self.manifest), \"requirements\": [\(Self.requirement())]}")
    let catalog = try Catalog.load(from: url.path)
    #expect(catalog.version == "test-1")
    #expect(catalog.requirements.map(\.id) == ["AC.L2-3.1.1"])
  }

  @Test(arguments: [
    ("{\"catalog_version\": 3", "not valid JSON"),
    ("{}", "missing required key 'catalog_version'"),
    ("{\(manifest)}", "no requirements"),
    (
      "{\(manifest), \"requirements\": [\(requirement(points: "\"five\""))]}",
      "requirements[0].points: expected a value of type integer"
    ),
    (
      "{\(manifest), \"requirements\": [\(requirement(points: "4"))]}",
      "AC.L2-3.1.1: Level 2 points must be 5, 3 or 1, not 4"
    ),
    (
      "{\(manifest), \"requirements\": [\(requirement(id: "AC.L2-3.1.9"))]}",
      "ID does not match family, level and number"
    ),
    ("{\(manifest), \"requirements\": [\(requirement(objectives: "[]"))]}", "has no objectives"),
    ("{\(manifest), \"requirements\": [\(requirement()), \(requirement())]}", "duplicate requirement ID"),
  ])
  func badCatalogsFailWithAPreciseMessage(text: String, expected: String) throws {
    let url = try write(text)
    do {
      _ = try Catalog.load(from: url.path)
      Issue.record("loaded a bad catalog")
    } catch {
      let message = error.localizedDescription
      #expect(message.contains(expected), "\(message)")
      #expect(message.contains(url.path) || message.contains("catalog.json"), "\(message) should name the file")
    }
  }

  @Test func missingCatalogIsReported() {
    #expect(throws: CatalogError.self) { try Catalog.load(from: "/nonexistent/catalog.json") }
  }
}
