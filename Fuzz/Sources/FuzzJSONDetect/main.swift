import Foundation
import FuzzSupport
import POAMKit

/// Format detection on any bytes, then the importer the detection picks (the JSON formats:
/// CKLB, HDF, OSCAL JSON, poam results; ZIP archives are left to FuzzXLSX's container code).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  guard let start else { return 0 }
  let data = Data(bytes: start, count: count)
  guard case .format(let format) = FormatDetector.detect(data.prefix(FormatDetector.prefixLength)),
    format != .zip
  else { return 0 }
  _ = try? ImporterRegistry.standard.importer(for: format)?.read(
    InputFile(displayName: "fuzz.json", content: .data(data)))
  return 0
}

@_cdecl("FuzzJSONDetect_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  runFuzzer(argc, argv, fuzz)
}
