import Foundation
import Testing

@testable import POAMKit

/// Issue 14: the system profile, the SPRS entry, OSCAL system identity and parties, the eMASS
/// risk columns and header block, the print-ready workbook, and SARIF regions.
struct SubmitReadyTests {
  let catalog = TestCatalog.shared

  static let profileText = """
    organization: Example Aerospace LLC
    system: {name: Engineering Enclave, id: EX-ENG-001}
    cage_codes: [1ABC2, 3def4]
    scope: Engineering enclave processing CUI, 42 assets
    ssp: {title: Engineering Enclave SSP, version: "2.1", date: 2025-01-10}
    assessment: {type: self, assessor: Jane Doe}   # self | c3pao | dibcac
    contacts: {poam: Security Office <security@example.com>}
    owners:
      AC: Alice Admin <alice@example.com>
    """

  func profile(_ text: String = SubmitReadyTests.profileText) throws -> SystemProfile {
    try SystemProfile.parse(text, file: "poam.yml", catalog: catalog)
  }

  // MARK: - Profile

  @Test func readsEveryProfileField() throws {
    let profile = try profile()
    #expect(profile.organization == "Example Aerospace LLC")
    #expect(profile.systemLabel == "Engineering Enclave (EX-ENG-001)")
    #expect(profile.cageCodes == ["1ABC2", "3DEF4"])
    #expect(profile.ssp == SystemProfile.SSP(title: "Engineering Enclave SSP", version: "2.1", date: "2025-01-10"))
    #expect(profile.assessmentType == .selfAssessment && profile.assessor == "Jane Doe")
    #expect(profile.contact("poam") == "Security Office <security@example.com>")
    #expect(profile.owners?.owner(requirement: "AC.L2-3.1.1", family: "AC") == "Alice Admin <alice@example.com>")
  }

  @Test func theTemplatePoamInitWritesIsAValidProfile() throws {
    let profile = try profile(SystemProfile.template)
    #expect(profile.systemID == "EX-ENG-001" && profile.cageCodes.count == 2 && profile.owners == nil)
  }

  @Test(arguments: [
    ("organization: A\nsystme: {name: B}\n", 2, "unknown key 'systme'"),
    ("cage_codes: [1ABC2, TOOLONG]\n", 1, "'TOOLONG' is not a CAGE code"),
    ("assessment:\n  type: audit\n", 2, "'audit' is not one of self, c3pao, dibcac"),
    ("ssp: {date: 10/01/2025}\n", 1, "expected YYYY-MM-DD"),
    ("system: Engineering\n", 1, "system: expected a mapping with name, id"),
    ("base: &b Example\norganization: *b\n", 1, "anchors and aliases are not accepted"),
    ("organization: [a, b]\n", 1, "expected text"),
    ("organization: A\n  bad: indentation\n", 2, "not valid YAML"),
    ("owners:\n  XX: Nobody\n", 2, "'XX' is neither a family code"),
  ])
  func profileErrorsNameTheLine(text: String, line: Int, message: String) throws {
    let error = try #require(throws: (any Error).self) { try profile(text) }
    let description = (error as? LocalizedError)?.errorDescription ?? ""
    #expect(description.hasPrefix("poam.yml:\(line): "), "\(description)")
    #expect(description.contains(message), "\(description)")
  }

  @Test func aliasesInsideTheProfileAreRefusedEvenWhenTheAnchorIsNested() throws {
    let text = "contacts:\n  poam: &who Security Office\n  isso: *who\n"
    let error = try #require(throws: ProfileError.self) { try profile(text) }
    #expect(error.line == 2 && error.message.contains("&who"))
  }

  @Test func locatesPoamYmlInTheWorkingDirectoryOnlyWhenPresent() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(SystemProfile.locate(explicit: nil, directory: directory.path) == nil)
    try Data("scope: x\n".utf8).write(to: directory.appendingPathComponent("poam.yml"))
    #expect(
      SystemProfile.locate(explicit: nil, directory: directory.path)
        == directory.appendingPathComponent("poam.yml").path)
    #expect(SystemProfile.locate(explicit: "other.yml", directory: directory.path) == "other.yml")
  }

  // MARK: - SPRS entry

  func document(_ report: GapReport, statusDate: String? = nil) throws -> POAMDocument {
    var document = try POAMDrafter(catalog: catalog, owners: Owners()).draft(report)
    document.statusDate = statusDate
    return document
  }

  @Test func levelTwoConditionalPostsTheScoreAndTheCloseoutDeadline() throws {
    let report = HandReports.make(
      score: 106, status: .conditional, statuses: ["AC.L2-3.1.9": .notMet], assessmentDate: "2025-01-15")
    let entry = SPRSEntry(report: report, document: try document(report), profile: try profile())
    let rows = Dictionary(entry.rows, uniquingKeysWith: { a, _ in a })
    #expect(
      entry.rows.map(\.0) == [
        "CMMC Level", "CMMC Status Date", "Closeout deadline", "CMMC Assessment Scope", "CAGE codes", "Score",
        "Compliance result", "POA&M",
      ])
    #expect(rows["Score"] == "106 out of 110")
    #expect(rows["CMMC Status Date"] == "2025-01-15")
    #expect(rows["Closeout deadline"] == "2025-07-14")  // 180 days later
    #expect(rows["CAGE codes"] == "1ABC2, 3DEF4")
    #expect(rows["POA&M"]?.hasPrefix("POA&M in use: 1 open item;") == true)
    #expect(entry.title == "SPRS entry" && !entry.referenceOnly)
  }

  @Test func levelOneHasNoScoreAndC3PAOValuesAreReferenceOnly() throws {
    let report = HandReports.make(level: .one, score: nil, status: .final, assessmentDate: "2025-02-01")
    var profile = try profile()
    profile.assessmentType = .c3pao
    let entry = SPRSEntry(report: report, document: try document(report), profile: profile)
    #expect(
      entry.rows.map(\.0) == [
        "CMMC Level", "CMMC Status Date", "CMMC Assessment Scope", "CAGE codes", "Compliance result",
      ])
    #expect(entry.score == nil && entry.closeoutDeadline == nil && entry.statusDate == "2025-02-01")
    #expect(entry.title == "SPRS entry (reference values)" && entry.note.contains("CMMC eMASS"))
  }

  @Test func aRerunThatKeepsAConditionalStatusKeepsItsStatusDate() throws {
    let first = HandReports.make(
      score: 106, status: .conditional, statuses: ["AC.L2-3.1.9": .notMet], assessmentDate: "2025-01-15")
    var prior = try document(first, statusDate: "2025-01-15")
    prior.certificationStatus = .conditional
    let rerun = HandReports.make(
      score: 107, status: .conditional, statuses: ["AC.L2-3.1.9": .notMet], assessmentDate: "2025-03-01")
    #expect(SPRSEntry.statusDate(report: rerun, prior: prior) == "2025-01-15")
    // A new status (Final) has its own date; so has a first Conditional after not eligible.
    let final = HandReports.make(score: 110, status: .final, assessmentDate: "2025-04-01")
    #expect(SPRSEntry.statusDate(report: final, prior: prior) == "2025-04-01")
    prior.certificationStatus = .notEligible
    #expect(SPRSEntry.statusDate(report: rerun, prior: prior) == "2025-03-01")
    // No status, no status date.
    let failing = HandReports.make(score: 80, status: .notEligible, assessmentDate: "2025-03-01")
    #expect(SPRSEntry.statusDate(report: failing, prior: nil) == nil)
  }

  @Test func theStatusDateSurvivesARerunThroughPoamJSON() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let first = HandReports.make(
      score: 106, status: .conditional, statuses: ["AC.L2-3.1.9": .notMet], assessmentDate: "2025-01-15")
    _ = try POAMWorkflow.run(report: first, catalog: catalog, prior: nil, outputDirectory: directory)
    let (prior, _) = try POAMWorkflow.loadPrior(
      path: directory.appendingPathComponent("poam.json").path, catalog: catalog)
    #expect(prior.statusDate == "2025-01-15")
    let rerun = HandReports.make(
      score: 106, status: .conditional, statuses: ["AC.L2-3.1.9": .notMet], assessmentDate: "2025-03-01")
    let summary = try POAMWorkflow.run(report: rerun, catalog: catalog, prior: prior, outputDirectory: directory)
    #expect(summary.sprs?.statusDate == "2025-01-15" && summary.sprs?.closeoutDeadline == "2025-07-14")
    #expect(summary.text.contains("  CMMC Status Date       2025-01-15\n"))
    let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html.contains("Close out by <strong>2025-07-14</strong>"))
  }

  // MARK: - Reports

  @Test func reportsCarryTheProfileAndTheSPRSSection() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    _ = try POAMWorkflow.run(
      report: POAMDraftTests.report(), catalog: catalog, prior: nil, outputDirectory: directory,
      profile: try profile())
    let markdown = try String(contentsOf: directory.appendingPathComponent("report.md"), encoding: .utf8)
    #expect(markdown.contains("- **System:** Engineering Enclave (EX-ENG-001)"))
    #expect(markdown.contains("## SPRS entry\n"))
    #expect(markdown.contains("| Score | 100 out of 110 |"))
    #expect(markdown.contains("| CMMC Status Date | none (no CMMC status) |"))
    let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html.contains("<div class=\"who\">Example Aerospace LLC · Engineering Enclave (EX-ENG-001)</div>"))
    #expect(html.contains("<dt>CMMC Assessment Scope</dt><dd>Engineering enclave processing CUI, 42 assets</dd>"))
    // The profile's owners draft the owner of AC items.
    let csv = try String(contentsOf: directory.appendingPathComponent("poam.csv"), encoding: .utf8)
    #expect(csv.contains("Alice Admin <alice@example.com>"))
  }

  // MARK: - OSCAL

  func oscal(profile: SystemProfile?, ssp: String? = nil) throws -> [String: Any] {
    let report = POAMDraftTests.report()
    let document = try POAMDrafter(catalog: catalog, owners: try POAMDraftTests.owners()).draft(report)
    let context = ExportContext(
      report: report, document: document, changes: POAMChanges(hadPrior: false), catalog: catalog,
      layout: try POAMLayout.bundled(),
      profile: profile, sspHref: ssp)
    let data = try OSCALPOAMExporter().render(context)
    let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    return try #require(root["plan-of-action-and-milestones"] as? [String: Any])
  }

  /// NIST's POA&M model (not its JSON schema) requires an imported SSP or a system-id.
  @Test func everyPOAMHasAnImportedSSPOrASystemID() throws {
    let withProfile = try oscal(profile: try profile())
    #expect(
      withProfile["system-id"] as? [String: String]
        == ["identifier-type": "urn:poam:oscal:system-id", "id": "EX-ENG-001"])
    #expect(withProfile["import-ssp"] == nil)
    let withSSP = try oscal(profile: nil, ssp: "ssp.json")
    #expect(withSSP["import-ssp"] as? [String: String] == ["href": "ssp.json"])
    #expect(withSSP["system-id"] == nil)
    let bare = try oscal(profile: nil)
    let placeholder = try #require(bare["system-id"] as? [String: String])
    #expect(placeholder["identifier-type"] == "https://ietf.org/rfc/rfc4122")
    #expect(placeholder["id"]?.count == 36)
    for document in [withProfile, withSSP, bare] {
      #expect(document["system-id"] != nil || document["import-ssp"] != nil)
    }
  }

  @Test func partiesOriginsSubjectsAndCharacterizationsResolve() throws {
    let poam = try oscal(profile: try profile())
    let metadata = try #require(poam["metadata"] as? [String: Any])
    let parties = try #require(metadata["parties"] as? [[String: Any]])
    let partyUUIDs = Set(parties.compactMap { $0["uuid"] as? String })
    let organization = try #require(parties.first { $0["name"] as? String == "Example Aerospace LLC" })
    #expect(organization["type"] as? String == "organization")
    let office = try #require(parties.first { $0["name"] as? String == "Security Office" })
    #expect(office["email-addresses"] as? [String] == ["security@example.com"])
    let roles = Set((metadata["roles"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
    let responsible = try #require(metadata["responsible-parties"] as? [[String: Any]])
    for entry in responsible {
      #expect(roles.contains(entry["role-id"] as? String ?? ""))
      #expect(Set(entry["party-uuids"] as? [String] ?? []).isSubset(of: partyUUIDs))
    }
    #expect(roles.isSuperset(of: ["prepared-for", "assessor", "poam-contact", "poam-item-owner"]))

    let local = try #require(poam["local-definitions"] as? [String: Any])
    let tool = try #require((local["components"] as? [[String: Any]])?.first)
    let toolUUID = try #require(tool["uuid"] as? String)
    let inventory = try #require(local["inventory-items"] as? [[String: Any]])
    let assetUUIDs = Set(inventory.compactMap { $0["uuid"] as? String })
    #expect(inventory.count == 2)  // web01 and web02 fail; web03 passes and is named by no item
    for item in try #require(poam["poam-items"] as? [[String: Any]]) {
      let actors = (item["origins"] as? [[String: Any]])?.first?["actors"] as? [[String: Any]]
      #expect(actors?.first?["type"] as? String == "tool" && actors?.first?["actor-uuid"] as? String == toolUUID)
    }
    let observations = try #require(poam["observations"] as? [[String: Any]])
    let subjects = observations.flatMap { ($0["subjects"] as? [[String: Any]]) ?? [] }
    #expect(!subjects.isEmpty)
    for subject in subjects {
      #expect(subject["type"] as? String == "inventory-item")
      #expect(assetUUIDs.contains(subject["subject-uuid"] as? String ?? ""))
    }
    let risks = try #require(poam["risks"] as? [[String: Any]])
    let first = try #require(risks.first)  // AC.L2-3.1.1: 5 points, CAT I
    let facets = try #require(
      ((first["characterizations"] as? [[String: Any]])?.first?["facets"]) as? [[String: Any]])
    #expect(facets.map { $0["name"] as? String } == ["likelihood", "impact"])
    #expect(facets.map { $0["value"] as? String } == ["high", "high"])
    #expect((facets[0]["remarks"] as? String)?.contains("not a risk assessment") == true)
    // Owners perform the milestones.
    let remediation = try #require((first["remediations"] as? [[String: Any]])?.first)
    let task = try #require((remediation["tasks"] as? [[String: Any]])?.first)
    let role = try #require((task["responsible-roles"] as? [[String: Any]])?.first)
    #expect(role["role-id"] as? String == "poam-item-owner")
    #expect(Set(role["party-uuids"] as? [String] ?? []).isSubset(of: partyUUIDs))
  }

  // MARK: - eMASS spreadsheet

  @Test func riskColumnsHoldEMASSWordsAndControlsHoldOneIdentifier() throws {
    let report = POAMDraftTests.report()
    let document = try POAMDrafter(catalog: catalog, owners: Owners()).draft(report)
    let table = POAMTable(layout: try POAMLayout.bundled(), catalog: catalog)
    let headers = table.headers(for: document)
    let rows = table.rows(for: document).map { $0.map { $0.text(table.layout) } }
    func value(_ id: String, _ header: String) throws -> String {
      let row = try #require(rows.first { $0[0] == id })
      return row[try #require(headers.firstIndex(of: header))]
    }
    let words = Set(RiskLevel.allCases.map(\.label))
    for row in rows {
      for header in ["Raw Severity", "Severity", "Relevance of Threat", "Likelihood", "Impact", "Residual Risk Level"] {
        #expect(words.contains(row[headers.firstIndex(of: header)!]), "\(header): \(row[0])")
      }
      #expect(
        ["Ongoing", "Completed", "Risk Accepted", "Not Applicable", "Archived"].contains(
          row[headers.firstIndex(of: "Status")!]))
    }
    // AC.L2-3.1.1: 5 points and a CAT I check.
    #expect(try value("POAM-AC.L2-3.1.1", "Raw Severity") == "High")
    #expect(try value("POAM-AC.L2-3.1.1", "Likelihood") == "High")
    #expect(try value("POAM-AC.L2-3.1.1", "Residual Risk Level") == "High")
    #expect(try value("POAM-AC.L2-3.1.1", "Controls / APs") == "AC.L2-3.1.1")
    #expect(try value("POAM-AC.L2-3.1.1", "NIST Mappings").hasPrefix("NIST SP 800-171 3.1.1; NIST SP 800-53 AC-2"))
    // AC.L2-3.1.9: 1 point, a CAT II check: likelihood Moderate, impact Low, risk Low (SP 800-30 I-2).
    #expect(try value("POAM-AC.L2-3.1.9", "Impact") == "Low")
    #expect(try value("POAM-AC.L2-3.1.9", "Likelihood") == "Moderate")
    #expect(try value("POAM-AC.L2-3.1.9", "Residual Risk Level") == "Low")
  }

  /// The header block must not break reading the file back as --prior; a person's risk value
  /// and Mitigations / Resources Required are carried through the merge.
  @Test func csvAndXLSXWithAHeaderBlockReadBackAsPrior() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let first = HandReports.make(
      score: 106, status: .conditional, statuses: ["AC.L2-3.1.9": .notMet, "AU.L2-3.3.4": .notMet],
      assessmentDate: "2025-01-15")
    _ = try POAMWorkflow.run(
      report: first, catalog: catalog, prior: nil, outputDirectory: directory, profile: try profile())
    let csvURL = directory.appendingPathComponent("poam.csv")
    var csv = try String(contentsOf: csvURL, encoding: .utf8)
    #expect(
      csv.trimmingPrefix("\u{FEFF}").hasPrefix(
        "CMMC Level 2 Plan of Action and Milestones\r\nOrganization,Example Aerospace LLC\r\n"))
    // A person fills Resources Required, Mitigations and Likelihood of the first item.
    var lines = csv.components(separatedBy: "\r\n")
    let headerIndex = try #require(lines.firstIndex { $0.hasPrefix("POA&M Item ID,") })
    let headers = try POAMReader.csvRows(Data(lines[headerIndex].utf8), source: "h")[0]
    let itemIndex = try #require(lines.firstIndex { $0.hasPrefix("POAM-AC.L2-3.1.9,") })
    var cells = try POAMReader.csvRows(Data(lines[itemIndex].utf8), source: "row")[0]
    cells[headers.firstIndex(of: "Resources Required")!] = "Two days of IT staff time"
    cells[headers.firstIndex(of: "Mitigations (in-house and in conjunction with the Navy CSSP)")!] = "Banner on VPN"
    cells[headers.firstIndex(of: "Likelihood")!] = "Very High"
    lines[itemIndex] = cells.map(CSVPOAMExporter.field).joined(separator: ",")
    csv = lines.joined(separator: "\r\n")
    try Data(csv.utf8).write(to: csvURL)

    let (prior, diagnostics) = try POAMWorkflow.loadPrior(path: csvURL.path, catalog: catalog)
    #expect(diagnostics.filter { $0.severity != .note }.isEmpty, "\(diagnostics)")
    #expect(prior.items.map(\.id) == ["POAM-AC.L2-3.1.9", "POAM-AU.L2-3.3.4"])
    #expect(prior.certificationStatus == .conditional && prior.statusDate == "2025-01-15")
    let item = try #require(prior.item(id: "POAM-AC.L2-3.1.9"))
    #expect(item.resources == "Two days of IT staff time" && item.mitigations == "Banner on VPN")
    #expect(item.customFields == [CustomField(name: "Likelihood", value: "Very High")])
    #expect(prior.item(id: "POAM-AU.L2-3.3.4")?.customFields == [])

    let rerun = HandReports.make(
      score: 106, status: .conditional, statuses: ["AC.L2-3.1.9": .notMet, "AU.L2-3.3.4": .notMet],
      assessmentDate: "2025-03-01")
    let summary = try POAMWorkflow.run(
      report: rerun, catalog: catalog, prior: prior, outputDirectory: directory, profile: try profile())
    #expect(summary.sprs?.statusDate == "2025-01-15")
    let again = try String(contentsOf: csvURL, encoding: .utf8)
    #expect(
      again.contains("Two days of IT staff time") && again.contains("Banner on VPN") && again.contains("Very High"))

    // The workbook: same header block, read back through the workbook reader.
    let xlsx = directory.appendingPathComponent("poam.xlsx")
    let (fromWorkbook, workbookDiagnostics) = try POAMWorkflow.loadPrior(path: xlsx.path, catalog: catalog)
    #expect(workbookDiagnostics.filter { $0.severity != .note }.isEmpty, "\(workbookDiagnostics)")
    #expect(fromWorkbook.items.map(\.id) == ["POAM-AC.L2-3.1.9", "POAM-AU.L2-3.3.4"])
    #expect(fromWorkbook.item(id: "POAM-AC.L2-3.1.9")?.mitigations == "Banner on VPN")
    #expect(fromWorkbook.statusDate == "2025-01-15")
  }

  @Test func theWorkbookIsPrintReadyAndCarriesATheme() throws {
    let report = POAMDraftTests.report()
    let document = try POAMDrafter(catalog: catalog, owners: Owners()).draft(report)
    let context = ExportContext(
      report: report, document: document, changes: POAMChanges(hadPrior: false), catalog: catalog,
      layout: try POAMLayout.bundled(),
      profile: try profile())
    let parts = try WorkbookTestReader.parts(try XLSXPOAMExporter().render(context))
    let theme = String(decoding: try #require(parts["xl/theme/theme1.xml"]), as: UTF8.self)
    #expect(theme.contains("<a:clrScheme") && theme.contains("<a:fontScheme") && theme.contains("<a:fmtScheme"))
    let types = String(decoding: try #require(parts["[Content_Types].xml"]), as: UTF8.self)
    #expect(types.contains("/xl/theme/theme1.xml"))
    let rels = String(decoding: try #require(parts["xl/_rels/workbook.xml.rels"]), as: UTF8.self)
    #expect(rels.contains("relationships/theme\" Target=\"theme/theme1.xml\""))
    let sheet = String(decoding: try #require(parts["xl/worksheets/sheet1.xml"]), as: UTF8.self)
    #expect(sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"))
    #expect(sheet.contains("fitToWidth=\"1\" fitToHeight=\"0\""))
    let preamble = POAMTable(layout: context.layout, catalog: catalog).preamble(for: document, profile: context.profile)
    #expect(preamble.first == ["CMMC Level 2 Plan of Action and Milestones"] && preamble.last == [])
    let headerRow = preamble.count + 1
    #expect(sheet.contains("<pane ySplit=\"\(headerRow)\""))
    let workbook = String(decoding: try #require(parts["xl/workbook.xml"]), as: UTF8.self)
    #expect(
      workbook.contains(
        "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'POA&amp;M'!$\(headerRow):$\(headerRow)</definedName>"
      ))
    // Rows are tall enough for their wrapped text: the weakness of AC.L2-3.1.1 runs several lines.
    let heights = sheet.matches(of: #/<row r="(\d+)" ht="([\d.]+)" customHeight="1">/#).map {
      (Int($0.output.1)!, Double($0.output.2)!)
    }
    #expect(heights.count == document.items.count + 1)
    #expect(heights.dropFirst().contains { $0.1 > 40 })
  }

  // MARK: - SARIF

  @Test func everySARIFLocationHasALineAndARelativeURI() throws {
    var report = HandReports.make(score: 105, status: .notEligible, statuses: ["AC.L2-3.1.1": .notMet])
    for index in report.requirements.indices {
      for evidence in report.requirements[index].evidence.indices {
        report.requirements[index].evidence[evidence].line = nil
        report.requirements[index].evidence[evidence].source = "/work/repo/./scans/results.json"
      }
    }
    let log = SARIFReport(catalog: catalog, workingDirectory: URL(fileURLWithPath: "/work/repo")).log(report)
    let locations = log.runs[0].results.flatMap { $0.locations ?? [] }
    #expect(!locations.isEmpty)
    for location in locations {
      #expect(location.physicalLocation.region?.startLine == 1)
      #expect(location.physicalLocation.artifactLocation.uri == "scans/results.json")
    }
  }
}
