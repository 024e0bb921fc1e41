import Foundation

/// Keeps the cells poam derives from results readable and under Excel's cell limit in
/// `poam.csv` and `poam.xlsx`.
///
/// Excel holds at most 32,767 characters in a cell (a longer CSV field is cut when Excel opens
/// it, a longer XLSX cell makes Excel "repair" the workbook), and a person reading a POA&M row
/// reads a screenful. Lists that grow with the results (the devices the failing evidence names,
/// the rule and check IDs) are written whole entry by whole entry up to ``listBudget``
/// characters, then one line says how many more there are and where they all are:
/// `and 9,812 more (see evidence.jsonl.gz)`. Other text poam derives (weakness, source of
/// discovery, eligibility reason, closure evidence) is cut at ``textBudget`` characters, at a
/// space or line break, naming how many characters were left out.
///
/// Text people write (point of contact, resources, remediation, milestones, comments, risk
/// acceptance, mitigations, added columns) and the item history are never cut: a rerun merged
/// from `poam.csv` must get them back exactly.
enum CellBounds {
  /// Excel's limit on the characters in one cell.
  static let excelLimit = 32_767

  /// The characters a list cell holds, its last line included: about a hundred host names, which
  /// is as many as a person scans in a cell and far below ``excelLimit``. Counted in UTF-16
  /// code units, as Excel counts.
  static let listBudget = 2_000

  /// The characters a derived text cell holds before it is cut: five times a typical weakness,
  /// so only text that grew with the results is cut.
  static let textBudget = 10_000

  /// Where the entries a list cell leaves out can be found. Every result, with its asset and
  /// rule, is in the evidence file beside the POA&M (docs/evidence-file.md).
  static let fullListPointer = "see evidence.jsonl.gz"

  /// Where the text a cut cell leaves out can be found.
  static let fullTextPointer = "full text in poam.json"

  /// `entries`, one per line, in the order given, as many as fit in `budget` characters; when
  /// some are left out (or `total` says there are more than `entries`), a last line
  /// `and N more (POINTER)` (`N not listed here (POINTER)` when not even the first fits).
  ///
  /// - Parameters:
  ///   - entries: the entries to show, in order; may be only the first of `total`.
  ///   - total: how many entries there are in all (at least `entries.count` is assumed).
  static func list(
    _ entries: [String], total: Int, budget: Int = listBudget, pointer: String = fullListPointer
  ) -> String {
    let total = max(total, entries.count)
    if total == entries.count {
      var length = max(0, entries.count - 1)
      for entry in entries {
        length += entry.utf16.count
        if length > budget { break }
      }
      if length <= budget { return entries.joined(separator: "\n") }
    }
    // The last line is reserved at its longest (every entry left out), so it always fits.
    let reserve = trailer(omitted: total, shownAny: false, pointer: pointer).utf16.count + 1
    var shown: [String] = []
    var used = 0
    for entry in entries {
      let cost = entry.utf16.count + (shown.isEmpty ? 0 : 1)
      if used + cost + reserve > budget { break }
      shown.append(entry)
      used += cost
    }
    let last = trailer(omitted: total - shown.count, shownAny: !shown.isEmpty, pointer: pointer)
    return (shown + [last]).joined(separator: "\n")
  }

  /// The last line of a cut list.
  static func trailer(omitted: Int, shownAny: Bool, pointer: String) -> String {
    shownAny
      ? "and \(Plural.number(omitted)) more (\(pointer))"
      : "\(Plural.number(omitted)) not listed here (\(pointer))"
  }

  /// Reads a list cell back: its entries, without the last line ``list(_:total:budget:pointer:)``
  /// adds, and the total that line states (nil when the cell lists every entry).
  static func parseList(_ text: String) -> (entries: [String], total: Int?) {
    let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter {
      !$0.isEmpty
    }
    guard let last = lines.last, let omitted = omittedCount(last) else { return (lines, nil) }
    return (Array(lines.dropLast()), lines.count - 1 + omitted)
  }

  /// N from `and N more (…)` or `N not listed here (…)`; nil for any other line.
  static func omittedCount(_ line: String) -> Int? {
    var rest = Substring(line)
    let listed = rest.hasPrefix("and ")
    if listed { rest = rest.dropFirst(4) }
    let digits = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ",") }
    guard let first = digits.first, first.isNumber, digits.count <= 14 else { return nil }
    rest = rest.dropFirst(digits.count)
    let words = listed ? " more (" : " not listed here ("
    guard rest.hasPrefix(words), rest.hasSuffix(")") else { return nil }
    return Int(digits.filter { $0 != "," })
  }

  /// `text` when it holds at most `budget` characters (UTF-16 code units); else its beginning,
  /// cut at a space or line break, and ` … [N more characters: POINTER]`, all within `budget`.
  static func text(_ text: String, budget: Int = textBudget, pointer: String = fullTextPointer) -> String {
    guard text.utf16.count > budget else { return text }
    let total = text.count
    // Room for the marker at its longest (nearly every character left out).
    let room = budget - marker(omitted: total, pointer: pointer).utf16.count
    var end = text.startIndex
    var used = 0
    var lastBreak: String.Index?
    var index = text.startIndex
    while index < text.endIndex {
      let character = text[index]
      let size = character.utf16.count
      if used + size > room { break }
      used += size
      index = text.index(after: index)
      end = index
      if character.isWhitespace { lastBreak = index }
    }
    // A break in the last fifth keeps words whole; otherwise cut where the room ends.
    if let lastBreak,
      text.distance(from: text.startIndex, to: lastBreak) * 5 >= text.distance(
        from: text.startIndex, to: end) * 4
    {
      end = lastBreak
    }
    var kept = text[..<end]
    while let last = kept.last, last.isWhitespace { kept = kept.dropLast() }
    return String(kept) + marker(omitted: total - kept.count, pointer: pointer)
  }

  static func marker(omitted: Int, pointer: String) -> String {
    " … [\(Plural.count(omitted, "more character", "more characters")): \(pointer)]"
  }
}
