import Foundation

/// What `poam check` was asked to do.
public struct CheckOptions: Sendable {
  /// The baseline: a gap report or POA&M that poam wrote.
  public var baselinePath: String
  /// The conditions that fail the check.
  public var failOn: Set<DriftCondition>
  /// True when the user gave `--fail-on` (an explicitly selected condition that cannot be
  /// judged is a usage error; a default one is only reported as not evaluated).
  public var failOnGiven: Bool
  /// `--min-score`.
  public var minScore: Int?
  /// `--junit FILE`.
  public var junitPath: String?
  /// `--sarif FILE`.
  public var sarifPath: String?
  /// `--summary FILE`.
  public var summaryPath: String?
  /// `--update-baseline`.
  public var updateBaseline: Bool
  /// `--history PATH` (recording is on when this or `record` is set).
  public var historyPath: String?
  /// `--record`.
  public var record: Bool
  /// The day overdue items are judged against, `YYYY-MM-DD` (default: today, UTC).
  public var asOf: String
  /// Where relative SARIF URIs and the default history path are anchored.
  public var workingDirectory: URL
  /// The environment (`GITHUB_STEP_SUMMARY`).
  public var environment: [String: String]
  /// The input names as given, for the history's content hashes.
  public var inputs: [String]

  /// Creates options with the defaults of `poam check`.
  public init(
    baselinePath: String, failOn: Set<DriftCondition>? = nil, minScore: Int? = nil, junitPath: String? = nil,
    sarifPath: String? = nil, summaryPath: String? = nil, updateBaseline: Bool = false, historyPath: String? = nil,
    record: Bool = false, asOf: String = CalendarDate.today().iso,
    workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
    environment: [String: String] = ProcessInfo.processInfo.environment, inputs: [String] = []
  ) {
    self.baselinePath = baselinePath
    self.failOn = failOn ?? DriftCondition.defaults
    self.failOnGiven = failOn != nil
    self.minScore = minScore
    self.junitPath = junitPath
    self.sarifPath = sarifPath
    self.summaryPath = summaryPath
    self.updateBaseline = updateBaseline
    self.historyPath = historyPath
    self.record = record
    self.asOf = asOf
    self.workingDirectory = workingDirectory
    self.environment = environment
    self.inputs = inputs
  }

  /// The history file to record into, or nil when recording is off.
  public var resolvedHistoryPath: String? {
    if let historyPath {
      return historyPath.hasPrefix("/") ? historyPath : workingDirectory.appendingPathComponent(historyPath).path
    }
    return record ? HistoryStore.defaultPath(in: workingDirectory.path) : nil
  }
}

/// A `poam check` request that cannot be carried out as asked (exit 2).
public struct CheckUsageError: Error, LocalizedError, Sendable, Hashable {
  /// What is wrong and what to do.
  public var message: String

  public var errorDescription: String? { message }
}

/// What happened to the baseline under `--update-baseline`.
public enum BaselineUpdate: Sendable, Hashable {
  /// `--update-baseline` was not given.
  case notRequested
  /// The baseline was rewritten with the current gap report.
  case updated
  /// The baseline was left as it was, and why.
  case kept(reason: String)
}

/// The result of a check: the verdict, the exit code, what to print and what was written.
public struct CheckOutcome: Sendable {
  /// The verdict.
  public var verdict: DriftVerdict
  /// 0 when nothing selected failed, 1 when something did.
  public var exitCode: Int32
  /// What `poam check` prints on standard output; the first line is the verdict.
  public var output: String
  /// The files written (reports, summary, baseline, history).
  public var written: [String]
  /// What happened to the baseline.
  public var baselineUpdate: BaselineUpdate
  /// The history row recorded, when recording was on.
  public var historyRunID: Int64?
}

/// `poam check` after the gap engine has run: loads and validates the baseline, judges drift,
/// writes JUnit, SARIF and the Markdown summary, ratchets the baseline and records the run.
/// `poam check` (the command) only imports, resolves and evaluates, then calls this.
public struct CheckWorkflow: Sendable {
  /// The catalog (descriptions for SARIF and JUnit; ID canonicalization for POA&M baselines).
  public let catalog: Catalog
  /// The options.
  public let options: CheckOptions

  /// Creates a workflow.
  public init(catalog: Catalog, options: CheckOptions) {
    self.catalog = catalog
    self.options = options
  }

  /// Loads the baseline and checks that the request fits it, before any input is read.
  /// `level` is the level the current run will be evaluated at.
  public func loadBaseline(level: CMMCLevel) throws -> AssessmentSnapshot {
    let baseline = try BaselineLoader(catalog: catalog).load(path: options.baselinePath)
    try validate(baseline: baseline, level: level)
    return baseline
  }

  /// The usage checks: level match, `--min-score` fits the level, explicitly selected
  /// conditions can be judged against this baseline, `--update-baseline` has a gap report to rewrite.
  public func validate(baseline: AssessmentSnapshot, level: CMMCLevel) throws {
    if let baselineLevel = baseline.level, baselineLevel != level {
      throw BaselineError.levelMismatch(path: options.baselinePath, baseline: baselineLevel, current: level)
    }
    if options.minScore != nil, level == .one {
      throw CheckUsageError(message: "--min-score: Level 1 has no score (it is MET or NOT MET as a whole)")
    }
    if options.failOn.contains(.belowMinScore), options.minScore == nil {
      throw CheckUsageError(message: "--fail-on below-min-score needs --min-score N")
    }
    if options.failOnGiven {
      if options.failOn.contains(.overdue), baseline.items.isEmpty {
        let what =
          baseline.kind == .gapReport
          ? "is a gap report, which has no POA&M due dates" : "is a POA&M with no items"
        throw CheckUsageError(
          message:
            "--fail-on overdue: the baseline \(options.baselinePath) \(what): use a POA&M (OSCAL JSON) that poam wrote as the baseline"
        )
      }
      if options.failOn.contains(.notAssessed), baseline.kind == .poam {
        throw CheckUsageError(
          message:
            "--fail-on not-assessed: the baseline \(options.baselinePath) is a POA&M, which does not record evidence: use a gap report as the baseline"
        )
      }
      if level == .one, options.failOn.contains(.scoreDrop) {
        throw CheckUsageError(message: "--fail-on score-drop: Level 1 has no score")
      }
    }
    if options.updateBaseline, baseline.kind != .gapReport {
      throw CheckUsageError(
        message:
          "--update-baseline: \(options.baselinePath) is a POA&M; poam check can rewrite a gap-report baseline only (write a new POA&M with poam analyze --prior)"
      )
    }
  }

  /// Judges the current report against the baseline and writes every requested output.
  public func run(current: GapReport, baseline: AssessmentSnapshot) throws -> CheckOutcome {
    try validate(baseline: baseline, level: current.level)
    let check = DriftCheck(failOn: options.failOn, minScore: options.minScore, asOf: options.asOf)
    let verdict = check.evaluate(
      baseline: baseline, current: AssessmentSnapshot(report: current, source: "current run"))
    var written: [String] = []
    var trailer: [String] = []
    if let path = options.junitPath {
      try AtomicFile.write(JUnitReport.render(current, catalog: catalog), to: path)
      written.append(path)
      trailer.append("junit: \(path)")
    }
    if let path = options.sarifPath {
      let sarif = SARIFReport(
        catalog: catalog, workingDirectory: options.workingDirectory, newGaps: Set(verdict.diff.gapsOpened))
      try AtomicFile.write(try sarif.render(current), to: path)
      written.append(path)
      trailer.append("sarif: \(path)")
    }
    let summary = CheckSummary.render(verdict, current: current)
    if let path = options.summaryPath {
      try AtomicFile.write(summary, to: path)
      written.append(path)
      trailer.append("summary: \(path)")
    } else if let path = options.environment["GITHUB_STEP_SUMMARY"], !path.isEmpty {
      try AtomicFile.append(summary + "\n", to: path)
      written.append(path)
      trailer.append("summary: appended to GITHUB_STEP_SUMMARY")
    }
    var update = BaselineUpdate.notRequested
    if options.updateBaseline {
      if verdict.gotWorse {
        let worse = verdict.conditions.filter {
          DriftCondition.regressions.contains($0.condition) && $0.outcome == .failed
        }.map(\.condition.rawValue)
        update = .kept(reason: "got worse: \(worse.joined(separator: ", "))")
      } else if !verdict.diff.improved {
        update = .kept(reason: "nothing improved, nothing to lock in")
      } else {
        // Through the output set: a baseline in an analyze folder stays recorded as poam's own.
        try OutputSet.rewrite(Data(try JSONOutput.string(current).utf8), at: options.baselinePath)
        written.append(options.baselinePath)
        update = .updated
      }
      switch update {
      case .updated: trailer.append("baseline: updated \(options.baselinePath) (ratchet: nothing got worse)")
      case .kept(let reason): trailer.append("baseline: not updated (\(reason))")
      case .notRequested: break
      }
    }
    var runID: Int64?
    if let path = options.resolvedHistoryPath {
      let store = try HistoryStore(path: path)
      let inputs = HistoryInput.hashing(options.inputs, relativeTo: options.workingDirectory)
      runID = try store.record(HistoryRun(report: current, command: "check", inputs: inputs, verdict: verdict))
      written.append(path)
      trailer.append("history: recorded run \(runID!) in \(path)")
    }
    var output = verdict.text
    if !trailer.isEmpty { output += trailer.joined(separator: "\n") + "\n" }
    return CheckOutcome(
      verdict: verdict, exitCode: verdict.passed ? 0 : 1, output: output, written: written, baselineUpdate: update,
      historyRunID: runID)
  }
}
