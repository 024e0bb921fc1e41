import Foundation
import Testing

@testable import POAMKit

/// `poam import` and `poam formats`, run as a process.
struct ImportCommandTests {
  static func fixture(_ name: String) -> String { Paths.fixtures.appendingPathComponent(name).path }

  func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test func jsonHasObservationsDiagnosticsAndSummary() throws {
    let path = Self.fixture("csv/assessor-banner.csv")
    let result = try CLI.run(["import", path])
    #expect(result.status == 0, "\(result.stderr)")
    let output = try json(result.stdout)
    let observations = try #require(output["observations"] as? [[String: Any]])
    #expect(observations.count == 8)
    for observation in observations {
      for key in [
        "source", "location", "asset", "kind", "refs", "raw_status", "status", "requirements", "objectives",
      ] {
        #expect(observation[key] != nil, "missing \(key)")
      }
    }
    let first = observations[0]
    #expect(first["requirements"] as? [String] == ["AC.L2-3.1.1"])
    #expect(first["objectives"] as? [String] == ["AC.L2-3.1.1[a]"])
    #expect((first["asset"] as? [String: Any])?["host_name"] as? String == "web01")
    let partial = observations[3]
    #expect(partial["requirements"] as? [String] == ["IA.L2-3.5.3"])
    #expect(partial["status"] as? String == "partial")
    #expect(partial["partial_points"] as? Int == 3)
    let diagnostics = try #require(output["diagnostics"] as? [[String: Any]])
    #expect(diagnostics.allSatisfy { $0["severity"] != nil && $0["source"] != nil && $0["location"] != nil })
    let summary = try #require(output["summary"] as? [String: Any])
    let inputs = try #require(summary["inputs"] as? [[String: Any]])
    #expect(inputs.count == 1 && inputs[0]["format"] as? String == "csv" && inputs[0]["observations"] as? Int == 8)
    // Diagnostics also reach standard error in the file:location: severity: message form.
    // Named relative to the working directory (the package root), never by the absolute path.
    #expect(result.stderr.contains("Fixtures/csv/assessor-banner.csv:14: warning: no requirement or rule ID"))
    #expect(!result.stdout.contains(path) && !result.stderr.contains(path))
  }

  @Test func csvOutputNeutralisesFormulas() throws {
    let result = try CLI.run(["import", "--format", "csv", Self.fixture("csv/formula-injection.csv")])
    #expect(result.status == 0, "\(result.stderr)")
    let rows = try DelimitedText.parse(result.stdout, delimiter: ",")
    #expect(rows[0].cells == ImportReport.csvColumns)
    let comments = try #require(ImportReport.csvColumns.firstIndex(of: "comments"))
    #expect(
      rows.dropFirst().map { $0.cells[comments] } == [
        "'=HYPERLINK(\"http://evil.example\",\"click\")", "'+1+1", "'-2", "'@SUM(A1)",
      ])
    #expect(result.stdout.hasSuffix("\r\n"))
  }

  @Test func levelKeepsOnlyObservationsInScope() throws {
    let path = Self.fixture("oscal/cmmc-assessment-results.json")
    let all = try json(try CLI.run(["import", path]).stdout)
    #expect((all["observations"] as? [Any])?.count == 7)
    // Two findings resolve to nothing (xyz-objective, and ac-2.1_smt.a: AC-2(1) is in no
    // Appendix D row and does not borrow AC-2's); the five others name Level 2 requirements,
    // so Level 2 keeps five and Level 1 keeps none.
    let two = try json(try CLI.run(["import", "--level", "2", path]).stdout)
    let kept = try #require(two["observations"] as? [[String: Any]])
    #expect(kept.count == 5)
    #expect(kept.allSatisfy { !(($0["requirements"] as? [String]) ?? []).isEmpty })
    #expect((two["summary"] as? [String: Any])?["excluded_by_level"] as? Int == 2)
    let one = try json(try CLI.run(["import", "--level", "1", path]).stdout)
    #expect((one["observations"] as? [Any])?.count == 0)
  }

  @Test func badInputExitsTwoWithNothingOnStandardOutput() throws {
    for (name, place) in [
      ("bad/malformed.json", "malformed.json:4:33: "), ("bad/latin1.csv", "latin1.csv:3:18: "),
      ("bad/missing-status.csv", "missing-status.csv:2: "),
      ("bad/unterminated-quote.csv", "unterminated-quote.csv:3:15: "),
      ("bad/zero-byte.csv", "zero-byte.csv: "), ("bad/garbage.bin", "garbage.bin: "),
    ] {
      let result = try CLI.run(["import", Self.fixture(name)])
      #expect(result.status == 2, "\(name)")
      #expect(result.stdout.isEmpty, "\(name)")
      #expect(result.stderr.contains(place), "\(name): \(result.stderr)")
    }
  }

  @Test func keepGoingReportsEachBadFileAndExitsOne() throws {
    let bad = Self.fixture("bad/malformed.json")
    let result = try CLI.run([
      "import", "--keep-going", bad, Self.fixture("csv/pipe.txt"), Self.fixture("bad/latin1.csv"),
    ])
    #expect(result.status == 1)
    let output = try json(result.stdout)
    #expect((output["observations"] as? [Any])?.count == 3)
    #expect(((output["summary"] as? [String: Any])?["failed_inputs"] as? [String])?.count == 2)
    let shown = "Fixtures/bad/malformed.json"
    #expect(result.stderr.contains("\(shown): error: skipped (--keep-going): \(shown):4:33:"), "\(bad)")
  }

  @Test func standardInputAndInputFormatOverride() throws {
    let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("csv/tab.tsv")))
    let result = try CLI.run(["import", "-"], stdin: bytes)
    #expect(result.status == 0, "\(result.stderr)")
    let observations = try #require(try json(result.stdout)["observations"] as? [[String: Any]])
    #expect(observations.count == 3 && observations.allSatisfy { $0["source"] as? String == "-" })
    // Detection says this note is not an assessment; forcing CSV gives the CSV importer's reason.
    let forced = try CLI.run(["import", "--input-format", "csv", Self.fixture("bad/no-header.txt")])
    #expect(forced.status == 2)
    #expect(forced.stderr.contains("no header row in rows 1–2"))
    let wrong = try CLI.run(["import", "--input-format", "cklb", Self.fixture("hdf/overlay-and-statuses.json")])
    #expect(wrong.status == 2 && wrong.stderr.contains("'stigs' array"))
  }

  @Test func usageErrorsExitTwo() throws {
    #expect(try CLI.run(["import"]).status == 2)
    #expect(try CLI.run(["import", "--format", "yaml", Self.fixture("csv/tab.tsv")]).status == 2)
    #expect(try CLI.run(["import", "--input-format", "pdf", Self.fixture("csv/tab.tsv")]).status == 2)
    #expect(try CLI.run(["import", "/no/such/file"]).status == 2)
  }

  @Test func formatsListsEveryFormat() throws {
    let text = try CLI.run(["formats"])
    #expect(text.status == 0)
    for format in InputFormat.allCases { #expect(text.stdout.contains(format.rawValue)) }
    let output = try CLI.run(["formats", "--format", "json"])
    let entries = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
    #expect(entries.count == InputFormat.allCases.count)
    let csv = try #require(entries.first { $0["format"] as? String == "csv" })
    #expect(csv["available"] as? Bool == true)
    #expect((csv["detected_by"] as? String)?.contains("header row") == true)
  }
}
