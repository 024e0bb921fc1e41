import Foundation

/// The numbering scheme an identifier was written in.
public enum IDScheme: String, Codable, Sendable {
  /// A CMMC 2.0 ID such as `AC.L2-3.1.1`.
  case cmmc
  /// A bare NIST SP 800-171 Rev 2 number such as `3.1.1`.
  case nist800171
  /// A bare NIST SP 800-172 number such as `3.1.2e`.
  case nist800172
  /// A FAR 52.204-21 paragraph such as `b.1.i`.
  case far
  /// A CMMC Model v2.0 (2021) Level 1 ID with a NIST number, such as `AC.L1-3.1.1`.
  case cmmcModel20 = "cmmc-model-2.0"
  /// A CMMC 1.0 practice such as `AC.1.001`.
  case cmmcV1 = "cmmc-1.0"
  /// A NIST SP 800-171 Rev 3 identifier such as `03.01.01`.
  case nist800171r3 = "nist-800-171-r3"
}

/// An identifier resolved to a catalog requirement and, when given, an objective.
public struct ResolvedID: Sendable, Hashable {
  /// The canonical requirement ID, such as `AC.L2-3.1.1`.
  public var requirement: String
  /// The objective letter (or `ODPn`), when the input named one.
  public var objective: String?
  /// The scheme the input was written in.
  public var scheme: IDScheme
  /// A remark for the user, such as where a Rev 3 identifier came from.
  public var note: String?

  /// `AC.L2-3.1.1[a]` or `AC.L2-3.1.1`.
  public var display: String { objective.map { "\(requirement)[\($0)]" } ?? requirement }
}

/// An identifier that could not be resolved: the input, why, and the nearest catalog IDs.
public struct UnresolvedID: Error, LocalizedError, Hashable, Sendable {
  /// The input as written.
  public var input: String
  /// Why it could not be resolved.
  public var reason: String
  /// Catalog IDs close to the input.
  public var suggestions: [String]

  public var errorDescription: String? {
    var text = "cannot resolve '\(input)': \(reason)"
    if !suggestions.isEmpty { text += " (nearest: \(suggestions.joined(separator: ", ")))" }
    return text
  }
}

/// Resolves requirement and objective IDs in every spelling assessors and tools write:
///
/// - CMMC 2.0: `AC.L2-3.1.1`, `ac.l2-3.1.1`, `AC.L2-3.1.1[b]`, `AC.L1-b.1.i`, `AC.L1-B.1.I`, `AC.L3-3.1.2e`
/// - NIST SP 800-171 / 800-172 numbers: `3.1.1`, `3.01.01`, `NIST SP 800-171 3.1.1`, `3.1.2e`
/// - objectives: `3.1.1[a]`, `3.1.1.a`, `3.1.1a`, `3.1.1(a)`, `AC.L3-3.1.3e[ODP1]`
/// - FAR 52.204-21: `b.1.i`, `52.204-21(b)(1)(i)`
/// - CMMC Model v2.0 Level 1: `AC.L1-3.1.1`
/// - CMMC 1.0: `AC.1.001`, `AC.2.005` (where the practice came from NIST SP 800-171)
/// - NIST SP 800-171 Rev 3: `03.01.01` (where it derives from one Rev 2 requirement)
///
/// A number directly followed by `e` (`3.4.1e`) means the Level 3 requirement when the catalog
/// has one; write `3.4.1[e]` or `3.4.1.e` for objective e of 3.4.1.
public struct RequirementIDResolver: Sendable {
  /// The catalog IDs are resolved against.
  public let catalog: Catalog
  /// Whether the common spellings are read by ``IDScanner`` instead of the regular expressions
  /// (the same results, many times faster); false only to test one against the other.
  let scansByHand: Bool

  /// Creates a resolver over a catalog.
  public init(catalog: Catalog) {
    self.init(catalog: catalog, scansByHand: true)
  }

  init(catalog: Catalog, scansByHand: Bool) {
    self.catalog = catalog
    self.scansByHand = scansByHand
  }

  /// Resolves one identifier.
  public func resolve(_ raw: String) -> Result<ResolvedID, UnresolvedID> {
    let input = raw.trimmingWhitespace
    func fail(_ reason: String, suggest: Bool = true) -> Result<ResolvedID, UnresolvedID> {
      .failure(
        UnresolvedID(input: raw, reason: reason, suggestions: suggest ? catalog.suggestions(for: input) : []))
    }
    if input.isEmpty { return fail("the identifier is empty", suggest: false) }
    switch shape(of: input) {
    case .documentOnly:
      return fail("only a document name, no requirement number", suggest: false)
    case .rev3(let text):
      return resolveRev3(text, raw: raw)
    case .cmmc(let family, let level, let rest):
      return resolveCMMC(family: family, level: level, rest: rest, raw: raw)
    case .cmmcV1(let id):
      return resolveV1(id, raw: raw)
    case .farLong(let number):
      return resolveNumber(number, objective: nil, raw: raw, scheme: .far)
    case .number(let text):
      guard let parsed = parseNumber(text) else {
        return fail("not a CMMC, NIST SP 800-171/172, FAR, CMMC 1.0 or Rev 3 identifier")
      }
      let scheme: IDScheme =
        parsed.isFAR ? .far : (parsed.number.hasSuffix("e") ? .nist800172 : .nist800171)
      return resolveNumber(parsed.number, objective: parsed.objective, raw: raw, scheme: scheme)
    }
  }

  /// What an identifier looks like, without white space at its ends.
  func shape(of input: String) -> IDShape {
    (scansByHand ? IDScanner.shape(of: input) : nil) ?? IDShape.match(input)
  }

  /// A number and an optional objective split from text such as `3.01.01[a]` or `b.1.ix`.
  struct ParsedNumber: Equatable {
    var number: String
    var objective: String?
    var isFAR: Bool
    /// True when the objective letter was glued to the number (`3.1.1a`).
    var glued: Bool
  }

  func parseNumber(_ text: String) -> ParsedNumber? {
    switch (scansByHand ? IDScanner.numberShape(of: text) : nil) ?? NumberShape.match(text) {
    case .none:
      return nil
    case .far(let paragraph, let objective):
      return ParsedNumber(
        number: "b.1.\(paragraph.lowercased())", objective: objective?.lowercased(), isFAR: true, glued: false)
    case .nist(let parts, let glued, let given):
      // `\d` also matches digits of other scripts (`３`), which `Int` does not read: not an ID.
      let numbers = parts.compactMap { Int($0) }
      guard numbers.count == parts.count else { return nil }
      var number = numbers.map(String.init).joined(separator: ".")
      var objective = given.map { $0.lowercased() }
      if let letter = glued.map({ $0.lowercased() }) {
        if letter == "e", catalog.requirement(number: number + "e") != nil, objective == nil || isODPOrLetter(objective)
        {
          number += "e"
        } else if objective == nil {
          objective = letter
        } else {
          return nil
        }
      }
      if let letters = objective, letters.hasPrefix("odp") {
        objective = "ODP" + letters.dropFirst(3)
      }
      return ParsedNumber(number: number, objective: objective, isFAR: false, glued: glued != nil)
    }
  }

  private func isODPOrLetter(_ objective: String?) -> Bool { objective != nil }

  private func resolveNumber(
    _ number: String, objective: String?, raw: String, scheme: IDScheme, note: String? = nil
  ) -> Result<ResolvedID, UnresolvedID> {
    guard let requirement = catalog.requirement(number: number) else {
      let what = number.hasPrefix("b.") ? "FAR 52.204-21(b)(1) paragraph" : "requirement number"
      return .failure(
        UnresolvedID(
          input: raw, reason: "no \(what) \(number) in the catalog", suggestions: catalog.suggestions(for: number)))
    }
    return finish(requirement, objective: objective, raw: raw, scheme: scheme, note: note)
  }

  private func finish(
    _ requirement: Requirement, objective: String?, raw: String, scheme: IDScheme, note: String?
  ) -> Result<ResolvedID, UnresolvedID> {
    if let objective {
      guard let found = requirement.objective(objective) else {
        let letters = (requirement.objectives + (requirement.odpStatements ?? [])).map(\.id)
        return .failure(
          UnresolvedID(
            input: raw,
            reason:
              "\(requirement.id) has no objective [\(objective)]; its objectives are \(letters.joined(separator: ", "))",
            suggestions: []))
      }
      return .success(ResolvedID(requirement: requirement.id, objective: found.id, scheme: scheme, note: note))
    }
    return .success(ResolvedID(requirement: requirement.id, objective: nil, scheme: scheme, note: note))
  }

  private func resolveCMMC(family: String, level: Int, rest: String, raw: String) -> Result<ResolvedID, UnresolvedID> {
    guard let parsed = parseNumber(rest) else {
      return .failure(
        UnresolvedID(
          input: raw, reason: "'\(rest)' after \(family).L\(level)- is not a requirement number",
          suggestions: catalog.suggestions(for: raw)))
    }
    if level == 1, !parsed.isFAR {
      // CMMC Model v2.0 (Dec 2021) numbered Level 1 practices by NIST SP 800-171 (AC.L1-3.1.1).
      guard let l2 = catalog.requirement(number: parsed.number), l2.level == .two,
        let l1 = catalog.requirements(level: .one).first(where: { ($0.l2Equivalents ?? []).contains(l2.id) })
      else {
        return .failure(
          UnresolvedID(
            input: raw, reason: "\(parsed.number) is not one of the NIST numbers behind the 15 Level 1 requirements",
            suggestions: catalog.suggestions(for: raw)))
      }
      guard l1.family == family else {
        return .failure(
          UnresolvedID(input: raw, reason: "family \(family) does not match \(l1.id)", suggestions: [l1.id]))
      }
      let exact = l1.l2Mapping == "one-to-one"
      let objective = exact ? parsed.objective : nil
      let note =
        "CMMC Model v2.0 numbering for \(l1.id)"
        + (exact
          ? ""
          : "; \(l1.id) covers \(l1.l2Equivalents!.joined(separator: ", ")) only in part, so the objective letter is not carried over")
      return finish(l1, objective: objective, raw: raw, scheme: .cmmcModel20, note: note)
    }
    guard let requirement = catalog.requirement(number: parsed.number) else {
      return .failure(
        UnresolvedID(
          input: raw, reason: "no Level \(level) requirement numbered \(parsed.number)",
          suggestions: catalog.suggestions(for: raw)))
    }
    guard requirement.level.rawValue == level else {
      return .failure(
        UnresolvedID(
          input: raw,
          reason:
            "\(parsed.number) is a Level \(requirement.level.rawValue) requirement (\(requirement.id)), not Level \(level)",
          suggestions: [requirement.id]))
    }
    guard requirement.family == family else {
      return .failure(
        UnresolvedID(
          input: raw, reason: "family \(family) does not match \(parsed.number), which is \(requirement.id)",
          suggestions: [requirement.id]))
    }
    return finish(requirement, objective: parsed.objective, raw: raw, scheme: .cmmc, note: nil)
  }

  private func resolveV1(_ id: String, raw: String) -> Result<ResolvedID, UnresolvedID> {
    guard let table = catalog.cmmcV1 else {
      return .failure(UnresolvedID(input: raw, reason: "this catalog has no CMMC 1.0 table", suggestions: []))
    }
    guard let practice = table.practices.first(where: { $0.id == id }) else {
      return .failure(
        UnresolvedID(input: raw, reason: "\(id) is not a CMMC 1.0 (Model v1.02) practice", suggestions: []))
    }
    let note = "CMMC 1.0 practice \(id)"
    if let number = practice.nist800171, practice.mapping == "one-to-one" {
      return resolveNumber(
        number, objective: nil, raw: raw, scheme: .cmmcV1, note: note + " = NIST SP 800-171 \(number)")
    }
    if let number = practice.nist800172, catalog.requirement(number: number) != nil, practice.mapping == "one-to-one" {
      return resolveNumber(
        number, objective: nil, raw: raw, scheme: .cmmcV1, note: note + " = NIST SP 800-172 \(number)")
    }
    return .failure(
      UnresolvedID(
        input: raw,
        reason: "\(note) has no one-to-one CMMC 2.0 requirement" + (practice.note.map { ": \($0)" } ?? ""),
        suggestions: []))
  }

  private func resolveRev3(_ text: String, raw: String) -> Result<ResolvedID, UnresolvedID> {
    guard let match = text.prefixMatch(of: Patterns.rev3Prefix) else {
      return .failure(
        UnresolvedID(input: raw, reason: "not a NIST SP 800-171 Rev 3 identifier (03.FF.RR)", suggestions: []))
    }
    let id = "\(match.output.1).\(match.output.2).\(match.output.3)"
    guard let table = catalog.rev3 else {
      return .failure(
        UnresolvedID(input: raw, reason: "this catalog has no NIST SP 800-171 Rev 3 table", suggestions: []))
    }
    guard let entry = table.requirements.first(where: { $0.id == id }) else {
      return .failure(
        UnresolvedID(input: raw, reason: "\(id) is not a NIST SP 800-171 Rev 3 identifier", suggestions: []))
    }
    let base = "NIST SP 800-171 Rev 3 \(id)"
    if entry.withdrawn == true {
      let targets = entry.incorporatedInto ?? []
      let into =
        targets.isEmpty
        ? " (NIST names no requirement it was incorporated into)"
        : " (incorporated into \(targets.joined(separator: ", ")))"
      return .failure(UnresolvedID(input: raw, reason: "\(base) is withdrawn in Rev 3\(into)", suggestions: []))
    }
    guard entry.rev2.count == 1, let number = entry.rev2.first else {
      let reason =
        entry.rev2.isEmpty
        ? "\(base) is new in Rev 3 and has no Rev 2 requirement; CMMC Level 2 assesses Rev 2"
        : "\(base) derives from several Rev 2 requirements (\(entry.rev2.joined(separator: ", "))); map it by hand"
      return .failure(UnresolvedID(input: raw, reason: reason, suggestions: []))
    }
    return resolveNumber(
      number, objective: nil, raw: raw, scheme: .nist800171r3,
      note:
        "\(base), derived from Rev 2 \(number) (\(entry.mapping ?? "derived")); Rev 3 objective letters are not carried over"
    )
  }
}

/// What an identifier (white space trimmed) looks like, by the first of ``Patterns`` it
/// matches, in the order ``RequirementIDResolver/resolve(_:)`` tries them.
enum IDShape: Equatable {
  /// A document name (`NIST SP 800-171`) and nothing after it.
  case documentOnly
  /// A NIST SP 800-171 Rev 3 identifier (`03.01.01`), or anything after a Rev 3 document name.
  case rev3(String)
  /// `AC.L2-` and the rest; the family upper-cased.
  case cmmc(family: String, level: Int, rest: String)
  /// A CMMC 1.0 practice, upper-cased (`AC.1.001`).
  case cmmcV1(String)
  /// `52.204-21(b)(1)(i)` as its short paragraph number (`b.1.i`).
  case farLong(String)
  /// Anything else, after any document name: a number for ``NumberShape``.
  case number(String)

  /// The shape by the regular expressions.
  static func match(_ input: String) -> IDShape {
    var text = input
    var declaresRev3 = false
    if let match = text.firstMatch(of: Patterns.documentPrefix) {
      declaresRev3 = match.output.1 != "2" && match.output.2 == "3"
      text = String(text[match.range.upperBound...]).trimmingCharacters(in: .whitespaces)
    }
    if text.isEmpty { return .documentOnly }
    if declaresRev3 || text.wholeMatch(of: Patterns.rev3) != nil { return .rev3(text) }
    if let match = text.wholeMatch(of: Patterns.cmmc) {
      return .cmmc(
        family: String(match.output.1).uppercased(), level: Int(match.output.2)!, rest: String(match.output.3))
    }
    if let match = text.wholeMatch(of: Patterns.cmmcV1) {
      return .cmmcV1("\(match.output.1.uppercased()).\(match.output.2).\(match.output.3)")
    }
    if let match = text.wholeMatch(of: Patterns.farLong) {
      return .farLong("b.1.\(match.output.1.lowercased())")
    }
    return .number(text)
  }
}

/// A FAR paragraph or NIST number as written, before the catalog is consulted.
enum NumberShape: Equatable {
  /// Not a number.
  case none
  /// `b.1.ix[c]`: the roman numeral and the objective letter as written.
  case far(paragraph: String, objective: String?)
  /// `3.01.01a[b]`: the three numbers, a letter glued to the last one, and the objective
  /// (a letter or `ODPn`) as written.
  case nist(parts: [String], glued: String?, objective: String?)

  /// The shape by the regular expressions.
  static func match(_ text: String) -> NumberShape {
    if let match = text.wholeMatch(of: Patterns.far) {
      return .far(paragraph: String(match.output.1), objective: (match.output.2 ?? match.output.3).map(String.init))
    }
    guard let match = text.wholeMatch(of: Patterns.nist) else { return .none }
    return .nist(
      parts: [match.output.1, match.output.2, match.output.3].map(String.init),
      glued: match.output.4.map(String.init),
      objective: (match.output.5 ?? match.output.6 ?? match.output.7).map(String.init))
  }
}

/// The regular expressions behind ``RequirementIDResolver``.
enum Patterns {
  /// `NIST SP 800-171 Rev 2`, `SP 800-171r3`, `800-172`, `NIST 800-171:` ...
  nonisolated(unsafe) static let documentPrefix =
    #/^(?i)(?:nist\s*)?(?:sp\s*)?800-17([12])(?:\s*a)?(?:\s*(?:rev(?:ision)?\.?|r)\s*([23]))?[\s:,#-]*/#
  /// `AC.L2-...`
  nonisolated(unsafe) static let cmmc = #/(?i)([a-z]{2})\s*\.\s*l\s*([1-3])\s*-\s*(.+)/#
  /// `AC.1.001`
  nonisolated(unsafe) static let cmmcV1 = #/(?i)([a-z]{2,3})\.([1-5])\.(\d{3})/#
  /// `03.01.01`
  nonisolated(unsafe) static let rev3 = #/0\d\.\d{2}\.\d{2}.*/#
  nonisolated(unsafe) static let rev3Prefix = #/(0\d)\.(\d{2})\.(\d{2})/#
  /// `b.1.i`, `b.1.i[a]`, `B.1.I.a`
  nonisolated(unsafe) static let far = #/(?i)b\.1\.([ivx]+)(?:\[([a-z])\]|\.([a-z]))?/#
  /// `52.204-21(b)(1)(i)`
  nonisolated(unsafe) static let farLong = #/(?i)(?:far\s*)?52\.204-21\s*\(b\)\s*\(1\)\s*\(([ivx]+)\)/#
  /// `3.1.1`, `3.01.01`, `3.1.2e`, `3.1.1a`, `3.1.1[a]`, `3.1.1.a`, `3.1.1(a)`, `3.1.3e[ODP1]`
  nonisolated(unsafe) static let nist =
    #/(?i)(\d{1,2})\.(\d{1,2})\.(\d{1,2})([a-z])?(?:\s*\[\s*([a-z]|odp\d+)\s*\](?:\[\d+\])?|\.([a-z])|\s*\(\s*([a-z])\s*\))?/#
}
