import Foundation
import Testing

@testable import POAMKit

/// Rerun and merge: human edits kept, fixed items closed with evidence, regressions reopened,
/// new gaps added, nothing deleted.
struct POAMMergeTests {
  let catalog = TestCatalog.shared

  func draft(_ report: GapReport) throws -> POAMDocument {
    try POAMDrafter(catalog: catalog).draft(report)
  }

  func merge(_ report: GapReport, prior: POAMDocument?) throws -> (POAMDocument, POAMChanges) {
    try POAMMerger(catalog: catalog).merge(draft: try draft(report), prior: prior, report: report)
  }

  /// January: AC.L2-3.1.9 and AU.L2-3.3.4 NOT MET (1 point each): score 108.
  func january() -> GapReportBuilder {
    var builder = GapReportBuilder(date: "2025-01-15")
    builder.notMet(
      "AC.L2-3.1.9", objectives: ["b"],
      evidence: [
        GapReportBuilder.evidence("rhel8.ckl", asset: "web01", status: .notMet, raw: "Open", detail: "no banner")
      ])
    builder.notMet("AU.L2-3.3.4", objectives: ["a"])
    return builder
  }

  /// Every field people edit, set to something poam would never write.
  func edit(_ item: inout POAMItem) {
    item.pointOfContact = "Maria Lopez <maria@example.com>"
    item.resources = "2 days of admin time; $0"
    item.proposedRemediation = "Deploy the banner with the GPO \"Logon Message\"."
    item.milestones = [
      Milestone(number: 1, description: "Push GPO", due: "2025-02-01"),
      Milestone(number: nil, description: "then verify", due: nil),
    ]
    item.milestoneChanges = "Moved the GPO push up a week."
    item.scheduledCompletion = "2025-02-28"
    item.comments = "Waiting on change board.\nSecond line."
    item.mitigations = "Banner shown by the VPN portal."
    item.customFields = [CustomField(name: "Likelihood", value: "Low")]
  }

  func humanFields(_ item: POAMItem) -> [String] {
    [
      item.pointOfContact, item.resources, item.proposedRemediation, MilestoneText.render(item.milestones) { $0.iso },
      item.milestoneChanges, item.scheduledCompletion, item.status.rawValue, item.comments, item.riskAcceptance,
      item.mitigations, item.customFields.map { "\($0.name)=\($0.value)" }.joined(separator: ";"),
    ]
  }

  @Test func editedFieldsAreKeptExactly() throws {
    var (prior, _) = try merge(january().build(), prior: nil)
    let index = try #require(prior.items.firstIndex { $0.id == "POAM-AC.L2-3.1.9" })
    edit(&prior.items[index])
    let edited = prior.items[index]
    // Still failing a month later, with new evidence.
    var february = january()
    february.date = "2025-02-15"
    february.notMet(
      "AC.L2-3.1.9", objectives: ["a", "b"],
      evidence: [
        GapReportBuilder.evidence("rhel8.ckl", asset: "web09", status: .notMet, raw: "Open", detail: "still no banner")
      ])
    let (merged, changes) = try merge(february.build(), prior: prior)
    let item = try #require(merged.item(id: "POAM-AC.L2-3.1.9"))
    #expect(humanFields(item) == humanFields(edited))
    #expect(item.weakness.contains("web09"), "derived fields are redrafted")
    #expect(item.failingObjectives == ["a", "b"])
    #expect(item.dateIdentified == "2025-01-15", "first found in January")
    #expect(changes.stillOpen == ["POAM-AC.L2-3.1.9", "POAM-AU.L2-3.3.4"])
    #expect(changes.new.isEmpty && changes.closed.isEmpty && changes.reopened.isEmpty)
    // The checklist of human-editable fields matches what keepHumanEdits copies.
    #expect(
      Set(POAMField.allCases.filter(\.isHumanEditable).map(\.rawValue)) == [
        "point_of_contact", "resources", "proposed_remediation", "milestones", "milestone_changes",
        "scheduled_completion", "status", "comments", "risk_acceptance", "mitigations",
      ])
  }

  @Test func fixedItemIsClosedWithTheEvidenceAndKeepsItsWords() throws {
    var (prior, _) = try merge(january().build(), prior: nil)
    let index = try #require(prior.items.firstIndex { $0.id == "POAM-AC.L2-3.1.9" })
    edit(&prior.items[index])
    var april = GapReportBuilder(date: "2025-04-01")
    april.met(
      "AC.L2-3.1.9",
      evidence: [
        GapReportBuilder.evidence(
          "rhel8-april.ckl", asset: "web01", status: .met, raw: "NotAFinding", detail: "banner configured",
          location: "VULN V-230225")
      ])
    april.notMet("AU.L2-3.3.4", objectives: ["a"])
    let (merged, changes) = try merge(april.build(), prior: prior)
    let item = try #require(merged.item(id: "POAM-AC.L2-3.1.9"))
    #expect(item.status == .closed)
    #expect(item.finding == .met)
    #expect(item.closedOn == "2025-04-01")
    #expect(
      item.closureEvidence
        == "MET in the assessment of 2025-04-01. Evidence: NotAFinding on web01 (rhel8-april.ckl VULN V-230225): banner configured."
    )
    #expect(item.history.last?.kind == .closed)
    #expect(item.pointOfContact == "Maria Lopez <maria@example.com>")
    #expect(item.comments == "Waiting on change board.\nSecond line.")
    #expect(changes.closed == ["POAM-AC.L2-3.1.9"])
    #expect(changes.stillOpen == ["POAM-AU.L2-3.3.4"])
    #expect(changes.priorScore == 108 && changes.score == 109 && changes.scoreChange == 1)
  }

  @Test func regressionIsReopenedWithANote() throws {
    let (first, _) = try merge(january().build(), prior: nil)
    var april = GapReportBuilder(date: "2025-04-01")
    april.met("AC.L2-3.1.9", evidence: [GapReportBuilder.evidence("a.ckl", status: .met, detail: "ok")])
    let (second, _) = try merge(april.build(), prior: first)
    #expect(second.item(id: "POAM-AC.L2-3.1.9")?.status == .closed)
    #expect(second.item(id: "POAM-AU.L2-3.3.4")?.status == .closed, "AU.L2-3.3.4 is MET in April too")
    var july = january()
    july.date = "2025-07-01"
    let (third, changes) = try merge(july.build(), prior: second)
    let item = try #require(third.item(id: "POAM-AC.L2-3.1.9"))
    #expect(item.status == .open)
    #expect(item.closedOn == nil && item.closureEvidence == nil)
    #expect(item.dateIdentified == "2025-01-15")
    #expect(item.history.map(\.kind) == [.opened, .closed, .reopened, .note])
    #expect(item.history[2].note.contains("NOT MET again in the assessment of 2025-07-01 (closed on 2025-04-01)"))
    #expect(item.history[3].note.hasPrefix("previous closure evidence: MET in the assessment of 2025-04-01"))
    #expect(Set(changes.reopened) == ["POAM-AC.L2-3.1.9", "POAM-AU.L2-3.3.4"])
  }

  @Test func newGapBecomesANewItemAndNothingIsDeleted() throws {
    var (prior, _) = try merge(january().build(), prior: nil)
    // A row a person added, and an item for a Level 3 requirement outside a Level 2 run.
    prior.items.append(
      POAMItem(
        id: "CUSTOM-7", requirementID: "", requirementTitle: "Replace the badge readers", family: "", level: nil,
        finding: .notMet, weakness: "Readers are end of life.", severity: .moderate, points: nil, poamEligible: false,
        eligibilityReason: "", dateIdentified: "2024-12-01", pointOfContact: "Facilities"))
    var outside = POAMDrafter(catalog: catalog).draftItem(
      RequirementResult(
        id: "AC.L3-3.1.2e", level: .three, family: "AC", title: "Organizationally Controlled Assets", status: .notMet,
        pointsDeducted: 1, points: 1, poamEligible: true, poamReason: "r", objectives: [:], evidence: []),
      date: CalendarDate(iso: "2025-01-15")!)
    outside.comments = "tracked for the Level 3 assessment"
    prior.items.append(outside)
    var march = january()
    march.date = "2025-03-01"
    march.notMet("CM.L2-3.4.9", objectives: ["c"])
    let (merged, changes) = try merge(march.build(), prior: prior)
    #expect(changes.new == ["POAM-CM.L2-3.4.9"])
    #expect(Set(prior.items.map(\.id)).isSubset(of: Set(merged.items.map(\.id))))
    #expect(merged.item(id: "CUSTOM-7") == prior.item(id: "CUSTOM-7"))
    #expect(merged.item(id: "POAM-AC.L3-3.1.2e") == outside)
    #expect(Set(changes.unchanged) == ["CUSTOM-7", "POAM-AC.L3-3.1.2e"])
    #expect(changes.diagnostics.contains { $0.location == "POAM-AC.L3-3.1.2e" })
    // Catalog order, rows without a requirement last.
    #expect(merged.items.map(\.id).last == "CUSTOM-7")
    #expect(
      merged.items.map(\.id).firstIndex(of: "POAM-AC.L2-3.1.9")! < merged.items.map(\.id).firstIndex(
        of: "POAM-CM.L2-3.4.9")!)
  }

  @Test func overdueRiskAcceptedAndLateItemsAreReported() throws {
    var (prior, _) = try merge(january().build(), prior: nil)
    let banner = try #require(prior.items.firstIndex { $0.id == "POAM-AC.L2-3.1.9" })
    prior.items[banner].scheduledCompletion = "2025-03-01"
    let audit = try #require(prior.items.firstIndex { $0.id == "POAM-AU.L2-3.3.4" })
    prior.items[audit].status = .riskAccepted
    prior.items[audit].riskAcceptance = "Accepted by the CIO on 2025-02-01 until the SIEM migration."
    prior.items[audit].scheduledCompletion = "2025-12-31"
    var april = january()
    april.date = "2025-04-01"
    let (merged, changes) = try merge(april.build(), prior: prior)
    #expect(
      changes.overdue == ["POAM-AC.L2-3.1.9"], "2025-03-01 is before 2025-04-01; risk-accepted items are not overdue")
    #expect(changes.riskAccepted == ["POAM-AU.L2-3.3.4"])
    #expect(merged.item(id: "POAM-AU.L2-3.3.4")?.status == .riskAccepted)
    #expect(merged.item(id: "POAM-AU.L2-3.3.4")?.riskAcceptance == prior.items[audit].riskAcceptance)
    #expect(changes.stillOpen.contains("POAM-AU.L2-3.3.4"))

    // An open eligible item scheduled after identified + 180 days (2025-07-14) draws a warning.
    prior.items[audit].status = .open
    let (_, late) = try merge(april.build(), prior: prior)
    let warning = try #require(late.diagnostics.first { $0.location == "POAM-AU.L2-3.3.4" })
    #expect(warning.message.contains("2025-12-31 is after 2025-07-14"))
  }

  @Test func duplicatePriorItemsAreKeptNotMerged() throws {
    var (prior, _) = try merge(january().build(), prior: nil)
    var copy = try #require(prior.item(id: "POAM-AC.L2-3.1.9"))
    copy.id = "POAM-AC.L2-3.1.9-copy"
    copy.comments = "a person duplicated this row"
    prior.items.append(copy)
    let (merged, changes) = try merge(january().build(), prior: prior)
    #expect(merged.item(id: "POAM-AC.L2-3.1.9-copy") == copy)
    #expect(changes.diagnostics.contains { $0.severity == .warning && $0.location == "POAM-AC.L2-3.1.9-copy" })
    #expect(merged.items.count == prior.items.count)
  }

  @Test func firstRunMarksEverythingNew() throws {
    let (document, changes) = try merge(january().build(), prior: nil)
    #expect(!changes.hadPrior)
    #expect(changes.new == document.items.map(\.id))
    #expect(changes.scoreChange == nil)
  }
}
