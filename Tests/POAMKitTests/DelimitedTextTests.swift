import Foundation
import Testing

@testable import POAMKit

/// The RFC 4180 splitter behind the CSV importer: fields, quotes, line numbers, delimiters.
struct DelimitedTextTests {
  @Test func quotedFieldsSpanLinesAndRowsKeepTheirStartingLine() throws {
    let text = "a,b,c\n1,\"two\nlines\",3\n\"say \"\"hi\"\"\",,x\n"
    let rows = try DelimitedText.parse(text, delimiter: ",")
    #expect(
      rows == [
        DelimitedRow(line: 1, cells: ["a", "b", "c"]),
        DelimitedRow(line: 2, cells: ["1", "two\nlines", "3"]),
        DelimitedRow(line: 4, cells: ["say \"hi\"", "", "x"]),
      ])
  }

  @Test func crlfAndLoneCRAndBlankLines() throws {
    let rows = try DelimitedText.parse("h1;h2\r\nx;\"multi\r\nline\"\r\n\r\ny;z\rw;v", delimiter: ";")
    #expect(rows.map(\.line) == [1, 2, 4, 5, 6])
    #expect(rows[1].cells == ["x", "multi\r\nline"])
    #expect(rows[2].cells == [""])  // the blank line
    #expect(rows[3].cells == ["y", "z"])
    #expect(rows[4].cells == ["w", "v"])  // no final line break: the last row still counts
  }

  @Test func trailingDelimiterGivesAnEmptyLastCellAndAFinalNewlineNoExtraRow() throws {
    #expect(try DelimitedText.parse("a,b,\n", delimiter: ",") == [DelimitedRow(line: 1, cells: ["a", "b", ""])])
    #expect(try DelimitedText.parse("", delimiter: ",") == [])
  }

  @Test func unterminatedQuoteIsAnErrorAtTheOpeningQuote() {
    let text = "Requirement,Status\nAC.L2-3.1.1,Met\n3.1.2,\"Not Met\n3.1.3,Met\n"
    #expect(throws: UnterminatedQuote(line: 3, column: 7)) { try DelimitedText.parse(text, delimiter: ",") }
    // Columns count characters, not bytes.
    #expect(throws: UnterminatedQuote(line: 1, column: 5)) { try DelimitedText.parse("é,ü,\"x", delimiter: ",") }
  }

  @Test func textAfterAClosingQuoteStaysInTheField() throws {
    #expect(try DelimitedText.parse("\"a\"b,c", delimiter: ",") == [DelimitedRow(line: 1, cells: ["ab", "c"])])
  }

  @Test(arguments: [
    ("Requirement;Status;Comments\n3.1.1;Met;reviewed, approved\n3.1.2;Not Met;none\n", ";" as Character),
    ("Requirement\tStatus\tComments\n3.1.1\tMet\ta; b, c\n3.1.2\tNot Met\tnone\n", "\t"),
    ("Requirement|Status\n3.1.1|Met\n3.1.2|Not Met\n", "|"),
    ("~~UNCLASSIFIED~~\n\"Vuln ID\",\"Title\",\"Status\"\n\"V-1\",\"a; b | c\",\"Open\"\n", ","),
    ("just one column\nof text\n", ","),
  ])
  func sniffsTheDelimiter(text: String, expected: Character) {
    #expect(DelimitedText.sniff(text) == expected)
  }

  @Test func aFiveMegabyteFieldIsReadWhole() throws {
    let big = String(repeating: "x", count: 5_000_000)
    let rows = try DelimitedText.parse("a,b\n1,\"\(big)\"\n2,\(big)\n", delimiter: ",")
    #expect(rows.count == 3)
    #expect(rows[1].cells[1].utf8.count == 5_000_000)
    #expect(rows[2].cells[1].utf8.count == 5_000_000)
    #expect(rows[2].line == 3)
  }
}
