import Foundation
import Testing

@testable import POAMKit

@Suite struct ParallelTests {
  struct Failure: Error, Equatable {
    let index: Int
  }

  @Test func keepsTheInputOrder() throws {
    let items = Array(0..<2_000)
    #expect(try Parallel.map(items) { $0 * 3 } == items.map { $0 * 3 })
    #expect(try Parallel.map([Int]()) { $0 }.isEmpty)
    #expect(try Parallel.map([7]) { $0 + 1 } == [8])
  }

  @Test func throwsTheFirstFailureInInputOrder() {
    // Several items fail; whichever finishes first, the error is the one a sequential map gives.
    #expect(throws: Failure(index: 300)) {
      try Parallel.map(Array(0..<1_000)) { index -> Int in
        if index % 300 == 0 && index > 0 { throw Failure(index: index) }
        return index
      }
    }
  }
}
