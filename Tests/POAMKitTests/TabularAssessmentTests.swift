import Foundation
import Testing

@testable import POAMKit

/// Interpreting rows of cells from any spreadsheet-like source: header, synonyms, rows.
struct TabularAssessmentTests {
  /// Rows numbered from 1, as a sheet or file would number them.
  func rows(_ cells: [[String]]) -> [TabularAssessment.Row] {
    cells.enumerated().map { TabularAssessment.Row(number: $0.offset + 1, cells: $0.element) }
  }

  @Test func headerAfterBannersAndSynonyms() throws {
    let table = TabularAssessment(source: "sheet.xlsx", numbering: .sheetRow("Assessment"))
    let result = try table.read(
      rows([
        ["CMMC Level 2 Self-Assessment", "", "", "", ""],
        ["", "", "", "", ""],
        ["Security Requirement", "Assessment Result", "Finding Details", "Hostname", "Notes"],
        ["AC.L2-3.1.1", "Fully Implemented", "AD export", "dc01", "fine"],
        ["3.1.2", "Not Implemented", "", "", ""],
      ]))
    #expect(result.observations.count == 2)
    let first = try #require(result.observations.first)
    #expect(first.location == "Assessment row 4")
    #expect(first.line == nil)
    #expect(first.kind == .assessor)
    #expect(first.refs == [Reference(.requirement, "AC.L2-3.1.1")])
    #expect(first.status == .met)
    #expect(first.details == "AD export")
    #expect(first.comments == "fine")
    #expect(first.asset?.hostName == "dc01")
    #expect(result.observations[1].status == .notMet)
    #expect(
      result.diagnostics.contains { $0.message.contains("after 2 banner row") && $0.location == "Assessment row 3" })
  }

  @Test func objectiveColumnTakesALetterOrAFullID() throws {
    let result = try TabularAssessment(source: "s.csv").read(
      rows([
        ["Requirement", "Objective", "Status"],
        ["AC.L2-3.1.1", "a", "Met"],
        ["AC.L2-3.1.1", "[b]", "Not Met"],
        ["AC.L2-3.1.1", "(c) privileged users", "Met"],
        ["", "3.1.2[a]", "Met"],
        ["3.1.3", "AC.L2-3.1.3[b]", "Met"],
        ["3.1.4", "Determine if duties are separated", "Met"],
        ["AC.L3-3.1.3e", "[ODP1]", "Met"],
      ]))
    #expect(
      result.observations.map { $0.refs.first?.value } == [
        "AC.L2-3.1.1[a]", "AC.L2-3.1.1[b]", "AC.L2-3.1.1[c]", "3.1.2[a]", "AC.L2-3.1.3[b]", "3.1.4",
        "AC.L3-3.1.3e[ODP1]",
      ])
    #expect(result.diagnostics.contains { $0.location == "7" && $0.code == .badValue })
  }

  @Test func partialCreditByStatusWordAndPointsColumn() throws {
    let result = try TabularAssessment(source: "s.csv").read(
      rows([
        ["Requirement", "Status", "Points"],
        ["IA.L2-3.5.3", "Partially Implemented", "3"],
        ["SC.L2-3.13.11", "Not Met", "3"],
        ["SC.L2-3.13.11", "Not Met", "five"],
      ]))
    #expect(result.observations.map(\.status) == [.partial, .notMet, .notMet])
    #expect(result.observations.map(\.partialPoints) == [3, 3, nil])
    #expect(result.diagnostics.contains { $0.location == "4" && $0.code == .badValue })
    let flags = try TabularAssessment(source: "s.csv").read(
      rows([
        ["Requirement", "Status", "Partial"],
        ["IA.L2-3.5.3", "Not Met", "Yes"],
        ["SC.L2-3.13.11", "Not Met", "No"],
        ["SC.L2-3.13.11", "Met", "Yes"],
      ]))
    #expect(flags.observations.map(\.status) == [.partial, .notMet, .met])
    #expect(flags.diagnostics.map(\.location) == ["4"])
  }

  @Test func everyRowIsAnObservationOrADiagnostic() throws {
    let data = [
      ["Control ID", "Status", "Comments"],
      ["AC.L2-3.1.1", "Met", ""],
      ["", "Met", "no id"],
      ["3.1.2", "Sort of", "unknown word"],
      ["", "", ""],
      ["ACCESS CONTROL", "", ""],
      ["3.1.3", "", "empty status"],
    ]
    let result = try TabularAssessment(source: "s.csv").read(rows(data))
    // By hand: rows 2, 4 and 7 are results (4 with an unknown status, 7 not assessed); row 3 has
    // no ID (warning), row 5 is blank (counted), row 6 is a heading (note).
    #expect(result.observations.map(\.line) == [2, 4, 7])
    #expect(result.observations.map(\.status) == [.met, nil, .notAssessed])
    let byLine = Dictionary(grouping: result.diagnostics, by: \.location)
    #expect(byLine["3"]?.first?.severity == .warning)
    #expect(byLine["4"]?.first?.message.contains("unknown status 'Sort of'") == true)
    #expect(byLine["6"]?.first?.severity == .note)
    #expect(result.diagnostics.contains { $0.message == "skipped 1 blank row" })
  }

  @Test func stigExportWithoutStatusIsReadAsNotReviewed() throws {
    let result = try TabularAssessment(source: "stig.csv").read(
      rows([
        ["Vuln ID", "Rule ID", "STIG ID", "CCI", "NIST SP 800-53 Revision 4 References"],
        ["V-1", "SV-1r1_rule", "X-01", "CCI-000213\nThe information system enforces...", "AC-3, AU-12 c"],
      ]))
    let observation = try #require(result.observations.first)
    #expect(observation.kind == .automated)
    #expect(observation.status == .notAssessed)
    #expect(
      observation.refs == [
        Reference(.stigVuln, "V-1"), Reference(.stigRule, "SV-1r1_rule"), Reference(.other, "X-01"),
        Reference(.cci, "CCI-000213"), Reference(.sp80053, "AC-3"), Reference(.sp80053, "AU-12 c"),
      ])
    #expect(result.diagnostics.contains { $0.severity == .warning && $0.code == .noStatusColumn })
  }

  @Test func missingStatusColumnNamesTheHeaderLineAndTheColumnsLookedFor() {
    #expect {
      try TabularAssessment(source: "s.csv").read(rows([["Title"], ["Requirement", "Notes"], ["3.1.1", "ok"]]))
    } throws: { error in
      guard case .malformed(let file, let line, _, let expected) = error as? ImportError else { return false }
      return file == "s.csv" && line == 2 && expected.contains("no status column")
        && expected.contains("Status, Result") && expected.contains("(Requirement, Notes)")
    }
  }

  @Test func missingIDColumnAndNoHeaderAtAll() {
    #expect {
      try TabularAssessment(source: "s.csv").read(rows([["Status", "Comments"], ["Met", "ok"]]))
    } throws: { error in
      guard case .malformed(_, let line, _, let expected) = error as? ImportError else { return false }
      return line == 1 && expected.contains("no column naming what was assessed") && expected.contains("Vuln ID")
    }
    #expect {
      try TabularAssessment(source: "s.csv").read(rows([["hello", "world"], ["x", "y"]]))
    } throws: { error in
      guard case .malformed(_, nil, _, let expected) = error as? ImportError else { return false }
      return expected.hasPrefix("no header row in rows 1–2")
    }
    #expect(throws: ImportError.self) { try TabularAssessment(source: "s.csv").read(rows([["", ""], [" "]])) }
  }

  @Test func leadingIDIsTakenFromADescriptiveCell() {
    #expect(TabularAssessment.leadingID("AC.L2-3.1.1 – Authorized Access Control") == "AC.L2-3.1.1")
    #expect(TabularAssessment.leadingID("3.1.1 Limit system access") == "3.1.1")
    #expect(TabularAssessment.leadingID("NIST SP 800-171 3.1.1") == "NIST SP 800-171 3.1.1")
    #expect(TabularAssessment.leadingID("AC.L2-3.1.1[a]") == "AC.L2-3.1.1[a]")
  }

  @Test func severalCandidateColumnsPickTheOneHoldingAnIDOrAStatus() throws {
    let result = try TabularAssessment(source: "s.csv").read(
      rows([
        ["ID", "Requirement", "Control ID", "Finding", "Status"],
        ["1", "Limit system access to authorized users", "AC.L2-3.1.1", "Two stale accounts found", "Not Met"],
        ["2", "Limit transactions", "AC.L2-3.1.2", "", "Met"],
      ]))
    #expect(result.observations.map { $0.refs.first?.value } == ["AC.L2-3.1.1", "AC.L2-3.1.2"])
    #expect(result.observations.map(\.status) == [.notMet, .met])
    #expect(result.observations[0].rawStatus == "Not Met")
    #expect(result.observations[0].details == "Finding: Two stale accounts found")
    #expect(result.observations[1].details == nil)
    #expect(result.diagnostics.isEmpty)
  }

  @Test func eightHundredFiftyThreeControlsInTheRequirementColumn() throws {
    let result = try TabularAssessment(source: "s.csv").read(
      rows([["Control", "Status"], ["AC-2(1)", "Met"], ["AC.L2-3.1.1", "Met"]]))
    #expect(result.observations.map { $0.refs.first?.kind } == [.sp80053, .requirement])
  }
}
