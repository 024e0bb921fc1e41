/// A recoverable problem found while reading, resolving or scoring: an unknown status word,
/// an unresolvable ID, a skipped row. Diagnostics travel with the data and end up in every
/// report; nothing is dropped silently.
public struct Diagnostic: Codable, Sendable, Hashable, CustomStringConvertible {
  /// How serious the problem is.
  public enum Severity: String, Codable, Sendable, Comparable {
    case note, warning, error

    var rank: Int { self == .note ? 0 : (self == .warning ? 1 : 2) }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
  }

  /// How serious the problem is.
  public var severity: Severity
  /// What kind of problem this is, stable across versions (``Diagnostic/Code``).
  public var code: Code
  /// The input file (or `-` for standard input, or a stage name such as `gap`).
  public var source: String
  /// Where in the source: `12`, `12:5`, `row 7`, `/CHECKLIST/STIGS/iSTIG[2]/VULN[14]`.
  public var location: String
  /// What is wrong and, where useful, what to do about it.
  public var message: String

  /// Creates a diagnostic.
  public init(_ severity: Severity, _ code: Code, source: String, location: String = "", message: String) {
    // Text from a file is bounded and shown safely: a 9 MB rule ID is cut with an ellipsis
    // (--limit diagnostic-length), control characters become U+FFFD.
    let limits = ResourceLimits.current
    self.severity = severity
    self.code = code
    self.source = limits.clip(ControlCharacters.replace(source))
    self.location = limits.clip(ControlCharacters.replace(location))
    self.message = limits.clip(ControlCharacters.replace(message))
  }

  enum CodingKeys: String, CodingKey {
    case severity, code, source, location, message
  }

  /// Reads a diagnostic; one written before codes existed reads as ``Diagnostic/Code/unspecified``.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    severity = try container.decode(Severity.self, forKey: .severity)
    code = try container.decodeIfPresent(Code.self, forKey: .code) ?? .unspecified
    source = try container.decode(String.self, forKey: .source)
    location = try container.decodeIfPresent(String.self, forKey: .location) ?? ""
    message = try container.decode(String.self, forKey: .message)
  }

  /// `file:location: severity: message [code]`, the form compilers and editors understand, with
  /// the stable code last (as swift-format names its rule).
  public var description: String {
    let place = location.isEmpty ? source : "\(source):\(location)"
    return "\(place): \(severity.rawValue): \(message) [\(code)]"
  }
}
