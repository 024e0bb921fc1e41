import Foundation
import FuzzSupport
import POAMKit

/// The streaming XML reader: every event, attribute and text of any byte string, and the XML
/// importers (CKL, XCCDF/ARF, OSCAL XML) reading it. Errors are fine; crashes and hangs are not.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  guard let start else { return 0 }
  let data = Data(bytes: start, count: count)
  if let reader = try? XMLStreamReader(data: data, displayName: "fuzz.xml") {
    while (try? reader.read()) == true {
      _ = reader.attribute("id")
      _ = try? reader.readText()
    }
  }
  let input = InputFile(displayName: "fuzz.xml", content: .data(data))
  for format in [InputFormat.ckl, .xccdf, .oscalXML] {
    _ = try? ImporterRegistry.standard.importer(for: format)?.read(input)
  }
  return 0
}

@_cdecl("FuzzXML_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  runFuzzer(argc, argv, fuzz)
}
