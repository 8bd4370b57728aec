import BreakwaterEngine
import BreakwaterStore
import Foundation
import Testing

/// Opening the store and its checks: a path that cannot be written, a corrupt file, a file deleted under it.
@Suite struct RiskStateStoreTests {
    @Test func writableCheckPasses() throws {
        try RiskStateStore(path: tempDBPath()).checkWritable(now: 1)
    }

    @Test func unwritablePathIsReportedClearly() throws {
        let error = #expect(throws: StoreError.self) {
            try RiskStateStore(path: "/nonexistent-dir/x/breakwater.sqlite")
        }
        #expect(error?.kind == .unwritable)
        #expect(error?.description.contains("storage.path") == true)
    }

    @Test func corruptFileIsReportedClearly() throws {
        let path = tempDBPath()
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StoreError.self) { try RiskStateStore(path: path) }
        #expect(error?.kind == .corrupt)
    }
}

/// SQLite keeps writing to a deleted file, whose contents vanish at restart: refuse instead.
struct StoreFileIdentityTests {
    @Test func aDeletedDatabaseFileIsNoticed() throws {
        let path = tempDBPath()
        let store = try RiskStateStore(path: path)
        try store.checkWritable(now: 1)
        try FileManager.default.removeItem(atPath: path)
        do {
            try store.checkWritable(now: 2)
            Issue.record("a write to a deleted database file was accepted")
        } catch let e as StoreError {
            #expect(e.kind == .unwritable && e.message.contains("deleted or replaced"), "\(e)")
        }
    }

    /// An idle hand-over writes nothing, yet notices the file gone (between two heartbeats).
    @Test func anIdleCheckNoticesADeletedFileBetweenHeartbeats() throws {
        let path = tempDBPath()
        let store = try RiskStateStore(path: path)
        try store.checkAlive(now: 100)
        try store.checkAlive(now: 100 + RiskStateStore.heartbeatSeconds / 2)
        try FileManager.default.removeItem(atPath: path)
        let error = #expect(throws: StoreError.self) {
            try store.checkAlive(now: 100 + RiskStateStore.heartbeatSeconds / 2 + 1)
        }
        #expect(error?.kind == .unwritable && error?.message.contains("deleted or replaced") == true)
    }
}
