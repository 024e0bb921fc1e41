import Foundation

/// An error a person can act on (bad input, a bad option, a file poam cannot use), with the exit
/// code the command ends with: the error decides, as vapor's `AbortError` carries its HTTP status,
/// so the command line never guesses from the error's type. Its `errorDescription` is printed as
/// `poam: error: …`.
///
/// poam's exit codes: 0 nothing failed, 1 a check failed (or inputs were skipped with
/// `--keep-going`), 2 bad input or usage: what every ``UserError`` means unless it says otherwise.
public protocol UserError: LocalizedError {
  /// The process exit code for this error.
  var exitCode: Int32 { get }
}

extension UserError {
  /// Bad input or usage.
  public var exitCode: Int32 { 2 }
}

extension DriftConditionListError: UserError {}
extension BaselineError: UserError {}
extension CheckUsageError: UserError {}
extension HistoryError: UserError {}
extension LayoutError: UserError {}
extension YAMLFileError: UserError {}
extension POAMReadError: UserError {}
extension POAMError: UserError {}
extension CatalogError: UserError {}
extension InvalidDate: UserError {}
extension OutputError: UserError {}
extension OutputSetError: UserError {}
extension RerunError: UserError {}
extension ImportError: UserError {}
extension UnknownStatus: UserError {}
extension UnresolvedID: UserError {}
