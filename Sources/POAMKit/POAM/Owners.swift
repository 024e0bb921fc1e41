import Foundation
import Yams

/// A problem with a YAML file poam reads (the owners file, the system profile): the file, the
/// line, and what was expected.
public struct YAMLFileError: Error, LocalizedError, Sendable, Hashable {
  /// The file.
  public var file: String
  /// The 1-based line, when known.
  public var line: Int?
  /// What is wrong and what was expected.
  public var message: String

  /// Creates an error.
  public init(file: String, line: Int?, message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  public var errorDescription: String? {
    "\(file)\(line.map { ":\($0)" } ?? ""): \(message)"
  }
}

/// A problem with an owners file.
public typealias OwnersError = YAMLFileError

extension YAMLFileError {
  /// The text of a YAML file poam reads, or the one wording every command uses for a file it
  /// cannot read (`PATH: cannot read: no such file or directory`).
  static func text(of path: String) throws(YAMLFileError) -> String {
    do {
      return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw YAMLFileError(
        file: path, line: nil, message: "cannot read: \(FileProblem.reason(path: path, error: error))")
    }
  }
}

/// Who answers for what: the `--owners owners.yml` file, mapping family codes or requirement
/// IDs (any spelling) to a person or team. A requirement entry beats its family's; anything
/// not mapped is "Unassigned" (or the `default` entry when there is one).
///
/// ```yaml
/// AC: Jane Doe <jane@example.com>
/// IA: Identity Team
/// 3.5.3: Bob Smith <bob@example.com>      # IA.L2-3.5.3, in any spelling
/// SC.L2-3.13.11: [Crypto Team, Jane Doe]  # a list becomes "Crypto Team; Jane Doe"
/// default: Security Office
/// ```
public struct Owners: Sendable, Hashable {
  /// The point of contact when nothing is mapped.
  public static let unassigned = "Unassigned"

  /// Owners by family code.
  public private(set) var byFamily: [String: String]
  /// Owners by canonical requirement ID.
  public private(set) var byRequirement: [String: String]
  /// The owner of anything not mapped.
  public private(set) var fallback: String

  /// Creates an owners map from canonical keys.
  public init(byFamily: [String: String] = [:], byRequirement: [String: String] = [:], fallback: String = unassigned) {
    self.byFamily = byFamily
    self.byRequirement = byRequirement
    self.fallback = fallback
  }

  /// The point of contact for a requirement.
  public func owner(requirement: String, family: String) -> String {
    byRequirement[requirement] ?? byFamily[family] ?? fallback
  }

  /// Reads an owners file.
  public static func load(path: String, catalog: Catalog) throws -> Owners {
    try parse(try YAMLFileError.text(of: path), file: path, catalog: catalog)
  }

  /// Parses the text of an owners file; `file` names it in errors.
  public static func parse(_ text: String, file: String, catalog: Catalog) throws -> Owners {
    if let line = firstAnchorOrAlias(text) {
      throw OwnersError(
        file: file, line: line,
        message:
          "YAML anchors and aliases (&name, *name) are not accepted in an owners file: write each owner out (aliases can make a small file expand without bound)"
      )
    }
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch let error as YamlError {
      throw OwnersError(file: file, line: line(of: error), message: "not valid YAML: \(problem(of: error))")
    } catch {
      throw OwnersError(file: file, line: nil, message: "not valid YAML: \(error)")
    }
    guard let root else { return Owners() }
    return try parse(node: root, file: file, catalog: catalog)
  }

  /// Reads an owners mapping that is part of a larger YAML file (the profile's `owners:`).
  static func parse(node root: Node, file: String, catalog: Catalog) throws -> Owners {
    guard let mapping = root.mapping else {
      throw OwnersError(
        file: file, line: root.mark?.line,
        message:
          "expected a mapping of family codes or requirement IDs to owners, such as 'AC: Jane Doe <jane@example.com>'"
      )
    }
    let families = Set(catalog.manifest.families.map(\.code))
    let resolver = RequirementIDResolver(catalog: catalog)
    var owners = Owners()
    var seen: [String: Int] = [:]
    var fallbackLine: Int?
    for (keyNode, valueNode) in mapping {
      let line = keyNode.mark?.line
      guard let key = keyNode.scalar?.string.trimmingCharacters(in: .whitespaces), !key.isEmpty else {
        throw OwnersError(file: file, line: line, message: "expected a family code or requirement ID as the key")
      }
      let owner = try ownerText(valueNode, key: key, file: file)
      if ["default", "*"].contains(key.lowercased()) {
        if let fallbackLine {
          throw OwnersError(
            file: file, line: line, message: "a second default owner (the first is on line \(fallbackLine))")
        }
        owners.fallback = owner
        fallbackLine = line ?? 0
        continue
      }
      let canonical: String
      if key.count == 2, families.contains(key.uppercased()) {
        canonical = key.uppercased()
        owners.byFamily[canonical] = owner
      } else {
        switch resolver.resolve(key) {
        case .success(let resolved):
          if let objective = resolved.objective {
            throw OwnersError(
              file: file, line: line,
              message:
                "'\(key)' names objective [\(objective)]; owners are assigned per requirement: write \(resolved.requirement)"
            )
          }
          canonical = resolved.requirement
          owners.byRequirement[canonical] = owner
        case .failure(let failure):
          throw OwnersError(
            file: file, line: line,
            message:
              "'\(key)' is neither a family code (\(families.sorted().joined(separator: ", "))) nor a requirement ID: \(failure.localizedDescription)"
          )
        }
      }
      if let first = seen[canonical] {
        throw OwnersError(
          file: file, line: line, message: "'\(key)' is \(canonical) again (first given on line \(first))")
      }
      seen[canonical] = line ?? 0
    }
    return owners
  }

  private static func ownerText(_ node: Node, key: String, file: String) throws -> String {
    let line = node.mark?.line
    if let scalar = node.scalar {
      let value = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !value.isEmpty else {
        throw OwnersError(file: file, line: line, message: "'\(key)' has no owner: expected a name, team or email")
      }
      return value
    }
    if let sequence = node.sequence {
      var names: [String] = []
      for element in sequence {
        guard let value = element.scalar?.string.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty
        else {
          throw OwnersError(
            file: file, line: element.mark?.line, message: "'\(key)': expected each owner in the list to be a name")
        }
        names.append(value)
      }
      guard !names.isEmpty else {
        throw OwnersError(file: file, line: line, message: "'\(key)' has an empty list of owners")
      }
      return names.joined(separator: "; ")
    }
    throw OwnersError(
      file: file, line: line, message: "'\(key)': expected a name (or a list of names), not a nested mapping")
  }

  /// The 1-based line of the first YAML anchor (`&name`) or alias (`*name`), found before Yams
  /// composes (and expands) anything. An indicator counts where a node may start: after
  /// indentation, `- `, `? `, `: `, or a flow `[`, `{`, `,`; not inside quotes, comments or
  /// plain text (`R&D`, `Jane *Doe`).
  static func firstAnchorOrAlias(_ text: String) -> Int? {
    var line = 1
    var quote: Character?
    var tokenStart = true
    var previous: Character = "\n"
    var skipToLineEnd = false
    let characters = Array(text)
    for (index, character) in characters.enumerated() {
      defer { previous = character }
      let next: Character = index + 1 < characters.count ? characters[index + 1] : "\n"
      if character.isNewline {
        line += 1
        tokenStart = quote == nil
        skipToLineEnd = false
        continue
      }
      if skipToLineEnd { continue }
      if let open = quote {
        if open == "\"", character == "\\", previous != "\\" { continue }
        if character == open, !(open == "\"" && previous == "\\") { quote = nil }
        continue
      }
      let spaceNext = next == " " || next == "\t" || next.isNewline
      if character == " " || character == "\t" { continue }
      if character == "#", previous == " " || previous == "\t" || previous.isNewline {
        skipToLineEnd = true
      } else if character == "&" || character == "*" {
        if tokenStart && !spaceNext { return line }
        tokenStart = false
      } else if character == "-" || character == "?" {
        if !(tokenStart && spaceNext) { tokenStart = false }
      } else if character == "\"" || character == "'" {
        if tokenStart { quote = character }
        tokenStart = false
      } else if character == ":" {
        tokenStart = spaceNext
      } else if character == "[" || character == "{" || character == "," {
        tokenStart = true
      } else {
        tokenStart = false
      }
    }
    return nil
  }

  private static func line(of error: YamlError) -> Int? {
    switch error {
    case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
    case .duplicatedKeysInMapping(_, let context): return context.mark.line
    default: return nil
    }
  }

  private static func problem(of error: YamlError) -> String {
    switch error {
    case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
      .composer(let context, let problem, _, _):
      return context.map { "\(problem) (\($0.text))" } ?? problem
    case .duplicatedKeysInMapping(let duplicates, _):
      return "duplicate key \(duplicates.joined(separator: ", "))"
    default:
      return "\(error)"
    }
  }
}
