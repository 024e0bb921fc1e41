/// Facts about this build of poam.
public enum ToolInfo {
  /// The tool's version, printed by `poam --version` and recorded in every report.
  public static let version = "0.1.0"
  /// The tool's name as it appears in reports.
  public static let name = "poam"
}
