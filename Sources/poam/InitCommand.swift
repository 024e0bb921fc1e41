import ArgumentParser
import Foundation
import POAMKit

struct InitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init",
    abstract: "Write a commented system profile (poam.yml) to fill in.",
    discussion: """
      The profile says whose system this is: organization, system name and ID, CAGE codes, \
      scope, SSP, assessment type and contacts. poam analyze reads ./poam.yml (or --profile \
      FILE) and puts it in every output and the SPRS entry section. An existing file is never \
      overwritten.
      """
  )

  @Option(name: [.short, .long], help: "Where to write the profile.")
  var output: String = SystemProfile.defaultFileName

  func run() throws {
    if FileManager.default.fileExists(atPath: output) {
      throw UsageFailure(message: "\(output) already exists: edit it, or pass -o to write elsewhere")
    }
    try SystemProfile.writeTemplate(to: output)
    print("Wrote \(output): fill it in; poam analyze reads ./poam.yml (or --profile \(output)).")
  }
}
