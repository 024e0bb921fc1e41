import Foundation

/// The score over recorded runs as an inline SVG line chart: one point per run, evenly spaced in
/// order of assessment date, the assessment dates along the x axis, each point coloured by the
/// run's status, and a dashed line at the conditional minimum (88 at Level 2). Every text is
/// HTML-escaped; the SVG needs no external resource and no script.
struct SVGScoreChart {
  /// One run.
  struct Point {
    /// The assessment date, `YYYY-MM-DD`.
    var date: String
    /// The score (Level 1: requirements MET or N/A).
    var value: Int
    /// Final, conditional or not eligible.
    var status: CertificationStatus
    /// The tooltip.
    var detail: String
    /// True for the run this report describes.
    var isCurrent: Bool
  }

  /// The most runs drawn; older ones are left out (the caption says so).
  static let maximumPoints = 60

  var points: [Point]
  /// The best possible value (110 at Level 2), the top of the y axis.
  var maximum: Int
  /// The conditional minimum, drawn as a dashed line (nil at Level 1).
  var threshold: Int?
  /// What the numbers are, for the accessible title.
  var caption: String
  var width = 900
  var height = 300

  /// The points of the level's runs, oldest assessment first (runs of one day in recording order),
  /// the last ``maximumPoints``; `current` marks the run the report describes (recorded or not).
  static func points(_ runs: [HistoryRun], current: HistoryRun?) -> [Point] {
    let ordered = runs.enumerated().sorted {
      $0.element.assessmentDate != $1.element.assessmentDate
        ? $0.element.assessmentDate < $1.element.assessmentDate : $0.offset < $1.offset
    }
    return ordered.suffix(maximumPoints).compactMap { _, run in
      let isCurrent = current.map { run.id == nil && $0 == run } ?? false
      let value: Int
      let shown: String
      if let score = run.score {
        value = score
        shown = run.maxScore.map { "\(score) / \($0)" } ?? String(score)
      } else {
        let counts = run.counts
        value = counts.met + counts.notApplicable
        let total = counts.met + counts.notApplicable + counts.notMet + counts.notAssessed
        shown = "\(value) / \(total) met"
      }
      let which = isCurrent ? "this run" : (run.id.map { "run \($0), \(run.command)" } ?? run.command)
      return Point(
        date: run.assessmentDate, value: value, status: run.status,
        detail: "\(run.assessmentDate) · \(which) · \(shown) · \(run.status.title)", isCurrent: isCurrent)
    }
  }

  /// A step of 1, 2, 2.5 or 5 × 10ⁿ that cuts `span` into at most six intervals.
  static func step(for span: Int) -> Int {
    for candidate in [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000] where span <= candidate * 6 {
      return candidate
    }
    return max(1, span / 5)
  }

  func render() -> String {
    let h = HTML.escape
    let left = 52.0
    let right = Double(width) - 132
    let top = 22.0
    let bottom = Double(height) - 46
    let values = points.map(\.value) + (threshold.map { [$0] } ?? [])
    let high = max(maximum, values.max() ?? maximum)
    let lowest = values.min() ?? 0
    let step = Self.step(for: max(1, high - lowest))
    // At least half a step of room below the lowest value, on the step grid (not below 0 when
    // nothing is negative).
    var low = Int(((Double(lowest) - Double(step) / 2) / Double(step)).rounded(.down)) * step
    if low < 0, lowest >= 0 { low = 0 }
    let span = Double(max(1, high - low))
    func y(_ value: Int) -> Double { bottom - Double(value - low) / span * (bottom - top) }
    let inset = 28.0
    func x(_ index: Int) -> Double {
      points.count == 1
        ? (left + right) / 2 : left + inset + Double(index) * (right - left - 2 * inset) / Double(points.count - 1)
    }
    func number(_ value: Double) -> String { String(format: "%.1f", value) }

    var svg =
      "<svg class=\"chart trend\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-label=\"\(h(caption))\">"
    svg += "<title>\(h(caption))</title>"

    // Grid: multiples of the step, and the maximum.
    var ticks = Array(stride(from: low, through: high, by: step))
    if ticks.last != high {
      if let last = ticks.last, Double(high - last) < Double(step) * 0.45 { ticks.removeLast() }
      ticks.append(high)
    }
    svg += "<g class=\"trend-grid\">"
    for tick in ticks {
      let ty = number(y(tick))
      svg += "<line x1=\"\(number(left))\" y1=\"\(ty)\" x2=\"\(number(right))\" y2=\"\(ty)\"/>"
      svg +=
        "<text x=\"\(number(left - 10))\" y=\"\(number(y(tick) + 4))\" text-anchor=\"end\" class=\"trend-tick\">\(tick)</text>"
    }
    svg += "</g>"
    svg +=
      "<text x=\"\(number(right + 10))\" y=\"\(number(y(high) + 4))\" class=\"trend-note\">Maximum \(high)</text>"

    // The conditional minimum.
    if let threshold {
      let ty = number(y(threshold))
      svg +=
        "<line x1=\"\(number(left))\" y1=\"\(ty)\" x2=\"\(number(right))\" y2=\"\(ty)\" class=\"trend-threshold\"/>"
      svg +=
        "<text x=\"\(number(right + 10))\" y=\"\(number(y(threshold) + 4))\" class=\"trend-threshold-label\">Conditional ≥ \(threshold)</text>"
    }

    // The area under the line, the line, the points.
    let coordinates = points.indices.map { "\(number(x($0))),\(number(y(points[$0].value)))" }
    if points.count > 1 {
      let base = number(bottom)
      svg +=
        "<polygon class=\"trend-area\" points=\"\(number(x(0))),\(base) \(coordinates.joined(separator: " ")) \(number(x(points.count - 1))),\(base)\"/>"
      svg += "<polyline class=\"trend-line\" points=\"\(coordinates.joined(separator: " "))\"/>"
    }
    svg +=
      "<line x1=\"\(number(left))\" y1=\"\(number(bottom))\" x2=\"\(number(right))\" y2=\"\(number(bottom))\" class=\"trend-axis\"/>"
    let labelAll = points.count <= 16
    for (index, point) in points.enumerated() {
      let px = number(x(index))
      let py = number(y(point.value))
      svg +=
        "<circle cx=\"\(px)\" cy=\"\(py)\" r=\"\(point.isCurrent ? "7" : "5.5")\" class=\"trend-point \(h(point.status.rawValue))\(point.isCurrent ? " current" : "")\">"
        + "<title>\(h(point.detail))</title></circle>"
      if labelAll || point.isCurrent || index == points.count - 1 {
        svg +=
          "<text x=\"\(px)\" y=\"\(number(y(point.value) - 13))\" text-anchor=\"middle\" class=\"trend-value\">\(point.value)</text>"
      }
    }

    // Dates: as many as fit, the last always, a date repeated by the next run only once.
    let fit = max(2, Int((right - left) / 88))
    let every = max(1, Int((Double(points.count) / Double(fit)).rounded(.up)))
    var shown: String?
    for (index, point) in points.enumerated() {
      let last = index == points.count - 1
      guard last || (index % every == 0 && points.count - 1 - index >= every) else { continue }
      guard point.date != shown else { continue }
      shown = point.date
      svg +=
        "<text x=\"\(number(x(index)))\" y=\"\(number(bottom + 20))\" text-anchor=\"middle\" class=\"trend-date\">\(h(point.date))</text>"
      if point.isCurrent {
        svg +=
          "<text x=\"\(number(x(index)))\" y=\"\(number(bottom + 36))\" text-anchor=\"middle\" class=\"trend-current\">this run</text>"
      }
    }
    return svg + "</svg>"
  }
}
