import Foundation
import Testing

@testable import POAMKit

/// poam.json: valid OSCAL 1.1.3, stable UUIDs, and a lossless read back.
struct OSCALPOAMTests {
  let catalog = TestCatalog.shared

  func write(_ report: GapReport, prior: POAMDocument? = nil) throws -> URL {
    let directory = try makeTemporaryDirectory()
    _ = try POAMWorkflow.run(report: report, catalog: catalog, prior: prior, outputDirectory: directory)
    return directory
  }

  /// A POA&M with every kind of item: open, closed, reopened, risk accepted, a person's row,
  /// multi-line and empty human fields, custom columns, milestones without dates.
  func richDocument() throws -> (GapReport, POAMDocument) {
    let first = POAMDraftTests.report()
    let directory = try write(first)
    defer { try? FileManager.default.removeItem(at: directory) }
    var prior = try POAMWorkflow.loadPrior(path: directory.appendingPathComponent("poam.json").path, catalog: catalog).0
    prior.items[0].comments = "Line one\n  indented line two "
    prior.items[0].pointOfContact = " Jane Doe\n(backup: Bob) "
    prior.items[0].customFields = [CustomField(name: "Likelihood", value: "Low"), CustomField(name: " ", value: "x")]
    prior.items[1].status = .riskAccepted
    prior.items[1].riskAcceptance = "Accepted by the CIO, 2025-02-01."
    prior.items[1].mitigations = "VPN banner shown."
    prior.items[1].resources = "$500"
    prior.items[1].milestoneChanges = "Moved milestone 2."
    prior.items[2].milestones.append(Milestone(number: nil, description: "Free text, no date", due: nil))
    prior.items[2].milestones.append(Milestone(number: 9, description: "Someday", due: "TBD", completedOn: "n/a"))
    prior.items[2].scheduledCompletion = "Q3 2025"
    prior.items.append(
      POAMItem(
        id: "CUSTOM-1", requirementID: "", requirementTitle: "", family: "", level: nil, finding: .notMet,
        weakness: "Badge readers end of life.", severity: .low, points: nil, poamEligible: false, eligibilityReason: "",
        dateIdentified: "", pointOfContact: ""))
    var april = GapReportBuilder(date: "2025-04-01")
    april.met(
      "AC.L2-3.1.9", evidence: [GapReportBuilder.evidence("april.ckl", asset: "web01", status: .met, detail: "ok")])
    april.notMet("AC.L2-3.1.1", objectives: ["d"])
    april.notAssessed("AU.L2-3.3.4")
    april.notMet("IA.L2-3.5.3", partialPoints: 3)
    april.notMet("CA.L2-3.12.4")
    return (april.build(), prior)
  }

  @Test(.enabled(if: OSCALValidator.available, OSCALValidator.reason))
  func poamJSONIsValidOSCAL() throws {
    let (report, prior) = try richDocument()
    let first = try write(POAMDraftTests.report())
    let second = try write(report, prior: prior)
    defer {
      try? FileManager.default.removeItem(at: first)
      try? FileManager.default.removeItem(at: second)
    }
    let files = [first.appendingPathComponent("poam.json"), second.appendingPathComponent("poam.json")]
    let result = try OSCALValidator.validate(files)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.components(separatedBy: ": valid").count == 3)
  }

  @Test(.enabled(if: OSCALValidator.available, OSCALValidator.reason))
  func validatorAcceptsNISTsExampleAndRejectsBrokenDocuments() throws {
    let example = Paths.sharedFile("samples/oscal/nist_ifa_plan-of-action-and-milestones.json")
    #expect(try OSCALValidator.validate([example]).status == 0)

    let directory = try write(POAMDraftTests.report())
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("poam.json")
    var json = try String(contentsOf: url, encoding: .utf8)
    // A prop name with a space breaks the \p{L}-based token pattern; a bad UUID breaks another.
    json = json.replacingOccurrences(of: "\"name\" : \"poam-id\"", with: "\"name\" : \"poam id\"")
    json = json.replacingOccurrences(of: "\"oscal-version\" : \"1.1.3\"", with: "\"oscal-version\" : \" 1.1.3\"")
    try json.write(to: url, atomically: true, encoding: .utf8)
    let result = try OSCALValidator.validate([url])
    #expect(result.status == 1)
    #expect(result.stdout.contains("$.plan-of-action-and-milestones.poam-items[0].props[0].name"))
    #expect(result.stdout.contains("$.plan-of-action-and-milestones.metadata.oscal-version"))
  }

  @Test func readsBackEveryFieldExactly() throws {
    let (report, prior) = try richDocument()
    let draft = try POAMDrafter(catalog: catalog).draft(report)
    let (merged, _) = try POAMMerger(catalog: catalog).merge(draft: draft, prior: prior, report: report)
    let context = ExportContext(
      report: report, document: merged, changes: POAMChanges(hadPrior: true), catalog: catalog,
      layout: try POAMLayout.bundled())
    let data = try OSCALPOAMExporter().render(context)
    let (back, diagnostics) = try OSCALPOAMReader(catalog: catalog).read(data, source: "poam.json")
    #expect(diagnostics.isEmpty)
    #expect(back.items.count == merged.items.count)
    for item in merged.items { #expect(back.item(id: item.id) == item, "\(item.id)") }
    #expect(back.level == .two && back.assessmentDate == "2025-04-01")
    #expect(back.score == merged.score && back.maxScore == 110)
    #expect(back.certificationStatus == merged.certificationStatus)
    #expect(back.catalogVersion == catalog.version)
    // The states came through: closed, risk accepted, custom.
    #expect(back.item(id: "POAM-AC.L2-3.1.9")?.status == .closed)
  }

  /// The writers never make up a date: a document whose assessment date is not a day is an
  /// error in OSCAL (which needs a date-time) and in the workbook (which records it).
  @Test func aDocumentWithoutAnAssessmentDateIsNotWritten() throws {
    let (report, prior) = try richDocument()
    var draft = try POAMDrafter(catalog: catalog).draft(report)
    draft.assessmentDate = "someday"
    let context = ExportContext(
      report: report, document: draft, changes: POAMChanges(hadPrior: prior.items.isEmpty), catalog: catalog,
      layout: try POAMLayout.bundled())
    #expect(throws: InvalidDate.self) { try OSCALPOAMExporter().render(context) }
    #expect(throws: InvalidDate.self) { try XLSXPOAMExporter().render(context) }
  }

  @Test func uuidsAreStableAcrossRunsAndUnique() throws {
    let first = try write(POAMDraftTests.report())
    let second = try write(POAMDraftTests.report())
    defer {
      try? FileManager.default.removeItem(at: first)
      try? FileManager.default.removeItem(at: second)
    }
    let a = try Data(contentsOf: first.appendingPathComponent("poam.json"))
    let b = try Data(contentsOf: second.appendingPathComponent("poam.json"))
    #expect(a == b, "same input, same bytes")
    let text = String(decoding: a, as: UTF8.self)
    let uuids = text.matches(of: #/"uuid" : "([0-9a-f-]{36})"/#).map { String($0.output.1) }
    #expect(uuids.count == Set(uuids).count, "every uuid is unique in the document")
    #expect(uuids.contains(NameBasedUUID.make("poam:item:POAM-AC.L2-3.1.1")))
    #expect(
      uuids.allSatisfy {
        $0.wholeMatch(of: #/[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/#) != nil
      })
  }

  @Test func structureFollowsTheModel() throws {
    let directory = try write(POAMDraftTests.report())
    defer { try? FileManager.default.removeItem(at: directory) }
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("poam.json")))
    let root = try #require((object as? [String: Any])?["plan-of-action-and-milestones"] as? [String: Any])
    let metadata = try #require(root["metadata"] as? [String: Any])
    #expect(metadata["oscal-version"] as? String == "1.1.3")
    #expect(metadata["last-modified"] as? String == "2025-01-15T00:00:00Z")
    let items = try #require(root["poam-items"] as? [[String: Any]])
    let risks = try #require(root["risks"] as? [[String: Any]])
    let observations = try #require(root["observations"] as? [[String: Any]])
    #expect(items.count == 5 && risks.count == 5)
    // Observations only where the report has evidence: AC.L2-3.1.1 and AC.L2-3.1.9.
    #expect(observations.count == 2)
    let riskIDs = Set(risks.compactMap { $0["uuid"] as? String })
    for item in items {
      let related = try #require(item["related-risks"] as? [[String: Any]])
      #expect(riskIDs.contains(related[0]["risk-uuid"] as? String ?? ""))
      let props = try #require(item["props"] as? [[String: Any]])
      #expect(props.allSatisfy { $0["ns"] as? String == "urn:poam:oscal" })
    }
    let first = try #require(risks.first)
    #expect(first["status"] as? String == "open")
    #expect(first["deadline"] as? String == "2025-04-15T00:00:00Z")
    let remediation = try #require((first["remediations"] as? [[String: Any]])?.first)
    #expect((remediation["tasks"] as? [[String: Any]])?.count == 3)
  }

  @Test(.enabled(if: Paths.sharedAvailable, Paths.sharedReason))
  func foreignOSCALItemsAreKeptAsCustomItems() throws {
    let data = try Data(
      contentsOf: Paths.sharedFile("samples/oscal/nist_ifa_plan-of-action-and-milestones.json"))
    let (document, diagnostics) = try OSCALPOAMReader(catalog: catalog).read(data, source: "ifa.json")
    #expect(document.items.map(\.id) == ["OSCAL-e174dfb9", "OSCAL-48c8368d"])
    #expect(document.items[0].weakness.hasPrefix("Budget and technical staff are needed"))
    #expect(diagnostics.count == 2)
  }

  @Test func notOSCALIsReportedWithWhere() {
    #expect(throws: POAMReadError.self) {
      try OSCALPOAMReader(catalog: catalog).read(Data("{\"catalog\": {}}".utf8), source: "x.json")
    }
  }
}
