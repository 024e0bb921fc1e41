import Foundation
import Testing

@testable import POAMKit

/// Manual reviews against a result engine's checks in checklists (issue 13): a CKL/CKLB row is a
/// person's review unless a result engine (Evaluate-STIG) set it; an answer file's result is a
/// person's attestation. Also the MAC address CKL, CKLB and XCCDF carry.
struct ResultEngineTests {
  @Test func evaluateSTIGChecklistRowsAreAutomatedExceptAnswerFileOverrides() throws {
    let result = try CKLImporter().read(CSVImporterTests.fixture("ckl/evaluate-stig-answerfile.ckl"))
    let rows = result.observations
    #expect(rows.map(\.kind) == [.automated, .automated, .manual, .automated])
    #expect(rows.map(\.rawStatus) == ["NotAFinding", "Open", "Not_Applicable", "Open"])
    let engine =
      "Result engine: Evaluate-STIG 1.2507.6, module Scan-GoogleChrome_Checks 1.2025.7.1, 2025-09-18T09:13:02.5550001-04:00"
    for row in rows { #expect(row.comments?.contains(engine) == true, "\(row.location)") }
    // The answer file's result is said first in the finding details; the engine's own text follows.
    let attested = rows[2]
    #expect(
      attested.details
        == "Status set by answer file Google_Chrome_Current_Windows_AnswerFile.xml (Not_Reviewed → Not_Applicable):"
        + " a person's attestation, not the engine's check\nBrowser history is not kept on kiosk images (ISSO approval 2025-03)."
    )
    // AFMod False: the answer file left the engine's result alone.
    #expect(rows[3].details == "Value Name:\tAllowDeletingBrowserHistory (Not found)")
    #expect(rows[3].comments?.hasPrefix("Answer file comment: remediation scheduled.\nResult engine:") == true)
    #expect(rows[0].asset?.mac == "00:1A:2B:3C:4D:5E")
    #expect(rows[0].asset?.ip == "10.20.4.14")
    #expect(rows[0].producer?.tool == "Google Chrome Current Windows Security Technical Implementation Guide")
  }

  @Test func stigViewerChecklistRowsAreManualReviews() throws {
    let result = try CKLImporter().read(CSVImporterTests.fixture("ckl/stig-viewer-manual-review.ckl"))
    #expect(result.observations.map(\.kind) == [.manual, .manual])
    // Other comments inside the checklist are not read as text.
    #expect(result.observations[0].details == "Maximum password age is 60 days in the Default Domain Policy.")
    #expect(result.observations[0].comments == "Reviewed with the domain administrator.")
    #expect(result.observations[0].asset?.mac == "3C-52-82-0A-11-F0")
    #expect(result.diagnostics.isEmpty)
  }

  @Test func cklbResultEngineDecidesTheKind() throws {
    let result = try CKLBImporter().read(CSVImporterTests.fixture("cklb/evaluate-stig-result-engine.cklb"))
    let rows = result.observations
    #expect(rows.map(\.kind) == [.automated, .manual, .manual])
    let engine =
      "Result engine: Evaluate-STIG 1.2507.6, module Scan-GoogleChrome_Checks 1.2025.7.1, 2025-09-18T09:13:02.555-04:00"
    #expect(rows[0].comments == engine)
    #expect(rows[1].comments == engine)
    #expect(
      rows[1].details?.hasPrefix(
        "Status set by answer file Google_Chrome_Current_Windows_AnswerFile.xml (notchecked → notapplicable):"
          + " a person's attestation, not the engine's check\n") == true)
    #expect(rows[2].comments == "Checked by hand in chrome://policy.")
    #expect(rows[0].asset?.mac == "00:1A:2B:3C:4D:5E")
  }

  @Test func xccdfTargetFactsGiveTheMACNeverTheLoopbackOne() throws {
    let result = try XCCDFImporter().read(CSVImporterTests.fixture("xccdf/testresult-target-facts.xml"))
    let asset = try #require(result.observations.first?.asset)
    #expect(asset.hostName == "db01")
    #expect(asset.ip == "10.30.1.21")
    #expect(asset.fqdn == "db01.corp.example.com")
    #expect(asset.mac == "52:54:00:AB:CD:21")
    #expect(result.observations.first?.kind == .automated)
  }

  @Test func assetJSONWithoutMACStillDecodes() throws {
    let old = Data(#"{"host_name":"web01","ip":"10.0.0.5"}"#.utf8)
    let asset = try JSONDecoder().decode(Asset.self, from: old)
    #expect(asset.hostName == "web01" && asset.mac == nil)
    let encoded = String(
      decoding: try JSONEncoder().encode(Asset(hostName: "a", mac: "00:11:22:33:44:55")!), as: UTF8.self)
    #expect(encoded.contains(#""mac":"00:11:22:33:44:55""#))
  }

  @Test func evaluateSTIGCommentLayouts() {
    // Older versions write the version without <global>.
    let old = EvaluateSTIGComment.engine(in: "<Evaluate-STIG><version>1.2310.1</version></Evaluate-STIG>")
    #expect(old == ResultEngine(product: "Evaluate-STIG", version: "1.2310.1"))
    #expect(EvaluateSTIGComment.engine(in: " reviewed by J. Smith ") == nil)
    #expect(
      EvaluateSTIGComment.override(
        in: "<Evaluate-STIG><AnswerFile>a.xml</AnswerFile><afmod>True</afmod></Evaluate-STIG>")
        == AnswerFileOverride(authority: "a.xml", oldResult: nil, newResult: nil))
    #expect(
      EvaluateSTIGComment.override(
        in: "<Evaluate-STIG><AnswerFile>a.xml</AnswerFile><AFMod>false</AFMod></Evaluate-STIG>") == nil)
  }
}
