import Foundation
import Testing

@testable import POAMKit

/// SHA-256 against the FIPS 180-4 / NIST CSRC example vectors and the system's sha256sum.
struct SHA256Tests {
  @Test(arguments: [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
  ])
  func nistVectors(message: String, digest: String) {
    #expect(SHA256Digest.hex(message) == digest)
  }

  @Test func millionAsInUnevenChunks() {
    var digest = SHA256Digest()
    var remaining = 1_000_000
    var size = 1
    while remaining > 0 {
      let count = min(size, remaining)
      digest.update([UInt8](repeating: 0x61, count: count))
      remaining -= count
      size = size * 3 % 997 + 1
    }
    #expect(digest.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test func fileDigestMatchesSha256sum() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("input.bin")
    // 3 MiB + 17 bytes: several read chunks and a partial final block.
    let bytes = (0..<(3 * 1_048_576 + 17)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    try Data(bytes).write(to: file)
    let tool = URL(fileURLWithPath: "/usr/bin/sha256sum")
    try #require(FileManager.default.isExecutableFile(atPath: tool.path), "sha256sum (coreutils) is needed")
    let expected = try CLI.run([file.path], executable: tool).stdout.split(separator: " ").first.map(String.init)
    #expect(SHA256Digest.hex(fileAt: file.path) == expected)
    #expect(SHA256Digest.hex(fileAt: directory.appendingPathComponent("missing").path) == nil)
  }
}
