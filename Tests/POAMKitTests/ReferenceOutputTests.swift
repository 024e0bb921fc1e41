import Foundation
import Testing
import ZIPFoundation

/// Golden outputs: every file and terminal output poam writes for a set of fixture runs, recorded
/// under `Tests/POAMKitTests/References/<case>/` and compared byte for byte. A change that alters
/// an output fails here with a readable diff, and the reviewed change to the reference files shows
/// up in the commit.
///
/// To re-record after a deliberate change, run
///
///     POAM_RECORD_REFERENCES=1 swift test --filter ReferenceOutputTests
///
/// then read `git diff Tests/POAMKitTests/References` before committing.
///
/// Every run uses fixture inputs only (no `../shared`), relative paths from the repository root
/// and a fixed assessment date, so the outputs are the same on every machine. The output folder
/// is a temporary one: its path is written as `$OUT` in the recorded terminal text. `poam.xlsx` is
/// recorded as its unpacked parts (`poam.xlsx.d/...`) so a change to it reads as an XML diff.
struct ReferenceOutputTests {
  /// One recorded run.
  struct Case: CustomTestStringConvertible, Sendable {
    /// The folder name under References/.
    var name: String
    /// The arguments; `$OUT` is replaced by a fresh temporary folder.
    var arguments: [String]
    /// Files written into `$OUT` that are part of the reference.
    var files: [String] = []
    var testDescription: String { name }
  }

  static let date = ["--assessment-date", "2025-01-15"]
  static let walkthrough = "Fixtures/poam/walkthrough/assessment.json"
  static let cciList = ["--cci-list", "Fixtures/cci/U_CCI_List-excerpt.xml"]
  static let analyzeFiles = [
    "gap-report.json", "poam.json", "poam.csv", "poam.xlsx", "report.md", "report.html",
  ]

  /// `gaps` in its three formats on one input.
  static func gaps(_ name: String, _ inputs: [String], _ extra: [String] = []) -> [Case] {
    ["text", "json", "markdown"].map { format in
      Case(name: "gaps-\(name)-\(format)", arguments: ["gaps"] + inputs + date + extra + ["--format", format])
    }
  }

  static let cases: [Case] =
    [
      Case(
        name: "analyze-walkthrough",
        arguments: ["analyze", walkthrough] + date + ["--owners", "Fixtures/poam/owners.yml", "--out", "$OUT"],
        files: analyzeFiles),
      Case(
        name: "analyze-level1",
        arguments: ["analyze", "Fixtures/assessments/level1-self-assessment.csv", "--level", "1"] + date + [
          "--out", "$OUT",
        ],
        files: analyzeFiles),
      Case(
        name: "analyze-checklist",
        arguments: ["analyze", "Fixtures/ckl/two-stigs-bom-crlf.ckl"] + cciList + date + ["--out", "$OUT"],
        files: analyzeFiles),
      Case(
        name: "check-walkthrough",
        arguments: [
          "check", walkthrough, "--baseline", "Fixtures/check/poam-baseline.json", "--assessment-date",
          "2025-04-01", "--as-of", "2026-01-01", "--fail-on", "overdue,new-gaps,score-drop",
          "--junit", "$OUT/junit.xml", "--sarif", "$OUT/poam.sarif",
        ],
        files: ["junit.xml", "poam.sarif"]),
      Case(
        name: "check-checklist-diagnostics",
        arguments: [
          "check", "Fixtures/cklb/web01-overrides.cklb", "--baseline",
          "Fixtures/check/poam-baseline.json", "--assessment-date", "2025-01-15", "--as-of", "2026-01-01",
          "--junit", "$OUT/junit.xml", "--sarif", "$OUT/poam.sarif",
        ] + cciList,
        files: ["junit.xml", "poam.sarif"]),
      Case(
        name: "diff-baseline-later",
        arguments: [
          "diff", "Fixtures/check/poam-baseline.json", "Fixtures/check/poam-later.json", "--as-of", "2026-01-01",
        ]),
      // A gap report written before reports carried evidence summaries (every piece of evidence
      // listed, no `evidence_summary`): check and diff still read it.
      Case(
        name: "check-old-gap-report",
        arguments: [
          "check", walkthrough, "--baseline", "Fixtures/check/gap-report-without-summary.json",
          "--assessment-date", "2025-04-01", "--fail-on", "new-gaps,score-drop,not-assessed",
        ]),
      Case(
        name: "diff-old-gap-report",
        arguments: [
          "diff", "Fixtures/check/gap-report-without-summary.json", "Fixtures/check/poam-later.json", "--as-of",
          "2026-01-01",
        ]),
      Case(
        name: "import-checklist-json",
        arguments: ["import", "Fixtures/ckl/two-stigs-bom-crlf.ckl", "--format", "json"] + cciList),
      Case(
        name: "import-cklb-csv",
        arguments: ["import", "Fixtures/cklb/web01-overrides.cklb", "--format", "csv"] + cciList),
    ]
    + gaps("walkthrough", [walkthrough])
    + gaps("level3", ["Fixtures/assessments/level3-assessment.csv"], ["--level", "3"])
    + gaps("checklist", ["Fixtures/ckl/two-stigs-bom-crlf.ckl"], cciList)
    + gaps("cklb", ["Fixtures/cklb/web01-overrides.cklb"], cciList)
    + gaps("xccdf", ["Fixtures/xccdf/arf-results-before-rules.xml"])
    + gaps("oscal-json", ["Fixtures/oscal/cmmc-assessment-results.json"])
    + gaps("oscal-xml", ["Fixtures/oscal/cmmc-assessment-results.xml"])
    + gaps("hdf", ["Fixtures/hdf/overlay-and-statuses.json"], cciList)
    + gaps("xlsx", ["Fixtures/xlsx/level2-conditional.xlsx"])

  static let referencesRoot = Paths.root.appendingPathComponent("Tests/POAMKitTests/References")
  static let recording = ProcessInfo.processInfo.environment["POAM_RECORD_REFERENCES"] == "1"

  @Test(arguments: cases)
  func matchesReference(_ run: Case) throws {
    let out = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: out) }
    let arguments = run.arguments.map { $0.replacingOccurrences(of: "$OUT", with: out.path) }
    let result = try CLI.run(arguments, cwd: Paths.root, environment: Self.environment(home: out))

    var produced: [String: Data] = [:]
    let terminal =
      "$ poam \(run.arguments.joined(separator: " "))\nexit status \(result.status)\n--- stdout\n\(result.stdout)"
      + "--- stderr\n\(result.stderr)"
    produced["terminal.txt"] = Data(terminal.replacingOccurrences(of: out.path, with: "$OUT").utf8)
    for file in run.files {
      let url = out.appendingPathComponent(file)
      guard FileManager.default.fileExists(atPath: url.path) else {
        Issue.record("\(run.name): \(file) was not written\n\(result.stderr)")
        continue
      }
      if file.hasSuffix(".xlsx") {
        for (part, data) in try Self.unpack(url) { produced["\(file).d/\(part)"] = data }
      } else {
        produced[file] = try Data(contentsOf: url)
      }
    }

    let folder = Self.referencesRoot.appendingPathComponent(run.name)
    if Self.recording {
      try? FileManager.default.removeItem(at: folder)
      for (name, data) in produced {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(
          at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
      }
      return
    }

    let recorded = Self.files(under: folder)
    #expect(
      !recorded.isEmpty,
      "no reference for \(run.name): record with POAM_RECORD_REFERENCES=1 swift test --filter ReferenceOutputTests")
    for name in recorded.keys.sorted() where produced[name] == nil {
      Issue.record("\(run.name): \(name) is recorded but no longer produced")
    }
    for name in produced.keys.sorted() {
      guard let expected = recorded[name] else {
        Issue.record("\(run.name): \(name) is produced but not recorded (POAM_RECORD_REFERENCES=1 to record)")
        continue
      }
      let actual = produced[name]!
      if expected != actual {
        Issue.record(
          "\(run.name)/\(name) differs from its reference:\n\(Self.lineDiff(expected: expected, actual: actual))")
      }
    }
  }

  /// The caller's environment without anything that changes poam's output: a fresh HOME (no
  /// `~/.config/poam/U_CCI_List.xml`), no `POAM_CCI_LIST`, no colour, not CI.
  static func environment(home: URL) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    for name in ["POAM_CCI_LIST", "CI", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "XDG_CONFIG_HOME"] {
      environment[name] = nil
    }
    environment["HOME"] = home.path
    environment["NO_COLOR"] = "1"
    return environment
  }

  /// The files under a reference folder, keyed by their path relative to it.
  static func files(under folder: URL) -> [String: Data] {
    guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
    else { return [:] }
    var result: [String: Data] = [:]
    let prefix = folder.standardizedFileURL.path + "/"
    for case let url as URL in walker {
      guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
        let data = try? Data(contentsOf: url)
      else { continue }
      result[String(url.standardizedFileURL.path.dropFirst(prefix.count))] = data
    }
    return result
  }

  /// The parts of a workbook, by member name.
  static func unpack(_ url: URL) throws -> [String: Data] {
    let archive = try Archive(url: url, accessMode: .read)
    var parts: [String: Data] = [:]
    for entry in archive where entry.type == .file {
      var data = Data()
      _ = try archive.extract(entry) { data.append($0) }
      parts[entry.path] = data
    }
    return parts
  }

  /// The first differing lines with a little context, marked `-` (reference) and `+` (now).
  static func lineDiff(expected: Data, actual: Data) -> String {
    let old = String(decoding: expected, as: UTF8.self).components(separatedBy: "\n")
    let new = String(decoding: actual, as: UTF8.self).components(separatedBy: "\n")
    var first = 0
    while first < old.count, first < new.count, old[first] == new[first] { first += 1 }
    var oldEnd = old.count
    var newEnd = new.count
    while oldEnd > first, newEnd > first, old[oldEnd - 1] == new[newEnd - 1] {
      oldEnd -= 1
      newEnd -= 1
    }
    var lines = ["@@ line \(first + 1): \(oldEnd - first) line(s) now \(newEnd - first) @@"]
    for index in max(0, first - 3)..<first { lines.append("  " + old[index]) }
    let limit = 40
    for index in first..<min(oldEnd, first + limit) { lines.append("- " + old[index]) }
    if oldEnd - first > limit { lines.append("- … \(oldEnd - first - limit) more") }
    for index in first..<min(newEnd, first + limit) { lines.append("+ " + new[index]) }
    if newEnd - first > limit { lines.append("+ … \(newEnd - first - limit) more") }
    for index in newEnd..<min(new.count, newEnd + 3) { lines.append("  " + new[index]) }
    return lines.joined(separator: "\n")
  }
}
