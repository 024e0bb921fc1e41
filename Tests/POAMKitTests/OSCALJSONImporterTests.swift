import Foundation
import Testing

@testable import POAMKit

/// OSCAL assessment-results JSON and its control, statement and objective IDs.
struct OSCALJSONImporterTests {
  /// The JSON importer maps target-ids with ``OSCALTargetMapper``, like the XML importer: the
  /// fixture's `3.13.11.a` becomes objective [a] of 3.13.11 (the forms are tested with the mapper).
  @Test func targetIDsMapLikeTheXMLImporter() throws {
    let result = try OSCALJSONImporter().read(CSVImporterTests.fixture("oscal/cmmc-assessment-results.json"))
    #expect(result.observations.filter { $0.refs == [Reference(.requirement, "3.13.11[a]")] }.count == 1)
  }

  @Test func everyObjectFormResolvesThroughTheCatalog() {
    let resolver = RequirementIDResolver(catalog: TestCatalog.shared)
    for id in ["3.1.1[a]", "ac.l2-3.1.1[a]", "ac.l1-b.1.i"] {
      #expect((try? resolver.resolve(id).get()) != nil, "\(id)")
    }
  }

  @Test func findingsBecomeObservations() throws {
    let result = try OSCALJSONImporter().read(CSVImporterTests.fixture("oscal/cmmc-assessment-results.json"))
    // Seven findings in the fixture, in this order.
    #expect(result.observations.count == 7)
    #expect(result.observations.map(\.status) == [.met, .partial, .notMet, .met, .notApplicable, .met, .notAssessed])
    let first = result.observations[0]
    #expect(first.refs == [Reference(.requirement, "AC.L2-3.1.1[a]")])
    #expect(first.asset == Asset(ip: "10.1.1.10", fqdn: "fs01.acme.example"))
    #expect(first.kind == .assessor)
    #expect(first.details?.contains("Account review: Accounts are listed in AD.") == true)
    #expect(first.details?.contains("evidence: AD export https://evidence.example/ad.xlsx") == true)
    #expect(result.observations[1].rawStatus == "not-satisfied (implementation-status: partial)")
    #expect(result.observations[2].kind == .automated)  // its only observation came from a tool
    #expect(result.observations[2].asset?.hostName == "mail gateway")
    #expect(result.observations[3].refs == [Reference(.sp80053, "AC-2(1)")])
    #expect(result.observations[5].refs == [Reference(.other, "xyz-objective")])
    #expect(result.diagnostics.contains { $0.location == "results[0].findings[5]" && $0.severity == .warning })
    #expect(result.diagnostics.contains { $0.location == "results[0].findings[5]" && $0.message.contains("55555555") })
  }

  @Test(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
  func planOfActionIsNotAssessmentResults() throws {
    let url = Paths.sharedFile("samples/oscal/nist_ifa_plan-of-action-and-milestones.json")
    let file = InputFile(displayName: "poam.json", content: .file(url))
    guard case .unknown(let reason) = FormatDetector.detect(try file.prefix(FormatDetector.prefixLength)) else {
      Issue.record("a POA&M was detected as an input format")
      return
    }
    #expect(reason.contains("POA&M"))
    #expect {
      try OSCALJSONImporter().read(file)
    } throws: { error in
      guard case .unsupported(_, let reason) = error as? ImportError else { return false }
      return reason.contains("plan-of-action-and-milestones")
    }
  }

  @Test(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
  func repeatedObservationUUIDsKeepEveryObservation() throws {
    // The FedRAMP template repeats observation UUIDs 21b26801… (twice) and 6d4435b2… (three
    // times); finding 6 cites 21b26801, whose two copies hold different evidence.
    let url = Paths.sharedFile("samples/oscal/fedramp_rev5_SAR-OSCAL-Template_assessment-results.json")
    let result = try OSCALJSONImporter().read(InputFile(displayName: "sar.json", content: .file(url)))
    let details = try #require(result.observations[6].details)
    #expect(details.contains("Spear Phishing Report") && details.contains("Penetration Test Report"))
    #expect(result.diagnostics.filter { $0.message.contains("share the UUID") }.count == 2)
  }
}
