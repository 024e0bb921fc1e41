import Foundation

/// Checks that every offset a ZIP's central directory gives lies inside the bytes. ZIPFoundation
/// 0.9.20's in-memory archive let a read seek past the end and then trapped ("Range requires
/// lowerBound <= upperBound") instead of failing: a crafted archive or XLSX of a few hundred bytes
/// crashed poam (found by FuzzXLSX, `Fixtures/bad/zip-offset-past-end.xlsx`). poam now reads
/// archives with ``ZIPContainer``, which refuses such a directory when it opens one.
enum ZIPBounds {
  /// Nil when the archive's structure stays inside `data`, else what is wrong.
  static func problem(in data: Data) -> String? {
    do {
      _ = try ZIPContainer.directory(of: data)
      return nil
    } catch {
      return error.message
    }
  }
}
