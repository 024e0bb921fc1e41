import Foundation
import GRDB
import Testing

@testable import POAMKit

/// `poam analyze --record` / `--history PATH`: the run is recorded with its inputs' SHA-256,
/// parallel runs lose nothing, and a history this poam may not write stops the run before any
/// output is touched.
struct AnalyzeHistoryTests {
  /// Level 2, score 103, conditional (Fixtures/assessments/README.md, computed by hand).
  static let conditional = Paths.fixtures.appendingPathComponent("assessments/level2-conditional.csv").path
  /// Level 2, score 96, not eligible.
  static let notEligible = Paths.fixtures.appendingPathComponent("assessments/level2-self-assessment.csv").path

  /// The SHA-256 of a file as `sha256sum` computes it (not poam's implementation).
  static func sha256sum(_ path: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sha256sum", path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return String(output.prefix(64))
  }

  static func runs(_ history: String) throws -> [[String: Any]] {
    let listed = try CLI.run(["history", "--history", history, "--format", "json"])
    #expect(listed.status == 0, "\(listed.stderr)")
    let entries = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
    return entries.compactMap { $0["run"] as? [String: Any] }
  }

  @Test func parallelAnalyzeRunsIntoOneHistoryLoseNothing() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let history = root.appendingPathComponent("shared/history.sqlite").path
    let processes = 6
    let results = LockedResults()
    DispatchQueue.concurrentPerform(iterations: processes) { index in
      // Alternate two inputs so the runs differ: even runs conditional, odd runs not eligible.
      let input = index % 2 == 0 ? Self.conditional : Self.notEligible
      let out = root.appendingPathComponent("out-\(index)").path
      results.append(
        Result {
          try CLI.run([
            "analyze", input, "--assessment-date", "2025-01-15", "--history", history, "--out", out,
          ])
        })
    }
    for result in results.all {
      let outcome = try result.get()
      #expect(outcome.status == 0, "\(outcome.stderr)")
      #expect(outcome.stdout.contains("Recorded run "), "\(outcome.stdout)")
    }
    for index in 0..<processes {
      let files = try FileManager.default.contentsOfDirectory(
        atPath: root.appendingPathComponent("out-\(index)").path)
      #expect(Set(files) == Set(POAMWorkflowTests.files + [EvidenceFile.fileName, ".poam"]), "out-\(index): \(files)")
    }

    let runs = try Self.runs(history)
    #expect(runs.count == processes)
    #expect(runs.compactMap { $0["id"] as? Int } == Array(1...processes))
    #expect(runs.allSatisfy { $0["command"] as? String == "analyze" && $0["level"] as? Int == 2 })
    #expect(runs.allSatisfy { ($0["requirements"] as? [String: String])?.count == 110 })
    // Three runs of each input, whatever order the processes finished in.
    let scores = runs.compactMap { $0["score"] as? Int }.sorted()
    #expect(scores == [96, 96, 96, 103, 103, 103])
    // An input under the working directory is named by its path relative to it, never absolute.
    let conditionalName = "Fixtures/assessments/level2-conditional.csv"
    let hashes = [
      conditionalName: try Self.sha256sum(Self.conditional),
      "Fixtures/assessments/level2-self-assessment.csv": try Self.sha256sum(Self.notEligible),
    ]
    for run in runs {
      let inputs = try #require(run["inputs"] as? [[String: Any]])
      #expect(inputs.count == 1)
      let name = try #require(inputs.first?["name"] as? String)
      #expect(inputs.first?["sha256"] as? String == hashes[name], "\(name)")
      let expectedScore = name == conditionalName ? 103 : 96
      #expect(run["score"] as? Int == expectedScore)
      #expect(run["status"] as? String == (expectedScore == 103 ? "conditional" : "not-eligible"))
    }
    #expect(try HistoryStoreTests.integrity(history) == "ok")
  }

  @Test func recordAloneUsesTheOutputDirectory() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let copy = root.appendingPathComponent("results/assessment.csv")
    try FileManager.default.createDirectory(
      at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: Self.conditional, toPath: copy.path)

    // Without --record nothing is recorded and no history is created.
    let plain = try CLI.run(["analyze", "results", "--assessment-date", "2025-01-15", "--out", "out"], cwd: root)
    #expect(plain.status == 0, "\(plain.stderr)")
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out/.poam/history.sqlite").path))
    #expect(!plain.stdout.contains("Recorded run"))

    // --record, inputs given as a directory: the file read is recorded, relative to the working directory.
    let recorded = try CLI.run(
      ["analyze", "results", "--assessment-date", "2025-01-15", "--out", "out", "--record"], cwd: root)
    #expect(recorded.status == 0, "\(recorded.stderr)")
    let history = root.appendingPathComponent("out/.poam/history.sqlite").path
    #expect(FileManager.default.fileExists(atPath: history))
    #expect(recorded.stdout.contains("Recorded run 1 in "), "\(recorded.stdout)")
    #expect(recorded.stdout.contains("out/.poam/history.sqlite"))
    let runs = try Self.runs(history)
    #expect(runs.count == 1)
    let inputs = try #require(runs.first?["inputs"] as? [[String: Any]])
    #expect(inputs.first?["name"] as? String == "results/assessment.csv")
    #expect(inputs.first?["sha256"] as? String == (try Self.sha256sum(Self.conditional)))
  }

  @Test func aNewerHistoryStopsTheRunBeforeAnyOutputIsWritten() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let history = root.appendingPathComponent("history.sqlite").path
    let first = try CLI.run([
      "analyze", Self.conditional, "--assessment-date", "2025-01-15", "--history", history, "--out",
      root.appendingPathComponent("out").path,
    ])
    #expect(first.status == 0, "\(first.stderr)")
    let queue = try DatabaseQueue(path: history)
    try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v9-future')") }
    try queue.close()
    let before = try POAMWorkflowTests.files.map {
      try Data(contentsOf: root.appendingPathComponent("out").appendingPathComponent($0))
    }

    let second = try CLI.run([
      "analyze", Self.notEligible, "--assessment-date", "2025-02-01", "--history", history, "--out",
      root.appendingPathComponent("out").path,
    ])
    #expect(second.status == 2)
    #expect(second.stderr.contains("written by a newer poam (schema changes v9-future"), "\(second.stderr)")
    let after = try POAMWorkflowTests.files.map {
      try Data(contentsOf: root.appendingPathComponent("out").appendingPathComponent($0))
    }
    #expect(before == after)
    #expect(try HistoryStore(path: history).runs().count == 1)
  }
}
