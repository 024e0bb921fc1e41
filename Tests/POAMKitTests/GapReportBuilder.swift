import Foundation
import Testing

@testable import POAMKit

/// Builds realistic gap reports by hand for the POA&M tests (the gap engine lives elsewhere):
/// every requirement of the level from the bundled catalog, MET unless a finding says
/// otherwise, with the catalog's points and POA&M rules applied the way 32 CFR 170.21/170.24
/// state them.
struct GapReportBuilder {
  struct Finding {
    var status: RequirementStatus
    var objectives: [String: Status] = [:]
    var evidence: [Evidence] = []
    /// The reduced deduction for IA.L2-3.5.3 / SC.L2-3.13.11.
    var partialPoints: Int?
    var conflicts: [String] = []
  }

  var level: CMMCLevel = .two
  var date: String
  var findings: [String: Finding] = [:]
  var inputs: [String] = ["assessment.csv"]

  init(level: CMMCLevel = .two, date: String) {
    self.level = level
    self.date = date
  }

  /// Marks a requirement NOT MET (objectives listed are NOT MET, the rest MET).
  mutating func notMet(
    _ id: String, objectives failing: [String] = [], evidence: [Evidence] = [], partialPoints: Int? = nil
  ) {
    let requirement = TestCatalog.shared.requirement(id: id)!
    var objectives: [String: Status] = [:]
    if !failing.isEmpty {
      for objective in requirement.objectives {
        objectives[objective.id] = failing.contains(objective.id) ? .notMet : .met
      }
    }
    findings[id] = Finding(status: .notMet, objectives: objectives, evidence: evidence, partialPoints: partialPoints)
  }

  /// Marks a requirement as having no evidence.
  mutating func notAssessed(_ id: String) {
    findings[id] = Finding(status: .notAssessed)
  }

  /// Marks a requirement MET with evidence.
  mutating func met(_ id: String, evidence: [Evidence]) {
    findings[id] = Finding(status: .met, evidence: evidence)
  }

  static func evidence(
    _ source: String, asset: String? = nil, status: Status, raw: String? = nil, detail: String,
    kind: ObservationKind = .automated, objective: String? = nil, severity: String? = nil, location: String = "line 2"
  ) -> Evidence {
    Evidence(
      source: source, location: location, asset: asset, objective: objective, status: status,
      rawStatus: raw ?? status.label, kind: kind, via: .direct, detail: detail, severity: severity)
  }

  func build() -> GapReport {
    let catalog = TestCatalog.shared
    var results: [RequirementResult] = []
    var counts = GapCounts()
    var score = level == .three ? catalog.scoring(.three)!.maxScore : catalog.scoring(.two)!.maxScore
    var reasons: [String] = []
    var allEligible = true
    for requirement in catalog.scope(of: level) {
      let finding = findings[requirement.id] ?? Finding(status: .met)
      var deducted = 0
      var eligible = false
      if !finding.status.isSatisfied {
        if requirement.level != .one {
          deducted = finding.partialPoints ?? (requirement.points ?? 0)
        }
        eligible = requirement.poam.allowed && requirement.level != .one
        if requirement.id == "SC.L2-3.13.11" { eligible = finding.partialPoints == 3 }
        if !eligible {
          allEligible = false
          reasons.append("\(requirement.id) is NOT MET and may not be on a POA&M")
        }
        if level == .three ? requirement.level == .three : true { score -= deducted }
      }
      switch finding.status {
      case .met: counts.met += 1
      case .notMet: counts.notMet += 1
      case .notApplicable: counts.notApplicable += 1
      case .notAssessed: counts.notAssessed += 1
      }
      results.append(
        RequirementResult(
          id: requirement.id, level: requirement.level, family: requirement.family, title: requirement.title,
          status: finding.status, partial: finding.partialPoints != nil, pointsDeducted: deducted,
          points: requirement.points, poamEligible: eligible, poamReason: requirement.poam.reason,
          objectives: finding.objectives, evidence: finding.evidence, conflicts: finding.conflicts))
    }
    let gaps = results.filter { !$0.status.isSatisfied }
    let status: CertificationStatus
    var reportScore: Int? = score
    var maxScore: Int? = level == .three ? 24 : 110
    var minScore: Int? = level == .three ? 0 : -203
    if level == .one {
      reportScore = nil
      maxScore = nil
      minScore = nil
      status = gaps.isEmpty ? .final : .notEligible
    } else if gaps.isEmpty {
      status = .final
    } else if score >= (level == .three ? 20 : 88) && allEligible {
      status = .conditional
    } else {
      status = .notEligible
      if score < (level == .three ? 20 : 88) {
        reasons.insert("score \(score) is below the conditional minimum", at: 0)
      }
    }
    return GapReport(
      toolVersion: ToolInfo.version, catalogVersion: catalog.version, level: level,
      assessmentDate: CalendarDate(iso: date)!,
      evidencePolicy: "assessor", inputs: inputs, score: reportScore, maxScore: maxScore, minScore: minScore,
      status: status, reasons: reasons, counts: counts, prerequisite: nil, requirements: results, diagnostics: [])
  }
}

/// Runs the OSCAL validator script; nil when python3 or jsonschema is missing.
enum OSCALValidator {
  static let script = Paths.root.appendingPathComponent("Scripts/validate-oscal.py")
  static let schema = Paths.sharedFile("samples/schemas/oscal-1.1.3_poam_schema.json")

  /// True when `python3 -c "import jsonschema"` works here.
  static let available: Bool = {
    guard Paths.sharedAvailable, let result = try? run(["-c", "import jsonschema"]) else { return false }
    return result.status == 0
  }()

  static let reason: Comment =
    "needs python3 with jsonschema (pip install jsonschema regex) and ../shared/samples/schemas; CI installs them"

  static func run(_ arguments: [String]) throws -> CLI.Result {
    try CLI.run(["python3"] + arguments, executable: URL(fileURLWithPath: "/usr/bin/env"))
  }

  /// Validates files; returns the script's result.
  static func validate(_ files: [URL]) throws -> CLI.Result {
    try CLI.run(
      ["python3", script.path, "--schema", schema.path] + files.map(\.path),
      executable: URL(fileURLWithPath: "/usr/bin/env"))
  }
}
