import Foundation

/// One row of the evidence file: one result and one requirement or objective it reaches, or
/// the result alone when it reaches none in scope (``notScored`` says why). Plain values, built
/// by the gap engine as it folds the evidence; the workflow writes them.
public struct EvidenceRecord: Sendable, Hashable {
  /// The input's place among the run's inputs (sorted by name).
  public var input: Int
  /// The result's place in its input, from 0.
  public var result: Int
  /// The in-scope requirement the result reaches (nil: none).
  public var requirement: String?
  /// The evidence as the report shows it (its objective, status, kind, route, detail).
  public var evidence: Evidence
  /// The rule ID the result carries (STIG rule or vulnerability, XCCDF rule), when any.
  public var rule: String?
  /// The result's title, when any.
  public var title: String?
  /// Why the result is not scored: it resolved to no CMMC requirement, or only to requirements
  /// outside the level's scope. Nil when it reaches ``requirement``.
  public var notScored: String?
}

/// Turns resolved observations into findings per in-scope requirement, folded into an
/// ``EvidenceTally`` as they come, and says what it could not use.
struct EvidenceCollector: Sendable {
  let catalog: Catalog
  let crosswalk: ScopeCrosswalk

  struct Outcome: Sendable {
    /// The evidence by requirement, folded.
    var tally: EvidenceTally
    /// Out-of-scope counts, partial-credit remarks and the like.
    var diagnostics: [Diagnostic]
  }

  /// Where a result sits in the run: its input's place, and its own in the input (and, for a
  /// remark, the credit's among the result's).
  struct ResultKey: Hashable, Sendable, Comparable {
    var input: Int
    var result: Int
    var credit: Int = 0
    static func < (lhs: ResultKey, rhs: ResultKey) -> Bool {
      (lhs.input, lhs.result, lhs.credit) < (rhs.input, rhs.result, rhs.credit)
    }
  }

  /// A result that reaches more than ``EvidenceCollector/wideReach`` requirements.
  struct WideResult: Sendable {
    var key: ResultKey
    var source: String
    var location: String
    var rule: String?
    var requirements: [String]
  }

  /// What some observations gave: folded, so that parts of any size and from any reader merge
  /// into the same whole in any order.
  struct Part: Sendable {
    var tally: EvidenceTally
    /// Partial-credit remarks, the first ``EvidenceCollector/remarkLimit`` in result order.
    var remarks: [(key: ResultKey, diagnostic: Diagnostic)] = []
    /// Remarks beyond those kept.
    var remarksDropped = 0
    var outOfScope = 0
    var outOfScopeExamples = Set<String>()
    var spreadFailures: [String: Int] = [:]
    /// Checklist or tool results marked not applicable: not evidence, counted.
    var toolNotApplicable = 0
    /// Results that reach more than ``EvidenceCollector/wideReach`` requirements: the first
    /// ``EvidenceCollector/wideLimit`` in result order, and how many in all.
    var wide: [WideResult] = []
    var wideCount = 0

    init(exemplarLimit: Int = EvidenceTally.defaultExemplarLimit) {
      tally = EvidenceTally(exemplarLimit: exemplarLimit)
    }

    /// Adds another part (any order gives the same whole).
    mutating func merge(_ other: Part) {
      tally.merge(other.tally)
      remarks += other.remarks
      remarksDropped += other.remarksDropped
      outOfScope += other.outOfScope
      outOfScopeExamples.formUnion(other.outOfScopeExamples)
      spreadFailures.merge(other.spreadFailures, uniquingKeysWith: +)
      toolNotApplicable += other.toolNotApplicable
      wide += other.wide
      wideCount += other.wideCount
      trim()
    }

    /// Keeps the first remarks and wide results, in result order.
    mutating func trim() {
      if remarks.count > EvidenceCollector.remarkLimit {
        remarks.sort { $0.key < $1.key }
        remarksDropped += remarks.count - EvidenceCollector.remarkLimit
        remarks.removeLast(remarks.count - EvidenceCollector.remarkLimit)
      }
      if wide.count > EvidenceCollector.wideLimit {
        wide.sort { $0.key < $1.key }
        wide.removeLast(wide.count - EvidenceCollector.wideLimit)
      }
    }
  }

  /// A result that reaches more requirements than this is named in a warning.
  static let wideReach = 3
  /// Results reaching many requirements named one by one; the rest are counted.
  static let wideLimit = 20
  /// Partial-credit remarks given one by one; the rest are counted.
  static let remarkLimit = 100

  /// The observations a part must have before the collector splits the work over two cores.
  static let minimumPerPart = 200

  /// The window wide enough for every requirement title, so each observation's texts are
  /// collapsed once however many requirements it credits.
  var detailWindow: Int { catalog.requirements.map { DetailSource.window(forTitle: $0.title) }.max() ?? 0 }

  /// Collects every observation of one list (one input, at place 0) and finishes.
  func collect(
    _ observations: [ResolvedObservation], minimumPerPart: Int = Self.minimumPerPart,
    exemplarLimit: Int = EvidenceTally.defaultExemplarLimit
  ) -> Outcome {
    let window = detailWindow
    // Consecutive runs of observations on both cores, merged.
    let parts = Parallel.ranges(observations.count, minimumPerPart: minimumPerPart) { range in
      var part = Part(exemplarLimit: exemplarLimit)
      fold(observations, range, input: 0, into: &part, detailWindow: window)
      return part
    }
    var merged = Part(exemplarLimit: exemplarLimit)
    for part in parts { merged.merge(part) }
    return finish(merged)
  }

  /// Folds the observations in `range` of input number `input` into `part`, telling `record`
  /// each row of the evidence file. `firstResult` is the place in the input of the first
  /// observation of the list (a list may be one run of an input's results).
  func fold(
    _ observations: [ResolvedObservation], _ range: Range<Int>, input: Int, firstResult: Int = 0,
    into part: inout Part, detailWindow: Int, record: ((EvidenceRecord) -> Void)? = nil
  ) {
    // Catalog positions by requirement ID as the targets spell it: one upper-casing per ID,
    // not per piece of evidence.
    var positions: [String: Int?] = [:]

    for index in range {
      let order = firstResult + index
      let resolved = observations[index]
      let observation = resolved.observation
      if resolved.targets.isEmpty {
        record?(
          Self.unscoredRecord(
            observation, input: input, result: order, why: "resolved to no CMMC requirement"))
        continue
      }
      var seen = Set<CreditedTarget>()
      var credited: [(CreditedTarget, RequirementTarget)] = []
      for target in resolved.targets {
        let landing = crosswalk.credits(for: target)
        for credit in landing where seen.insert(credit).inserted { credited.append((credit, target)) }
        if target.objective == nil, crosswalk.spreads(target.requirement),
          observation.status.map({ !$0.isSatisfied && $0 != .notAssessed }) == true
        {
          part.spreadFailures[target.requirement, default: 0] += 1
        }
      }
      if credited.isEmpty {
        part.outOfScope += 1
        part.outOfScopeExamples.formUnion(resolved.targets.map(\.requirement))
        record?(
          Self.unscoredRecord(
            observation, input: input, result: order,
            why: "reaches only requirements outside the \(crosswalk.levelName) scope"))
        continue
      }
      if observation.kind != .assessor, observation.status == .notApplicable { part.toolNotApplicable += 1 }
      var reached: [String] = []
      for (credit, _) in credited where !reached.contains(credit.requirement) { reached.append(credit.requirement) }
      var detailSource: DetailSource?
      if reached.count > Self.wideReach {
        part.wideCount += 1
        // Only the rule is named: the texts are not collapsed for it.
        part.wide.append(
          WideResult(
            key: ResultKey(input: input, result: order), source: observation.source,
            location: observation.location, rule: DetailSource.rule(of: observation), requirements: reached))
        if part.wide.count > 2 * Self.wideLimit { part.trim() }
      }
      // The line of every requirement whose title none of the texts repeats: built once.
      var commonDetail: String?
      for (number, (credit, target)) in credited.enumerated() {
        let position: Int?
        if let known = positions[credit.requirement] {
          position = known
        } else {
          position = catalog.index(ofID: credit.requirement)
          positions[credit.requirement] = .some(position)
        }
        guard let position else { continue }
        let title = catalog.requirements[position].title
        // The detail line is built here only for evidence written to the evidence file; an
        // exemplar's is written at the end (``finish(_:)``): most of a large run is only counted.
        func makeDetail() -> String {
          if detailSource == nil { detailSource = DetailSource(observation, window: detailWindow) }
          if detailSource!.repeats(title) { return Self.detail(detailSource!, omitting: title) }
          if commonDetail == nil { commonDetail = Self.detail(detailSource!, omitting: nil) }
          return commonDetail!
        }
        let detail = record == nil ? "" : makeDetail()
        // Without partial points the status stands (`PartialCredit` only weighs given points).
        let (effective, remark) =
          observation.partialPoints == nil
          ? (observation.status, nil)
          : PartialCredit.effectiveStatus(observation, requirement: catalog.requirements[position])
        if let remark {
          part.remarks.append((ResultKey(input: input, result: order, credit: number), remark))
          if part.remarks.count > 2 * Self.remarkLimit { part.trim() }
        }
        let evidence = Evidence(
          source: observation.source, location: observation.location, line: observation.line,
          asset: observation.asset?.name, objective: credit.objective, status: observation.status,
          rawStatus: observation.rawStatus, kind: observation.kind, via: target.via,
          detail: detail, severity: observation.severity,
          creditedFrom: credit.creditedFrom,
          partialPoints: observation.partialPoints, mapping: target.mapping)
        part.tally.add(
          Finding(
            evidence: evidence, effective: effective,
            position: EvidencePosition(source: observation.source, input: input, result: order, credit: number)),
          to: credit.requirement, pending: record == nil ? observation : nil)
        record?(
          EvidenceRecord(
            input: input, result: order, requirement: credit.requirement, evidence: evidence,
            rule: detailSource!.rule, title: observation.title, notScored: nil))
      }
    }
  }

  /// The row of a result that reaches no in-scope requirement.
  static func unscoredRecord(_ observation: Observation, input: Int, result: Int, why: String) -> EvidenceRecord {
    let source = DetailSource(observation, window: DetailSource.limit + 1)
    let evidence = Evidence(
      source: observation.source, location: observation.location, line: observation.line,
      asset: observation.asset?.name, objective: nil, status: observation.status, rawStatus: observation.rawStatus,
      kind: observation.kind, via: .direct, detail: detail(source, omitting: nil), severity: observation.severity,
      partialPoints: observation.partialPoints)
    return EvidenceRecord(
      input: input, result: result, requirement: nil, evidence: evidence, rule: source.rule, title: observation.title,
      notScored: why)
  }

  /// The tally and the diagnostics of the whole run.
  func finish(_ part: Part) -> Outcome {
    var part = part
    part.trim()
    var diagnostics = part.remarks.sorted { $0.key < $1.key }.map(\.diagnostic)
    if part.remarksDropped > 0 {
      diagnostics.append(
        Diagnostic(
          .note, .partialCredit, source: "gap",
          message:
            "\(Plural.count(part.remarksDropped, "more partial-credit remark")) not listed (the evidence file holds every result with its partial points)"
        ))
    }
    let (outOfScope, outOfScopeExamples, spreadFailures) = (
      part.outOfScope, part.outOfScopeExamples, part.spreadFailures
    )
    if outOfScope > 0 {
      let examples = outOfScopeExamples.sorted().prefix(5).joined(separator: ", ")
      diagnostics.append(
        Diagnostic(
          .note, .outOfScope, source: "gap",
          message:
            "\(Plural.count(outOfScope, "result")) \(Plural.noun(outOfScope, "speaks", "speak")) only to requirements outside the \(crosswalk.levelName) scope and \(Plural.noun(outOfScope, "is", "are")) not scored (e.g. \(examples))"
        ))
    }
    if part.toolNotApplicable > 0 {
      diagnostics.append(
        Diagnostic(
          .note, .toolNotApplicable, source: "gap",
          message:
            "\(Plural.count(part.toolNotApplicable, "checklist or scanner result")) marked not applicable \(Plural.noun(part.toolNotApplicable, "was", "were")) not counted as evidence: \"this check does not apply to this host\" says nothing about the requirement, and only an assessor's determination makes a requirement N/A"
        ))
    }
    for wide in part.wide.sorted(by: { $0.key < $1.key }) {
      let rule = wide.rule.map { " (\($0))" } ?? ""
      diagnostics.append(
        Diagnostic(
          .warning, .wideResult, source: wide.source, location: wide.location,
          message:
            "one result\(rule) reaches \(wide.requirements.count) requirements (\(wide.requirements.joined(separator: ", "))): check that it tests each of them"
        ))
    }
    if part.wideCount > Self.wideLimit {
      let more = part.wideCount - Self.wideLimit
      diagnostics.append(
        Diagnostic(
          .warning, .wideResult, source: "gap",
          message:
            "\(Plural.count(more, "more result")) each \(Plural.noun(more, "reaches", "reach")) more than \(Self.wideReach) requirements"
        ))
    }
    for (requirement, count) in spreadFailures.sorted(by: { $0.key < $1.key }) {
      let covered = crosswalk.credits(for: RequirementTarget(requirement: requirement, via: .direct))
      let names = Array(Set(covered.map(\.requirement))).sorted().joined(separator: ", ")
      diagnostics.append(
        Diagnostic(
          .warning, .requirementLevelResult, source: "gap",
          message:
            "\(Plural.count(count, "whole-requirement failing result")) on \(requirement) \(Plural.noun(count, "applies", "apply")) to every objective of \(names) (a requirement-level determination applies to all its objectives); give objective-level results to tell them apart"
        ))
    }
    var unique = Set<Diagnostic>()
    return Outcome(tally: writingDetails(part.tally), diagnostics: diagnostics.filter { unique.insert($0).inserted })
  }

  /// The tally with the detail line of every exemplar that has none yet written (what
  /// ``fold(_:_:input:firstResult:into:detailWindow:record:)`` would have written for it).
  func writingDetails(_ tally: EvidenceTally) -> EvidenceTally {
    var tally = tally
    let window = detailWindow
    let waiting = tally.requirements.filter { $0.value.exemplars.contains { $0.pending != nil } }.sorted {
      $0.key < $1.key
    }
    // The requirements shared between the cores.
    let written = Parallel.ranges(waiting.count, minimumPerPart: 8) { range in
      // A result listed under several requirements is collapsed once on each core.
      var sources: [EvidencePosition: DetailSource] = [:]
      return waiting[range].map { id, requirement -> (String, [Finding]) in
        let title = catalog.index(ofID: id).map { catalog.requirements[$0].title }
        return (
          id,
          requirement.exemplars.map { finding in
            guard let observation = finding.pending, let title else { return finding }
            var finding = finding
            // The result's place, whichever of its credits this is.
            var key = finding.position
            key.credit = 0
            let source: DetailSource
            if let known = sources[key] {
              source = known
            } else {
              source = DetailSource(observation, window: window)
              sources[key] = source
            }
            finding.evidence.detail = Self.detail(source, omitting: source.repeats(title) ? title : nil)
            finding.pending = nil
            return finding
          }
        )
      }
    }
    for (id, exemplars) in written.joined() { tally.requirements[id]!.exemplars = exemplars }
    return tally
  }

  /// What the evidence says in one line: rule ID, title, then details or comments, shortened.
  /// A title that only repeats the requirement's own (`omitting`) is left out.
  ///
  /// Details can be tens of kilobytes (a STIG checklist's finding details, a scanner's output),
  /// and only the first 200 characters survive: each text is collapsed only as far as the
  /// result needs, and once the line is longer than that the rest is not looked at. The result
  /// is the same as collapsing every text in full.
  static func detail(_ observation: Observation, omitting requirementTitle: String = "") -> String {
    detail(
      DetailSource(observation, window: DetailSource.window(forTitle: requirementTitle)), omitting: requirementTitle)
  }

  /// The line for one requirement from texts collapsed once per observation. The source's
  /// window must be at least ``DetailSource/window(forTitle:)`` of the title. With no title
  /// (nil), no text is left out for repeating it: the line of every requirement whose title
  /// the source does not ``DetailSource/repeats(_:)``.
  static func detail(_ source: DetailSource, omitting requirementTitle: String?) -> String {
    var line = DetailLine()
    if let rule = source.rule { line.append(rule, plain: source.rulePlain) }
    for text in source.texts {
      if line.length > DetailSource.limit { break }
      guard !text.text.isEmpty else { continue }
      if text.complete {
        guard !line.parts.contains(text.text) else { continue }
        if let requirementTitle, equalIgnoringCase(text, requirementTitle) { continue }
      }
      line.append(text.text, plain: text.plain)
      // Past the limit, what follows cannot change the first characters or the cut.
      if !text.complete { break }
    }
    if line.plain {
      // Every character is one Unicode scalar: cut by scalars, without breaking graphemes.
      guard line.length > DetailSource.limit else { return line.text }
      return Self.prefix(line.text, scalars: DetailSource.limit - 1) + "…"
    }
    return shorten(line.text, to: DetailSource.limit)
  }

  /// The parts of a detail line joined with ` — `, and its length in characters.
  private struct DetailLine {
    static let separator = " — "
    private(set) var parts: [String] = []
    private(set) var text = ""
    /// `text.count`.
    private(set) var length = 0
    /// True while every part is ``isPlain(_:)``: then no character of a part merges with the
    /// separator, each part's length is its byte count and the separator's is 3.
    private(set) var plain = true

    mutating func append(_ part: String, plain partIsPlain: Bool) {
      if !parts.isEmpty { text += Self.separator }
      text += part
      parts.append(part)
      plain = plain && partIsPlain
      length = plain ? length + (parts.count > 1 ? 3 : 0) + part.utf8.count : text.count
    }
  }

  /// The first `count` Unicode scalars of the text (all of it when shorter), found by reading
  /// its UTF-8 bytes: the first byte of each scalar is the one that is not `10xxxxxx`.
  static func prefix(_ text: String, scalars count: Int) -> String {
    var text = text
    return text.withUTF8 { bytes in
      var seen = 0
      for (offset, byte) in bytes.enumerated() where byte & 0xC0 != 0x80 {
        if seen == count { return String(decoding: UnsafeBufferPointer(rebasing: bytes[..<offset]), as: UTF8.self) }
        seen += 1
      }
      return String(decoding: bytes, as: UTF8.self)
    }
  }

  /// True for printable ASCII (space to `~`): every byte is a character of its own, whatever
  /// is next to it.
  static func isPlain(_ text: String) -> Bool {
    text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
  }

  /// `caseInsensitiveCompare(_:) == .orderedSame`, without Foundation when both are printable
  /// ASCII of different lengths (case folding keeps such text's length, so they differ).
  static func equalIgnoringCase(_ text: DetailSource.Text, _ title: String) -> Bool {
    if text.plain, text.text.utf8.count != title.utf8.count, isPlain(title) { return false }
    return text.text.caseInsensitiveCompare(title) == .orderedSame
  }

  /// An observation's rule ID and its title, details and comments collapsed as far as any
  /// detail line needs them.
  struct DetailSource {
    /// The length of a detail line.
    static let limit = 200
    /// One collapsed text: all of it (`complete`) or its first characters.
    struct Text {
      var text: String
      var complete: Bool
      /// ``EvidenceCollector/isPlain(_:)``.
      var plain: Bool
    }
    var rule: String?
    /// ``EvidenceCollector/isPlain(_:)`` of the rule.
    var rulePlain = true
    var texts: [Text] = []

    /// How much of each text to collapse: a text longer than this cannot equal the requirement
    /// title (case-insensitive comparison folds, one character may stand for up to three) or an
    /// earlier part (the parts so far fit in the limit), and gives enough characters for the line.
    static func window(forTitle title: String) -> Int { max(limit, 3 * title.count) + 1 }

    /// True when a whole text, not empty, equals the title but for case: only then can the
    /// line for the title differ from the line for no title (``EvidenceCollector/detail(_:omitting:)``).
    func repeats(_ title: String) -> Bool {
      texts.contains { $0.complete && !$0.text.isEmpty && EvidenceCollector.equalIgnoringCase($0, title) }
    }

    /// The rule ID a result carries (STIG rule or vulnerability, XCCDF rule), when any.
    static func rule(of observation: Observation) -> String? {
      observation.refs.first {
        switch $0.kind {
        case .stigRule, .xccdfRule, .stigVuln: return true
        default: return false
        }
      }?.value
    }

    init(_ observation: Observation, window: Int) {
      rule = Self.rule(of: observation)
      rulePlain = rule.map(EvidenceCollector.isPlain) ?? true
      for text in [observation.title, observation.details, observation.comments] {
        guard let text else { continue }
        let (collapsed, complete) = EvidenceCollector.collapse(text, upTo: window)
        texts.append(Text(text: collapsed, complete: complete, plain: EvidenceCollector.isPlain(collapsed)))
      }
    }
  }

  /// The first `limit` characters of ``collapse(_:)`` of `text`, and whether that is all of it.
  static func collapse(_ text: String, upTo limit: Int) -> (text: String, complete: Bool) {
    if let ascii = collapseASCII(text, upTo: limit) { return ascii }
    var result = ""
    var count = 0
    var pendingSpace = false
    for character in text {
      if character.isWhitespace {
        pendingSpace = count > 0
        continue
      }
      if pendingSpace {
        if count == limit { return result.count < limit ? (collapse(text), true) : (result, false) }
        result.append(" ")
        count += 1
        pendingSpace = false
      }
      if count == limit {
        // Characters can merge (a combining mark after a space): when they did, take it all.
        return result.count < limit ? (collapse(text), true) : (result, false)
      }
      result.append(character)
      count += 1
    }
    return (result, true)
  }

  /// ``collapse(_:upTo:)`` on bytes, for text that is ASCII as far as it is read (where a
  /// byte is a character; `\r\n` is one character but white space either way). Nil otherwise.
  static func collapseASCII(_ text: String, upTo limit: Int) -> (text: String, complete: Bool)? {
    var text = text
    return text.withUTF8 { bytes -> (text: String, complete: Bool)? in
      var result: [UInt8] = []
      result.reserveCapacity(min(bytes.count, limit))
      var pendingSpace = false
      for byte in bytes {
        if byte >= 0x80 { return nil }
        if byte.isASCIIWhitespace {
          pendingSpace = !result.isEmpty
          continue
        }
        if pendingSpace {
          if result.count == limit { return (String(decoding: result, as: UTF8.self), false) }
          result.append(0x20)
          pendingSpace = false
        }
        if result.count == limit { return (String(decoding: result, as: UTF8.self), false) }
        result.append(byte)
      }
      return (String(decoding: result, as: UTF8.self), true)
    }
  }

  /// Collapses runs of white space (new lines included) into single spaces.
  static func collapse(_ text: String) -> String {
    text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
  }

  /// Cuts text to at most `limit` characters, ending with `…` when it was cut.
  static func shorten(_ text: String, to limit: Int) -> String {
    guard text.count > limit else { return text }
    return String(text.prefix(limit - 1)) + "…"
  }
}

extension ScopeCrosswalk {
  /// "Level 2", or for Level 3 "Level 3 (Level 2 and 3 requirements)": for messages.
  var levelName: String {
    level == .three ? "Level 3 (Level 2 and 3 requirements)" : level.description
  }
}
