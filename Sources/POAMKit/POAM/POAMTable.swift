import Foundation

/// One spreadsheet cell as poam writes it.
enum POAMCell: Sendable, Hashable {
  /// Text, written as is (and escaped where it could start a formula).
  case text(String)
  /// A date: a real date cell in XLSX, the layout's date format in CSV.
  case date(CalendarDate)
  /// A whole number.
  case number(Int)

  /// The cell as CSV text, dates in the layout's format.
  public func text(_ layout: POAMLayout) -> String {
    switch self {
    case .text(let text): return text
    case .date(let date): return layout.format(date)
    case .number(let number): return String(number)
    }
  }
}

/// Turns a POA&M into rows of cells in a column layout, and is the single place that knows how
/// each field is spelled in a cell. ``POAMTableReader`` reads the same spellings back.
struct POAMTable: Sendable {
  /// The layout.
  public let layout: POAMLayout
  /// The catalog, for the NIST SP 800-53 controls in "Controls / APs".
  public let catalog: Catalog?

  /// Creates a table.
  public init(layout: POAMLayout, catalog: Catalog?) {
    self.layout = layout
    self.catalog = catalog
  }

  /// The layout's headers, then the headers of custom columns people added, in first-seen order.
  public func headers(for document: POAMDocument) -> [String] {
    layout.columns.map(\.header) + extraColumns(document)
  }

  /// Custom field names that are not layout columns.
  func extraColumns(_ document: POAMDocument) -> [String] {
    var extra: [String] = []
    for item in document.items {
      for field in item.customFields where layout.column(forHeader: field.name) == nil && !extra.contains(field.name) {
        extra.append(field.name)
      }
    }
    return extra
  }

  /// The header block above the table when there is a profile: a title row, the system's
  /// identity (label, value), the assessment date, score and status, then an empty row. Empty
  /// without a profile. ``POAMTableReader`` finds the header row below it.
  public func preamble(for document: POAMDocument, profile: SystemProfile?) -> [[String]] {
    guard let profile else { return [] }
    var rows: [[String]] = [["CMMC Level \(document.level.rawValue) Plan of Action and Milestones"]]
    rows += profile.headerRows.map { [$0.0, $0.1] }
    if !document.assessmentDate.isEmpty { rows.append(["Assessment date", document.assessmentDate]) }
    if let score = document.score, let maximum = document.maxScore {
      rows.append(["Score", "\(score) out of \(maximum)"])
    }
    if let status = document.certificationStatus { rows.append(["Status", status.title]) }
    if let date = document.statusDate { rows.append(["CMMC Status Date", date]) }
    rows.append([])
    return rows
  }

  /// Every item as a row of cells under ``headers(for:)``.
  public func rows(for document: POAMDocument) -> [[POAMCell]] {
    let extra = extraColumns(document)
    return document.items.map { item in
      layout.columns.map { column in
        guard let field = column.field else { return .text(item.customField(column.header) ?? "") }
        if field.isRiskDefault, let written = item.customField(column.header) { return .text(written) }
        return cell(field, item: item, document: document)
      } + extra.map { .text(item.customField($0) ?? "") }
    }
  }

  /// The cell for one field of one item.
  public func cell(_ field: POAMField, item: POAMItem, document: POAMDocument) -> POAMCell {
    func date(_ text: String?) -> POAMCell {
      guard let text, !text.isEmpty else { return .text("") }
      return CalendarDate.parse(text, allowSerial: false).map(POAMCell.date) ?? .text(text)
    }
    switch field {
    case .id: return .text(item.id)
    case .requirementID: return .text(item.requirementID)
    case .requirementTitle: return .text(item.requirementTitle)
    case .family: return .text(item.family)
    case .finding: return .text(POAMTable.label(item.finding))
    case .weakness: return .text(CellBounds.text(item.weakness))
    case .failingObjectives: return .text(item.failingObjectives.joined(separator: ", "))
    case .sourceOfDiscovery: return .text(CellBounds.text(item.sourceOfDiscovery))
    case .securityChecks: return .text(Self.securityChecks(item.securityChecks, total: item.securityChecksTotal))
    case .devicesAffected: return .text(Self.devicesAffected(item.devicesAffected, total: item.devicesAffectedTotal))
    case .severity: return .text(item.severity.label)
    case .rawSeverity: return .text(RiskDefaults(item).rawSeverity.label)
    case .points: return item.points.map(POAMCell.number) ?? .text("")
    case .poamEligible: return .text(item.poamEligible ? "Yes" : "No")
    case .eligibilityReason: return .text(CellBounds.text(item.eligibilityReason))
    case .dateIdentified: return date(item.dateIdentified)
    case .closedOn: return date(item.closedOn)
    case .closureEvidence: return .text(CellBounds.text(item.closureEvidence ?? ""))
    case .history: return .text(item.history.map(\.line).joined(separator: "\n"))
    case .pointOfContact: return .text(item.pointOfContact)
    case .resources: return .text(item.resources)
    case .proposedRemediation: return .text(item.proposedRemediation)
    case .milestones: return .text(MilestoneText.render(item.milestones, format: layout.format))
    case .milestoneChanges: return .text(item.milestoneChanges)
    case .scheduledCompletion: return date(item.scheduledCompletion)
    case .status: return .text(layout.label(item.status))
    case .comments: return .text(item.comments)
    case .riskAcceptance: return .text(item.riskAcceptance)
    case .mitigations: return .text(item.mitigations)
    case .controls: return .text(controls(item))
    case .milestoneIDs: return .text(item.milestones.compactMap { $0.number.map(String.init) }.joined(separator: "\n"))
    case .assessedOn: return date(document.assessmentDate)
    case .scoreAtAssessment: return .text(document.scoreText ?? "")
    case .relevanceOfThreat: return .text(RiskDefaults(item).relevanceOfThreat.label)
    case .likelihood: return .text(RiskDefaults(item).likelihood.label)
    case .impact: return .text(RiskDefaults(item).impact.label)
    case .residualRiskLevel: return .text(RiskDefaults(item).residualRisk.label)
    case .nistMappings: return .text(mappings(item))
    case .stigCategory: return .text(item.rawSeverity ?? "")
    }
  }

  /// The eMASS "Devices Affected" cell: the asset names in sorted order (so the same hosts lead
  /// the cell on every run and in every file) as far as ``CellBounds/listBudget`` allows, then
  /// `and 9,812 more (see evidence.jsonl.gz)`.
  ///
  /// - Parameters:
  ///   - names: the assets to list; may be only the first of them.
  ///   - total: how many assets there are in all; nil when `names` is all of them.
  static func devicesAffected(_ names: [String], total: Int?) -> String {
    CellBounds.list(names.sorted(), total: total ?? names.count)
  }

  /// The eMASS "Security Checks" cell: rule, vulnerability and CCI IDs in the order found, as
  /// far as ``CellBounds/listBudget`` allows, then how many more.
  static func securityChecks(_ checks: [String], total: Int?) -> String {
    CellBounds.list(checks, total: total ?? checks.count)
  }

  /// eMASS's "Controls / APs" holds one identifier: the CMMC requirement.
  func controls(_ item: POAMItem) -> String {
    item.requirementID
  }

  /// The requirement's other identifiers: `NIST SP 800-171 3.1.1; NIST SP 800-53 AC-2, AC-3`.
  func mappings(_ item: POAMItem) -> String {
    guard !item.requirementID.isEmpty, let requirement = catalog?.requirement(id: item.requirementID) else {
      return ""
    }
    var text: String
    switch requirement.level {
    case .one: text = "FAR 52.204-21 \(requirement.nistID)"
    case .two: text = "NIST SP 800-171 \(requirement.nistID)"
    case .three: text = "NIST SP 800-172 \(requirement.nistID)"
    }
    if let controls = requirement.nist80053?.rev4, !controls.isEmpty {
      text += "; NIST SP 800-53 " + controls.joined(separator: ", ")
    }
    return text
  }

  /// MET, NOT MET, N/A, NOT ASSESSED.
  public static func label(_ status: RequirementStatus) -> String {
    switch status {
    case .met: return "MET"
    case .notMet: return "NOT MET"
    case .notApplicable: return "N/A"
    case .notAssessed: return "NOT ASSESSED"
    }
  }

  /// Reads MET, NOT MET, N/A, NOT ASSESSED (and the other status words poam knows).
  public static func finding(from text: String) -> RequirementStatus? {
    switch StatusNormalizer.normalize(text) {
    case .success(.met): return .met
    case .success(.notMet), .success(.partial): return .notMet
    case .success(.notApplicable): return .notApplicable
    case .success(.notAssessed): return text.trimmingCharacters(in: .whitespaces).isEmpty ? nil : .notAssessed
    case .failure: return nil
    }
  }
}
