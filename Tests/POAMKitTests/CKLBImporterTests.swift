import Foundation
import Testing

@testable import POAMKit

/// STIG Viewer 3 checklists.
struct CKLBImporterTests {
  @Test func readsRulesAssetOverridesAndReportsWhatItCannotUse() throws {
    let result = try CKLBImporter().read(CSVImporterTests.fixture("cklb/web01-overrides.cklb"))
    // The fixture has six entries in stigs[0].rules (five rule objects and one string) and a
    // second STIG without rules.
    #expect(result.observations.count == 5)
    #expect(
      result.observations.map(\.rawStatus) == [
        "not_a_finding", "open", "not_applicable", "not_reviewed", "needs_review",
      ])
    #expect(result.observations.map(\.status) == [.met, .notMet, .notApplicable, .notAssessed, nil])
    let first = result.observations[0]
    #expect(first.asset == Asset(hostName: "web01", ip: "10.0.0.5", fqdn: "web01.example.com"))
    // No result_engine: a person's review.
    #expect(first.kind == .manual)
    #expect(
      first.refs == [
        Reference(.stigVuln, "V-230221"), Reference(.stigRule, "SV-230221r858734_rule"),
        Reference(.other, "RHEL-08-010000"), Reference(.cci, "CCI-000366"),
      ])
    #expect(first.details == "8.9")
    #expect(first.comments == nil)
    #expect(first.location == "stigs[0].rules[0]")
    let overridden = result.observations[1]
    #expect(overridden.severity == "high")
    #expect(overridden.comments == "patch next week\nseverity overridden from medium to high: internet-facing")
    #expect(overridden.refs.filter { $0.kind == .cci }.count == 2)
    #expect(result.diagnostics.map(\.location) == ["stigs[0].rules[4]", "stigs[0].rules[5]", "stigs[1]"])
  }

  @Test(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
  func noStigsArrayIsAClearError() {
    let url = Paths.sharedFile("samples/cklb/smcm_NoStigsArray.cklb")
    #expect {
      try CKLBImporter().read(InputFile(displayName: "x.cklb", content: .file(url)))
    } throws: { error in
      guard case .malformed("x.cklb", nil, nil, let expected) = error as? ImportError else { return false }
      return expected.contains("'stigs' array") && expected.contains("NotStigs")
    }
  }

  @Test func truncatedFileNamesWhereItEnds() {
    // Fixtures/bad/truncated.cklb has five lines and ends after a newline: the end is 6:1.
    #expect {
      try CKLBImporter().read(CSVImporterTests.fixture("bad/truncated.cklb"))
    } throws: { error in
      guard case .malformed(_, 6, 1, let expected) = error as? ImportError else { return false }
      return expected.contains("ends early")
    }
  }
}
