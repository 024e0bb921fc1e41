import Foundation

/// Output formats for reports that people and scripts read.
public enum ReportFormat: String, CaseIterable, Sendable {
  case text, json, markdown
}

/// One requirement as `poam catalog --format json` prints it: a flat, stable object.
struct CatalogEntry: Encodable, Sendable {
  let requirement: Requirement
  let familyName: String

  enum Keys: String, CodingKey {
    case id
    case level
    case family
    case familyName = "family_name"
    case nistId = "nist_id"
    case source
    case requirementType = "requirement_type"
    case title
    case description
    case points
    case partialPoints = "partial_points"
    case pointsNote = "points_note"
    case poamAllowed = "poam_allowed"
    case poamCondition = "poam_condition"
    case poamReason = "poam_reason"
    case poamRule = "poam_rule"
    case poamExcludedByName = "poam_excluded_by_name"
    case l1Equivalent = "l1_equivalent"
    case l2Equivalents = "l2_equivalents"
    case l2Mapping = "l2_mapping"
    case prerequisites
    case objectives
    case odpStatements = "odp_statements"
    case nist80053Rev4 = "nist_800_53_rev4"
    case nist80053Rev5 = "nist_800_53_rev5"
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    let r = requirement
    try c.encode(r.id, forKey: .id)
    try c.encode(r.level.rawValue, forKey: .level)
    try c.encode(r.family, forKey: .family)
    try c.encode(familyName, forKey: .familyName)
    try c.encode(r.nistID, forKey: .nistId)
    try c.encode(r.source, forKey: .source)
    try c.encodeIfPresent(r.requirementType, forKey: .requirementType)
    try c.encode(r.title, forKey: .title)
    try c.encode(r.description, forKey: .description)
    try c.encode(r.points, forKey: .points)
    try c.encode(r.partialPoints, forKey: .partialPoints)
    try c.encodeIfPresent(r.pointsNote, forKey: .pointsNote)
    try c.encode(r.poam.allowed, forKey: .poamAllowed)
    try c.encodeIfPresent(r.poam.condition, forKey: .poamCondition)
    try c.encode(r.poam.reason, forKey: .poamReason)
    try c.encode(r.poam.rule, forKey: .poamRule)
    try c.encode(r.poam.excludedByName, forKey: .poamExcludedByName)
    if r.level == .two { try c.encode(r.l1Equivalent, forKey: .l1Equivalent) }
    try c.encodeIfPresent(r.l2Equivalents, forKey: .l2Equivalents)
    try c.encodeIfPresent(r.l2Mapping, forKey: .l2Mapping)
    try c.encodeIfPresent(r.prerequisites, forKey: .prerequisites)
    try c.encode(r.objectives, forKey: .objectives)
    try c.encodeIfPresent(r.odpStatements, forKey: .odpStatements)
    try c.encodeIfPresent(r.nist80053?.rev4, forKey: .nist80053Rev4)
    try c.encodeIfPresent(r.nist80053?.rev5, forKey: .nist80053Rev5)
  }
}

/// Renders catalog requirements for `poam catalog`.
public struct CatalogPresenter: Sendable {
  /// The catalog the requirements come from.
  public let catalog: Catalog

  /// Creates a presenter.
  public init(catalog: Catalog) {
    self.catalog = catalog
  }

  /// Renders a list of requirements (`detailed` prints everything about each one).
  public func render(_ requirements: [Requirement], format: ReportFormat, detailed: Bool) throws -> String {
    switch format {
    case .json:
      let entries = requirements.map { CatalogEntry(requirement: $0, familyName: catalog.familyName($0.family)) }
      return try JSONOutput.string(entries)
    case .text:
      return detailed ? requirements.map(detailText).joined(separator: "\n") : table(requirements)
    case .markdown:
      return detailed ? requirements.map(detailMarkdown).joined(separator: "\n") : markdownTable(requirements)
    }
  }

  private func pointsLabel(_ r: Requirement) -> String {
    guard let points = r.points else { return r.level == .one ? "-" : "none" }
    if let partial = r.partialPoints, !partial.isEmpty {
      return partial.map { String($0.points) }.joined(separator: "/")
    }
    return String(points)
  }

  private func poamLabel(_ r: Requirement) -> String {
    r.poam.allowed ? (r.poam.condition == nil ? "yes" : "if 3 pts") : "no"
  }

  private func table(_ requirements: [Requirement]) -> String {
    let header = ["ID", "Title", "Pts", "POA&M", "Obj"]
    let rows = requirements.map { r in
      [r.id, r.title, pointsLabel(r), poamLabel(r), String(r.objectives.count)]
    }
    var text = TextTable.render(header: header, rows: rows)
    let objectives = requirements.reduce(0) { $0 + $1.objectives.count }
    text += "\n\(requirements.count) requirements, \(objectives) objectives (catalog \(catalog.version))\n"
    return text
  }

  private func markdownTable(_ requirements: [Requirement]) -> String {
    var lines = ["| ID | Title | Points | POA&M | Objectives |", "|---|---|---|---|---|"]
    for r in requirements {
      lines.append(
        "| \(r.id) | \(Markdown.escape(r.title)) | \(pointsLabel(r)) | \(poamLabel(r)) | \(r.objectives.count) |")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private func detailText(_ r: Requirement) -> String {
    var lines: [String] = []
    lines.append("\(r.id)  \(r.title)")
    lines.append(
      "Level \(r.level.rawValue) · \(r.family) \(catalog.familyName(r.family)) · \(r.source)"
        + (r.requirementType.map { " (\($0))" } ?? ""))
    lines.append("")
    lines.append(contentsOf: TextWrap.wrap(r.description, width: 92))
    lines.append("")
    lines.append("Points:   \(pointsText(r))")
    lines.append("POA&M:    \(r.poam.allowed ? "allowed" : "not allowed") — \(r.poam.reason)")
    if let condition = r.poam.condition { lines.append("          condition: \(condition)") }
    if let l1 = r.l1Equivalent { lines.append("Level 1:  \(l1)") }
    if let l2 = r.l2Equivalents {
      lines.append("Level 2:  \(l2.joined(separator: ", "))" + (r.l2Mapping == "partial" ? " (partial)" : ""))
    }
    if let prerequisites = r.prerequisites, !prerequisites.isEmpty {
      lines.append("Builds on: \(prerequisites.joined(separator: ", "))")
    }
    if let mapping = r.nist80053 {
      lines.append("SP 800-53 Rev 4: \(mapping.rev4.joined(separator: ", "))")
      lines.append("SP 800-53 Rev 5: \(mapping.rev5.joined(separator: ", "))")
    }
    lines.append("")
    lines.append("Assessment objectives (\(r.objectives.count)):")
    for objective in r.objectives + (r.odpStatements ?? []) {
      let prefix = "  [\(objective.id)] "
      let wrapped = TextWrap.wrap(objective.description, width: 92 - prefix.count)
      for (index, line) in wrapped.enumerated() {
        lines.append((index == 0 ? prefix : String(repeating: " ", count: prefix.count)) + line)
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private func pointsText(_ r: Requirement) -> String {
    var text =
      r.points.map { "\($0) (deducted when NOT MET)" } ?? (r.level == .one ? "none (Level 1 is MET/NOT MET)" : "none")
    if let partial = r.partialPoints {
      text += "; partial: " + partial.map { "\($0.points) when \($0.condition)" }.joined(separator: "; ")
    }
    if let note = r.pointsNote { text += ". \(note)" }
    return text
  }

  private func detailMarkdown(_ r: Requirement) -> String {
    var lines = ["## \(r.id) \(Markdown.escape(r.title))", ""]
    lines.append("*Level \(r.level.rawValue) · \(catalog.familyName(r.family)) · \(Markdown.escape(r.source))*")
    lines.append("")
    lines.append(Markdown.escape(r.description))
    lines.append("")
    lines.append("- **Points:** \(Markdown.escape(pointsText(r)))")
    lines.append("- **POA&M:** \(r.poam.allowed ? "allowed" : "not allowed") — \(Markdown.escape(r.poam.reason))")
    if let mapping = r.nist80053 {
      lines.append(
        "- **NIST SP 800-53:** Rev 4 \(mapping.rev4.joined(separator: ", ")); Rev 5 \(mapping.rev5.joined(separator: ", "))"
      )
    }
    lines.append("")
    lines.append("| Objective | Description |")
    lines.append("|---|---|")
    for objective in r.objectives + (r.odpStatements ?? []) {
      lines.append("| [\(objective.id)] | \(Markdown.escape(objective.description)) |")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
