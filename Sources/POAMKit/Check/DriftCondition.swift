import Foundation

/// A way a CI run can get worse than its baseline; `poam check --fail-on` selects which ones
/// fail the build.
public enum DriftCondition: String, CaseIterable, Codable, Sendable, Comparable {
  /// A requirement satisfied (MET or N/A) in the baseline is NOT MET now.
  case newGaps = "new-gaps"
  /// The score is lower than the baseline's.
  case scoreDrop = "score-drop"
  /// The score is lower than `--min-score`.
  case belowMinScore = "below-min-score"
  /// The certification status got worse: final → conditional, or either → not eligible.
  case eligibilityLost = "eligibility-lost"
  /// An open POA&M item is past its scheduled completion date.
  case overdue
  /// A requirement that had evidence in the baseline has none now.
  case notAssessed = "not-assessed"

  /// The default selection: `new-gaps,score-drop,eligibility-lost`.
  public static let defaults: Set<DriftCondition> = [.newGaps, .scoreDrop, .eligibilityLost]

  /// Conditions that compare with the baseline (as opposed to an absolute threshold or the
  /// calendar). `--update-baseline` refuses to ratchet while any of these got worse.
  public static let regressions: Set<DriftCondition> = [.newGaps, .scoreDrop, .eligibilityLost, .notAssessed]

  private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }

  public static func < (lhs: DriftCondition, rhs: DriftCondition) -> Bool { lhs.order < rhs.order }

  /// What the condition means, in one line.
  public var summary: String {
    switch self {
    case .newGaps: return "a requirement satisfied in the baseline is NOT MET now"
    case .scoreDrop: return "the score is lower than the baseline's"
    case .belowMinScore: return "the score is below --min-score"
    case .eligibilityLost: return "the certification status got worse (final > conditional > not eligible)"
    case .overdue: return "an open POA&M item is past its scheduled completion date"
    case .notAssessed: return "a requirement with evidence in the baseline has none now"
    }
  }

  /// Parses a comma-separated list such as `new-gaps,score-drop`. Spaces are ignored; an empty
  /// list or an unknown name is an error that lists the valid names.
  public static func parseList(_ text: String) throws(DriftConditionListError) -> Set<DriftCondition> {
    var selected: Set<DriftCondition> = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let name = part.trimmingCharacters(in: .whitespaces).lowercased()
      guard let condition = DriftCondition(rawValue: name) else {
        throw DriftConditionListError(given: text, bad: name)
      }
      selected.insert(condition)
    }
    return selected
  }
}

/// An unknown name in a `--fail-on` list.
public struct DriftConditionListError: Error, LocalizedError, Sendable, Hashable {
  /// The whole list as given.
  public var given: String
  /// The name that is not a condition.
  public var bad: String

  /// Names the bad entry and lists the valid ones.
  public var message: String {
    let valid = DriftCondition.allCases.map(\.rawValue).joined(separator: ", ")
    let what = bad.isEmpty ? "an empty entry" : "'\(bad)'"
    return "--fail-on '\(given)' has \(what): expected a comma-separated list of \(valid)"
  }

  public var errorDescription: String? { message }
}
