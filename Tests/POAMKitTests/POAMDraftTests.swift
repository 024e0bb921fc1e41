import Foundation
import Testing

@testable import POAMKit

/// Drafting: one item per requirement NOT MET or not assessed, with everything a compliance
/// officer needs to finish it. Expected values come from the catalog files (points, objective
/// text) and 32 CFR 170.21 as stated in cmmc-rules.md, and dates from Python's datetime.
struct POAMDraftTests {
  static let stig = "rhel8.ckl"

  /// A Level 2 assessment of 2025-01-15 with five gaps of different kinds.
  static func report() -> GapReport {
    var builder = GapReportBuilder(date: "2025-01-15")
    builder.notMet(
      "AC.L2-3.1.1", objectives: ["d", "f"],
      evidence: [
        GapReportBuilder.evidence(
          "assessment.csv", status: .notMet, raw: "Not Met", detail: "No device inventory", kind: .assessor,
          objective: "f", location: "row 12"),
        GapReportBuilder.evidence(
          stig, asset: "web01", status: .notMet, raw: "Open", detail: "SV-230221r743913_rule RHEL 8 must be supported",
          severity: "high", location: "VULN V-230221"),
        GapReportBuilder.evidence(
          stig, asset: "web02", status: .notMet, raw: "Open", detail: "SV-230221r743913_rule RHEL 8 must be supported",
          severity: "high", location: "VULN V-230221"),
        GapReportBuilder.evidence(
          stig, asset: "web03", status: .met, raw: "NotAFinding", detail: "SV-230222r743914_rule", severity: "medium"),
      ])
    builder.notMet(
      "AC.L2-3.1.9", objectives: ["b"],
      evidence: [
        GapReportBuilder.evidence(
          stig, asset: "web01", status: .notMet, raw: "Open", detail: "SV-230225r743915_rule banner missing",
          objective: "b", severity: "medium")
      ])
    builder.notAssessed("AU.L2-3.3.4")
    builder.notMet("IA.L2-3.5.3", partialPoints: 3)
    builder.notMet("CA.L2-3.12.4")
    return builder.build()
  }

  static func owners() throws -> Owners {
    try Owners.load(path: Paths.fixtures.appendingPathComponent("poam/owners.yml").path, catalog: TestCatalog.shared)
  }

  @Test func oneItemPerGapInCatalogOrder() throws {
    let document = try POAMDrafter(catalog: TestCatalog.shared, owners: try Self.owners()).draft(Self.report())
    #expect(
      document.items.map(\.id) == [
        "POAM-AC.L2-3.1.1", "POAM-AC.L2-3.1.9", "POAM-AU.L2-3.3.4", "POAM-IA.L2-3.5.3", "POAM-CA.L2-3.12.4",
      ])
    #expect(document.items.allSatisfy { $0.status == .open && $0.dateIdentified == "2025-01-15" })
    // 110 - 5 - 1 - 1 - 3 - 0 = 100.
    #expect(document.score == 100)
    #expect(document.assessmentDate == "2025-01-15")
  }

  @Test func fivePointGapIsHighIneligibleWithEvidenceAndAShortPlan() throws {
    let document = try POAMDrafter(catalog: TestCatalog.shared, owners: try Self.owners()).draft(Self.report())
    let item = try #require(document.item(id: "POAM-AC.L2-3.1.1"))
    #expect(item.requirementTitle == "Authorized Access Control")
    #expect(item.severity == .high)
    #expect(item.rawSeverity == "CAT I")
    #expect(item.points == 5)
    #expect(!item.poamEligible)
    #expect(item.eligibilityReason.contains("170.21(a)(2)(ii)"))
    #expect(item.failingObjectives == ["d", "f"])
    #expect(item.weakness.contains("objectives [d], [f] of 6 not met"))
    #expect(item.weakness.contains("No device inventory"))
    #expect(item.weakness.contains("web01, web02"))
    #expect(!item.weakness.contains("web03"), "passing evidence is not a weakness")
    #expect(item.devicesAffected == ["web01", "web02"])
    #expect(item.securityChecks == ["V-230221", "SV-230221r743913_rule"])
    #expect(
      item.sourceOfDiscovery
        == "Assessor determination: assessment.csv; Automated check: rhel8.ckl (assessment of 2025-01-15)")
    #expect(item.pointOfContact == "Jane Doe <jane@example.com>")
    // The remediation quotes the catalog's text for objectives d and f only.
    #expect(item.proposedRemediation.contains("[d] Access to the system is restricted to authorized users."))
    #expect(item.proposedRemediation.contains("[f] Access to the system is restricted to authorized devices"))
    #expect(!item.proposedRemediation.contains("[a]"))
    // Ineligible: 14 / 45 / 90 days (2025-01-29, 2025-03-01, 2025-04-15).
    #expect(item.milestones.map(\.due) == ["2025-01-29", "2025-03-01", "2025-04-15"])
    #expect(item.scheduledCompletion == "2025-04-15")
    #expect(item.milestones[2].description.contains("must be MET before certification"))
    #expect(
      item.history == [
        POAMEvent(
          date: "2025-01-15", kind: .opened, note: "NOT MET in the assessment of 2025-01-15 (objectives [d], [f])")
      ])
  }

  @Test func onePointGapIsEligibleAndFinishesBeforeTheCloseoutDeadline() throws {
    let document = try POAMDrafter(catalog: TestCatalog.shared, owners: try Self.owners()).draft(Self.report())
    let item = try #require(document.item(id: "POAM-AC.L2-3.1.9"))
    #expect(item.poamEligible)
    #expect(item.points == 1)
    #expect(item.severity == .moderate, "1 point is low, raised to moderate by a CAT II finding")
    #expect(item.rawSeverity == "CAT II")
    #expect(item.pointOfContact == "Facilities <facilities@example.com>", "requirement beats family")
    // Eligible: 30 / 90 / 150 days; closeout deadline 180 days = 2025-07-14.
    #expect(item.milestones.map(\.due) == ["2025-02-14", "2025-04-15", "2025-06-14"])
    #expect(item.scheduledCompletion == "2025-06-14")
    #expect(item.milestones[2].description.contains("by 2025-07-14 (32 CFR 170.21(b))"))
    let deadline = try #require(CalendarDate(iso: "2025-07-14"))
    #expect(try #require(item.scheduledCompletionDate) <= deadline)
  }

  @Test func notAssessedPartialAndSSPItems() throws {
    let document = try POAMDrafter(catalog: TestCatalog.shared, owners: try Self.owners()).draft(Self.report())
    let audit = try #require(document.item(id: "POAM-AU.L2-3.3.4"))
    #expect(audit.finding == .notAssessed)
    #expect(audit.weakness.hasPrefix("NOT ASSESSED: no evidence for AU.L2-3.3.4 Audit Failure Alerting"))
    #expect(audit.failingObjectives.isEmpty)
    #expect(audit.proposedRemediation.components(separatedBy: "\n").count == 4, "intro and objectives a, b, c")
    #expect(audit.severity == .low)
    #expect(audit.pointOfContact == Owners.unassigned)
    #expect(audit.sourceOfDiscovery.hasPrefix("poam gap analysis: no evidence"))

    let mfa = try #require(document.item(id: "POAM-IA.L2-3.5.3"))
    #expect(mfa.points == 3)
    #expect(mfa.severity == .moderate)
    #expect(!mfa.poamEligible)
    #expect(mfa.weakness.contains("Partly implemented: 3 points deducted instead of 5."))
    #expect(mfa.pointOfContact == "Identity Team")

    let ssp = try #require(document.item(id: "POAM-CA.L2-3.12.4"))
    #expect(ssp.points == nil, "the SSP has no point value")
    #expect(ssp.severity == .high)
    #expect(!ssp.poamEligible)
  }

  @Test func levelOneGapsAreDraftedButNeverEligible() throws {
    var builder = GapReportBuilder(level: .one, date: "2025-01-15")
    builder.notMet("AC.L1-b.1.i")
    let document = try POAMDrafter(catalog: TestCatalog.shared).draft(builder.build())
    let item = try #require(document.items.first)
    #expect(document.items.count == 1)
    #expect(item.id == "POAM-AC.L1-b.1.i")
    #expect(item.points == nil)
    #expect(item.severity == .high)
    #expect(!item.poamEligible)
    #expect(item.eligibilityReason.contains("170.21(a)(1)"))
    #expect(item.milestones.last?.description.contains("allows no POA&M (32 CFR 170.21(a)(1))") == true)
  }

  @Test func levelThreeDraftsLevelTwoAndLevelThreeGaps() throws {
    var builder = GapReportBuilder(level: .three, date: "2025-01-15")
    builder.notMet("IR.L3-3.6.1e")
    builder.notMet("AC.L3-3.1.2e", objectives: ["b"])
    builder.notMet("AC.L2-3.1.9")
    let document = try POAMDrafter(catalog: TestCatalog.shared).draft(builder.build())
    #expect(document.level == .three)
    #expect(document.items.map(\.id) == ["POAM-AC.L2-3.1.9", "POAM-AC.L3-3.1.2e", "POAM-IR.L3-3.6.1e"])
    let soc = try #require(document.item(id: "POAM-IR.L3-3.6.1e"))
    #expect(!soc.poamEligible && soc.eligibilityReason.contains("170.21(a)(3)(ii)"))
    #expect(soc.points == 1 && soc.severity == .low)
    let assets = try #require(document.item(id: "POAM-AC.L3-3.1.2e"))
    #expect(assets.poamEligible && assets.failingObjectives == ["b"])
    // 24 - 1 - 1 = 22 (the Level 2 gap does not count in the Level 3 score).
    #expect(document.score == 22 && document.maxScore == 24)
  }

  @Test func sameGapSameItemOnEveryRun() throws {
    let drafter = POAMDrafter(catalog: TestCatalog.shared, owners: try Self.owners())
    let first = try drafter.draft(Self.report())
    var shuffled = Self.report()
    shuffled.requirements.reverse()
    let second = try drafter.draft(shuffled)
    #expect(Set(first.items.map(\.id)) == Set(second.items.map(\.id)))
    for item in first.items { #expect(second.item(id: item.id) == item) }
  }

  /// A gap report's date is a `CalendarDate`: one written any other way is refused where the
  /// file is read, never carried on to the drafter.
  @Test func badAssessmentDateIsReported() throws {
    let json = String(decoding: try Self.report().jsonData(), as: UTF8.self)
    #expect(json.contains("\"assessment_date\" : \"2025-01-15\""))
    let bad = json.replacingOccurrences(
      of: "\"assessment_date\" : \"2025-01-15\"", with: "\"assessment_date\" : \"15/01/2025\"")
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(GapReport.self, from: Data(bad.utf8)) }
  }
}
