import Foundation

/// Runs nodes of a DAG on N plain threads (never on Swift concurrency's cooperative pool), parents first.
///
/// A node whose result blocks (a failed model or error-severity test) marks everything downstream as
/// skipped; skipped nodes are reported through `skip` without running.
final class Scheduler: @unchecked Sendable {
    private let order: [String]
    private let rank: [String: Int]
    private var remaining: [String: Int] = [:]
    private let dependents: [String: [String]]
    private var blocked: Set<String> = []
    private var ready: [String] = []   // kept sorted by descending rank; popLast takes the earliest
    private var finished = 0
    private var running = 0
    /// Nodes that could never become ready (only possible with a dependency cycle; reported, never hung on).
    private(set) var stranded: [String] = []
    private let condition = NSCondition()

    /// - Parameters:
    ///   - order: node ids in a topological order (ties run in this order).
    ///   - dependencies: for each node, the nodes it waits for (all within `order`).
    init(order: [String], dependencies: [String: Set<String>]) {
        self.order = order
        var r: [String: Int] = [:]
        for (i, id) in order.enumerated() { r[id] = i }
        rank = r
        var deps: [String: [String]] = [:]
        for id in order {
            let d = dependencies[id] ?? []
            remaining[id] = d.count
            for p in d { deps[p, default: []].append(id) }
        }
        dependents = deps
        ready = order.filter { remaining[$0] == 0 }.reversed()
    }

    /// Runs everything with `threads` workers. `work(id, worker)` returns whether the node blocks its dependents;
    /// `skip(id)` is called (under no lock) for nodes skipped because an upstream node failed.
    func run(threads: Int, work: @escaping @Sendable (String, Int) -> Bool, skip: @escaping @Sendable (String) -> Void) {
        let n = max(1, min(threads, order.count))
        if order.isEmpty { return }
        var workers: [Thread] = []
        let done = DispatchGroup()
        for w in 0..<n {
            done.enter()
            let t = Thread { [self] in
                self.loop(worker: w, work: work, skip: skip)
                done.leave()
            }
            t.name = "fitdata-runner-\(w + 1)"
            t.stackSize = 8 << 20
            workers.append(t)
        }
        workers.forEach { $0.start() }
        done.wait()
    }

    private func loop(worker: Int, work: (String, Int) -> Bool, skip: (String) -> Void) {
        while true {
            condition.lock()
            while ready.isEmpty && finished < order.count && running > 0 { condition.wait() }
            if ready.isEmpty && finished < order.count && running == 0 {
                // Nothing runs and nothing is ready: the remaining nodes wait on each other. Give up on them.
                stranded = order.filter { (remaining[$0] ?? 0) > 0 }
                finished = order.count
            }
            if finished >= order.count { condition.broadcast(); condition.unlock(); return }
            let id = ready.removeLast()
            let isBlocked = blocked.contains(id)
            running += 1
            condition.unlock()

            let blocks: Bool
            if isBlocked {
                skip(id)
                blocks = true
            } else {
                blocks = work(id, worker)
            }

            condition.lock()
            finished += 1
            running -= 1
            var newly: [String] = []
            for d in dependents[id] ?? [] {
                if blocks { blocked.insert(d) }
                remaining[d]! -= 1
                if remaining[d] == 0 { newly.append(d) }
            }
            for d in newly {
                // Keep `ready` sorted by descending rank (binary search insert).
                let r = rank[d]!
                var lo = 0, hi = ready.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if rank[ready[mid]]! > r { lo = mid + 1 } else { hi = mid }
                }
                ready.insert(d, at: lo)
            }
            condition.broadcast()
            condition.unlock()
        }
    }
}
