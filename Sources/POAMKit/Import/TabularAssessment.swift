import Foundation

/// Reads an assessment laid out as a table, whatever the table came from (CSV, an Excel sheet):
/// finds the header row below any banner rows, recognises the columns by their usual names, and
/// turns each data row into one ``Observation``, or a ``Diagnostic`` saying why it could not.
///
/// Recognised columns (case, spaces and punctuation are ignored):
///
/// | Meaning | Column names |
/// |---|---|
/// | requirement | Requirement, Requirement ID, Control, Control ID, Practice, Security Requirement, ID, CMMC ID, NIST ID |
/// | objective | Objective, Assessment Objective, Objective ID: a letter (`a`, `[a]`) or a full ID (`3.1.1[a]`) |
/// | status | Status, Result, Finding, Determination, Implementation Status, Assessment Result, Compliance |
/// | details | Finding Details, Details, Detail, Evidence |
/// | comments | Comments, Comment, Notes, Remarks |
/// | asset | Asset, Host, Hostname, System, IP Address, FQDN |
/// | severity | Severity, CAT, Category, Severity Override |
/// | partial points | Points, Partial, Partial Points, Points Deducted |
/// | STIG exports | Vuln ID, Rule ID, STIG ID, CCI, NIST SP 800-53 references, Rule Title |
/// | CAAT workbooks | Control Number (800-53, `AC-03(04)`), Test Result (Satisfied / Other Than Satisfied), Finding ID, Test Result Description, Test Method |
///
/// A sheet needs a column that names what was assessed (a requirement, objective, STIG rule or
/// vulnerability, CCI or NIST SP 800-53 control) and a status column. A STIG listing exported
/// without results (no status column) is read with every rule Not Reviewed, and says so.
///
/// Partial credit for IA.L2-3.5.3 and SC.L2-3.13.11: write a status of `Partially Implemented`
/// (or `Partial`), and/or put the deduction in a `Points` column (`3`); a `Partial` column of
/// `Yes` turns a NOT MET row into a partial one.
public struct TabularAssessment: Sendable {
  /// One row of cells and its 1-based number (the line in a text file, the row in a sheet).
  public struct Row: Sendable, Hashable {
    /// The line or row number.
    public var number: Int
    /// The cells, left to right.
    public var cells: [String]

    /// Creates a row.
    public init(number: Int, cells: [String]) {
      self.number = number
      self.cells = cells
    }
  }

  /// How row numbers are shown in locations.
  public enum Numbering: Sendable, Hashable {
    /// Text lines: observations at `line 12`, diagnostics at `12` (the `file:12:` form).
    case line
    /// Rows of a named sheet: `Assessment row 12`.
    case sheetRow(String)
  }

  /// The input's name as shown in reports.
  public let source: String
  /// How rows are numbered.
  public let numbering: Numbering
  /// The tool that produced the file, when the caller knows it.
  public let producer: Producer?

  /// How many leading rows are searched for the header.
  public static let headerSearchRows = 200

  /// Creates a reader for one table.
  public init(source: String, numbering: Numbering = .line, producer: Producer? = nil) {
    self.source = source
    self.numbering = numbering
    self.producer = producer
  }

  /// A column's meaning.
  enum Column: String, CaseIterable, Sendable {
    case requirement, objective, status, details, comments, asset, ip, fqdn, severity, severityOverride
    case points, title, stigVuln, stigRule, stigID, cci, sp80053, findingID, testMethod

    /// Names users write, as shown in messages; matching uses ``key(_:)`` of each.
    var names: [String] {
      switch self {
      case .requirement:
        return [
          "Requirement", "Requirement ID", "Requirement Number", "Control", "Control ID", "Control Number", "Practice",
          "Practice ID", "Practice Number", "Security Requirement", "Security Requirement ID", "CMMC ID",
          "CMMC Practice", "CMMC Practice ID", "CMMC Requirement", "NIST ID", "NIST SP 800-171", "NIST 800-171",
          "800-171", "NIST 800-171 ID", "Req ID", "ID",
        ]
      case .objective:
        return [
          "Objective", "Objective ID", "Assessment Objective", "Assessment Objective ID", "Objective Letter",
          "Determination Statement ID",
        ]
      case .status:
        return [
          "Status", "Result", "Results", "Finding", "Determination", "Implementation Status", "Assessment Result",
          "Assessment Status", "Compliance", "Compliance Status", "Met/Not Met", "Finding Status",
          "Assessor Determination", "Assessor Finding", "Test Result",
        ]
      case .details:
        return [
          "Finding Details", "Details", "Detail", "Evidence", "Evidence Reviewed", "Objective Evidence", "Artifacts",
          "Test Result Description", "Finding Description", "Weakness Description",
        ]
      case .comments: return ["Comments", "Comment", "Notes", "Note", "Remarks", "Assessor Comments", "Assessor Notes"]
      case .asset:
        return [
          "Asset", "Asset Name", "Host", "Hostname", "Host Name", "System", "System Name", "Target", "Computer Name",
        ]
      case .ip: return ["IP", "IP Address", "Host IP", "Asset IP"]
      case .fqdn: return ["FQDN", "Host FQDN"]
      case .severity: return ["Severity", "CAT", "Category", "Severity Category", "Risk", "Risk Rating"]
      case .severityOverride: return ["Severity Override"]
      case .points:
        return ["Points", "Partial", "Partial Points", "Points Deducted", "Deduction", "Partial Credit"]
      case .title:
        return [
          "Title", "Rule Title", "Requirement Title", "Control Title", "Practice Title", "Name", "Requirement Name",
          "Finding Title",
        ]
      case .stigVuln: return ["Vuln ID", "V_ID", "Vuln", "Vuln_Num", "Vulnerability ID", "Group ID", "Group"]
      case .stigRule: return ["Rule ID", "ruleID", "Rule", "Rule_ID", "Rule ID Src"]
      case .stigID: return ["STIG ID", "Rule_Ver", "Rule Version"]
      case .cci: return ["CCI", "CCIs", "CCI_REF", "CCI References", "CCI Number"]
      case .sp80053:
        return [
          "NIST SP 800-53", "NIST 800-53", "800-53", "800-53 Controls", "NIST SP 800-53 Revision 4 References",
          "NIST SP 800-53 Revision 5 References", "NIST Controls", "NIST 800-53 Controls",
        ]
      case .findingID: return ["Finding ID", "Weakness ID"]
      case .testMethod: return ["Test Method", "Assessment Method"]
      }
    }

    /// Columns that name what was assessed.
    static let identifying: [Column] = [.requirement, .objective, .stigVuln, .stigRule, .stigID, .cci, .sp80053]
    /// Columns that mark a STIG export rather than an assessor's sheet.
    static let stig: [Column] = [.stigVuln, .stigRule, .stigID]

    /// Each name's column and its rank among the column's names (0 is the most specific).
    private static let byKey: [String: (column: Column, rank: Int)] = {
      var table: [String: (column: Column, rank: Int)] = [:]
      for column in Column.allCases {
        for (rank, name) in column.names.enumerated() { table[TabularAssessment.key(name)] = (column, rank) }
      }
      return table
    }()

    /// The longest header cell (in UTF-8 bytes) read as a possible column name.
    static let maximumNameBytes = 200

    /// The column a header cell names, if any.
    static func named(_ header: String) -> Column? { ranked(header)?.column }

    /// The column a header cell names and how specific the name is.
    static func ranked(_ header: String) -> (column: Column, rank: Int)? {
      // No column name is longer than this: a long cell (one 9 MB shared string on every row)
      // is not keyed, so the header search stays linear in the rows it looks at.
      if header.utf8.count > maximumNameBytes { return nil }
      let key = TabularAssessment.key(header)
      if key.isEmpty { return nil }
      if let entry = byKey[key] { return entry }
      if key.hasPrefix("nistsp80053") || key.hasPrefix("nist80053") { return (.sp80053, 99) }
      return nil
    }
  }

  /// Lower-cased letters and digits only: `Vuln ID`, `vuln_id` and `VULN-ID` are one name.
  static func key(_ text: String) -> String {
    String(text.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
  }

  /// The header row: where it is and which cells hold which column.
  struct Header {
    var position: Int
    var number: Int
    var columns: [Column: [Int]]
    let names: [String]
    /// A CAAT workbook (Control Number, Test Result, Finding ID...), as MITRE SAF's `hdf2caat`
    /// writes from scan results: its rows are automated unless their Test Method names a
    /// person's procedure (Examine, Interview). Decided once per header, not per row.
    let isCAAT: Bool

    init(position: Int, number: Int, columns: [Column: [Int]], names: [String]) {
      self.position = position
      self.number = number
      self.columns = columns
      self.names = names
      self.isCAAT = Self.isCAAT(names)
    }

    func first(_ column: Column) -> Int? { columns[column]?.first }
    func has(_ column: Column) -> Bool { columns[column] != nil }
    var isSTIGExport: Bool {
      Column.stig.contains(where: has) && !has(.requirement) && !has(.objective)
    }
    static func isCAAT(_ names: [String]) -> Bool {
      let keys = Set(names.map(TabularAssessment.key))
      return keys.contains("controlnumber") && keys.contains("testresult")
    }
  }

  /// The row among the first ``headerSearchRows`` that names the most known columns.
  func findHeader(_ rows: [Row]) -> Header? {
    var best: Header?
    var bestScore = 0
    for (position, row) in rows.prefix(Self.headerSearchRows).enumerated() {
      var found: [Column: [(index: Int, rank: Int)]] = [:]
      for (index, cell) in row.cells.enumerated() {
        if let entry = Column.ranked(cell) { found[entry.column, default: []].append((index, entry.rank)) }
      }
      // Within a meaning, the most specific name first (Requirement before a bare ID), then left to right.
      let columns = found.mapValues { $0.sorted { ($0.rank, $0.index) < ($1.rank, $1.index) }.map(\.index) }
      if columns.count > bestScore {
        bestScore = columns.count
        best = Header(position: position, number: row.number, columns: columns, names: row.cells)
      }
    }
    return best
  }

  /// True when delimited text has, among its first rows, a header of two or more cells naming at
  /// least one column that identifies what was assessed or holds its status: the content test
  /// for CSV.
  public static func hasHeaderRow(_ text: String) -> Bool {
    let delimiter = DelimitedText.sniff(text)
    let rows = DelimitedText.parsePrefix(text, delimiter: delimiter, byteLimit: 64 * 1024)
      .map { Row(number: $0.line, cells: $0.cells) }
    guard let header = TabularAssessment(source: "").findHeader(rows),
      header.names.filter({ !$0.isBlank }).count >= 2
    else { return false }
    return header.has(.status) || Column.identifying.contains(where: header.has)
  }

  /// The header cells that mark poam's own POA&M table (`poam.csv`, `poam.xlsx`): the eMASS
  /// columns followed by poam's CMMC columns.
  static let poamExportColumns: Set<String> = ["poamitemid", "cmmcrequirement", "poameligible"]

  /// What is said when poam's own POA&M is given as results.
  static let poamExportReason =
    "poam's own POA&M (poam.csv / poam.xlsx), not assessment results: pass it to poam analyze with --prior"

  /// True when a header row is poam's own POA&M layout.
  static func isPOAMExport(_ names: [String]) -> Bool {
    poamExportColumns.isSubset(of: Set(names.map(key)))
  }

  /// True when delimited text's header row is poam's own POA&M layout.
  static func isPOAMExport(text: String) -> Bool {
    let delimiter = DelimitedText.sniff(text)
    let rows = DelimitedText.parsePrefix(text, delimiter: delimiter, byteLimit: 64 * 1024)
      .map { Row(number: $0.line, cells: $0.cells) }
    return TabularAssessment(source: "").findHeader(rows).map { isPOAMExport($0.names) } ?? false
  }

  fileprivate func place(_ number: Int) -> (observation: String, diagnostic: String, line: Int?) {
    switch numbering {
    case .line: return ("line \(number)", "\(number)", number)
    case .sheetRow(let sheet): return ("\(sheet) row \(number)", "\(sheet) row \(number)", nil)
    }
  }

  fileprivate func lookedFor(_ columns: [Column]) -> String {
    columns.flatMap { $0.names.prefix(5) }.joined(separator: ", ")
  }

  /// Reads every row. Throws ``ImportError/malformed(file:line:column:expected:)`` when no header
  /// row is found or the header lacks a required column.
  public func read(_ rows: [Row]) throws -> ImportResult {
    var reader = Reader(self)
    for row in rows { reader.push(row) }
    return try reader.finish()
  }

  /// Reads a table row by row as it is split, as ``read(_:)`` reads it whole: only the first
  /// ``headerSearchRows`` rows are held (to find the header among them); after that each row
  /// becomes an observation (or a diagnostic) as it arrives. Take the observations made so far
  /// with ``takeObservations()`` at any time; ``finish()`` gives the rest, every diagnostic in
  /// the order ``read(_:)`` gives them, or the error ``read(_:)`` would throw.
  public struct Reader: Sendable {
    private let table: TabularAssessment
    /// The rows held while the header is searched for.
    private var searched: [Row] = []
    private var state = State.searching
    private var result = ImportResult()
    private var memo = CellMemo()
    private var blank = 0
    private var sawNonBlank = false

    private enum State: Sendable {
      /// Holding the first rows.
      case searching
      /// Reading data rows below this header.
      case reading(Header, stigExport: Bool)
      /// No header among the first rows: the last row number searched.
      case noHeader(last: Int)
      /// The table is broken: the error is thrown by ``finish()`` (the rows are still taken, so
      /// that an error of the text itself, found later, is the one reported, as a whole read does).
      case failed(ImportError)
    }

    /// Creates a reader for the table `table` describes.
    public init(_ table: TabularAssessment) {
      self.table = table
    }

    /// Takes the next row.
    public mutating func push(_ row: Row) {
      let isBlank = TabularAssessment.isBlank(row.cells)
      if !isBlank { sawNonBlank = true }
      switch state {
      case .searching:
        searched.append(row)
        if searched.count >= TabularAssessment.headerSearchRows { settleHeader() }
      case .reading(let header, let stigExport):
        if isBlank {
          blank += 1
          return
        }
        do {
          try table.read(row, header: header, stigExport: stigExport, memo: &memo, into: &result)
        } catch {
          fail(error)
        }
      case .noHeader, .failed:
        return
      }
    }

    /// The first `limit` observations made and not yet taken, in row order; they are not given again.
    public mutating func takeObservations(upTo limit: Int = .max) -> [Observation] {
      guard case .reading = state else { return [] }
      if result.observations.count <= limit {
        defer { result.observations = [] }
        return result.observations
      }
      defer { result.observations.removeFirst(limit) }
      return Array(result.observations.prefix(limit))
    }

    /// How many observations are waiting to be taken.
    public var pendingObservations: Int { result.observations.count }

    /// The observations not yet taken and every diagnostic, or the table's error.
    public mutating func finish() throws -> ImportResult {
      if case .searching = state { settleHeader() }
      switch state {
      case .searching:
        preconditionFailure("the header is settled")
      case .noHeader(let last):
        guard sawNonBlank else {
          throw ImportError.malformed(
            file: table.source, line: nil, column: nil,
            expected:
              "the table is empty: expected a header row (a requirement column and a status column) and data rows")
        }
        throw ImportError.malformed(
          file: table.source, line: nil, column: nil,
          expected:
            "no header row in rows 1–\(last): expected a column naming the requirement (\(table.lookedFor([.requirement, .stigVuln, .stigRule, .cci]))) and a status column (\(table.lookedFor([.status])))"
        )
      case .failed(let error):
        throw error
      case .reading:
        if blank > 0 {
          result.diagnostics.append(
            Diagnostic(
              .note, .readNote, source: table.source, message: "skipped \(Plural.count(blank, "blank row"))"))
        }
        return result
      }
    }

    private mutating func fail(_ error: any Error) {
      state = .failed(
        error as? ImportError ?? .malformed(file: table.source, line: nil, column: nil, expected: "\(error)"))
      result = ImportResult()
      searched = []
    }

    /// Finds the header among the rows held, checks it, and reads the data rows held below it.
    private mutating func settleHeader() {
      let rows = searched
      searched = []
      guard let header = table.findHeader(rows) else {
        state = .noHeader(last: rows.last?.number ?? 1)
        return
      }
      do {
        let stigExport = try table.check(header, into: &result)
        state = .reading(header, stigExport: stigExport)
      } catch {
        fail(error)
        return
      }
      for row in rows[(header.position + 1)...] { push(row) }
    }
  }

  /// Checks a header row and notes what it says of the table; true for a STIG export.
  fileprivate func check(_ header: Header, into result: inout ImportResult) throws -> Bool {
    if Self.isPOAMExport(header.names) {
      throw ImportError.unsupported(file: source, reason: Self.poamExportReason)
    }
    let found = header.names.filter { Column.named($0) != nil }.joined(separator: ", ")
    guard Column.identifying.contains(where: header.has) else {
      throw ImportError.malformed(
        file: source, line: header.number, column: nil,
        expected:
          "the header row (\(found)) has no column naming what was assessed: expected one of \(lookedFor([.requirement, .objective])), or STIG columns \(lookedFor([.stigVuln, .stigRule, .stigID, .cci, .sp80053]))"
      )
    }
    let stigExport = header.isSTIGExport
    if header.isCAAT {
      result.diagnostics.append(
        Diagnostic(
          .note, .readNote, source: source, location: place(header.number).diagnostic,
          message:
            "a CAAT workbook (Control Number, Test Result): rows are read as automated results unless their Test Method is Examine or Interview"
        ))
    }
    if !header.has(.status) {
      guard stigExport else {
        throw ImportError.malformed(
          file: source, line: header.number, column: nil,
          expected:
            "the header row (\(found)) has no status column: expected one of \(lookedFor([.status])), Assessment Result or Compliance"
        )
      }
      result.diagnostics.append(
        Diagnostic(
          .warning, .noStatusColumn, source: source, location: place(header.number).diagnostic,
          message:
            "no status column: this is a STIG listing, not a checklist with results; every rule is read as Not Reviewed"
        ))
    }
    if header.position > 0 {
      result.diagnostics.append(
        Diagnostic(
          .note, .readNote, source: source, location: place(header.number).diagnostic,
          message: "header row found after \(Plural.count(header.position, "banner row"))"))
    }
    return stigExport
  }

  static func isBlank(_ cells: [String]) -> Bool {
    cells.allSatisfy { $0.isBlank }
  }

  /// Turns one data row into an observation, or a diagnostic saying why it cannot.
  fileprivate func read(
    _ row: Row, header: Header, stigExport: Bool, memo: inout CellMemo, into result: inout ImportResult
  ) throws {
    let here = place(row.number)
    func cell(_ index: Int?) -> String? {
      guard let index, index < row.cells.count else { return nil }
      let value = row.cells[index].trimmed
      return value.isEmpty ? nil : value
    }
    // IDs, statuses, points, hosts and severities are read from at most the first
    // ``maximumParsedScalars`` of a cell: one 9 MB shared string on every row of a workbook must
    // not be matched, normalised and looked up in full on each of them.
    func parsed(_ index: Int?) -> String? {
      cell(index).map {
        $0.utf8.count > Self.maximumParsedScalars ? String($0.unicodeScalars.prefix(Self.maximumParsedScalars)) : $0
      }
    }
    func first(_ column: Column) -> String? {
      for index in header.columns[column] ?? [] {
        if let value = column == .title ? cell(index) : parsed(index) { return value }
      }
      return nil
    }
    func joined(_ column: Column) -> String? {
      let values = (header.columns[column] ?? []).compactMap { cell($0) }
      return values.isEmpty ? nil : values.joined(separator: "\n")
    }
    func warn(_ code: Diagnostic.Code, _ message: String, _ severity: Diagnostic.Severity = .warning) {
      result.diagnostics.append(Diagnostic(severity, code, source: source, location: here.diagnostic, message: message))
    }

    let nonEmpty = row.cells.filter { !$0.isBlank }
    if nonEmpty.count == 1 && header.names.count >= 3 {
      warn(
        .readNote, "a one-cell row ('\(Self.clip(nonEmpty[0]))') read as a banner or section heading, not a result",
        .note)
      return
    }

    var refs: [Reference] = []
    // Of several requirement columns, the first whose cell holds an ID (another may hold the
    // requirement's text); of several status columns, the first whose word is a status.
    let requirementCells = (header.columns[.requirement] ?? []).compactMap { parsed($0) }
    var requirementValue = (requirementCells.first(where: { memo.looksLikeID($0) }) ?? requirementCells.first)
      .map { memo.leadingID($0) }
    if let objective = first(.objective) {
      switch memo.objective(objective) {
      case .letter(let letter):
        if let requirement = requirementValue {
          if requirement.contains("[") {
            warn(
              .badValue,
              "objective '\(objective)' given for '\(requirement)', which already names an objective; kept '\(requirement)'",
              .note)
          } else {
            requirementValue = "\(requirement)[\(letter)]"
          }
        } else {
          warn(.badValue, "objective '\(objective)' has no requirement beside it; the row cannot be placed")
        }
      case .identifier(let id):
        requirementValue = id
      case .unreadable:
        warn(
          .badValue,
          "objective '\(Self.clip(objective))' is neither a letter (a, [a]) nor an objective ID (3.1.1[a]); the row is read for the whole requirement"
        )
      }
    }
    if let requirementValue {
      let kind: ReferenceKind =
        SP80053Control.normalize(requirementValue) != nil && requirementValue.range(of: ".") == nil
        ? .sp80053 : .requirement
      refs.append(Reference(kind, requirementValue))
    }
    if let vuln = first(.stigVuln) { refs.append(Reference(.stigVuln, vuln)) }
    if let rule = first(.stigRule) { refs.append(Reference(.stigRule, rule)) }
    if let stigID = first(.stigID) { refs.append(Reference(.other, stigID)) }
    for value in (header.columns[.cci] ?? []).compactMap({ parsed($0) }) {
      for match in value.matches(of: Self.cciPattern) { refs.append(Reference(.cci, String(match.output))) }
    }
    for value in (header.columns[.sp80053] ?? []).compactMap({ parsed($0) }) {
      for part in value.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isNewline }) {
        let control = part.trimmed
        if SP80053Control.normalize(control) != nil { refs.append(Reference(.sp80053, control)) }
      }
    }
    refs = Self.unique(refs)

    if refs.isEmpty {
      let columns = Column.identifying.flatMap { column in (header.columns[column] ?? []).map { header.names[$0] } }
      warn(.noReferences, "no requirement or rule ID in \(columns.joined(separator: ", ")); the row is not used")
      return
    }

    let statusCells = (header.columns[.status] ?? []).compactMap { parsed($0) }
    let rawStatus =
      statusCells.first { (try? StatusNormalizer.normalize($0).get()) != nil } ?? statusCells.first ?? ""
    var status: Status?
    switch StatusNormalizer.normalize(rawStatus) {
    case .success(let value): status = value
    case .failure(let error):
      status = nil
      warn(.unknownStatus, error.localizedDescription)
    }
    if !header.has(.status) { status = .notAssessed }

    // A Points/Partial column holds the deduction (3), or says whether the requirement is
    // partly implemented (Partial, Yes / No) for a NOT MET row.
    var partialPoints: Int?
    if let points = first(.points) {
      if Self.pointsOutOfRange(points) {
        let sheetRow = here.line == nil ? "\(here.observation): " : ""
        throw ImportError.malformed(
          file: source, line: here.line, column: nil,
          expected:
            "\(sheetRow)a whole number of points from -\(Self.maximumPoints) to \(Self.maximumPoints) (a deduction such as 3 or 5), got '\(Self.clip(points))'"
        )
      }
      if let value = Self.points(points) {
        partialPoints = value
      } else {
        switch StatusNormalizer.normalize(points) {
        case .success(.partial), .success(.met):
          if status == .notMet || status == .partial {
            status = .partial
          } else {
            warn(.badValue, "'\(Self.clip(points))' in the partial column of a row that is not NOT MET; ignored")
          }
        case .success(.notMet): break
        default: warn(.badValue, "points '\(Self.clip(points))' is neither a number nor yes/no; ignored")
        }
      }
    }

    // Text in a second status-like column (a narrative "Finding") is kept as details.
    var details = (header.columns[.details] ?? []).compactMap { cell($0) }
    for index in header.columns[.status] ?? [] {
      guard let value = cell(index), let word = parsed(index), word != rawStatus,
        (try? StatusNormalizer.normalize(word).get()) == nil
      else {
        continue
      }
      details.append("\(header.names[index].trimmed): \(value)")
    }
    let asset = Asset(hostName: first(.asset), ip: first(.ip), fqdn: first(.fqdn))
    if let finding = first(.findingID) { refs.append(Reference(.other, finding)) }
    var kind: ObservationKind = stigExport ? .automated : .assessor
    if header.isCAAT {
      let method = first(.testMethod).map(Self.key) ?? ""
      kind = method.contains("examine") || method.contains("interview") ? .assessor : .automated
    }
    result.observations.append(
      Observation(
        source: source, location: here.observation, line: here.line, asset: asset, producer: producer,
        kind: kind, refs: refs, rawStatus: rawStatus, status: status,
        severity: first(.severityOverride) ?? first(.severity), title: first(.title),
        details: details.isEmpty ? nil : details.joined(separator: "\n"),
        comments: joined(.comments), partialPoints: partialPoints))
  }

  /// The ID functions below run regular expressions; a sheet repeats the same few hundred
  /// requirement and objective cells on every asset's rows, so each distinct cell is worked out
  /// once per file (up to ``limit`` distinct cells, then without remembering).
  struct CellMemo {
    static let limit = 20_000
    private var looksLike: [String: Bool] = [:]
    private var leading: [String: String] = [:]
    private var objectives: [String: ObjectiveValue] = [:]

    mutating func looksLikeID(_ cell: String) -> Bool {
      Self.remember(cell, in: &looksLike, TabularAssessment.looksLikeID)
    }

    mutating func leadingID(_ cell: String) -> String {
      Self.remember(cell, in: &leading, TabularAssessment.leadingID)
    }

    mutating func objective(_ cell: String) -> ObjectiveValue {
      Self.remember(cell, in: &objectives, TabularAssessment.objective)
    }

    private static func remember<Value>(
      _ cell: String, in table: inout [String: Value], _ compute: (String) -> Value
    ) -> Value {
      if let known = table[cell] { return known }
      let value = compute(cell)
      if table.count < limit { table[cell] = value }
      return value
    }
  }

  nonisolated(unsafe) static let cciPattern = #/(?i)CCI-\d+/#
  // Regex literals are parsed each time they are evaluated: keep them here, built once.
  nonisolated(unsafe) private static let otherID = #/(?i)\bb\.1\.[ivx]+\b|\b[a-z]{2,3}\.[1-5]\.\d{3}\b/#
  nonisolated(unsafe) private static let odpObjective = #/(?i)\[?\s*(odp\d+)\s*\]?/#
  nonisolated(unsafe) private static let letterObjective = #/(?i)[\[(]?([a-z])[\]).:]?/#
  nonisolated(unsafe) private static let letterThenText = #/(?i)[\[(]?([a-z])[\]).:]\s/#
  nonisolated(unsafe) private static let dottedNumber = #/\d+\.\d+\.\d+/#
  nonisolated(unsafe) private static let embeddedID =
    #/(?i)\b[a-z]{2}\.l[1-3]-(?:\d{1,2}\.\d{1,2}\.\d{1,2}e?|b\.1\.[ivx]+)(?:\[[a-z0-9]+\])?|\b\d{1,2}\.\d{1,2}\.\d{1,2}e?(?:\[[a-z]\])?/#

  /// The ID at the start of a cell such as `AC.L2-3.1.1 – Authorized Access Control`; the whole
  /// cell when it holds no such ID or nothing else.
  static func leadingID(_ cell: String) -> String {
    guard cell.contains(where: \.isWhitespace), let match = cell.firstMatch(of: embeddedID),
      match.range.lowerBound == cell.startIndex || cell[..<match.range.lowerBound].allSatisfy(\.isWhitespace)
    else { return cell }
    return String(match.output)
  }

  /// True when a cell holds a requirement, objective or control ID rather than prose.
  static func looksLikeID(_ cell: String) -> Bool {
    cell.firstMatch(of: embeddedID) != nil || SP80053Control.normalize(cell) != nil
      || cell.firstMatch(of: otherID) != nil
  }

  enum ObjectiveValue: Equatable {
    case letter(String)
    case identifier(String)
    case unreadable
  }

  /// An objective cell: a letter (`a`, `[a]`, `(a)`, `a.`, `[a] text`), a Level 3 determination
  /// statement (`ODP1`), or a full objective ID.
  static func objective(_ cell: String) -> ObjectiveValue {
    let text = cell.trimmed
    if text.count == 1, let letter = text.first, letter.isASCII, letter.isLetter { return .letter(text.lowercased()) }
    if let match = text.wholeMatch(of: odpObjective) {
      return .letter(match.output.1.uppercased())
    }
    if let match = text.wholeMatch(of: letterObjective) {
      return .letter(match.output.1.lowercased())
    }
    if let match = text.prefixMatch(of: letterThenText) {
      return .letter(match.output.1.lowercased())
    }
    if text.firstMatch(of: dottedNumber) != nil { return .identifier(leadingID(text)) }
    return .unreadable
  }

  /// How much of a cell (in Unicode scalars) is read for an ID, status, point value, host or
  /// severity; the rest of a longer cell is not looked at.
  static let maximumParsedScalars = 4_096

  /// The largest deduction a Points cell may hold (a requirement is worth at most 5).
  static let maximumPoints = 1_000

  /// A whole number of points, from `3`, `3.0` or `-3`; nil for anything else, including
  /// numbers past ±``maximumPoints``.
  static func points(_ cell: String) -> Int? {
    guard !pointsOutOfRange(cell) else { return nil }
    if let value = Int(cell) { return abs(value) }
    if let value = Double(cell), value.rounded() == value, value.isFinite { return abs(Int(value)) }
    return nil
  }

  /// True when a cell is a number (`1e300`, `9.3e18`, `-9223372036854775808`, `inf`) but not one
  /// of ±``maximumPoints``: an error, never a trap.
  static func pointsOutOfRange(_ cell: String) -> Bool {
    guard let value = Double(cell) else { return false }
    return !value.isFinite || value.magnitude > Double(maximumPoints)
  }

  static func unique(_ refs: [Reference]) -> [Reference] {
    var seen = Set<Reference>()
    return refs.filter { seen.insert($0).inserted }
  }

  static func clip(_ text: String, _ length: Int = 60) -> String {
    let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
    return flat.count > length ? String(flat.prefix(length)) + "…" : flat
  }
}
