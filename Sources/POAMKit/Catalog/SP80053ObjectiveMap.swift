import Foundation

/// `controls/mappings/sp800-53-objectives.json`: which CMMC assessment objectives each NIST
/// SP 800-53 control, enhancement or part tests, per revision, each entry with its basis.
///
/// The table is reviewed like code (see `docs/evidence.md`). An entry names one revision (the
/// same index means different things in Rev 4 and Rev 5), one reference as the DISA CCI list
/// writes it (`IA-5 (1) (a)` is stored `IA-5(1)(a)`, `CM-6 b` and `AC-8 c 2` as they are), and
/// optionally one CCI, which refines the part's entry where one part carries both "the
/// organization defines …" and "the system enforces …" CCIs. An entry with no objectives says
/// the reference tests no CMMC objective, and its basis says why.
public struct SP80053ObjectiveMap: Codable, Sendable, Hashable {
  /// One reviewed entry.
  public struct Entry: Codable, Sendable, Hashable {
    /// The NIST SP 800-53 revision: 3, 4 or 5.
    public var revision: Int
    /// The control, enhancement or part, canonical (``SP80053Part/canonical(_:)``).
    public var reference: String
    /// The CCI this entry is for, when it refines the part's entry for one CCI.
    public var cci: String?
    /// The objectives tested, as `REQUIREMENT[letter]` (`IA.L2-3.5.7[c]`); empty: none.
    public var objectives: [String]
    /// Why: the Appendix D row and the objective text it matches, or a one-line reason.
    public var basis: String

    /// Creates an entry.
    public init(revision: Int, reference: String, cci: String? = nil, objectives: [String], basis: String) {
      self.revision = revision
      self.reference = reference
      self.cci = cci
      self.objectives = objectives
      self.basis = basis
    }
  }

  /// Where the table comes from.
  public var source: String
  /// How to read an entry.
  public var rules: String?
  /// Every entry.
  public var entries: [Entry]

  /// Creates a table.
  public init(source: String, rules: String? = nil, entries: [Entry]) {
    self.source = source
    self.rules = rules
    self.entries = entries
  }

  /// The key of an entry: revision, canonical reference, CCI (empty for the part's own entry).
  struct Key: Hashable {
    var revision: Int
    var reference: String
    var cci: String
  }

  /// The entries by key; a later duplicate is reported by ``problems(catalog:)``.
  func index() -> [Key: Entry] {
    var index: [Key: Entry] = [:]
    for entry in entries {
      let reference = SP80053Part.canonical(entry.reference) ?? entry.reference
      let key = Key(revision: entry.revision, reference: reference, cci: entry.cci ?? "")
      if index[key] == nil { index[key] = entry }
    }
    return index
  }

  /// What is wrong with the table against a catalog: unknown revisions, references that are not
  /// NIST SP 800-53 indices, objectives the catalog does not have, duplicates, entries without
  /// a basis. Empty when the table is sound.
  public func problems(catalog: Catalog) -> [String] {
    var problems: [String] = []
    var seen = Set<Key>()
    for (position, entry) in entries.enumerated() {
      let label = "entry \(position + 1) (Rev \(entry.revision) \(entry.reference)\(entry.cci.map { " " + $0 } ?? ""))"
      if ![3, 4, 5].contains(entry.revision) { problems.append("\(label): revision must be 3, 4 or 5") }
      guard let reference = SP80053Part.canonical(entry.reference) else {
        problems.append("\(label): not a NIST SP 800-53 reference")
        continue
      }
      if reference != entry.reference {
        problems.append("\(label): write the reference as \(reference)")
      }
      if let cci = entry.cci, CCIList.normalize(cci) != cci {
        problems.append("\(label): write the CCI as CCI-NNNNNN")
      }
      if entry.basis.trimmingWhitespace.isEmpty { problems.append("\(label): no basis") }
      if !seen.insert(Key(revision: entry.revision, reference: reference, cci: entry.cci ?? "")).inserted {
        problems.append("\(label): duplicate entry")
      }
      for objective in entry.objectives {
        guard let (requirement, letter) = Self.split(objective),
          let found = catalog.requirement(id: requirement), found.id == requirement
        else {
          problems.append("\(label): \(objective) is not a catalog requirement with an objective")
          continue
        }
        if !found.objectives.contains(where: { $0.id == letter }) {
          problems.append("\(label): \(requirement) has no objective [\(letter)]")
        }
      }
    }
    return problems
  }

  /// `IA.L2-3.5.7[c]` → (`IA.L2-3.5.7`, `c`).
  static func split(_ objective: String) -> (String, String)? {
    guard objective.hasSuffix("]"), let open = objective.firstIndex(of: "[") else { return nil }
    let requirement = String(objective[..<open])
    let letter = String(objective[objective.index(after: open)..<objective.index(before: objective.endIndex)])
    guard !requirement.isEmpty, !letter.isEmpty else { return nil }
    return (requirement, letter)
  }
}

/// A NIST SP 800-53 control, enhancement or part as the DISA CCI list, HDF `tags.nist` or a
/// spreadsheet writes it (`IA-5 (1) (a)`, `CM-6 b`, `AC-8 c 2`, `AC-03(04)`), in canonical form
/// and with its less specific levels.
enum SP80053Part {
  /// The canonical spelling: family upper-cased, numbers without leading zeros, an
  /// enhancement's and its parts' parentheses written without spaces (`IA-5(1)(a)`), other
  /// parts separated by one space (`AC-8 c 2`). Nil when the text is not a control reference.
  public static func canonical(_ text: String) -> String? {
    guard let (base, components) = parse(text) else { return nil }
    return render(base, components).text
  }

  /// The canonical reference and its less specific levels, most specific first, with the level
  /// each is: a part (`IA-5(1)(a)`), then its enhancement (`IA-5(1)`), then — only for parts of
  /// a base control, never for an enhancement — the control (`CM-6`).
  public static func levels(_ text: String) -> [(reference: String, level: String)] {
    guard let (base, components) = parse(text) else { return [] }
    let enhancement = components.firstIndex { $0.hasPrefix("(") && Int($0.dropFirst().dropLast()) != nil }
    // An enhancement never falls back to its base control: stop at the enhancement itself.
    let shortest = enhancement.map { $0 + 1 } ?? 0
    // The canonical text once: every level is a prefix of it.
    let (whole, ends) = render(base, components)
    var levels: [(String, String)] = []
    var count = components.count
    while count >= shortest {
      let level: String
      if count == 0 {
        level = "control"
      } else if let enhancement, count == enhancement + 1 {
        level = "enhancement"
      } else {
        level = "part"
      }
      levels.append(
        (count == components.count ? whole : String(decoding: whole.utf8.prefix(ends[count]), as: UTF8.self), level))
      count -= 1
    }
    return levels
  }

  /// The control or enhancement (no parts), canonical: the key of Appendix D rows.
  public static func control(_ text: String) -> String? {
    control(in: levels(text))
  }

  /// ``control(_:)`` of a reference whose ``levels(_:)`` are at hand.
  static func control(in levels: [(reference: String, level: String)]) -> String? {
    levels.last { $0.level != "part" }?.reference
  }

  /// The canonical text of a base and its components, and the UTF-8 length of the base and of
  /// each longer prefix (base and first component, …): where each level ends.
  private static func render(_ base: String, _ components: [String]) -> (text: String, ends: [Int]) {
    var text = base
    var ends = [text.utf8.count]
    for component in components {
      text += component.hasPrefix("(") ? component : " " + component
      ends.append(text.utf8.count)
    }
    return (text, ends)
  }

  /// The base control (`IA-5`) and the components after it (`(1)`, `(a)`, `c`, `2`), bounded:
  /// at most eight components of at most eight characters each.
  ///
  /// Read from the text's first 200 Unicode scalars as numbers: ASCII text (every index the CCI
  /// list and the catalog write) is taken byte by byte, without looking up Unicode properties;
  /// only a scalar outside ASCII asks whether it is white space. Family letters, digits and
  /// parts are ASCII, so the strings are built from bytes.
  static func parse(_ text: String) -> (String, [String])? {
    var text = text
    // Only the first 200 bytes are looked at: when they are ASCII, they are the first 200 scalars.
    let ascii: [UInt32]? = text.withUTF8 { bytes in
      let head = bytes.prefix(200)
      return head.allSatisfy { $0 < 0x80 } ? head.map(UInt32.init) : nil
    }
    let scalars = ascii ?? text.unicodeScalars.prefix(200).map(\.value)
    var index = 0
    func isWhitespace(_ value: UInt32) -> Bool {
      if value < 0x80 { return value == 0x20 || (value >= 0x09 && value <= 0x0D) }
      return Unicode.Scalar(value)?.properties.isWhitespace ?? false
    }
    func skipSpaces() {
      while index < scalars.count, isWhitespace(scalars[index]) { index += 1 }
    }
    func isLetter(_ value: UInt32) -> Bool { (value | 0x20) >= 0x61 && (value | 0x20) <= 0x7A }
    func isDigit(_ value: UInt32) -> Bool { value >= 48 && value <= 57 }
    func string(_ values: ArraySlice<UInt32>) -> String { String(decoding: values.map { UInt8($0) }, as: UTF8.self) }
    skipSpaces()
    guard index + 3 <= scalars.count, isLetter(scalars[index]), isLetter(scalars[index + 1]),
      scalars[index + 2] == 0x2D
    else { return nil }
    let family = string(scalars[index..<index + 2]).uppercased()
    index += 3
    let digitsStart = index
    while index < scalars.count, isDigit(scalars[index]) { index += 1 }
    let digits = scalars[digitsStart..<index]
    guard digits.count <= 4, let number = Int(string(digits)) else { return nil }
    let base = "\(family)-\(number)"
    var components: [String] = []
    while components.count < 8 {
      skipSpaces()
      guard index < scalars.count else { break }
      if scalars[index] == 0x28 {
        index += 1
        skipSpaces()
        // At most nine characters are gathered (one more than a component may have); any
        // that is not an ASCII letter or digit ends the reference.
        var inner: [UInt32] = []
        var plain = true
        while index < scalars.count, scalars[index] != 0x29, inner.count <= 8 {
          let value = scalars[index]
          if !isWhitespace(value) {
            inner.append(value)
            if !(isLetter(value) || isDigit(value)) { plain = false }
          }
          index += 1
        }
        guard plain, index < scalars.count, scalars[index] == 0x29, !inner.isEmpty, inner.count <= 8
        else { break }
        index += 1
        components.append("(" + normalizeItem(string(inner[...])) + ")")
      } else if isLetter(scalars[index]) || isDigit(scalars[index]) {
        let itemStart = index
        while index < scalars.count, isLetter(scalars[index]) || isDigit(scalars[index]), index - itemStart <= 8 {
          index += 1
        }
        let item = string(scalars[itemStart..<index])
        guard index - itemStart <= 8 else { break }
        // A part is a letter or a number; anything longer ("Rev", "and") ends the reference.
        guard item.utf8.count <= 2 || Int(item) != nil else { break }
        components.append(normalizeItem(item))
      } else {
        break
      }
    }
    return (base, components)
  }

  /// `04` → `4`, `A` → `a` (parts are lower-case letters in every revision).
  private static func normalizeItem(_ item: String) -> String {
    if let number = Int(item) { return String(number) }
    return item.lowercased()
  }
}
