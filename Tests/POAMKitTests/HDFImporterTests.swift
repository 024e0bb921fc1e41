import Foundation
import Testing

@testable import POAMKit

/// MITRE HDF (InSpec JSON) reports.
struct HDFImporterTests {
  @Test func controlStatusFollowsHeimdallsRule() throws {
    let result = try HDFImporter().read(CSVImporterTests.fixture("hdf/overlay-and-statuses.json"))
    // The fixture lists C-1 in both profiles (results only in the overlay), then C-2..C-7.
    #expect(result.observations.count == 7)
    #expect(
      result.observations.map(\.rawStatus) == [
        "failed", "passed", "skipped", "error", "impact 0 (not applicable)", "no results", "passed",
      ])
    #expect(
      result.observations.map(\.status) == [.notMet, .met, .notAssessed, .notMet, .notApplicable, .notAssessed, .met])
    let first = result.observations[0]
    #expect(first.location == "profiles[0].controls[0]")
    #expect(first.details == "C-1 test 2: expected compliant, got noncompliant (C-1)")
    #expect(
      first.refs == [
        Reference(.sp80053, "AC-2 (1)"), Reference(.cci, "CCI-000015"), Reference(.stigVuln, "V-1001"),
        Reference(.stigRule, "SV-1001r1_rule"), Reference(.other, "ACME-01"), Reference(.other, "C-1"),
      ])
    #expect(first.asset?.hostName == "web02.example.com")
    #expect(first.producer == Producer(tool: "InSpec profile acme-overlay 1.2.0", version: "5.22.40"))
    #expect(first.severity == "high")  // from impact 0.7; tags.severity is null
    #expect(result.observations[1].refs.first == Reference(.requirement, "3.1.1"))
    #expect(result.observations[3].refs.contains(Reference(.requirement, "3.13.11")))
    #expect(result.observations[5].refs == [Reference(.other, "C-6")])  // "unmapped" is no control
    #expect(
      result.diagnostics.contains {
        $0.location == "profiles[1].controls[6]" && $0.code == .unknownStatus && $0.message.contains("weird")
      })
    #expect(result.diagnostics.contains { $0.code == .readNote && $0.message.contains("more than one profile") })
  }

  @Test func noProfilesArrayIsMalformed() {
    let data = Data(#"{"platform": {"name": "x"}, "version": "5"}"#.utf8)
    #expect {
      try HDFImporter().read(InputFile(displayName: "h.json", content: .data(data)))
    } throws: { error in
      guard case .malformed(_, _, _, let expected) = error as? ImportError else { return false }
      return expected.contains("'profiles' array") && expected.contains("platform, version")
    }
  }

  @Test func brokenJSONNamesLineAndColumn() {
    // Fixtures/bad/malformed.json line 4 is `    {"name": "x", "controls": [ }`: the `}` is column 33.
    #expect {
      try HDFImporter().read(CSVImporterTests.fixture("bad/malformed.json"))
    } throws: { error in
      guard case .malformed(_, 4, 33, let expected) = error as? ImportError else { return false }
      return expected.contains("expected a JSON value")
    }
  }
}
