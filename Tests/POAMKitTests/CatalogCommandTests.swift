import Foundation
import Testing

@testable import POAMKit

/// `poam catalog` run as a process, as a user would.
struct CatalogCommandTests {
  @Test func showsOneRequirementInAnySpelling() throws {
    for spelling in ["AC.L2-3.1.1", "3.1.1", "3.01.01", "ac.l2-3.1.1"] {
      let result = try CLI.run(["catalog", spelling])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stdout.hasPrefix("AC.L2-3.1.1  Authorized Access Control"))
      #expect(result.stdout.contains("[f]"))
    }
  }

  @Test func jsonHasTheDocumentedKeys() throws {
    let result = try CLI.run(["catalog", "--level", "2", "--format", "json"])
    #expect(result.status == 0)
    let array = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    #expect(array.count == 110)
    let keys = [
      "id", "level", "family", "nist_id", "title", "points", "partial_points", "poam_allowed", "poam_reason",
      "objectives",
    ]
    for entry in array {
      for key in keys { #expect(entry[key] != nil, "\(entry["id"] ?? "?") lacks \(key)") }
      let objectives = try #require(entry["objectives"] as? [[String: Any]])
      #expect(objectives.allSatisfy { $0["id"] is String && $0["description"] is String })
    }
    let ssp = try #require(array.first { $0["id"] as? String == "CA.L2-3.12.4" })
    #expect(ssp["points"] is NSNull)
    let fips = try #require(array.first { $0["id"] as? String == "SC.L2-3.13.11" })
    #expect((fips["partial_points"] as? [[String: Any]])?.count == 2)
  }

  @Test func unknownIDExitsTwoNamingItWithSuggestions() throws {
    let result = try CLI.run(["catalog", "AC.L2-3.1.99"])
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("AC.L2-3.1.99"))
    #expect(result.stderr.contains("nearest:") && result.stderr.contains("AC.L2-3.1.9"))
  }

  @Test func usageErrorsExitTwo() throws {
    #expect(try CLI.run(["catalog", "--level", "4"]).status == 2)
    #expect(try CLI.run(["catalog", "--format", "yaml"]).status == 2)
    #expect(try CLI.run(["no-such-command"]).status == 2)
  }

  @Test func versionAndHelp() throws {
    let version = try CLI.run(["--version"])
    #expect(version.status == 0)
    #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == ToolInfo.version)
    let help = try CLI.run(["catalog", "--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("AC.L2-3.1.1"))
  }

  @Test func markdownAndLevelFilter() throws {
    let result = try CLI.run(["catalog", "--level", "3", "--format", "markdown"])
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("| ID | Title |"))
    #expect(
      result.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("| ") && $0.contains(".L3-") }.count == 24)
  }

  /// The binary carries its catalog: copied alone to another folder and run from `/`, it works.
  @Test func relocatedBinaryWorksFromRoot() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let copy = directory.appendingPathComponent("poam")
    try FileManager.default.copyItem(at: CLI.executable, to: copy)
    let result = try CLI.run(["catalog", "AC.L2-3.1.1"], executable: copy, cwd: URL(fileURLWithPath: "/"))
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("Authorized Access Control"))
  }

  @Test func userCatalogErrorsExitTwoNamingTheFile() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let bad = directory.appendingPathComponent("mine.json")
    try Data("{\"catalog_version\": ".utf8).write(to: bad)
    let result = try CLI.run(["catalog", "--catalog", bad.path])
    #expect(result.status == 2)
    #expect(result.stderr.contains("mine.json"))
    #expect(result.stderr.contains("not valid JSON"))
  }

  @Test func userCatalogDirectoryWorks() throws {
    let result = try CLI.run(["catalog", "3.5.3", "--catalog", Paths.controls.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("IA.L2-3.5.3"))
  }
}
