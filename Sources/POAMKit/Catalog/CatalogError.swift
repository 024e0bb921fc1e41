import Foundation

/// A problem loading or validating a catalog. Every case names the file it concerns.
public enum CatalogError: Error, LocalizedError, Equatable, Sendable {
  /// The file or directory could not be read.
  case unreadable(path: String, reason: String)
  /// The file is not valid JSON of the catalog schema; `where` is the JSON path (such as
  /// `[3].objectives[0].id`) and `expected` what should stand there.
  case malformed(path: String, where: String, expected: String)
  /// The content parsed but breaks a rule of the catalog (duplicate ID, unknown family...).
  case invalid(path: String, requirement: String?, problem: String)

  public var errorDescription: String? {
    switch self {
    case .unreadable(let path, let reason):
      return FileProblem.message(path: path, reason: reason)
    case .malformed(let path, let location, let expected):
      return "\(path): \(location.isEmpty ? "" : "at \(location): ")\(expected)"
    case .invalid(let path, let requirement, let problem):
      return "\(path): \(requirement.map { "\($0): " } ?? "")\(problem)"
    }
  }
}
