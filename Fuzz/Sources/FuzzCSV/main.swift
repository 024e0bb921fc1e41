import Foundation
import FuzzSupport
import POAMKit

/// CSV/TSV: decoding, delimiter sniffing, RFC 4180 splitting and the table interpreter.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  guard let start else { return 0 }
  let data = Data(bytes: start, count: count)
  let text = String(decoding: data, as: UTF8.self)
  let delimiter = DelimitedText.sniff(text)
  _ = try? DelimitedText.parse(text, delimiter: delimiter)
  _ = DelimitedText.parsePrefix(text, delimiter: delimiter, byteLimit: 1024)
  _ = TabularAssessment.hasHeaderRow(text)
  _ = try? CSVImporter().read(InputFile(displayName: "fuzz.csv", content: .data(data)))
  return 0
}

@_cdecl("FuzzCSV_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  runFuzzer(argc, argv, fuzz)
}
