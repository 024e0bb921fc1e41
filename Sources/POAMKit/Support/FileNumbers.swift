/// The range every whole number read back from a file (a score, a point value, a count, a
/// milestone number) must fall in. Real values are small (scores from −203 to 134, points 1–5);
/// a bound far above them means that sums and differences of thousands of such values can
/// never overflow, so a crafted `9223372036854775807` is an error naming the field, not a trap.
enum FileNumbers {
  /// ±1,000,000.
  public static let range = -1_000_000...1_000_000

  /// True when `value` is absent or inside ``range``.
  public static func plausible(_ value: Int?) -> Bool {
    value.map { range.contains($0) } ?? true
  }

  /// A whole number written as text, or nil when it is not one or falls outside ``range``.
  public static func integer(_ text: some StringProtocol) -> Int? {
    guard let value = Int(text), range.contains(value) else { return nil }
    return value
  }

  /// What an out-of-range field should have held.
  public static let expectation = "a whole number from -1000000 to 1000000"
}

extension GapReport {
  /// The JSON path of the first number outside ``FileNumbers/range`` (a crafted or corrupted
  /// report), or nil when every number is plausible.
  func implausibleNumber() -> String? {
    func check(_ summary: (score: Int?, max: Int?, min: Int?, counts: GapCounts), _ prefix: String) -> String? {
      let fields: [(String, Int?)] = [
        ("score", summary.score), ("max_score", summary.max), ("min_score", summary.min),
        ("counts.met", summary.counts.met), ("counts.not_met", summary.counts.notMet),
        ("counts.not_applicable", summary.counts.notApplicable),
        ("counts.not_assessed", summary.counts.notAssessed),
      ]
      return fields.first { !FileNumbers.plausible($0.1) }.map { prefix + $0.0 }
    }
    if let field = check((score, maxScore, minScore, counts), "") { return field }
    if let prerequisite,
      let field = check(
        (prerequisite.score, prerequisite.maxScore, prerequisite.minScore, prerequisite.counts), "prerequisite.")
    {
      return field
    }
    for (index, requirement) in requirements.enumerated() {
      let fields: [(String, Int?)] = [("points_deducted", requirement.pointsDeducted), ("points", requirement.points)]
      if let field = fields.first(where: { !FileNumbers.plausible($0.1) }) {
        return "requirements[\(index)].\(field.0)"
      }
      for (position, evidence) in requirement.evidence.enumerated()
      where !FileNumbers.plausible(evidence.partialPoints) || !FileNumbers.plausible(evidence.line) {
        return "requirements[\(index)].evidence[\(position)]"
      }
    }
    return nil
  }
}
