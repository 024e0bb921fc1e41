import Foundation

/// Maps the control, statement and objective IDs that OSCAL assessment results use to poam
/// references. Both OSCAL importers (XML and JSON) call it, so the two formats map alike.
///
/// | OSCAL ID (any case)                  | Reference                       |
/// |--------------------------------------|---------------------------------|
/// | `ac-2`, `ac-02`                      | nist-800-53 `AC-2`              |
/// | `ac-2.1`, `ac-2.1_obj`, `ac-2.1_smt.a` | nist-800-53 `AC-2(1)`         |
/// | `ac-1.a.1_obj.1` (statement parts)   | nist-800-53 `AC-1`              |
/// | `3.1.1`, `3.1.1_smt`                 | requirement `3.1.1`             |
/// | `3.1.1_obj.a`, `3.1.1_obj.a.1`, `3.1.1.a` | requirement `3.1.1[a]`     |
/// | `3.1.2e`, `3.1.2e_obj.b`             | requirement `3.1.2e`, `3.1.2e[b]` |
/// | `ac.l2-3.1.1`, `ac.l2-3.1.1_obj.a`, `ac.l2-3.1.1.a` | requirement `AC.L2-3.1.1`, `AC.L2-3.1.1[a]` |
/// | `ac.l1-b.1.i`, `ac.l1-b.1.i.a`       | requirement `AC.L1-b.1.i`, `AC.L1-b.1.i[a]` |
/// | `sp800-171_3.1.1`, `sp_800_171_03.01.01` | requirement `3.1.1`, `03.01.01` |
///
/// A requirement reference carries its objective letter in brackets, the form
/// ``RequirementIDResolver`` reads; NIST SP 800-53 references drop statement and objective
/// parts, since the catalog maps whole controls. Anything else gives nil: keep the ID as an
/// `other` reference so the user sees it reported as unresolved.
enum OSCALTargetMapper {
  /// The reference an OSCAL `control-id` or finding `target-id` stands for, or nil.
  public static func reference(for id: String) -> Reference? {
    var text = id.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    guard !text.isEmpty else { return nil }
    // Catalog prefixes in front of a NIST SP 800-171 number: sp800-171_3.1.1, sp_800_171_03.01.01.
    if let prefix = text.prefixMatch(of: #/(?:nist[_-]?)?sp[_-]?800[_-]?171(?:r[23]|[_-]?rev[_-]?[23])?[_-]/#) {
      text = String(text[prefix.range.upperBound...])
    }
    let base: Substring
    let part: Substring?
    if let underscore = text.firstIndex(of: "_") {
      base = text[..<underscore]
      part = text[text.index(after: underscore)...]
    } else {
      base = text[...]
      part = nil
    }
    let objective = part.flatMap(objectiveLetter)
    /// A requirement with the objective letter written after it (`3.1.1.a`) or in the part (`_obj.a`).
    func requirement(_ id: String, _ inline: Substring?) -> Reference {
      let letter = inline.map(String.init) ?? objective
      return Reference(.requirement, letter.map { "\(id)[\($0)]" } ?? id)
    }

    if let match = base.wholeMatch(of: #/([a-z]{2})\.l([1-3])-(.+)/#) {
      let prefix = "\(match.output.1.uppercased()).L\(match.output.2)-"
      let rest = match.output.3
      if let lettered = rest.wholeMatch(of: #/(\d{1,2}\.\d{1,2}\.\d{1,2}e?|b\.1\.[ivx]+)\.([a-z])/#) {
        return requirement(prefix + lettered.output.1, lettered.output.2)
      }
      return requirement(prefix + rest, nil)
    }
    if let match = base.wholeMatch(of: #/(\d{1,2}\.\d{1,2}\.\d{1,2}e?)(?:\.([a-z]))?/#) {
      return requirement(String(match.output.1), match.output.2)
    }
    if base.wholeMatch(of: #/0\d\.\d{2}\.\d{2}/#) != nil {
      return requirement(String(base), nil)
    }
    if let match = base.prefixMatch(of: #/([a-z]{2})-0*(\d{1,2})(?:\.0*(\d{1,2}))?/#) {
      let rest = base[match.range.upperBound...]
      guard rest.isEmpty || rest.hasPrefix(".") else { return nil }
      let control = "\(match.output.1.uppercased())-\(match.output.2)"
      return Reference(.sp80053, match.output.3.map { "\(control)(\($0))" } ?? control)
    }
    return nil
  }

  /// The objective letter in an ID's part (`obj.a`, `obj.a.1`), or nil for statements
  /// (`smt.a`), bare objectives (`obj`) and numbered objectives (`obj.1`).
  static func objectiveLetter(_ part: Substring) -> String? {
    guard let match = part.prefixMatch(of: #/obj\.([a-z])(?:$|[.\[])/#) else { return nil }
    return String(match.output.1)
  }

  /// The status of a finding target: `satisfied` → MET, `not-satisfied` → NOT MET; nil for
  /// any other word (report it with ``UnknownStatus``).
  public static func status(state: String) -> Status? {
    switch state.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
    case "satisfied": return .met
    case "not-satisfied", "not satisfied", "notsatisfied": return .notMet
    default: return nil
    }
  }
}
