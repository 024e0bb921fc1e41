import Foundation

/// A prior POA&M spreadsheet that cannot be used at all.
public struct POAMReadError: Error, LocalizedError, Sendable, Hashable {
  /// The file.
  public var file: String
  /// Where, when it matters (`row 3`, `$.plan-of-action-and-milestones`).
  public var location: String?
  /// What is wrong and what was expected.
  public var message: String

  /// Creates an error.
  public init(file: String, location: String? = nil, message: String) {
    self.file = file
    self.location = location
    self.message = message
  }

  public var errorDescription: String? {
    "\(file)\(location.map { ":\($0)" } ?? ""): \(message)"
  }
}

/// Reads a POA&M back from rows of cells — a CSV file, or a worksheet of an XLSX workbook —
/// in a column layout, after people have edited it: columns found by header (any order, case
/// and spacing ignored), dates in the layout's format, ISO or Excel serial numbers, extra
/// columns kept as custom fields, continuation rows (no ID) merged into the item above.
/// Nothing is dropped silently: every row that cannot be taken as it is gets a diagnostic.
struct POAMTableReader: Sendable {
  /// The layout the rows are expected in.
  public let layout: POAMLayout
  /// The catalog, to resolve requirement IDs in any spelling.
  public let catalog: Catalog

  /// How many rows may precede the header row (eMASS exports put system details on top).
  static let headerSearchRows = 25

  /// Creates a reader.
  public init(layout: POAMLayout, catalog: Catalog) {
    self.layout = layout
    self.catalog = catalog
  }

  /// Reads rows (the first rows may be a title block; the header row is found by its headers).
  /// `unescapeFormulas` removes the `'` poam puts before `=`, `+`, `-`, `@`, tab or CR in CSV
  /// (in headers too). With `lines` (a CSV file: the line each row starts on), diagnostics name
  /// lines, and a row below the header with more or fewer fields than the header is an error
  /// (the mark of a quote that was not doubled, which shifts the row's cells into the wrong
  /// columns); a worksheet's rows may be shorter, since empty trailing cells are not stored.
  public func read(rows: [[String]], source: String, unescapeFormulas: Bool, lines: [Int]? = nil) throws -> (
    POAMDocument, [Diagnostic]
  ) {
    let idHeader = layout.columns.first { $0.field == .id }!.header
    let requirementHeader = layout.columns.first { $0.field == .requirementID }?.header
    let wanted = Set([idHeader, requirementHeader].compactMap { $0.map(POAMLayout.normalize) })
    guard
      let headerIndex = rows.prefix(Self.headerSearchRows).firstIndex(where: { row in
        row.contains { wanted.contains(POAMLayout.normalize($0)) }
      })
    else {
      throw POAMReadError(
        file: source,
        message:
          "no header row with '\(idHeader.trimmingCharacters(in: .whitespaces))' in the first \(Self.headerSearchRows) rows: expected a POA&M in the \(layout.name) layout that poam writes"
      )
    }
    let header = rows[headerIndex]
    if let lines {
      for rowIndex in rows.indices.dropFirst(headerIndex + 1) where rows[rowIndex].count != header.count {
        let row = rows[rowIndex]
        if row.allSatisfy({ $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) { continue }
        throw POAMReadError(
          file: source, location: "line \(lines[rowIndex])",
          message:
            "\(row.count) fields where the header row (line \(lines[headerIndex])) has \(header.count); nothing was written. A double quote inside a quoted field must be doubled (\"\"), and every row needs one field per column"
        )
      }
    }
    var columns: [(index: Int, field: POAMField?, name: String)] = []
    for (index, raw) in header.enumerated() {
      let name = (unescapeFormulas ? SpreadsheetText.unescape(raw) : raw).trimmingCharacters(
        in: .whitespacesAndNewlines)
      if let column = layout.column(forHeader: raw) {
        columns.append((index, column.field, column.field == nil ? column.header : name))
      } else {
        columns.append((index, nil, name.isEmpty ? "Column \(Self.columnLetter(index))" : name))
      }
    }

    var diagnostics: [Diagnostic] = []
    var items: [POAMItem] = []
    var document = DocumentFacts()
    let resolver = RequirementIDResolver(catalog: catalog)
    for rowIndex in rows.indices.dropFirst(headerIndex + 1) {
      let row = rows[rowIndex]
      let location = lines.map { "line \($0[rowIndex])" } ?? "row \(rowIndex + 1)"
      func value(_ index: Int) -> String {
        guard index < row.count else { return "" }
        let text = row[index]
        return unescapeFormulas ? SpreadsheetText.unescape(text) : text
      }
      if row.allSatisfy({ $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) { continue }
      if row.count > header.count,
        row[header.count...].contains(where: { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty })
      {
        diagnostics.append(
          Diagnostic(
            .warning, .priorReadNote, source: source, location: location,
            message: "cells beyond the last header are ignored"))
      }
      var cells: [(field: POAMField?, name: String, text: String)] = []
      for column in columns { cells.append((column.field, column.name, value(column.index))) }
      var item = makeItem(cells, source: source, location: location, document: &document, diagnostics: &diagnostics)
      // Identify the item: the ID column, else the requirement column.
      let rawID = cells.first { $0.field == .id }?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
      let rawRequirement =
        cells.first { $0.field == .requirementID }?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
      var requirement: String?
      for candidate in [rawRequirement, rawID.hasPrefix("POAM-") ? String(rawID.dropFirst(5)) : ""]
      where !candidate.isEmpty && requirement == nil {
        if case .success(let resolved) = resolver.resolve(candidate), resolved.objective == nil {
          requirement = resolved.requirement
        }
      }
      if rawID.isEmpty && rawRequirement.isEmpty {
        if !items.isEmpty {
          combine(&items[items.count - 1], with: item)
          diagnostics.append(
            Diagnostic(
              .note, .priorReadNote, source: source, location: location,
              message: "no POA&M Item ID: read as a continuation of \(items[items.count - 1].id)"))
        } else {
          item.id = "ROW-\(rowIndex + 1)"
          items.append(item)
          diagnostics.append(
            Diagnostic(
              .warning, .customItem, source: source, location: location,
              message: "no POA&M Item ID and no item above it: kept as custom item \(item.id)"))
        }
        continue
      }
      if let requirement {
        item.requirementID = requirement
        if let found = catalog.requirement(id: requirement) {
          item.level = found.level
          item.family = found.family
          if item.requirementTitle.isEmpty { item.requirementTitle = found.title }
        }
      } else if !rawRequirement.isEmpty {
        item.requirementID = rawRequirement
        diagnostics.append(
          Diagnostic(
            .warning, .priorBadValue, source: source, location: location,
            message: "'\(rawRequirement)' is not a requirement in the catalog; the item is kept unchanged"))
      } else {
        item.requirementID = ""
      }
      item.id = rawID.isEmpty ? POAMItem.id(for: item.requirementID) : rawID
      if let index = items.firstIndex(where: { $0.id == item.id }) {
        combine(&items[index], with: item)
        diagnostics.append(
          Diagnostic(
            .note, .priorReadNote, source: source, location: location,
            message: "\(item.id) appears again: its cells are merged into the item"))
        continue
      }
      items.append(item)
    }

    let levels = items.compactMap(\.level)
    let level = levels.max() ?? .two
    var result = POAMDocument(
      level: level, assessmentDate: document.assessedOn ?? "", score: document.score, maxScore: document.maxScore,
      certificationStatus: nil, catalogVersion: "", toolVersion: "", items: items)
    // The header block poam writes above the table (``POAMTable/preamble(for:profile:)``).
    for row in rows[..<headerIndex] where row.count >= 2 {
      let value = row[1].trimmingCharacters(in: .whitespacesAndNewlines)
      switch POAMLayout.normalize(row[0]) {
      case "status":
        result.certificationStatus = [CertificationStatus.final, .conditional, .notEligible].first {
          $0.title.lowercased() == value.lowercased()
        }
      case "cmmc status date": result.statusDate = CalendarDate(iso: value)?.iso
      default: break
      }
    }
    return (result, diagnostics)
  }

  /// Facts about the whole document found in the rows.
  struct DocumentFacts {
    var assessedOn: String?
    var score: Int?
    var maxScore: Int?
  }

  func makeItem(
    _ cells: [(field: POAMField?, name: String, text: String)], source: String, location: String,
    document: inout DocumentFacts, diagnostics: inout [Diagnostic]
  ) -> POAMItem {
    var item = POAMItem(
      id: "", requirementID: "", requirementTitle: "", family: "", level: nil, finding: .notMet, weakness: "",
      severity: .moderate, points: nil, poamEligible: false, eligibilityReason: "", dateIdentified: "",
      pointOfContact: "")
    func lines(_ text: String) -> [String] {
      text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
    func date(_ text: String) -> String {
      let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
      return CalendarDate.parse(trimmed)?.iso ?? text
    }
    var riskCells: [(field: POAMField, name: String, text: String)] = []
    for (field, name, text) in cells {
      let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
      guard let field else {
        if !text.isEmpty { item.customFields.append(CustomField(name: name, value: text)) }
        continue
      }
      switch field {
      case .id, .requirementID, .controls, .milestoneIDs, .nistMappings: break
      case .relevanceOfThreat, .likelihood, .impact, .residualRiskLevel:
        if !trimmed.isEmpty { riskCells.append((field, name, text)) }
      case .requirementTitle: item.requirementTitle = text
      case .family: item.family = trimmed
      case .finding:
        if !trimmed.isEmpty {
          if let finding = POAMTable.finding(from: trimmed) {
            item.finding = finding
          } else {
            diagnostics.append(
              Diagnostic(
                .warning, .priorBadValue, source: source, location: location,
                message: "finding '\(trimmed)' is not MET, NOT MET, N/A or NOT ASSESSED; read as NOT MET"))
          }
        }
      case .weakness: item.weakness = text
      case .failingObjectives:
        item.failingObjectives = trimmed.split(whereSeparator: { $0 == "," || $0 == " " || $0.isNewline }).map {
          $0.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        }.filter { !$0.isEmpty }
      case .sourceOfDiscovery: item.sourceOfDiscovery = text
      case .securityChecks: (item.securityChecks, item.securityChecksTotal) = CellBounds.parseList(text)
      case .devicesAffected: (item.devicesAffected, item.devicesAffectedTotal) = CellBounds.parseList(text)
      case .severity: item.severity = POAMSeverity.parse(trimmed) ?? .moderate
      case .rawSeverity:
        // poam writes eMASS's words here and the category in STIG Category; a file from before
        // has the category here.
        if trimmed.uppercased().hasPrefix("CAT") { item.rawSeverity = trimmed }
      case .stigCategory:
        if !trimmed.isEmpty { item.rawSeverity = trimmed }
      case .points:
        item.points = FileNumbers.integer(trimmed)
        if item.points == nil, !trimmed.isEmpty {
          diagnostics.append(
            Diagnostic(
              .warning, .priorBadValue, source: source, location: location,
              message:
                "points '\(TabularAssessment.clip(trimmed))' is not \(FileNumbers.expectation); read as empty"
            ))
        }
      case .poamEligible: item.poamEligible = ["yes", "y", "true", "1", "eligible"].contains(trimmed.lowercased())
      case .eligibilityReason: item.eligibilityReason = text
      case .dateIdentified: item.dateIdentified = date(text)
      case .closedOn: item.closedOn = trimmed.isEmpty ? nil : date(text)
      case .closureEvidence: item.closureEvidence = text.isEmpty ? nil : text
      case .history: item.history = POAMTableReader.history(text)
      case .pointOfContact: item.pointOfContact = text
      case .resources: item.resources = text
      case .proposedRemediation: item.proposedRemediation = text
      case .milestones:
        item.milestones = MilestoneText.parse(text)
      case .milestoneChanges: item.milestoneChanges = text
      case .scheduledCompletion: item.scheduledCompletion = trimmed.isEmpty ? text : date(text)
      case .status:
        if trimmed.isEmpty {
          item.status = .open
        } else if let status = layout.status(from: trimmed) {
          item.status = status
        } else {
          item.status = .open
          diagnostics.append(
            Diagnostic(
              .warning, .priorBadValue, source: source, location: location,
              message:
                "status '\(trimmed)' is not one of \(POAMItemStatus.allCases.map { layout.label($0) }.joined(separator: ", ")); read as \(layout.label(.open))"
            ))
        }
      case .comments: item.comments = text
      case .riskAcceptance: item.riskAcceptance = text
      case .mitigations: item.mitigations = text
      case .assessedOn:
        if document.assessedOn == nil, let parsed = CalendarDate.parse(trimmed) { document.assessedOn = parsed.iso }
      case .scoreAtAssessment:
        if document.score == nil, let match = trimmed.wholeMatch(of: #/(-?\d+)(?:\s+of\s+(\d+))?/#) {
          document.score = FileNumbers.integer(match.output.1)
          document.maxScore = match.output.2.flatMap { FileNumbers.integer($0) }
        }
      }
    }
    // A risk cell that differs from poam's default is a person's value: kept as written.
    let defaults = RiskDefaults(item)
    for (field, name, text) in riskCells {
      let value: RiskLevel
      switch field {
      case .relevanceOfThreat: value = defaults.relevanceOfThreat
      case .likelihood: value = defaults.likelihood
      case .impact: value = defaults.impact
      default: value = defaults.residualRisk
      }
      if RiskLevel.parse(text) != value { item.customFields.append(CustomField(name: name, value: text)) }
    }
    return item
  }

  /// Folds a continuation or duplicate row into an item without losing a word: text that
  /// differs is appended on a new line, milestones and list entries are added.
  func combine(_ item: inout POAMItem, with other: POAMItem) {
    func append(_ keyPath: WritableKeyPath<POAMItem, String>) {
      let addition = other[keyPath: keyPath]
      guard !addition.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, addition != item[keyPath: keyPath]
      else { return }
      item[keyPath: keyPath] = item[keyPath: keyPath].isEmpty ? addition : item[keyPath: keyPath] + "\n" + addition
    }
    for keyPath in [
      \POAMItem.pointOfContact, \.resources, \.proposedRemediation, \.milestoneChanges, \.comments, \.riskAcceptance,
      \.mitigations, \.weakness,
    ] {
      append(keyPath)
    }
    if item.scheduledCompletion.trimmingCharacters(in: .whitespaces).isEmpty {
      item.scheduledCompletion = other.scheduledCompletion
    }
    item.milestones += other.milestones
    for entry in other.securityChecks where !item.securityChecks.contains(entry) { item.securityChecks.append(entry) }
    for entry in other.devicesAffected where !item.devicesAffected.contains(entry) {
      item.devicesAffected.append(entry)
    }
    // Rows whose cells were cut: at least as many as the larger total (the lists may overlap).
    if item.securityChecksTotal != nil || other.securityChecksTotal != nil {
      item.securityChecksTotal = max(
        item.securityChecks.count, item.securityChecksTotal ?? 0, other.securityChecksTotal ?? 0)
    }
    if item.devicesAffectedTotal != nil || other.devicesAffectedTotal != nil {
      item.devicesAffectedTotal = max(
        item.devicesAffected.count, item.devicesAffectedTotal ?? 0, other.devicesAffectedTotal ?? 0)
    }
    for event in other.history where !item.history.contains(event) { item.history.append(event) }
    for field in other.customFields {
      if let index = item.customFields.firstIndex(where: { $0.name == field.name }) {
        if item.customFields[index].value != field.value {
          item.customFields[index].value += "\n" + field.value
        }
      } else {
        item.customFields.append(field)
      }
    }
  }

  /// Parses the History column: one `YYYY-MM-DD kind: note` per line; other lines continue the
  /// note above (or become a note of their own).
  static func history(_ text: String) -> [POAMEvent] {
    var events: [POAMEvent] = []
    for line in text.split(whereSeparator: \.isNewline).map(String.init) {
      if let event = POAMEvent.parse(line: line) {
        events.append(event)
      } else if !events.isEmpty {
        events[events.count - 1].note += " " + line
      } else if !line.trimmingCharacters(in: .whitespaces).isEmpty {
        events.append(POAMEvent(date: "", kind: .note, note: line))
      }
    }
    return events
  }

  /// `A`, `B`, ... `Z`, `AA` for a 0-based column index.
  static func columnLetter(_ index: Int) -> String {
    var number = index + 1
    var letters = ""
    while number > 0 {
      let remainder = (number - 1) % 26
      letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
      number = (number - 1) / 26
    }
    return letters
  }
}
