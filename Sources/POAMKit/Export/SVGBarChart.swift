import Foundation

/// A horizontal bar chart as inline SVG: one labelled bar per entry, value at the bar's end.
/// Every label is HTML-escaped; the SVG needs no external resource.
struct SVGBarChart {
  /// One bar.
  struct Bar {
    var label: String
    var detail: String
    var value: Int
  }

  var bars: [Bar]
  var width = 900
  var barHeight = 22
  var gap = 10
  /// Room for the longest label (about 7 px a character at 13 px), at least 160 px.
  var labelWidth: Int {
    let longest = bars.map { $0.label.count + 1 + $0.detail.count }.max() ?? 10
    return max(160, Int(Double(longest) * 7.2) + 16)
  }
  var color = "#c2410c"
  /// What the numbers count, for the accessible title.
  var caption: String

  func render() -> String {
    let top = 8
    let height = top + bars.count * (barHeight + gap) + 4
    let maximum = max(bars.map(\.value).max() ?? 1, 1)
    let plot = Double(width - labelWidth - 56)
    var svg =
      "<svg class=\"chart\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-label=\"\(HTML.escape(caption))\">"
    svg += "<title>\(HTML.escape(caption))</title>"
    for (index, bar) in bars.enumerated() {
      let y = top + index * (barHeight + gap)
      let length = max(2, Int((Double(bar.value) / Double(maximum) * plot).rounded()))
      let middle = y + barHeight / 2 + 5
      svg += "<g>"
      svg +=
        "<text x=\"\(labelWidth - 10)\" y=\"\(middle)\" text-anchor=\"end\" class=\"chart-label\">\(HTML.escape(bar.label))"
        + "<tspan class=\"chart-detail\"> \(HTML.escape(bar.detail))</tspan></text>"
      svg +=
        "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(plot)\" height=\"\(barHeight)\" rx=\"4\" class=\"chart-track\"/>"
      svg +=
        "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(length)\" height=\"\(barHeight)\" rx=\"4\" fill=\"\(color)\">"
        + "<title>\(HTML.escape("\(bar.label) \(bar.detail): \(bar.value)"))</title></rect>"
      svg +=
        "<text x=\"\(labelWidth + length + 8)\" y=\"\(middle)\" class=\"chart-value\">\(bar.value)</text>"
      svg += "</g>"
    }
    return svg + "</svg>"
  }
}
