import Foundation
import Prometheus
import Testing

@testable import BreakwaterServer

struct ProcessMetricsTests {
    /// proc(5) fields 14-15 (utime, stime, ticks), 22 (starttime, ticks after boot), 23 (vsize,
    /// bytes), 24 (rss, pages); the command name may hold spaces and parentheses.
    @Test func parsesProcSelfStat() {
        let stat =
            "4242 (bw (x) y) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 50 0 0 20 0 9 0 12000 568946688 13229 18446744073709551615\n"
        let s = ProcessMetrics.parseStat(stat, ticksPerSecond: 100, pageSize: 4096, bootTime: 1_700_000_000)
        #expect(s.cpuSeconds == 3.0)
        #expect(s.startTime == 1_700_000_120)
        #expect(s.virtualBytes == 568_946_688)
        #expect(s.residentBytes == Double(13229 * 4096))
        #expect(ProcessMetrics.parseStat(stat, ticksPerSecond: 100, pageSize: 4096, bootTime: nil).startTime == nil)
        #expect(
            ProcessMetrics.parseStat("garbage", ticksPerSecond: 100, pageSize: 4096, bootTime: 1)
                == ProcessMetrics.Sample()
        )
        #expect(
            ProcessMetrics.parseStat("1 (x) S 1 2", ticksPerSecond: 100, pageSize: 4096, bootTime: 1)
                == ProcessMetrics.Sample()
        )
    }

    @Test func parsesBootTimeAndOpenFileLimit() {
        #expect(
            ProcessMetrics.bootTime(procStat: "cpu  1 2 3\nintr 5\nbtime 1700000000\nprocesses 9\n") == 1_700_000_000
        )
        #expect(ProcessMetrics.bootTime(procStat: "cpu 1\n") == nil)
        let limits =
            "Limit                     Soft Limit           Hard Limit           Units     \nMax open files            20000                1048576              files     \n"
        #expect(ProcessMetrics.maxOpenFiles(limits: limits) == 20000)
        #expect(
            ProcessMetrics.maxOpenFiles(
                limits: "Max open files            unlimited            unlimited            files\n"
            ) == nil
        )
    }

    #if os(Linux)
    /// This process's own figures land in the registry under the standard names.
    @Test func updateSetsTheStandardFamilies() throws {
        let registry = PrometheusCollectorRegistry()
        ProcessMetrics(registry: registry).update()
        let text = registry.emitToString()
        func value(_ name: String) -> Double? {
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap {
                Double($0.split(separator: " ")[1])
            }
        }
        #expect(text.contains("# TYPE process_cpu_seconds_total counter\n"))
        #expect(try #require(value("process_resident_memory_bytes")) > 1_000_000)
        #expect(try #require(value("process_virtual_memory_bytes")) >= value("process_resident_memory_bytes")!)
        #expect(try #require(value("process_open_fds")) >= 3)
        #expect(try #require(value("process_max_fds")) >= value("process_open_fds")!)
        let start = try #require(value("process_start_time_seconds"))
        #expect(start <= Date().timeIntervalSince1970 && start > Date().timeIntervalSince1970 - 86400)
        #expect(try #require(value("process_cpu_seconds_total")) > 0)
    }
    #endif
}
