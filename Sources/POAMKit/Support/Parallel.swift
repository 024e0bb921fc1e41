import Foundation
import Synchronization

/// Spreads independent work over the cores (a 2-core laptop drafts and renders twice as fast).
enum Parallel {
  /// `items.map(transform)`, with the items transformed concurrently. The results keep the
  /// input order; when transforms throw, the error of the first failing item (in input order)
  /// is thrown, as a sequential `map` would.
  static func map<Item: Sendable, Value: Sendable>(
    _ items: [Item], _ transform: @Sendable (Item) throws -> Value
  ) throws -> [Value] {
    if items.count < 2 { return try items.map(transform) }
    let results = Mutex<[Result<Value, any Error>?]>(Array(repeating: nil, count: items.count))
    DispatchQueue.concurrentPerform(iterations: items.count) { index in
      let outcome = Result { try transform(items[index]) }
      results.withLock { $0[index] = outcome }
    }
    return try results.withLock { $0 }.map { try $0!.get() }
  }

  /// `body` over `0..<count` cut into consecutive ranges, run at the same time: two ranges
  /// (the machine's other core) when the work is large enough that each gets at least
  /// `minimumPerPart` items, one otherwise. The results are in range order, so a caller that
  /// merges them in order gets what one pass over `0..<count` gives.
  static func ranges<Value: Sendable>(
    _ count: Int, minimumPerPart: Int, _ body: @Sendable (Range<Int>) -> Value
  ) -> [Value] {
    let parts = count / 2 >= max(1, minimumPerPart) && ProcessInfo.processInfo.activeProcessorCount > 1 ? 2 : 1
    if parts == 1 { return [body(0..<count)] }
    let cuts = (0...parts).map { $0 * count / parts }
    let results = Mutex<[Value?]>(Array(repeating: nil, count: parts))
    DispatchQueue.concurrentPerform(iterations: parts) { part in
      let value = body(cuts[part]..<cuts[part + 1])
      results.withLock { $0[part] = value }
    }
    return results.withLock { $0 }.map { $0! }
  }
}
