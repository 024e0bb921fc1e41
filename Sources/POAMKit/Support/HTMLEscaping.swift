/// HTML and XML escaping for every value that goes into a report or an OOXML part.
public enum HTML {
  /// Escapes `&`, `<`, `>`, `"` and `'` so text is safe in element content and attribute values.
  public static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }
}
