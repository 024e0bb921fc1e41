import Foundation

/// A short, grouped account of a run's diagnostics for the terminal: errors first (every
/// skipped input by name), then warnings grouped by kind with counts and the top examples,
/// then (when asked) notes the same way. The full list stays in the reports
/// (`poam gaps --format json`); this says what matters.
///
/// Diagnostics are grouped by their stable ``Diagnostic/code`` (read in one place,
/// ``DiagnosticDigest/code(of:)``); each line ends with the code, as the full terminal lines do.
public struct DiagnosticDigest: Sendable, Equatable {
  /// Diagnostics of one kind and severity.
  public struct Group: Sendable, Equatable {
    /// The stable kind, such as `resolve.unmapped` or `import.unknown-status`.
    public var code: String
    /// How serious.
    public var severity: Diagnostic.Severity
    /// What the group counts, for people: "results map to no CMMC requirement".
    public var title: String
    /// How many: diagnostics, or for `resolve.unmapped` results.
    public var count: Int
    /// The most frequent examples with their counts, most frequent first.
    public var examples: [(name: String, count: Int)]
    /// How many distinct examples there are in all.
    public var distinctExamples: Int
    /// The diagnostics of the group, in input order.
    public var diagnostics: [Diagnostic]

    public static func == (lhs: Group, rhs: Group) -> Bool {
      lhs.code == rhs.code && lhs.severity == rhs.severity && lhs.title == rhs.title && lhs.count == rhs.count
        && lhs.examples.map(\.name) == rhs.examples.map(\.name)
        && lhs.examples.map(\.count) == rhs.examples.map(\.count) && lhs.distinctExamples == rhs.distinctExamples
        && lhs.diagnostics == rhs.diagnostics
    }
  }

  /// Every error, one by one, in input order (skipped inputs among them).
  public var errors: [Diagnostic]
  /// Warnings by kind, largest group first.
  public var warnings: [Group]
  /// Notes by kind, largest group first.
  public var notes: [Group]

  /// Groups the diagnostics of a run. `resolved` (the resolver's output) gives the counts of
  /// results that map to no CMMC requirement, by their first mappable reference.
  public init(diagnostics: [Diagnostic], resolved: [ResolvedObservation] = []) {
    self.init(diagnostics: diagnostics, unmapped: Self.unmappedReferences(resolved))
  }

  /// Groups the diagnostics of a run; `unmapped` counts the results that map to no CMMC
  /// requirement by their first mappable reference (``AssessmentEvidence/unmappedReferences``).
  public init(diagnostics: [Diagnostic], unmapped: [String: Int]) {
    errors = diagnostics.filter { $0.severity == .error }
    warnings = Self.groups(diagnostics.filter { $0.severity == .warning }, severity: .warning, unmapped: unmapped)
    notes = Self.groups(diagnostics.filter { $0.severity == .note }, severity: .note, unmapped: unmapped)
  }

  /// Nothing to say.
  public var isEmpty: Bool { errors.isEmpty && warnings.isEmpty && notes.isEmpty }

  // MARK: - Kinds

  /// The stable kind of a diagnostic (`resolve.unmapped`, `import.missing-host`): its
  /// ``Diagnostic/code``, documented in `docs/diagnostics.md`.
  public static func code(of diagnostic: Diagnostic) -> String {
    diagnostic.code.rawValue
  }

  /// What a kind counts, for people, singular and plural; nil for kinds shown as their messages.
  static func titles(of code: String) -> (one: String, many: String)? {
    switch Diagnostic.Code(rawValue: code) {
    case .inputFailed: return ("input skipped", "inputs skipped")
    case .inputSkipped: return ("input was not read", "inputs were not read")
    case .unknownStatus:
      return (
        "result has a status word poam does not know (not scored)",
        "results have a status word poam does not know (not scored)"
      )
    case .missingStatus:
      return ("result has no status (read as not reviewed)", "results have no status (read as not reviewed)")
    case .noReferences:
      return ("result names no requirement, rule, CCI or control", "results name no requirement, rule, CCI or control")
    case .malformedEntry: return ("entry of the wrong shape was not read", "entries of the wrong shape were not read")
    case .nothingToImport: return ("input holds nothing to import", "inputs hold nothing to import")
    case .missingHost:
      return ("checklist names no host (no ASSET element)", "checklists name no host (no ASSET element)")
    case .readNote: return ("remark on how an input was read", "remarks on how inputs were read")
    case .badValue: return ("value of the wrong kind was ignored", "values of the wrong kind were ignored")
    case .unknownTarget:
      return ("OSCAL finding has no target poam can map", "OSCAL findings have no target poam can map")
    case .unknownRequirement: return ("requirement ID does not resolve", "requirement IDs do not resolve")
    case .unmapped:
      return (
        "result maps to no CMMC requirement and is not scored", "results map to no CMMC requirement and are not scored"
      )
    case .evidenceConflict:
      return (
        "objective where assessor and automated evidence disagree",
        "objectives where assessor and automated evidence disagree"
      )
    case .contradictoryAssessors:
      return ("contradiction between assessor results", "contradictions between assessor results")
    default: return nil
    }
  }

  // MARK: - Grouping

  /// Results that resolved to nothing, counted by their first reference that could have
  /// mapped (a requirement ID, 800-53 control or CCI), else their first reference.
  static func unmappedReferences(_ resolved: [ResolvedObservation]) -> [String: Int] {
    var counts: [String: Int] = [:]
    for item in resolved where item.targets.isEmpty {
      let refs = item.observation.refs
      let mappable = refs.first { [.requirement, .sp80053, .cci].contains($0.kind) }
      let name = (mappable ?? refs.first)?.value ?? "(no reference)"
      counts[name, default: 0] += 1
    }
    return counts
  }

  static func ranked(_ counts: [String: Int]) -> [(name: String, count: Int)] {
    counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
  }

  static func groups(_ diagnostics: [Diagnostic], severity: Diagnostic.Severity, unmapped: [String: Int]) -> [Group] {
    var order: [String] = []
    var byCode: [String: [Diagnostic]] = [:]
    for diagnostic in diagnostics {
      let code = code(of: diagnostic)
      if byCode[code] == nil { order.append(code) }
      byCode[code, default: []].append(diagnostic)
    }
    var groups: [Group] = []
    for code in order {
      let members = byCode[code]!
      var examples: [String: Int] = [:]
      var count = members.count
      switch code {
      case "resolve.unmapped" where !unmapped.isEmpty:
        examples = unmapped
        count = unmapped.values.reduce(0, +)
      case "resolve.unmapped":
        count = members.compactMap { leadingNumber($0.message) }.reduce(0, +)
      case "input.skipped", "input.failed":
        for member in members { examples[member.source, default: 0] += 1 }
      case "import.unknown-status", "resolve.unknown-requirement":
        for member in members { examples[quoted(member.message) ?? member.message, default: 0] += 1 }
      default:
        for member in members { examples[displayName(member.source), default: 0] += 1 }
      }
      let title =
        titles(of: code).map { count == 1 ? $0.one : $0.many }
        ?? (Set(members.map(\.message)).count == 1 ? members[0].message : "\(code)")
      let ranked = ranked(examples)
      groups.append(
        Group(
          code: code, severity: severity, title: title, count: count, examples: ranked,
          distinctExamples: ranked.count, diagnostics: members))
    }
    // Largest first; ties keep input order.
    return groups.enumerated().sorted {
      $0.element.count != $1.element.count ? $0.element.count > $1.element.count : $0.offset < $1.offset
    }.map(\.element)
  }

  static func leadingNumber(_ text: String) -> Int? {
    Int(text.prefix { $0.isNumber })
  }

  static func quoted(_ text: String) -> String? {
    guard let open = text.firstIndex(of: "'") else { return nil }
    let rest = text[text.index(after: open)...]
    guard let close = rest.firstIndex(of: "'") else { return nil }
    return String(rest[..<close])
  }

  /// A file's name without its folders; stage names as they are.
  static func displayName(_ source: String) -> String {
    source.contains("/") ? String(source.split(separator: "/").last ?? Substring(source)) : source
  }

  // MARK: - Rendering

  /// The digest as lines for standard error. `examples` is how many examples a group shows;
  /// `notes` shows the notes too (otherwise only how many there are); `hint` is the command
  /// that lists every diagnostic.
  public func render(examples: Int = 3, notes showNotes: Bool = false, hint: String? = nil) -> String {
    var lines: [String] = []
    for error in errors {
      if error.code == .inputFailed {
        let reason = error.message.replacingOccurrences(of: "skipped (--keep-going): ", with: "")
        let named = reason.hasPrefix(error.source) ? reason : "\(error.source): \(reason)"
        lines.append("error: skipped \(named) [\(error.code)]")
      } else {
        let place = error.location.isEmpty ? error.source : "\(error.source):\(error.location)"
        lines.append("error: \(place): \(error.message) [\(error.code)]")
      }
    }
    for group in warnings { lines.append(line(group, examples: examples, hint: hint)) }
    // Inputs that were not read (not results, an archive in an archive) are named, every one.
    let skipped = notes.filter { $0.code == Diagnostic.Code.inputSkipped.rawValue }
    for group in skipped { lines.append(line(group, examples: Int.max, hint: nil)) }
    let others = notes.filter { $0.code != Diagnostic.Code.inputSkipped.rawValue }
    if showNotes {
      for group in others { lines.append(line(group, examples: examples, hint: nil)) }
    } else if !others.isEmpty {
      let count = others.reduce(0) { $0 + $1.diagnostics.count }
      lines.append("\(Plural.count(count, "note")) (--verbose shows them)")
    }
    return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
  }

  func line(_ group: Group, examples limit: Int, hint: String?) -> String {
    let label = group.severity.rawValue
    if group.diagnostics.count == 1, group.code != "resolve.unmapped" || group.examples.isEmpty {
      let only = group.diagnostics[0]
      let place = only.location.isEmpty ? only.source : "\(only.source):\(only.location)"
      return "\(label): \(place): \(only.message) [\(group.code)]"
    }
    var text =
      Self.titles(of: group.code) == nil
      ? "\(label): \(Plural.number(group.count)) × \(group.title)"
      : "\(label): \(Plural.number(group.count)) \(group.title)"
    if !group.examples.isEmpty {
      // Counts only when some example occurs more than once.
      let counted = group.examples.contains { $0.count > 1 }
      let shown = group.examples.prefix(limit).map { counted ? "\($0.name) \(Plural.number($0.count))" : $0.name }
      let more = group.distinctExamples > limit ? ", … (\(Plural.number(group.distinctExamples)) in all)" : ""
      text += ": " + shown.joined(separator: ", ") + more
    }
    if let hint, group.distinctExamples > limit { text += " — `\(hint)` lists them all" }
    return text + " [\(group.code)]"
  }
}

/// Counts written as a person would: `1 note`, `2 notes`, `3,900 results`.
enum Plural {
  /// `number` with thousands separators (`3,900`), the same in every locale.
  public static func number(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, character) in digits.enumerated() {
      if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
      out.append(character)
    }
    return value < 0 ? "−" + out : out
  }

  /// `count` and the noun, plural unless the count is one: `1 point`, `4 points`.
  public static func count(_ value: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(number(value)) \(value == 1 || value == -1 ? singular : (plural ?? singular + "s"))"
  }

  /// The noun alone, plural unless the count is one.
  public static func noun(_ value: Int, _ singular: String, _ plural: String? = nil) -> String {
    value == 1 || value == -1 ? singular : (plural ?? singular + "s")
  }
}

/// "Did you mean …?" for a mistyped name.
public enum Suggestion {
  /// The candidate nearest to `input` by edit distance, when it is near enough to be a typo
  /// (at most a third of the input's length, at least 2 edits allowed).
  public static func closest(to input: String, among candidates: [String]) -> String? {
    let needle = input.lowercased()
    let allowed = max(2, needle.count / 3)
    let scored = candidates.map { ($0, EditDistance.between(needle, $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }), best.1 <= allowed else {
      return nil
    }
    return best.0
  }
}
