import Foundation
import FuzzSupport
import POAMKit

/// XLSX: the ZIP container, workbook relationships, shared strings, styles and sheets, and the
/// XLSX importer.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  guard let start else { return 0 }
  let data = Data(bytes: start, count: count)
  if let workbook = try? XLSXWorkbook(data: data, displayName: "fuzz.xlsx") {
    _ = try? workbook.sheets()
  }
  _ = try? ImporterRegistry.standard.importer(for: .xlsx)?.read(
    InputFile(displayName: "fuzz.xlsx", content: .data(data)))
  return 0
}

@_cdecl("FuzzXLSX_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  runFuzzer(argc, argv, fuzz)
}
