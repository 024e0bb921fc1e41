import Dispatch
import Synchronization
import Testing

@testable import POAMKit

/// The side work of ``EvidenceLoader``: queued work that the waiting thread can take over.
@Suite struct BackgroundWorkTests {
  struct Failure: Error, Equatable {}

  @Test func waitRunsWorkThatHasNotStartedOnTheCallingThreadOnce() throws {
    let queue = DispatchQueue(label: "poam.tests.suspended")
    queue.suspend()
    let runs = Mutex(0)
    let work = BackgroundWork(on: queue) { () -> Int in
      runs.withLock { $0 += 1 }
      return 42
    }
    #expect(try work.wait() == 42)
    #expect(runs.withLock { $0 } == 1)
    // The queued copy finds the work taken and does nothing.
    queue.resume()
    queue.sync {}
    #expect(runs.withLock { $0 } == 1)
    #expect(try work.wait() == 42)
  }

  @Test func workStartedOnTheQueueIsAwaitedNotRepeated() throws {
    let queue = DispatchQueue(label: "poam.tests.running")
    let started = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    let runs = Mutex(0)
    let work = BackgroundWork(on: queue) { () -> String in
      runs.withLock { $0 += 1 }
      started.signal()
      release.wait()
      return "done"
    }
    started.wait()
    work.runHereUnlessStarted()  // already running: returns at once
    release.signal()
    #expect(try work.wait() == "done")
    #expect(runs.withLock { $0 } == 1)
  }

  @Test func errorsReachTheWaiter() {
    let work = BackgroundWork<Int> { throw Failure() }
    #expect(throws: Failure.self) { try work.wait() }
  }
}
