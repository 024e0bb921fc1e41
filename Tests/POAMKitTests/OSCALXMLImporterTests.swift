import Foundation
import Testing

@testable import POAMKit

/// The OSCAL target mapper: every ID form the OSCAL importers (XML and JSON) meet.
struct OSCALTargetMapperTests {
  @Test(arguments: [
    ("ac-2", Reference(.sp80053, "AC-2")),
    ("AC-02", Reference(.sp80053, "AC-2")),
    ("ac-2.1", Reference(.sp80053, "AC-2(1)")),
    ("ac-6.1_obj", Reference(.sp80053, "AC-6(1)")),
    ("ca-8.1_obj", Reference(.sp80053, "CA-8(1)")),
    ("cm-2.1_smt.c", Reference(.sp80053, "CM-2(1)")),
    ("ac-1.a.1_obj.1", Reference(.sp80053, "AC-1")),
    ("at-2.c_obj.2", Reference(.sp80053, "AT-2")),
    ("au-1_smt.a", Reference(.sp80053, "AU-1")),
    ("3.1.1", Reference(.requirement, "3.1.1")),
    ("3.1.1_smt", Reference(.requirement, "3.1.1")),
    ("ra-5_smt.a", Reference(.sp80053, "RA-5")),
    ("3.1.1_obj.a", Reference(.requirement, "3.1.1[a]")),
    ("3.1.1_obj.a.1", Reference(.requirement, "3.1.1[a]")),
    ("3.1.1_obj.b", Reference(.requirement, "3.1.1[b]")),
    ("3.1.1.a", Reference(.requirement, "3.1.1[a]")),
    ("3.13.11.a", Reference(.requirement, "3.13.11[a]")),
    ("3.1.2e", Reference(.requirement, "3.1.2e")),
    ("3.1.2e_obj.b", Reference(.requirement, "3.1.2e[b]")),
    ("3.1.2e.b", Reference(.requirement, "3.1.2e[b]")),
    ("ac.l2-3.1.1", Reference(.requirement, "AC.L2-3.1.1")),
    ("AC.L2-3.1.1_obj.a", Reference(.requirement, "AC.L2-3.1.1[a]")),
    ("ac.l2-3.1.1.a", Reference(.requirement, "AC.L2-3.1.1[a]")),
    ("sc.l2-3.13.1", Reference(.requirement, "SC.L2-3.13.1")),
    ("ac.l1-b.1.i", Reference(.requirement, "AC.L1-b.1.i")),
    ("ac.l1-b.1.ii", Reference(.requirement, "AC.L1-b.1.ii")),
    ("ac.l1-b.1.i.a", Reference(.requirement, "AC.L1-b.1.i[a]")),
    (" 3.1.1\n", Reference(.requirement, "3.1.1")),
    ("sp800-171_3.1.1", Reference(.requirement, "3.1.1")),
    ("nist_sp_800-171r2_3.1.1", Reference(.requirement, "3.1.1")),
    ("sp_800_171_03.01.01", Reference(.requirement, "03.01.01")),
  ])
  func mapsOSCALIDs(_ id: String, _ expected: Reference) {
    #expect(OSCALTargetMapper.reference(for: id) == expected)
  }

  @Test(arguments: ["", "org-custom-7_obj", "ac-2x", "hello", "3.1", "xyz-objective"])
  func leavesOtherIDsUnmapped(_ id: String) {
    #expect(OSCALTargetMapper.reference(for: id) == nil)
  }

  @Test func everyMappedRequirementResolvesInTheCatalog() {
    let resolver = RequirementIDResolver(catalog: TestCatalog.shared)
    for id in [
      "3.1.1_obj.a", "ac.l2-3.1.1_obj.b", "3.1.2e_obj.b", "ac.l1-b.1.i", "sp800-171_3.13.11", "3.1.1.a",
      "ac.l2-3.1.1.a", "ac.l1-b.1.i.a", "3.13.11.a",
    ] {
      guard let reference = OSCALTargetMapper.reference(for: id) else {
        Issue.record("\(id) did not map")
        continue
      }
      if case .failure(let error) = resolver.resolve(reference.value) { Issue.record("\(id): \(error)") }
    }
    if case .success(let resolved) = resolver.resolve(OSCALTargetMapper.reference(for: "ac.l2-3.1.1_obj.b")!.value) {
      #expect(resolved.requirement == "AC.L2-3.1.1")
      #expect(resolved.objective == "b")
    }
  }

  @Test func mapsFindingStates() {
    #expect(OSCALTargetMapper.status(state: "satisfied") == .met)
    #expect(OSCALTargetMapper.status(state: "not-satisfied") == .notMet)
    #expect(OSCALTargetMapper.status(state: "other") == nil)
  }
}

/// The OSCAL XML importer on the NIST sample and poam's fixture.
struct OSCALXMLImporterTests {
  /// xmllint: `count(//*[local-name()='finding'])` = 1, its target `ac-6.1_obj` is
  /// `not-satisfied`; `count(//*[local-name()='observation'])` = 2, one related to the finding.
  @Test(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
  func readsTheNISTSample() throws {
    let url = Paths.sharedFile("samples/oscal/nist_ifa_assessment-results-example.xml")
    #expect(FormatDetector.detect(try Data(contentsOf: url)) == .format(.oscalXML))
    let result = try XMLImportTest.read(OSCALXMLImporter(), url)
    #expect(result.observations.count == 1)
    let finding = try #require(result.observations.first)
    #expect(finding.status == .notMet)
    #expect(finding.rawStatus == "not-satisfied")
    #expect(
      finding.refs == [Reference(.sp80053, "AC-6(1)"), Reference(.other, "45d8a6c2-1368-4bad-9ba0-7141f0a32889")])
    #expect(finding.title == "GoodRead AwesomeCloud Account's System Engineer Role Permits High Risk Actions")
    #expect(finding.location == "result[1]/finding[1]")
    #expect(finding.line == 197)
    #expect(finding.comments == "This is a finding.")
    #expect(finding.details?.contains("awesomecloud:auditlog:DeleteAccountAuditLog") == true)
    #expect(finding.details?.contains("Delete and reset account audit logs.") == true)
    #expect(finding.producer == Producer(tool: "OSCAL assessment-results", version: "1.1.2"))
    #expect(result.diagnostics.count == 1)
    #expect(result.diagnostics.first?.message.hasPrefix("1 observation is not related to any finding") == true)
  }

  static let fixture = XMLImportTest.fixture("oscal/cmmc-assessment-results.xml")

  @Test func readsEveryFindingWithATarget() throws {
    let result = try XMLImportTest.read(OSCALXMLImporter(), Self.fixture)
    #expect(
      result.observations.map(\.location) == [
        "result[1]/finding[1]", "result[1]/finding[2]", "result[1]/finding[3]", "result[1]/finding[5]",
        "result[1]/finding[6]", "result[2]/finding[1]",
      ])
    #expect(result.observations.map(\.status) == [.met, .notMet, .notMet, .met, nil, .met])
    #expect(
      result.observations.map { $0.refs.first } == [
        Reference(.requirement, "AC.L2-3.1.1[a]"), Reference(.requirement, "3.1.5"), Reference(.sp80053, "AC-2(1)"),
        Reference(.other, "org-custom-7_obj"), Reference(.requirement, "3.1.3[a]"), Reference(.requirement, "3.1.1[b]"),
      ])
    let warnings = result.diagnostics.filter { $0.severity == .warning }.map { "\($0.location) \($0.message)" }
    #expect(warnings.count == 2)
    #expect(
      warnings.contains { $0.hasPrefix("result[1]/finding[4] finding 'A finding without a target' has no target") })
    #expect(warnings.contains { $0.hasPrefix("result[1]/finding[6] unknown status 'kinda'") })
    #expect(result.diagnostics.contains { $0.message.hasPrefix("1 observation is not related to any finding") })
  }

  @Test func takesAssetKindEvidenceAndCommentsFromRelatedObservations() throws {
    let result = try XMLImportTest.read(OSCALXMLImporter(), Self.fixture)
    let first = result.observations[0]
    #expect(first.asset == Asset(hostName: nil, ip: "10.0.0.5", fqdn: "web01.example.mil"))
    #expect(first.kind == .automated)
    #expect(first.producer == Producer(tool: "Example Scanner"))
    #expect(
      first.details
        == "All accounts map to people.\n\nObservation: Account list review. Compared the account list with the HR roster.\n\nEvidence: Account export (https://evidence.example.mil/accounts.csv)"
    )
    let second = result.observations[1]
    #expect(second.kind == .assessor)
    #expect(second.asset == nil)
    #expect(second.comments == "Not met.\nFix planned for March.")
    #expect(result.observations[5].asset == Asset(hostName: "mail01"))
  }

  @Test func resolvesToCMMCRequirementsAndObjectives() throws {
    let result = try XMLImportTest.read(OSCALXMLImporter(), Self.fixture)
    let resolved = ObservationResolver(catalog: TestCatalog.shared).resolve(result.observations)
    let targets = resolved.observations.map {
      $0.targets.map { "\($0.requirement)\($0.objective.map { "[\($0)]" } ?? "")" }
    }
    #expect(targets[0] == ["AC.L2-3.1.1[a]"])
    #expect(targets[1] == ["AC.L2-3.1.5"])
    #expect(targets[3] == [])
    #expect(targets[5] == ["AC.L2-3.1.1[b]"])
  }

  @Test func refusesOSCALOfAnotherModel() throws {
    let data = Data(#"<plan-of-action-and-milestones xmlns="http://csrc.nist.gov/ns/oscal/1.0"/>"#.utf8)
    let error = XMLImportTest.importError {
      _ = try XMLImportTest.read(OSCALXMLImporter(), data: data, displayName: "p.xml")
    }
    guard case .unsupported(_, let reason) = error else {
      Issue.record("expected an unsupported-file error, got \(String(describing: error))")
      return
    }
    #expect(reason.contains("<plan-of-action-and-milestones>"))
  }
}

/// The NIST sample's finding reaches CMMC through the catalog's NIST SP 800-53 mapping: the
/// independent mapping file in samples/mapping (NIST SP 800-171 Rev 2 Appendix D) lists AC-6(1)
/// under 3.1.5 only, and the objective table gives it the security-function objectives [c] and [d].
@Suite(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
struct OSCALXMLResolveTests {
  @Test func theNISTSampleFindingResolvesThroughItsControl() throws {
    let url = Paths.sharedFile("samples/oscal/nist_ifa_assessment-results-example.xml")
    let result = try XMLImportTest.read(OSCALXMLImporter(), url)
    let resolved = ObservationResolver(catalog: TestCatalog.shared).resolve(result.observations)
    let targets = try #require(resolved.observations.first).targets
    #expect(targets.map { "\($0.requirement)[\($0.objective ?? "")]" } == ["AC.L2-3.1.5[c]", "AC.L2-3.1.5[d]"])
    #expect(targets.allSatisfy { $0.via == .sp80053 })
  }
}
