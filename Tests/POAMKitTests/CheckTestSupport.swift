import Foundation
import Testing

@testable import POAMKit

/// Gap reports built by hand for the drift-gate tests. The gap engine is not under test here:
/// every status, score and certification status is set explicitly by the test that uses it.
enum HandReports {
  /// A report for `level` in which every requirement in scope is MET with one piece of evidence
  /// (line = its position + 2 in `scans/assessment.csv`), except those in `statuses`.
  static func make(
    level: CMMCLevel = .two, score: Int?, status: CertificationStatus,
    statuses: [String: RequirementStatus] = [:], partial: Set<String> = [], deductions: [String: Int] = [:],
    assessmentDate: String = "2025-06-01", source: String = "scans/assessment.csv"
  ) -> GapReport {
    let catalog = TestCatalog.shared
    var requirements: [RequirementResult] = []
    var counts = GapCounts()
    for (index, requirement) in catalog.scope(of: level).enumerated() {
      let finding = statuses[requirement.id] ?? .met
      switch finding {
      case .met: counts.met += 1
      case .notMet: counts.notMet += 1
      case .notApplicable: counts.notApplicable += 1
      case .notAssessed: counts.notAssessed += 1
      }
      let evidenceStatus: Status =
        finding == .notMet
        ? (partial.contains(requirement.id) ? .partial : .notMet)
        : (finding == .notApplicable ? .notApplicable : .met)
      let evidence: [Evidence] =
        finding == .notAssessed
        ? []
        : [
          Evidence(
            source: source, location: "row \(index + 1)", line: index + 2, asset: "enclave",
            objective: nil, status: evidenceStatus, rawStatus: evidenceStatus.label, kind: .assessor, via: .direct,
            detail: "\(requirement.id) assessed \(evidenceStatus.label)")
        ]
      var objectives: [String: Status] = [:]
      for objective in requirement.objectives {
        objectives[objective.id] = finding == .notAssessed ? .notAssessed : evidenceStatus
      }
      let deducted =
        finding == .notMet || finding == .notAssessed ? (deductions[requirement.id] ?? requirement.points ?? 0) : 0
      requirements.append(
        RequirementResult(
          id: requirement.id, level: requirement.level, family: requirement.family, title: requirement.title,
          status: finding, partial: partial.contains(requirement.id), pointsDeducted: deducted,
          points: requirement.points, poamEligible: finding == .notMet && requirement.poam.allowed,
          poamReason: requirement.poam.reason, objectives: objectives, evidence: evidence))
    }
    let scoring = catalog.scoring(level)
    return GapReport(
      toolVersion: ToolInfo.version, catalogVersion: catalog.version, level: level,
      assessmentDate: CalendarDate(iso: assessmentDate)!,
      evidencePolicy: "assessor", inputs: [source], score: score, maxScore: scoring?.maxScore,
      minScore: scoring?.minScore, status: status, reasons: status == .final ? [] : ["hand-made reason"],
      counts: counts, prerequisite: nil, requirements: requirements, diagnostics: [])
  }

  /// Writes a report as poam writes gap-report.json and returns the path.
  static func write(_ report: GapReport, to directory: URL, name: String = "gap-report.json") throws -> String {
    let url = directory.appendingPathComponent(name)
    try Data(try JSONOutput.string(report).utf8).write(to: url)
    return url.path
  }
}

/// Runs a Python validation script from Scripts/ on a file.
enum PythonScript {
  /// The first python3 on PATH (as `#!/usr/bin/env python3` would run), else the system one.
  static let python: URL? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    for directory in path.split(separator: ":") {
      let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("python3")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"]
    where FileManager.default.isExecutableFile(atPath: candidate) {
      return URL(fileURLWithPath: candidate)
    }
    return nil
  }()
  static let available = python != nil
  static let reason: Comment = "needs python3 on PATH to run Scripts/validate-*.py"

  static func run(_ script: String, _ arguments: [String], environment: [String: String]? = nil) throws -> CLI.Result {
    try CLI.run(
      [Paths.root.appendingPathComponent("Scripts/\(script)").path] + arguments, executable: python!,
      environment: environment)
  }
}
