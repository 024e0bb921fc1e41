/// Every importer poam ships, one per format. Add a new importer here.
enum Importers {
  static let all: [any Importer] = [
    NativeJSONImporter(),
    CKLImporter(),
    XCCDFImporter(format: .xccdf),
    XCCDFImporter(format: .arf),
    OSCALXMLImporter(),
  ]
}
