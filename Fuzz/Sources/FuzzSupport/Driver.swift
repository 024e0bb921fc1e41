/// libFuzzer's entry point for a program that has its own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt
) -> CInt

/// Runs libFuzzer with the command line and one target's callback.
///
/// In debug builds SwiftPM renames an executable's `main` to `<Target>_main` (so that tests can
/// link the executable's module) and points the linker's `main` at that name. With
/// `-parse-as-library` there is no Swift `main`, so each target defines `<Target>_main` itself
/// and hands over to libFuzzer's driver here. (Built without the rename, libFuzzer's own `main`
/// calls `LLVMFuzzerTestOneInput`, which each target also defines.)
public func runFuzzer(
  _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
  _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt
) -> CInt {
  var count = argc
  var vector = argv
  return LLVMFuzzerRunDriver(&count, &vector, callback)
}
