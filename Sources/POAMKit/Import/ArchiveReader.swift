/// Lists the members of a ZIP archive of inputs.
enum ArchiveReader {
  static func members(of file: InputFile) throws -> [InputFile] {
    throw ImportError.unsupported(file: file.displayName, reason: "ZIP archives are not read yet")
  }
}
