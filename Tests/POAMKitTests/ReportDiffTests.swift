import Foundation
import Testing

@testable import POAMKit

/// `poam diff` comparisons, with expectations worked out by hand from the fixtures.
struct ReportDiffTests {
  static let later: AssessmentSnapshot = {
    do { return try BaselineLoader(catalog: TestCatalog.shared).load(path: POAMFixtures.laterPath) } catch {
      fatalError("\(error)")
    }
  }()

  @Test func twoPOAMs() throws {
    let diff = ReportDiff.compare(old: POAMFixtures.baseline, new: Self.later, asOf: "2025-01-01")
    // Later: item 1 (AC.L2-3.1.10) closed, item 3 (AC.L2-3.1.11) reopened, new item 5 (AC.L2-3.1.8).
    #expect(diff.gapsOpened == ["AC.L2-3.1.8", "AC.L2-3.1.11"])
    #expect(diff.gapsClosed == ["AC.L2-3.1.10"])
    #expect(diff.itemsReopened.map(\.itemID) == ["33333333-3333-4333-8333-333333333333"])
    // Open in the later POA&M and past due on 2025-01-01: only item 4 (milestone ended 2021-03-31).
    #expect(diff.itemsOverdue.map(\.itemID) == ["44444444-4444-4444-8444-444444444444"])
    #expect(diff.scoreChange == -1)
    #expect(!diff.eligibilityLost)
    #expect(diff.evidenceLost.isEmpty)
    #expect(diff.changes.map(\.id) == ["AC.L2-3.1.8", "AC.L2-3.1.10", "AC.L2-3.1.11"])
    #expect(diff.old.openItems == 3 && diff.new.openItems == 4)
    let text = try ReportDiffRenderer.render(diff, format: .text)
    #expect(
      text.hasPrefix(
        "score 107 → 106 (-1); status unchanged (conditional); 2 gaps opened, 1 closed; 1 item reopened; 1 item overdue\n"
      ))
    #expect(text.contains("reopened: Terminate idle sessions [AC.L2-3.1.11], due 2026-06-30"))
    #expect(text.contains("overdue as of 2025-01-01: Insider threat awareness training [AT.L2-3.2.3], due 2021-03-31"))
  }

  @Test func gapReportsJSONAndMarkdown() throws {
    let old = HandReports.make(
      score: 104, status: .notEligible, statuses: ["AC.L2-3.1.1": .notMet, "AC.L2-3.1.3": .notAssessed])
    let new = HandReports.make(
      score: 103, status: .notEligible,
      statuses: ["AC.L2-3.1.2": .notMet, "AC.L2-3.1.3": .notMet, "AC.L2-3.1.4": .notAssessed])
    let diff = ReportDiff.compare(
      old: AssessmentSnapshot(report: old, source: "old.json"),
      new: AssessmentSnapshot(report: new, source: "new.json"),
      asOf: "2025-01-01")
    #expect(diff.gapsOpened == ["AC.L2-3.1.2"])
    #expect(diff.gapsClosed == ["AC.L2-3.1.1"])
    #expect(diff.gapsNewlyAssessed == ["AC.L2-3.1.3"])
    #expect(diff.evidenceLost == ["AC.L2-3.1.4"])
    #expect(diff.evidenceGained == ["AC.L2-3.1.3"])
    #expect(diff.gotWorse && diff.improved)
    let json = try ReportDiffRenderer.render(diff, format: .json)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    for key in [
      "old", "new", "as_of", "score_change", "gaps_opened", "gaps_closed", "gaps_newly_assessed", "evidence_lost",
      "evidence_gained", "changes", "items_reopened", "items_overdue", "notes",
    ] {
      #expect(object[key] != nil, "missing \(key)")
    }
    #expect(object["gaps_opened"] as? [String] == ["AC.L2-3.1.2"])
    #expect((object["old"] as? [String: Any])?["score"] as? Int == 104)
    let markdown = try ReportDiffRenderer.render(diff, format: .markdown)
    #expect(markdown.hasPrefix("**score 104 → 103 (-1); status unchanged (not-eligible); 1 gap opened, 1 closed**"))
    #expect(markdown.contains("| AC.L2-3.1.3 | NOT ASSESSED | NOT MET | Control CUI Flow |"))
  }

  @Test func naturalOrderWithoutAReport() {
    let ids = ["AC.L2-3.1.10", "AC.L2-3.1.2", "AC.L2-3.1.1", "AU.L2-3.3.1"]
    #expect(RequirementOrder(nil).sort(ids) == ["AC.L2-3.1.1", "AC.L2-3.1.2", "AC.L2-3.1.10", "AU.L2-3.3.1"])
  }
}
