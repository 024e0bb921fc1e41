import Foundation
import Testing

@testable import POAMKit

/// `poam diff` and `poam history` run as processes, as a user would.
struct DiffHistoryCommandTests {
  @Test func diffTwoPOAMs() throws {
    let result = try CLI.run([
      "diff", POAMFixtures.baselinePath, POAMFixtures.laterPath, "--as-of", "2025-01-01",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(
      lines.first
        == "score 107 → 106 (-1); status unchanged (conditional); 2 gaps opened, 1 closed; 1 item reopened; 1 item overdue"
    )
    #expect(lines.contains("gaps opened (2): AC.L2-3.1.8, AC.L2-3.1.11"))
    #expect(lines.contains("gaps closed (1): AC.L2-3.1.10"))
  }

  @Test func diffGapReportsAsJSONAndMarkdown() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let old = try HandReports.write(
      HandReports.make(score: 105, status: .notEligible, statuses: ["AC.L2-3.1.1": .notMet]), to: directory,
      name: "old.json")
    let new = try HandReports.write(
      HandReports.make(score: 105, status: .notEligible, statuses: ["AC.L2-3.1.2": .notMet]), to: directory,
      name: "new.json")
    let json = try CLI.run(["diff", old, new, "--format", "json"])
    #expect(json.status == 0, "\(json.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["gaps_opened"] as? [String] == ["AC.L2-3.1.2"])
    #expect(object["gaps_closed"] as? [String] == ["AC.L2-3.1.1"])
    #expect(object["score_change"] as? Int == 0)
    let markdown = try CLI.run(["diff", old, new, "--format", "markdown"])
    #expect(markdown.status == 0)
    #expect(markdown.stdout.contains("| AC.L2-3.1.1 | NOT MET | MET | Authorized Access Control |"))
  }

  @Test func diffBadInputExitsTwoNamingTheFile() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let junk = directory.appendingPathComponent("junk.json")
    try Data("{\"hello\": 1}".utf8).write(to: junk)
    let result = try CLI.run(["diff", junk.path, POAMFixtures.baselinePath])
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix("poam: error: \(junk.path): not a gap report or POA&M that poam wrote"))
    let missing = try CLI.run(["diff", POAMFixtures.baselinePath, "/nonexistent/new.json"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("/nonexistent/new.json: cannot read: no such file or directory"))
    let badDate = try CLI.run(["diff", POAMFixtures.baselinePath, POAMFixtures.laterPath, "--as-of", "01/02/2025"])
    #expect(badDate.status == 2)
    #expect(badDate.stderr.contains("--as-of '01/02/2025' is not a date"))
  }

  @Test func historyAddAndShow() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let first = try HandReports.write(
      HandReports.make(score: 104, status: .notEligible, statuses: ["AC.L2-3.1.1": .notMet, "AC.L2-3.1.3": .notMet]),
      to: directory, name: "first.json")
    let second = try HandReports.write(
      HandReports.make(score: 109, status: .conditional, statuses: ["AC.L2-3.1.3": .notMet]), to: directory,
      name: "second.json")
    // Without --history, the default is .poam/history.sqlite in the working directory.
    let add = try CLI.run(["history", "--add", first, "--add", second], cwd: directory)
    #expect(add.status == 0, "\(add.stderr)")
    #expect(add.stdout.contains("recorded run 1 from \(first)"))
    #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(".poam/history.sqlite").path))
    let text = try CLI.run(["history"], cwd: directory)
    #expect(text.status == 0, "\(text.stderr)")
    let rows = text.stdout.split(separator: "\n").map(String.init)
    #expect(rows.count == 4)
    #expect(rows[0].hasPrefix("Run  Assessed    Recorded (UTC)"))
    #expect(text.stderr.contains("reading the run history in .poam/history.sqlite"))
    #expect(rows[3].contains("109 (+5)") && rows[3].contains("conditional") && rows[3].contains("+0/-1"))
    let csv = try CLI.run(["history", "--format", "csv", "--last", "1"], cwd: directory)
    let csvRows = csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
    #expect(csvRows.count == 2)
    #expect(csvRows[1].hasPrefix("2,") && csvRows[1].contains(",history --add,2,2025-06-01,109,110,conditional,"))
  }

  @Test func historyErrorsExitTwo() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let none = try CLI.run(["history"], cwd: directory)
    #expect(none.status == 2)
    #expect(
      none.stderr.contains("no run history found: looked for .poam/history.sqlite and poam-out/.poam/history.sqlite"))
    let poam = try CLI.run(["history", "--add", POAMFixtures.baselinePath, "--history", "h.sqlite"], cwd: directory)
    #expect(poam.status == 2)
    #expect(poam.stderr.contains("--add takes gap reports; this is a POA&M"))
    #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("h.sqlite").path))
    #expect(try CLI.run(["history", "--format", "xml"], cwd: directory).status == 2)
    #expect(try CLI.run(["history", "--last", "0"], cwd: directory).status == 2)
  }
}
