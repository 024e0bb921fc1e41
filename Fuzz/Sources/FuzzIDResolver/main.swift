import Foundation
import FuzzSupport
import POAMKit

let catalog = try! Catalog.bundled()
let resolver = RequirementIDResolver(catalog: catalog)

/// The requirement ID resolver on any text (every spelling of CMMC, NIST SP 800-171/172 and
/// objective IDs it accepts, and everything it must refuse).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  guard let start else { return 0 }
  let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
  _ = resolver.resolve(text)
  return 0
}

@_cdecl("FuzzIDResolver_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  runFuzzer(argc, argv, fuzz)
}
