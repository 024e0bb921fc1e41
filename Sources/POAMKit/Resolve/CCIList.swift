import Foundation

/// The DISA Control Correlation Identifier list: which NIST SP 800-53 controls each CCI
/// belongs to. It is the user's file (`U_CCI_List.xml`), never bundled.
public struct CCIList: Sendable {
  /// The list's version (its publish date), when it says.
  public var version: String?
  /// CCI → NIST SP 800-53 Rev 4 controls, normalized like `AC-2(1)`.
  public var rev4: [String: [String]]
  /// CCI → NIST SP 800-53 Rev 5 controls, normalized like `AC-2(1)`.
  public var rev5: [String: [String]]

  /// Creates a list.
  public init(version: String?, rev4: [String: [String]], rev5: [String: [String]]) {
    self.version = version
    self.rev4 = rev4
    self.rev5 = rev5
  }

  /// The number of CCIs with at least one control.
  public var count: Int { Set(rev4.keys).union(rev5.keys).count }

  /// Normalizes a CCI as written (`CCI-15`, `cci-000015`) to `CCI-000015`.
  public static func normalize(_ cci: String) -> String? {
    let trimmed = cci.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
    guard trimmed.hasPrefix("CCI-"), let number = Int(trimmed.dropFirst(4)), number >= 0 else { return nil }
    let digits = String(number)
    return "CCI-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
  }

  /// Where poam looks for the list: `--cci-list`, then `POAM_CCI_LIST`, then
  /// `~/.config/poam/U_CCI_List.xml`. Returns nil when none is given or present.
  public static func locate(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String?
  {
    if let explicit, !explicit.isEmpty { return explicit }
    if let path = environment["POAM_CCI_LIST"], !path.isEmpty { return path }
    let home = environment["HOME"] ?? NSHomeDirectory()
    let fallback = URL(fileURLWithPath: home).appendingPathComponent(".config/poam/U_CCI_List.xml").path
    return FileManager.default.fileExists(atPath: fallback) ? fallback : nil
  }

  /// How to supply the list, for diagnostics.
  public static let hint =
    "supply the DISA CCI list (U_CCI_List.xml) with --cci-list FILE, the POAM_CCI_LIST environment variable, or ~/.config/poam/U_CCI_List.xml"
}

/// Normalizes NIST SP 800-53 control references (`AC-2 (1)`, `ac-2(1)(a)`, `AC-2 a 1`, `AC-02`)
/// to the catalog's form (`AC-2(1)`, `AC-2`).
public enum SP80053Control {
  /// Built once: a regex literal in the function body is parsed again on every call, which was
  /// 40% of the time importing a large HDF file.
  nonisolated(unsafe) private static let pattern = #/^\s*(?i)([a-z]{2})-0*(\d{1,2})(?:\s*\(\s*0*(\d{1,2})\s*\))?/#

  /// The control with at most one enhancement, or nil when the text is not a control.
  public static func normalize(_ text: String) -> String? {
    guard
      let match = text.firstMatch(of: pattern)
    else { return nil }
    let base = "\(match.output.1.uppercased())-\(match.output.2)"
    return match.output.3.map { "\(base)(\($0))" } ?? base
  }

  /// The base control of an enhancement (`AC-2(1)` → `AC-2`).
  public static func base(_ control: String) -> String {
    control.split(separator: "(").first.map(String.init) ?? control
  }
}
