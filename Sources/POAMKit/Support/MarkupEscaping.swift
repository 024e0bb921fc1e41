/// Escaping for text placed in markup: HTML reports and inline SVG (``HTML``), and XML reports
/// such as JUnit (``XMLText``). One implementation; the XLSX writer has its own reversible OOXML
/// form (`_xHHHH_`), which is a different encoding, not an escape.
enum MarkupEscaping {
  /// Where the text goes.
  enum Target {
    /// HTML element content or a quoted attribute value.
    case html
    /// An XML 1.0 attribute value in double quotes.
    case xmlAttribute
    /// XML 1.0 element content.
    case xmlContent
  }

  /// Escapes `text` scalar by scalar (a combining mark after `<` cannot hide it). In HTML,
  /// `& < > " '` become references; in XML also the white space an attribute value would
  /// normalize away (`\n`, `\t`, `\r`), and characters XML 1.0 cannot carry at all (most C0
  /// controls, U+FFFE, U+FFFF) are replaced by U+FFFD.
  static func escape(_ text: String, for target: Target) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    let xml = target != .html
    let attribute = target != .xmlContent
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"" where attribute: out += "&quot;"
      case "'" where target == .html: out += "&#39;"
      case "'" where target == .xmlAttribute: out += "&apos;"
      case "\n" where target == .xmlAttribute: out += "&#10;"
      case "\t" where target == .xmlAttribute: out += "&#9;"
      case "\r" where xml: out += "&#13;"
      case "\n", "\t": out.unicodeScalars.append(scalar)
      default:
        let value = scalar.value
        let allowed = !xml || (value >= 0x20 && !(0xFFFE...0xFFFF).contains(value))
        out.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
      }
    }
    return out
  }
}

/// HTML escaping for every value that goes into `report.html` and its inline SVG.
enum HTML {
  /// Escapes `&`, `<`, `>`, `"` and `'` so text is safe in element content and attribute values.
  public static func escape(_ text: String) -> String { MarkupEscaping.escape(text, for: .html) }
}

/// XML 1.0 escaping for attribute values and text content (JUnit).
enum XMLText {
  /// For an attribute value in double quotes.
  static func attribute(_ text: String) -> String { MarkupEscaping.escape(text, for: .xmlAttribute) }
  /// For element content.
  static func content(_ text: String) -> String { MarkupEscaping.escape(text, for: .xmlContent) }
}
