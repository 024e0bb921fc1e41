/// Removes the control characters a crafted file could use to drive a terminal (ESC for colour
/// and cursor sequences, OSC to retitle the window, BEL) or to hide text in a spreadsheet: C0
/// controls, DEL and C1 controls (U+0080–U+009F). Tab and line breaks stay where people write
/// them on purpose (inside fields); ``strip(_:keepingLayout:)`` removes them too for
/// single-line text.
public enum ControlCharacters {
  /// `text` without control characters; with `keepingLayout` (the default) tab, LF and CR stay.
  public static func strip(_ text: String, keepingLayout: Bool = true) -> String {
    guard needsWork(text, keepingLayout: keepingLayout) else { return text }
    var scalars = String.UnicodeScalarView()
    for scalar in text.unicodeScalars where !isControl(scalar, keepingLayout: keepingLayout) {
      scalars.append(scalar)
    }
    return String(scalars)
  }

  /// `text` with each control character replaced by U+FFFD (so that a file name or a status
  /// word shown on a terminal still shows that something was there); tab, LF and CR stay.
  public static func replace(_ text: String) -> String {
    guard needsWork(text, keepingLayout: true) else { return text }
    var scalars = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      scalars.append(isControl(scalar, keepingLayout: true) ? "\u{FFFD}" : scalar)
    }
    return String(scalars)
  }

  /// True for C0 controls, DEL and C1 controls (tab, LF and CR kept when `keepingLayout`).
  static func isControl(_ scalar: Unicode.Scalar, keepingLayout: Bool) -> Bool {
    switch scalar.value {
    case 0x09, 0x0A, 0x0D: return !keepingLayout
    case 0x00...0x1F, 0x7F...0x9F: return true
    default: return false
    }
  }

  /// A fast byte scan: false when nothing would change (the common case).
  private static func needsWork(_ text: String, keepingLayout: Bool) -> Bool {
    var previous: UInt8 = 0
    for byte in text.utf8 {
      switch byte {
      case 0x09, 0x0A, 0x0D: if !keepingLayout { return true }
      case 0x00...0x1F, 0x7F: return true
      // C1 controls are U+0080–U+009F: UTF-8 C2 80 … C2 9F.
      case 0x80...0x9F where previous == 0xC2: return true
      default: break
      }
      previous = byte
    }
    return false
  }
}
