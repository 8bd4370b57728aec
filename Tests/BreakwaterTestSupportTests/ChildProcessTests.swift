import BreakwaterTestSupport
import Foundation
import Synchronization
import Testing

/// The tests' child processes: what they read and write, their exit status, and waits that leave
/// the cooperative pool free.
struct ChildProcessTests {
    static let env = URL(fileURLWithPath: "/usr/bin/env")

    @Test func statusOutputAndErrorsAreKeptApart() async throws {
        let r = try await ChildProcess.run(Self.env, ["sh", "-c", "echo out; echo err >&2; exit 3"])
        #expect(r.status == 3)
        #expect(r.output == "out\n" && r.errors == "err\n", "\(r)")
        let merged = try await ChildProcess.run(Self.env, ["sh", "-c", "echo out; echo err >&2"], mergingErrors: true)
        #expect(merged.status == 0 && merged.output == "out\nerr\n" && merged.errors.isEmpty, "\(merged)")
    }

    /// Input larger than a pipe's buffer (64 KiB) reaches the child whole, and binary output comes back as written.
    @Test func inputTextAndBinaryOutput() async throws {
        let text = String(repeating: "0123456789", count: 100_000)
        let r = try await ChildProcess.run(Self.env, ["wc", "-c"], input: .text(text))
        #expect(r.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1000000", "\(r)")
        let child = try ChildProcess(Self.env, ["printf", "\\377\\000\\001"])
        await child.exited()
        #expect(Array(child.outputData) == [0xFF, 0x00, 0x01])
    }

    /// A child that waits on its open input: seen printing while it runs, still running after a
    /// short wait, then ended by closing its input; a child that says nothing is not "printed"; a
    /// child killed is seen to exit.
    @Test func openInputAndWaitsWhileRunning() async throws {
        let child = try ChildProcess(Self.env, ["sh", "-c", "echo ready; cat > /dev/null; exit 7"], input: .open)
        #expect(await child.printed("ready", within: 30))
        #expect(await child.exited(within: 0.2) == false)
        #expect(child.isRunning)
        child.closeInput()
        #expect(await child.exited() == 7)
        let quiet = try ChildProcess(Self.env, ["true"])
        #expect(await quiet.printed("ready", within: 30) == false)
        let sleeper = try ChildProcess(Self.env, ["sleep", "30"])
        sleeper.kill()
        #expect(await sleeper.exited(within: 10))
        #expect(sleeper.process.terminationReason == .uncaughtSignal)
    }

    /// More children than the pool has threads, awaited at once: a task on the pool keeps
    /// running meanwhile (with `waitUntilExit()` every thread was held until they exited).
    @Test func waitingForChildrenLeavesThePoolFree() async throws {
        let count = max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)
        let done = Atomic<Bool>(false)
        let ticker = Task {
            var ticks = 0
            while !done.load(ordering: .acquiring) {
                try? await Task.sleep(for: .milliseconds(50))
                if !done.load(ordering: .acquiring) { ticks += 1 }
            }
            return ticks
        }
        try await withThrowingTaskGroup(of: Int32.self) { group in
            for _ in 0..<count {
                group.addTask { try await ChildProcess.run(Self.env, ["sleep", "2"]).status }
            }
            for try await status in group { #expect(status == 0) }
        }
        done.store(true, ordering: .releasing)
        let ticks = await ticker.value
        // 2 s of children: about 40 ticks of 50 ms on an idle machine; none if the pool is held.
        #expect(ticks >= 5, "the pool ticked \(ticks) times while \(count) children ran for 2 s")
    }
}
