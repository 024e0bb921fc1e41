import Foundation
import Testing

@testable import POAMKit

/// Details the peers keep: override authority, STIG identity, result engines, asset addresses,
/// and saying so when something is missing.
struct ImporterDetailTests {
  static let xccdfNamespace = "http://checklists.nist.gov/xccdf/1.2"

  @Test func aWithdrawnRev3IdentifierWithNoTargetSaysSo() {
    let resolver = RequirementIDResolver(catalog: TestCatalog.shared)
    guard case .failure(let error) = resolver.resolve("03.05.08") else {
      Issue.record("03.05.08 is withdrawn in Rev 3")
      return
    }
    #expect(error.reason.contains("withdrawn in Rev 3"))
    #expect(!error.reason.contains("incorporated into )"))
    #expect(error.reason.contains("NIST names no requirement"))
  }

  @Test func checklistWithoutHostNameAndEmptyStatusAreWarned() throws {
    let ckl = """
      <?xml version="1.0"?><CHECKLIST><ASSET><HOST_NAME></HOST_NAME><HOST_IP>10.0.0.5</HOST_IP></ASSET>
      <STIGS><iSTIG><STIG_INFO/><VULN>
      <STIG_DATA><VULN_ATTRIBUTE>Vuln_Num</VULN_ATTRIBUTE><ATTRIBUTE_DATA>V-1</ATTRIBUTE_DATA></STIG_DATA>
      <STATUS/></VULN></iSTIG></STIGS></CHECKLIST>
      """
    let result = try XMLImportTest.read(CKLImporter(), data: Data(ckl.utf8), displayName: "a.ckl")
    #expect(result.observations.count == 1)
    #expect(result.observations[0].status == .notAssessed)
    #expect(
      result.diagnostics.contains {
        $0.severity == .warning && $0.code == .missingHost && $0.message.contains("no HOST_NAME")
      })
    #expect(
      result.diagnostics.contains {
        $0.severity == .warning && $0.code == .missingStatus && $0.message.contains("empty STATUS")
      })
  }

  @Test func xccdfOverrideLoopbackAndEmptyTestResult() throws {
    let xml = """
      <?xml version="1.0"?><Benchmark xmlns="\(Self.xccdfNamespace)" id="xccdf_b_benchmark_x">
      <Rule id="xccdf_r_rule_a" severity="high"><title>A</title></Rule>
      <TestResult id="xccdf_r_testresult_1"><target>web01</target>
      <target-address>127.0.0.1</target-address><target-address>::1/128</target-address>
      <rule-result idref="xccdf_r_rule_a"><result>pass</result>
      <override time="2024-05-01T10:00:00" authority="ISSO J. Smith"><old-result>fail</old-result>
      <new-result>pass</new-result><remark>Compensating control documented</remark></override></rule-result>
      </TestResult>
      <TestResult id="xccdf_r_testresult_2"><target>web02</target></TestResult>
      </Benchmark>
      """
    let result = try XMLImportTest.read(XCCDFImporter(), data: Data(xml.utf8), displayName: "r.xml")
    #expect(result.observations.count == 1)
    let observation = result.observations[0]
    #expect(observation.asset?.hostName == "web01")
    #expect(observation.asset?.ip == nil)
    #expect(
      observation.comments
        == "Result overridden from fail to pass by ISSO J. Smith at 2024-05-01T10:00:00: Compensating control documented"
    )
    #expect(
      result.diagnostics.contains { $0.location == "TestResult[2]" && $0.message.contains("holds no rule-result") })
    #expect(XCCDFImporter.preferredAddress(["127.0.0.1", "fe80::1", "10.1.1.1"]) == "10.1.1.1")
    #expect(XCCDFImporter.preferredAddress(["127.0.0.1/8", "fe80::1"]) == "fe80::1")
    #expect(XCCDFImporter.preferredAddress(["127.0.0.1", "::1/128"]) == nil)
  }

  @Test func cklbKeepsTheSTIGIdentityAndTheResultEngine() throws {
    let cklb = """
      {"title": "t", "cklb_version": "1.0", "target_data": {"host_name": "web01"},
       "stigs": [{"stig_name": "Apache Server 2.4 Windows Server", "stig_id": "Apache_Server_2-4_Windows_Server",
                  "version": "2", "release_info": "Release: 3 Benchmark Date: 26 Jan 2024",
        "rules": [{"group_id": "V-214306", "rule_id_src": "SV-214306r881479_rule", "status": "not_a_finding",
                   "result_engine": {"type": "script", "product": "Evaluate-STIG", "version": "1.2404.0",
                     "time": "2024-05-02T10:00:00Z", "checkContent": {"location": "Scan-ApacheServer_Checks"},
                     "overrides": [{"type": "answer", "name": "ACME answer file"}]}},
                  {"group_id": "V-214307", "status": "open"}]}]}
      """
    let result = try CKLBImporter().read(InputFile(displayName: "c.cklb", content: .data(Data(cklb.utf8))))
    #expect(result.observations.count == 2)
    #expect(
      result.observations.allSatisfy {
        $0.producer == Producer(tool: "Apache Server 2.4 Windows Server", version: "V2R3")
      })
    let engine = try #require(result.observations[0].comments)
    #expect(
      engine.contains("Result engine: Evaluate-STIG 1.2404.0, module Scan-ApacheServer_Checks, 2024-05-02T10:00:00Z"))
    // The answer file set the result: a person's attestation, said in the finding details.
    #expect(result.observations[0].kind == .manual)
    #expect(
      result.observations[0].details
        == "Status set by answer file ACME answer file: a person's attestation, not the engine's check")
    #expect(result.observations[1].comments == nil)
    #expect(result.observations[1].kind == .manual)
  }
}
