/// Every importer poam ships, one per format. Add a new importer here.
enum Importers {
  static let all: [any Importer] = [
    NativeJSONImporter(),
    CSVImporter(),
    CKLBImporter(),
    OSCALJSONImporter(),
    HDFImporter(),
    CKLImporter(),
    XCCDFImporter(format: .xccdf),
    XCCDFImporter(format: .arf),
    OSCALXMLImporter(),
    XLSXImporter(),
    NessusImporter(),
  ]
}
