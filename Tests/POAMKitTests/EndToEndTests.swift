import Foundation
import Testing

@testable import POAMKit

/// The whole product run as a user would: analyze, remediate, rerun, then gate CI on the result.
struct EndToEndTests {
  static let walkthrough = Paths.fixtures.appendingPathComponent("poam/walkthrough/assessment.json")

  /// A copy of the walkthrough input with one requirement's status replaced.
  func variant(
    _ requirement: String, from: String, to: String, in directory: URL, source: URL = walkthrough
  ) throws -> String {
    let text = try String(contentsOf: source, encoding: .utf8)
    let old = "\"\(requirement)\", \"status\": \"\(from)\""
    #expect(text.contains(old), "the walkthrough fixture no longer has \(old)")
    let url = directory.appendingPathComponent("assessment-\(requirement).json")
    try Data(text.replacingOccurrences(of: old, with: "\"\(requirement)\", \"status\": \"\(to)\"").utf8).write(to: url)
    return url.path
  }

  @Test func analyzeRemediateRerunThenCheck() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out").path
    let first = try CLI.run(["analyze", Self.walkthrough.path, "--assessment-date", "2025-01-15", "--out", out])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("Score       106 of 110"))
    #expect(first.stdout.contains("New         4"))

    // "Remediate" the logon banner and rerun: the item is closed, the score moves.
    let fixed = try variant("AC.L2-3.1.9", from: "not met", to: "met", in: directory)
    let second = try CLI.run(["analyze", fixed, "--assessment-date", "2025-04-01", "--out", out])
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stdout.contains("107 of 110 (+1 since 2025-01-15)"))
    #expect(second.stdout.contains("Closed      1"))

    // The POA&M analyze wrote is a baseline for the CI gate: overdue items fail it.
    let poam = out + "/poam.json"
    let overdue = try CLI.run([
      "check", fixed, "--baseline", poam, "--assessment-date", "2025-04-01", "--fail-on", "overdue",
      "--as-of", "2026-01-01",
    ])
    #expect(overdue.status == 1, "\(overdue.stdout)\(overdue.stderr)")
    #expect(overdue.stdout.hasPrefix("FAIL: overdue"))
    #expect(overdue.stdout.contains("AC.L2-3.1.10"))
    #expect(!overdue.stdout.contains("POAM-AC.L2-3.1.9:"), "the closed item is not overdue")

    // A regression against the gap report fails new-gaps, score-drop and eligibility-lost.
    let broken = try variant(
      "AC.L2-3.1.1", from: "met", to: "not met", in: directory, source: URL(fileURLWithPath: fixed))
    let gate = try CLI.run(["check", broken, "--baseline", out + "/gap-report.json"])
    #expect(gate.status == 1)
    #expect(gate.stdout.hasPrefix("FAIL: new-gaps (AC.L2-3.1.1); score-drop (AC.L2-3.1.1); eligibility-lost"))
    let clean = try CLI.run(["check", fixed, "--baseline", out + "/gap-report.json"])
    #expect(clean.status == 0, "\(clean.stdout)")
    #expect(clean.stdout.hasPrefix("PASS"))
  }
}
