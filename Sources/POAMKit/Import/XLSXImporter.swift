/// Excel workbooks (`.xlsx`): the sheet that holds the assessment is found by its header row,
/// exactly as for CSV (``TabularAssessment``); cells come from ``XLSXWorkbook`` (shared strings,
/// inline strings, numbers, dates as `YYYY-MM-DD`). Rows are located as `Sheet row 12`.
struct XLSXImporter: Importer {
  public let format = InputFormat.xlsx

  /// Creates the importer.
  public init() {}

  public func read(_ input: InputFile) throws -> ImportResult {
    let workbook = try XLSXWorkbook(input)
    var candidates: [(sheet: XLSXWorkbook.Sheet, rows: [TabularAssessment.Row], score: Int)] = []
    for sheet in try workbook.sheets() {
      let rows = sheet.rows.map { TabularAssessment.Row(number: $0.number, cells: $0.cells) }
      let table = TabularAssessment(source: input.displayName, numbering: .sheetRow(sheet.name))
      guard let header = table.findHeader(rows) else { continue }
      let known = header.names.filter { TabularAssessment.Column.named($0) != nil }.count
      candidates.append((sheet, rows, known))
    }
    guard let best = candidates.max(by: { $0.score < $1.score }) else {
      throw ImportError.unsupported(
        file: input.displayName,
        reason:
          "no sheet of the workbook (\(workbook.sheetNames.joined(separator: ", "))) has a header row naming a requirement and a status column"
      )
    }
    var result = try TabularAssessment(source: input.displayName, numbering: .sheetRow(best.sheet.name)).read(best.rows)
    let others = workbook.sheetNames.filter { $0 != best.sheet.name }
    if !others.isEmpty {
      result.diagnostics.append(
        Diagnostic(
          .note, .readNote, source: input.displayName, location: best.sheet.name,
          message: "read sheet '\(best.sheet.name)'; other sheets not read: \(others.joined(separator: ", "))"))
    }
    return result
  }
}
