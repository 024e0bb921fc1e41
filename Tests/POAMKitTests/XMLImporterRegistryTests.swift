import Foundation
import Testing

@testable import POAMKit

/// The XML importers are registered, and the pipeline detects and reads the XML samples.
struct XMLImporterRegistryTests {
  @Test func theXMLFormatsHaveImporters() {
    let registry = ImporterRegistry.standard
    #expect(registry.importer(for: .ckl) is CKLImporter)
    #expect((registry.importer(for: .xccdf) as? XCCDFImporter)?.format == .xccdf)
    #expect((registry.importer(for: .arf) as? XCCDFImporter)?.format == .arf)
    #expect(registry.importer(for: .oscalXML) is OSCALXMLImporter)
  }

  @Test func thePipelineReadsTheXMLFixtures() throws {
    let outcome = try ImportPipeline().run([
      XMLImportTest.fixture("ckl").path, XMLImportTest.fixture("xccdf").path, XMLImportTest.fixture("oscal").path,
    ])
    #expect(
      outcome.inputs.map(\.format) == [.ckl, .ckl, .ckl, .arf, .xccdf, .xccdf, .oscalJSON, .oscalXML, .oscalJSON])
    // 4 VULNs of the Evaluate-STIG checklist, 2 of the STIG Viewer one, 7 of the two-STIG one; 9,
    // 4 and 1 rule-results; the OSCAL JSON fixture's 7 findings; 6 XML findings with a target; 4
    // subject and observation results in the observations-only (compliance-to-policy) file.
    #expect(outcome.inputs.map(\.observations) == [4, 2, 7, 9, 4, 1, 7, 6, 4])
  }

  /// Every CKL, XCCDF and OSCAL XML sample, read through the pipeline as a user would: the one
  /// malformed checklist is skipped under --keep-going and reported.
  @Test(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
  func thePipelineReadsEveryXMLSample() throws {
    let arguments = [
      Paths.sharedFile("samples/ckl").path, Paths.sharedFile("samples/xccdf").path,
      Paths.sharedFile("samples/oscal/nist_ifa_assessment-results-example.xml").path,
    ]
    let outcome = try ImportPipeline().run(arguments, options: ImportOptions(keepGoing: true))
    #expect(outcome.failures.count == 1)
    #expect(outcome.failures.first?.file.hasSuffix("smcm_all-possible-results.ckl") == true)
    // CKL 4+4+247+30+43+1+1+81 = 411; XCCDF 403+170+44+248+2+8+1 = 876; OSCAL 1.
    #expect(outcome.observations.count == 411 + 876 + 1)
  }
}
