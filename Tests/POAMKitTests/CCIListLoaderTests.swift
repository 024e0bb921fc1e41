import Foundation
import Testing

@testable import POAMKit

/// The DISA CCI list loader on `../shared/samples/mapping/DISA_U_CCI_List_2025-01-23.xml`, and
/// CCIs resolved end to end from a checklist to CMMC requirements.
///
/// Expected numbers, independently of poam: `xmllint --xpath "count(//*[local-name()='cci_item'])"`
/// gives 5137; Python's xml.etree gives 3001 CCIs with a "NIST SP 800-53 Revision 4" (version 4)
/// reference, 3836 with a "Revision 5" (version 5) one, 4569 with either, and the controls below.
@Suite(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
struct CCIListLoaderTests {
  static let path = Paths.sharedFile("samples/mapping/DISA_U_CCI_List_2025-01-23.xml").path

  static let list: CCIList = {
    do { return try CCIList.load(from: path) } catch { fatalError("the CCI list does not load: \(error)") }
  }()

  @Test func loadsEveryCCIWithAn80053Reference() {
    let list = Self.list
    #expect(list.version == "2025-01-23")
    #expect(list.rev4.count == 3001)
    #expect(list.rev5.count == 3836)
    #expect(list.count == 4569)
  }

  @Test(arguments: [
    ("CCI-000015", ["AC-2(1)"], ["AC-2(1)"]),
    ("CCI-000366", ["CM-6"], ["CM-6"]),
    ("CCI-001453", ["AC-17(2)"], ["AC-17(2)"]),
    ("CCI-002235", ["AC-6(10)"], ["AC-6(10)"]),
    ("CCI-002153", ["AC-3(3)"], ["AC-3(3)", "AC-3(15)"]),
  ])
  func mapsKnownCCIs(_ cci: String, _ rev4: [String], _ rev5: [String]) {
    #expect(Self.list.rev4[cci] ?? [] == rev4)
    #expect(Self.list.rev5[cci] ?? [] == rev5)
  }

  @Test func aCCIOnlyOlderRevisionsKnowIsNotIndexed() {
    // CCI-000001 has references to 800-53 (Rev 3), 800-53A and Rev 4 (AC-1 a 1) only.
    #expect(Self.list.rev4["CCI-000001"] == ["AC-1"])
    #expect(Self.list.rev5["CCI-000001"] == nil)
  }

  /// smcm_html-decode.ckl carries only CCI-001453. The list maps it to AC-17(2), and NIST SP
  /// 800-171 Rev 2 Appendix D (and the independent mapping file in samples/mapping) derives
  /// 3.1.13 from AC-17(2).
  @Test func resolvesAChecklistToCMMCRequirementsThroughTheList() throws {
    let result = try XMLImportTest.read(CKLImporter(), Paths.sharedFile("samples/ckl/smcm_html-decode.ckl"))
    let withList = ObservationResolver(catalog: TestCatalog.shared, cciList: Self.list).resolve(result.observations)
    let targets = try #require(withList.observations.first).targets
    #expect(targets.map(\.requirement).contains("AC.L2-3.1.13"))
    #expect(targets.allSatisfy { $0.via == .cci })

    let withoutList = ObservationResolver(catalog: TestCatalog.shared).resolve(result.observations)
    #expect(withoutList.observations.first?.targets == [])
    #expect(withoutList.diagnostics.contains { $0.code == .noCCIList && $0.message.contains("--cci-list") })
  }

  @Test func resolvesMostOfAnSCCScanThroughTheList() throws {
    let result = try XMLImportTest.read(
      XCCDFImporter(), Paths.sharedFile("samples/xccdf/mitre-saf_scc-rhel8-disa-stig-results.xml"))
    let resolved = ObservationResolver(catalog: TestCatalog.shared, cciList: Self.list).resolve(result.observations)
    let mapped = resolved.observations.filter { !$0.targets.isEmpty }
    #expect(mapped.count > resolved.observations.count / 2)
    // V-230221 (CCI-000366 → CM-6) lands on the configuration settings requirement.
    let first = try #require(resolved.observations.first)
    #expect(first.targets.map(\.requirement).contains("CM.L2-3.4.2"))
  }

  @Test func refusesAFileThatIsNotACCIList() {
    let error = XMLImportTest.importError {
      _ = try CCIList.load(from: XMLImportTest.fixture("ckl/two-stigs-bom-crlf.ckl").path)
    }
    guard case .unsupported(_, let reason) = error else {
      Issue.record("expected an unsupported-file error, got \(String(describing: error))")
      return
    }
    #expect(reason.contains("expected the DISA CCI list"))
    #expect(
      XMLImportTest.importError { _ = try CCIList.load(from: "/nonexistent/U_CCI_List.xml") }?.file
        == "/nonexistent/U_CCI_List.xml")
  }
}
