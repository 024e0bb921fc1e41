import Foundation
import Testing

@testable import POAMKit

/// The XCCDF / ARF importer on every file in `../shared/samples/xccdf`.
///
/// Expected numbers were counted with Python's xml.etree, independently of poam: every
/// `rule-result` and its `result`; `notselected` results are the ones poam leaves out. "With
/// 800-171" counts imported results whose Rule has a `reference` with an href containing
/// `800-171` and non-empty text; "with 800-53" likewise for `800-53`; "with CCI" counts results
/// whose Rule or rule-result has an `ident` whose system contains `cci`.
@Suite(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
struct XCCDFSampleTests {
  struct Expected: Sendable, CustomStringConvertible {
    var file: String
    var format: InputFormat = .xccdf
    var statuses: [String: Int]
    var notSelected = 0
    var with171 = 0
    var with53 = 0
    var withCCI = 0
    var description: String { file }
    var total: Int { statuses.values.reduce(0, +) }
  }

  static let samples: [Expected] = [
    Expected(
      file: "debian12-cis_level1_server-results.xml", statuses: ["met": 127, "not-met": 9, "not-applicable": 267],
      notSelected: 484, with171: 69, with53: 201),
    Expected(
      file: "debian12-nist800171-results.xml", statuses: ["met": 2, "not-applicable": 168], notSelected: 717,
      with171: 170, with53: 168),
    Expected(
      file: "debian12-standard-results.xml", statuses: ["met": 17, "not-applicable": 27], notSelected: 843, with171: 7,
      with53: 41),
    Expected(file: "mitre-saf_scc-rhel8-disa-stig-results.xml", statuses: ["not-met": 175, "met": 73], withCCI: 248),
    Expected(file: "openscap-tests_xccdf11_sample_results.xml", statuses: ["met": 1, "not-met": 1]),
    Expected(
      file: "smcm_GoodStatistics-xccdf.xml",
      statuses: ["met": 2, "not-met": 2, "not-assessed": 2, "not-applicable": 2]),
    Expected(file: "trestle_oscap_results_arf_small.xml", format: .arf, statuses: ["met": 1], notSelected: 1),
  ]

  static func url(_ file: String) -> URL { Paths.sharedFile("samples/xccdf/\(file)") }

  @Test(arguments: samples)
  func readsEverySample(_ expected: Expected) throws {
    let url = Self.url(expected.file)
    #expect(
      FormatDetector.detect(try InputFile(displayName: "", content: .file(url)).prefix(FormatDetector.prefixLength))
        == .format(expected.format))
    let result = try XMLImportTest.read(XCCDFImporter(format: expected.format), url)
    #expect(result.observations.count == expected.total)
    #expect(XMLImportTest.statusCounts(result) == expected.statuses)
    #expect(XMLImportTest.observationsWith(result, .requirement) == expected.with171)
    #expect(XMLImportTest.observationsWith(result, .sp80053) == expected.with53)
    #expect(XMLImportTest.observationsWith(result, .cci) == expected.withCCI)
    #expect(XMLImportTest.observationsWith(result, .xccdfRule) == expected.total)
    #expect(result.observations.allSatisfy { $0.kind == .automated && ($0.line ?? 0) > 0 })
    let notSelectedNotes = result.diagnostics.filter { $0.code == .readNote && $0.message.contains("'notselected'") }
    if expected.notSelected > 0 {
      #expect(notSelectedNotes.count == 1)
      #expect(notSelectedNotes.first?.message.hasPrefix(Plural.count(expected.notSelected, "rule-result")) == true)
    } else {
      #expect(notSelectedNotes.isEmpty)
    }
    #expect(!result.diagnostics.contains { $0.severity != .note })
  }

  @Test func everySampleFileIsCovered() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Paths.sharedFile("samples/xccdf").path)
    #expect(Set(files) == Set(Self.samples.map(\.file)))
  }

  @Test func joinsOpenSCAPResultsToTheirRules() throws {
    let result = try XMLImportTest.read(XCCDFImporter(), Self.url("debian12-nist800171-results.xml"))
    // xml.etree: the two results that pass are package_rsh_removed and package_telnet_removed,
    // whose Rules have one NIST SP 800-171 reference each (3.1.13) and no 800-53 reference.
    let passed = result.observations.filter { $0.status == .met }
    #expect(
      passed.map { $0.refs } == [
        [
          Reference(.xccdfRule, "xccdf_org.ssgproject.content_rule_package_rsh_removed"),
          Reference(.requirement, "3.1.13"),
        ],
        [
          Reference(.xccdfRule, "xccdf_org.ssgproject.content_rule_package_telnet_removed"),
          Reference(.requirement, "3.1.13"),
        ],
      ])
    let observation = try #require(passed.first)
    #expect(observation.asset == Asset(hostName: "vm", ip: "192.0.2.2", fqdn: "vm", mac: "4E:13:EC:DD:F7:E0"))
    #expect(observation.producer == Producer(tool: "OpenSCAP", version: "1.3.7"))
    // The Benchmark's own <reference>cui</reference> belongs to no rule.
    #expect(!result.observations.contains { $0.refs.contains(Reference(.requirement, "cui")) })
  }

  @Test func readsDISAIdsAndTheSCCScanner() throws {
    let result = try XMLImportTest.read(XCCDFImporter(), Self.url("mitre-saf_scc-rhel8-disa-stig-results.xml"))
    let first = try #require(result.observations.first)
    #expect(
      first.refs == [
        Reference(.xccdfRule, "xccdf_mil.disa.stig_rule_SV-230221r743913_rule"),
        Reference(.stigRule, "SV-230221r743913_rule"), Reference(.stigVuln, "V-230221"),
        Reference(.other, "RHEL-08-010000"), Reference(.cci, "CCI-000366"),
      ])
    #expect(first.rawStatus == "fail")
    #expect(first.severity == "high")
    #expect(first.title == "RHEL 8 must be a vendor-supported release.")
    #expect(
      first.asset
        == Asset(
          hostName: "LOCALHOST.LOCALDOMAIN", ip: "192.168.158.30", fqdn: "LOCALHOST.LOCALDOMAIN",
          mac: "00:15:5d:0e:92:0c"))
    #expect(first.producer == Producer(tool: "SCAP Compliance Checker", version: "5.4.2"))
    #expect(XMLImportTest.referenceCount(result, .cci) == 248)
    #expect(XMLImportTest.observationsWith(result, .stigVuln) == 248)
  }

  @Test func readsSTIGManagerDetails() throws {
    let result = try XMLImportTest.read(XCCDFImporter(), Self.url("smcm_GoodStatistics-xccdf.xml"))
    #expect(
      result.observations.map(\.details) == [
        "PassWithDetail", nil, "failwithdetail", nil, "notcheckedwithdetail", nil, nil, nil,
      ])
    #expect(result.observations.first?.asset == Asset(hostName: "MyAsset"))
    #expect(result.observations.first?.producer == Producer(tool: "MyTestSystem"))
    #expect(result.observations.first?.severity == "high")
    #expect(result.observations.first?.refs.contains(Reference(.stigVuln, "V-1")) == true)
  }

  @Test func readsAnARFWhoseBenchmarkIsElsewhere() throws {
    let result = try XMLImportTest.read(XCCDFImporter(format: .arf), Self.url("trestle_oscap_results_arf_small.xml"))
    let observation = try #require(result.observations.first)
    #expect(
      observation.refs == [
        Reference(.xccdfRule, "xccdf_org.ssgproject.content_rule_disable_prelink"), Reference(.other, "CCE-27078-5"),
      ])
    #expect(observation.asset == Asset(hostName: "kube-c18ler8d06m877hrn7jg-roks8-default-00000319.iks.mycorp"))
    #expect(result.diagnostics.contains { $0.message.contains("rules this file does not define") })
  }
}

/// The XCCDF importer on poam's fixtures: results before rules, every result word, ARF assets,
/// a TestResult alone in XCCDF 1.1.
struct XCCDFFixtureTests {
  @Test func joinsResultsThatComeBeforeTheirRules() throws {
    let result = try XMLImportTest.read(
      XCCDFImporter(format: .arf), XMLImportTest.fixture("xccdf/arf-results-before-rules.xml"))
    #expect(
      result.observations.map(\.rawStatus) == [
        "pass", "fail", "error", "unknown", "notapplicable", "notchecked", "informational", "fixed", "fail",
      ])
    #expect(
      result.observations.map(\.status) == [
        .met, .notMet, .notMet, .notAssessed, .notApplicable, .notAssessed, .notAssessed, .met, .notMet,
      ])
    #expect(result.observations.map(\.location).last == "TestResult[1]/rule-result[10]")
    #expect(!result.observations.map(\.location).contains("TestResult[1]/rule-result[7]"))
    let first = result.observations[0]
    #expect(
      first.refs == [
        Reference(.xccdfRule, "xccdf_org.example_rule_accounts"), Reference(.requirement, "3.1.1"),
        Reference(.requirement, "3.1.2"), Reference(.sp80053, "AC-2(1)"), Reference(.cci, "CCI-000015"),
        Reference(.other, "CCE-00001-1"),
      ])
    #expect(first.title == "Review accounts")
    #expect(first.severity == "high")
    #expect(
      result.observations[1].refs == [
        Reference(.xccdfRule, "xccdf_org.example_rule_audit"), Reference(.requirement, "3.3.1"),
        Reference(.cci, "CCI-000130"), Reference(.cci, "CCI-000131"), Reference(.cci, "CCI-000132"),
      ])
    #expect(result.observations[1].severity == "low")
    #expect(result.observations[1].details == "auditd is not running")
    #expect(result.observations[2].refs.contains(Reference(.sp80053, "SC-13")))
    #expect(
      result.observations[7].comments
        == "Result overridden from fail to fixed by ISSO at 2024-01-02T00:00:00: Remediated by change 1234")
    #expect(
      result.observations[8].refs == [
        Reference(.xccdfRule, "xccdf_org.example_rule_undefined"), Reference(.cci, "CCI-000366"),
      ])
    #expect(first.asset == Asset(hostName: "db01", ip: "10.20.30.40", fqdn: "db01.example.mil"))
    #expect(first.producer == Producer(tool: "OpenSCAP", version: "1.3.10"))
    #expect(result.diagnostics.count == 2)
    #expect(result.diagnostics.contains { $0.message.hasPrefix("1 rule-result is 'notselected'") })
    #expect(
      result.diagnostics.contains { $0.message.hasPrefix("1 rule-result names rules this file does not define") })
  }

  @Test func readsATestResultAloneInXCCDF11() throws {
    let result = try XMLImportTest.read(XCCDFImporter(), XMLImportTest.fixture("xccdf/testresult-alone-1.1.xml"))
    #expect(result.observations.map(\.rawStatus) == ["FAIL", "pass", "maybe", ""])
    #expect(result.observations.map(\.status) == [.notMet, .met, nil, .notAssessed])
    let first = result.observations[0]
    #expect(
      first.refs == [
        Reference(.xccdfRule, "xccdf_mil.disa.stig_rule_SV-250000r1_rule"), Reference(.stigRule, "SV-250000r1_rule"),
        Reference(.other, "WIN-01"), Reference(.cci, "CCI-000196"),
      ])
    #expect(first.asset == Asset(hostName: "ws042", ip: "192.168.1.42", fqdn: "ws042.example.mil"))
    #expect(first.producer == Producer(tool: "SCAP Compliance Checker", version: "5.7"))
    let warnings = result.diagnostics.filter { $0.severity == .warning }.map { "\($0.location) \($0.message)" }
    #expect(warnings.count == 2)
    #expect(warnings.contains { $0.hasPrefix("TestResult[1]/rule-result[3] unknown status 'maybe'") })
    #expect(warnings.contains { $0.hasPrefix("TestResult[1]/rule-result[4] rule-result has no result") })
  }

  @Test func refusesABenchmarkOfAnotherDialect() throws {
    let data = Data(#"<Benchmark xmlns="urn:example:other"><Rule id="x"/></Benchmark>"#.utf8)
    let error = XMLImportTest.importError {
      _ = try XMLImportTest.read(XCCDFImporter(), data: data, displayName: "b.xml")
    }
    guard case .unsupported(let file, let reason) = error else {
      Issue.record("expected an unsupported-file error, got \(String(describing: error))")
      return
    }
    #expect(file == "b.xml")
    #expect(reason.contains("found root element <Benchmark>"))
  }

  @Test func parsesTestSystemCPEs() {
    #expect(
      XCCDFImporter.producer(testSystem: "cpe:/a:redhat:openscap:1.3.7") == Producer(tool: "OpenSCAP", version: "1.3.7")
    )
    #expect(
      XCCDFImporter.producer(testSystem: "cpe:2.3:a:example:scanner:2.1:*:*:*:*:*:*:*")
        == Producer(tool: "scanner", version: "2.1"))
    #expect(XCCDFImporter.producer(testSystem: "MyTestSystem") == Producer(tool: "MyTestSystem"))
    #expect(XCCDFImporter.preferredAddress(["127.0.0.1", "fe80::1", "10.1.1.1"]) == "10.1.1.1")
    // Never a loopback address: it names every host.
    #expect(XCCDFImporter.preferredAddress(["127.0.0.1"]) == nil)
  }
}
