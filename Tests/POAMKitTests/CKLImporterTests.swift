import Foundation
import Testing

@testable import POAMKit

/// The CKL importer on every checklist in `../shared/samples/ckl` and on poam's own fixtures.
///
/// The expected numbers were counted with Python's xml.etree, independently of poam:
/// `len(root.iter('VULN'))`, `Counter(v.findtext('STATUS'))`, and the number of
/// `STIG_DATA` whose `VULN_ATTRIBUTE` is `CCI_REF` (no VULN repeats a CCI, so that is also the
/// number of distinct CCI references).
@Suite(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
struct CKLSampleTests {
  struct Expected: Sendable, CustomStringConvertible {
    var file: String
    var statuses: [String: Int]
    var cciRefs: Int
    var stigs: Int = 1
    var description: String { file }
    var total: Int { statuses.values.reduce(0, +) }
  }

  static let samples: [Expected] = [
    Expected(
      file: "heimdall2_converted-rhel8_oneOfEachControlStatus.ckl",
      statuses: ["met": 1, "not-met": 1, "not-applicable": 1, "not-assessed": 1], cciRefs: 4),
    Expected(
      file: "mitre-saf_converted-rhel7_overrides.ckl", statuses: ["not-met": 3, "not-assessed": 1], cciRefs: 5),
    Expected(
      file: "mitre-saf_red_hat_good.ckl", statuses: ["met": 214, "not-assessed": 9, "not-applicable": 24],
      cciRefs: 393),
    Expected(
      file: "smcm_Asset_a-multi-stig.ckl",
      statuses: ["not-assessed": 24, "met": 3, "not-met": 2, "not-applicable": 1], cciRefs: 42, stigs: 3),
    Expected(file: "smcm_CA1294WK16078_Chrome_V2R8_20231211-125631.ckl", statuses: ["met": 43], cciRefs: 43),
    Expected(file: "smcm_No-Asset-xml-element.ckl", statuses: ["not-met": 1], cciRefs: 1),
    Expected(file: "smcm_html-decode.ckl", statuses: ["not-met": 1], cciRefs: 1),
    Expected(
      file: "stig-manager_VPN_SRG-Collection_X_lvl1_asset-1.ckl",
      statuses: ["met": 2, "not-applicable": 1, "not-met": 3, "not-assessed": 75], cciRefs: 85),
  ]

  static func url(_ file: String) -> URL { Paths.sharedFile("samples/ckl/\(file)") }

  @Test(arguments: samples)
  func readsEverySample(_ expected: Expected) throws {
    let result = try XMLImportTest.read(CKLImporter(), Self.url(expected.file))
    #expect(result.observations.count == expected.total)
    #expect(XMLImportTest.statusCounts(result) == expected.statuses)
    #expect(XMLImportTest.referenceCount(result, .cci) == expected.cciRefs)
    // Every VULN of these samples has a Vuln_Num and a Rule_ID.
    #expect(XMLImportTest.observationsWith(result, .stigVuln) == expected.total)
    #expect(XMLImportTest.observationsWith(result, .stigRule) == expected.total)
    #expect(result.observations.allSatisfy { $0.line != nil })
    // Heimdall's conversions of scans are automated; STIG Manager's exports are people's
    // reviews; Evaluate-STIG's checklist is the engine's, but for the one rule its answer file set.
    let kinds = Dictionary(grouping: result.observations, by: \.kind).mapValues(\.count)
    if expected.file.hasPrefix("heimdall2") || expected.file.hasPrefix("mitre-saf") {
      #expect(kinds == [.automated: expected.total])
    } else if expected.file.contains("Chrome") {
      #expect(kinds == [.automated: expected.total - 1, .manual: 1])
    } else {
      #expect(kinds == [.manual: expected.total])
    }
    let stigs = Set(result.observations.map { $0.location.split(separator: "/")[2] })
    #expect(stigs.count == expected.stigs)
    // The only warning these samples earn: an ASSET with an empty HOST_NAME (the MITRE/Heimdall
    // conversions), said once per file.
    let warnings = result.diagnostics.filter { $0.severity == .warning || $0.severity == .error }
    #expect(warnings.allSatisfy { $0.code == .missingHost } && warnings.count <= 1)
  }

  @Test func everySampleFileIsCovered() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Paths.sharedFile("samples/ckl").path).sorted()
    let covered = Set(Self.samples.map(\.file) + ["smcm_all-possible-results.ckl"])
    #expect(Set(files) == covered)
  }

  /// The file has a stray `</VULN>` at line 255 (xmllint: "Opening and ending tag mismatch:
  /// iSTIG line 21 and VULN"); a real XML parser must refuse it and say where.
  @Test func refusesTheMalformedSampleNamingLineAndColumn() throws {
    let url = Self.url("smcm_all-possible-results.ckl")
    let error = XMLImportTest.importError { _ = try XMLImportTest.read(CKLImporter(), url, displayName: "all.ckl") }
    guard case .malformed(let file, let line, let column, let expected) = error else {
      Issue.record("expected a malformed-file error, got \(String(describing: error))")
      return
    }
    #expect(file == "all.ckl")
    #expect(line == 255)
    #expect(column != nil)
    #expect(expected.contains("Opening and ending tag mismatch"))
    #expect(error?.localizedDescription.hasPrefix("all.ckl:255:") == true)
  }

  @Test func readsAssetAndProducerFromAnEvaluateSTIGChecklistWithBOMAndCRLF() throws {
    let result = try XMLImportTest.read(CKLImporter(), Self.url("smcm_CA1294WK16078_Chrome_V2R8_20231211-125631.ckl"))
    let first = try #require(result.observations.first)
    #expect(
      first.asset
        == Asset(
          hostName: "CA1294WK16078", ip: "130.163.x.x, 192.168.x.x", fqdn: "ca1294wk16078.cranrdte.navy.mil",
          mac: "00:05:9A:3C:7A:00, 2C:DB:07:3D:E5:9B"))
    #expect(first.location == "CHECKLIST/STIGS/iSTIG[1]/VULN[1]")
    #expect(first.producer?.tool.contains("Chrome") == true)
    #expect(first.details?.contains("\r") == false)
  }

  @Test func decodesEntitiesAndCharacterReferences() throws {
    let result = try XMLImportTest.read(CKLImporter(), Self.url("smcm_html-decode.ckl"))
    let observation = try #require(result.observations.first)
    // &amp; &lt; &gt; &quot; &#039; &#x26; &#60; ... &#65; &#46; &#37; &#44; &#126;
    #expect(observation.details == "& < > \" ' & < & < > \" ' A . % , ~")
    #expect(observation.asset == Asset(hostName: "Asset_aaaaaaaaaa", ip: "10.2.2.2", fqdn: "hostname"))
    #expect(observation.refs.contains(Reference(.cci, "CCI-001453")))
    #expect(observation.producer == Producer(tool: "Red Hat Enterprise Linux 9 TRUNCATED", version: "V1R1"))
  }

  @Test func appliesSeverityOverrideAndKeepsTheJustification() throws {
    let result = try XMLImportTest.read(CKLImporter(), Self.url("mitre-saf_converted-rhel7_overrides.ckl"))
    let overridden = try #require(result.observations.first { $0.refs.contains(Reference(.stigVuln, "V-71855")) })
    #expect(overridden.severity == "medium")
    #expect(overridden.comments?.contains("This system is not important") == true)
    #expect(overridden.comments?.contains("from low to medium") == true)
    #expect(overridden.rawStatus == "Not_Reviewed")
    #expect(overridden.status == .notAssessed)
  }

  @Test func locatesVulnsOfEachSTIGInAMultiSTIGChecklist() throws {
    let result = try XMLImportTest.read(CKLImporter(), Self.url("smcm_Asset_a-multi-stig.ckl"))
    let locations = result.observations.map(\.location)
    #expect(Set(locations).count == locations.count)
    #expect(locations.contains { $0.hasPrefix("CHECKLIST/STIGS/iSTIG[3]/VULN[") })
    #expect(Set(result.observations.map { $0.producer?.tool ?? "" }).count == 3)
  }

  @Test func notesAChecklistWithoutAsset() throws {
    let result = try XMLImportTest.read(CKLImporter(), Self.url("smcm_No-Asset-xml-element.ckl"))
    #expect(result.observations.first?.asset == nil)
    #expect(result.diagnostics.contains { $0.severity == .note && $0.message.contains("no ASSET") })
  }
}

/// The CKL importer on poam's own fixture: BOM, CRLF, two iSTIGs, statuses in any case,
/// NIST SP 800-171 and CMMC attributes, a missing STATUS, an unknown status, a VULN without IDs.
struct CKLFixtureTests {
  static let url = XMLImportTest.fixture("ckl/two-stigs-bom-crlf.ckl")

  @Test func readsEveryVulnOfBothSTIGs() throws {
    let result = try XMLImportTest.read(CKLImporter(), Self.url)
    #expect(result.observations.count == 7)
    #expect(
      result.observations.map(\.location) == [
        "CHECKLIST/STIGS/iSTIG[1]/VULN[1]", "CHECKLIST/STIGS/iSTIG[1]/VULN[2]", "CHECKLIST/STIGS/iSTIG[1]/VULN[3]",
        "CHECKLIST/STIGS/iSTIG[2]/VULN[1]", "CHECKLIST/STIGS/iSTIG[2]/VULN[2]", "CHECKLIST/STIGS/iSTIG[2]/VULN[3]",
        "CHECKLIST/STIGS/iSTIG[2]/VULN[4]",
      ])
    #expect(
      result.observations.map(\.rawStatus) == [
        "open", "NOTAFINDING", "not_applicable", "Not_Reviewed", "", "Maybe", "Open",
      ])
    #expect(
      result.observations.map(\.status) == [.notMet, .met, .notApplicable, .notAssessed, .notAssessed, nil, .notMet])
  }

  @Test func readsAssetProducerAndFields() throws {
    let result = try XMLImportTest.read(CKLImporter(), Self.url)
    let first = result.observations[0]
    #expect(first.asset == Asset(hostName: "web01", ip: "10.0.0.5", fqdn: "web01.example.mil"))
    #expect(first.producer == Producer(tool: "Example Web Server STIG", version: "V2R7"))
    #expect(result.observations[3].producer == Producer(tool: "Second_STIG"))
    #expect(first.title == "Sessions must time out.")
    #expect(first.severity == "high")
    #expect(first.details == "Timeout is 60 minutes.\nSecond line.")
    #expect(first.comments == "Ticket 42")
    #expect(
      first.refs == [
        Reference(.stigVuln, "V-1001"), Reference(.stigRule, "SV-1001r1_rule"), Reference(.other, "WEB-001"),
        Reference(.cci, "CCI-000015"),
        Reference(.cci, "CCI-001453"),
      ])
    // The VULN starts on line 18 of the fixture (counted with grep -n).
    #expect(first.line == 18)
  }

  @Test func readsNIST800171AndCMMCReferences() throws {
    let result = try XMLImportTest.read(CKLImporter(), Self.url)
    #expect(result.observations[1].refs.contains(Reference(.requirement, "3.3.8")))
    #expect(result.observations[1].refs.contains(Reference(.requirement, "AU.L2-3.3.9")))
    #expect(result.observations[2].refs.contains(Reference(.requirement, "AC.L2-3.1.1")))
    #expect(result.observations[2].severity == "high")
    #expect(result.observations[2].comments == "Severity overridden from low to high: Internet facing")
  }

  @Test func reportsMissingStatusUnknownWordsAndUnmappableVulns() throws {
    let result = try XMLImportTest.read(CKLImporter(), Self.url)
    let messages = result.diagnostics.map { "\($0.location) \($0.message)" }
    #expect(messages.contains { $0.hasPrefix("CHECKLIST/STIGS/iSTIG[2]/VULN[2] VULN has no STATUS") })
    #expect(messages.contains { $0.hasPrefix("CHECKLIST/STIGS/iSTIG[2]/VULN[3] unknown status 'Maybe'") })
    #expect(messages.contains { $0.hasPrefix("CHECKLIST/STIGS/iSTIG[2]/VULN[4] VULN has no Vuln_Num") })
    #expect(result.diagnostics.count == 3)
  }

  @Test func readsTheSameFromMemoryAsFromDisk() throws {
    let fromDisk = try XMLImportTest.read(CKLImporter(), Self.url, displayName: "x.ckl")
    let fromMemory = try XMLImportTest.read(CKLImporter(), data: try Data(contentsOf: Self.url), displayName: "x.ckl")
    #expect(fromDisk.observations == fromMemory.observations)
    #expect(fromDisk.diagnostics == fromMemory.diagnostics)
  }

  @Test func refusesAnotherXMLDocument() throws {
    let error = XMLImportTest.importError {
      _ = try XMLImportTest.read(CKLImporter(), XMLImportTest.fixture("bad/wrong-root.xml"), displayName: "w.xml")
    }
    #expect(
      error
        == .unsupported(
          file: "w.xml",
          reason: "expected a STIG checklist (root element CHECKLIST), found root element <html> at line 2"))
  }
}

/// The tool that signed a checklist, from the comments before its root (as in the samples).
struct CKLGeneratorTests {
  @Test func readsTheSigningTool() {
    #expect(
      XMLImportSupport.generator(in: ["Heimdall Version :: 2.10.1"]) == Producer(tool: "Heimdall", version: "2.10.1"))
    #expect(
      XMLImportSupport.generator(in: [" STIG Manager 1.3.13 ", " Classification: NONE "])
        == Producer(tool: "STIG Manager", version: "1.3.13"))
    #expect(
      XMLImportSupport.generator(in: ["<Evaluate-STIG><version>1.2310.1</version></Evaluate-STIG>"])
        == Producer(tool: "Evaluate-STIG", version: "1.2310.1"))
    #expect(
      XMLImportSupport.generator(in: ["DISA STIG Viewer :: 2.17"])
        == Producer(tool: "DISA STIG Viewer", version: "2.17"))
    #expect(XMLImportSupport.generator(in: ["Classification: NONE"]) == nil)
    #expect(
      CKLImporter.producer(info: [:], generator: Producer(tool: "Heimdall", version: "2.10.1"))
        == Producer(tool: "Heimdall", version: "2.10.1"))
  }
}
