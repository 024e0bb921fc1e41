import Foundation
import FuzzSupport
import POAMKit

let catalog = try! Catalog.bundled()
let reader = POAMReader(catalog: catalog, layout: try! POAMLayout.bundled())

/// The prior-POA&M readers (OSCAL JSON, CSV, XLSX, chosen from the first bytes as `--prior`
/// does) and the drift-baseline loader (`poam check --baseline`, `poam diff`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  guard let start else { return 0 }
  let data = Data(bytes: start, count: count)
  _ = try? reader.read(data, source: "fuzz-prior")
  _ = try? BaselineLoader(catalog: catalog).load(data: data, path: "fuzz-baseline")
  return 0
}

@_cdecl("FuzzPrior_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  runFuzzer(argc, argv, fuzz)
}
