import Foundation
import Prometheus
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The standard process metrics, with the names, types and HELP of the Prometheus client
/// libraries, read from `/proc/self` at each scrape (`update()`) and set in the registry:
/// `process_cpu_seconds_total`, `process_resident_memory_bytes`, `process_virtual_memory_bytes`,
/// `process_open_fds`, `process_max_fds`, `process_start_time_seconds` (epoch seconds).
/// A value that cannot be read (no `/proc`, as on macOS; an unexpected format) is left out, never
/// reported as 0: a family appears once it has been read.
final class ProcessMetrics: Sendable {
    /// One reading; nil where the source could not be read or parsed.
    struct Sample: Equatable {
        var cpuSeconds: Double?
        var residentBytes: Double?
        var virtualBytes: Double?
        var startTime: Double?
        var openFDs: Double?
        var maxFDs: Double?
    }

    private let registry: PrometheusCollectorRegistry
    /// CPU seconds already added to the counter (a counter only moves by increments).
    private let cpuCounted = Mutex<Double>(0)

    init(registry: PrometheusCollectorRegistry) { self.registry = registry }

    /// Reads the process's figures and sets them in the registry.
    func update() {
        let s = Self.read()
        func gauge(_ name: String, _ help: String, _ value: Double?) {
            guard let value else { return }
            registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help)).set(
                to: value
            )
        }
        gauge("process_resident_memory_bytes", "Resident memory size in bytes.", s.residentBytes)
        gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", s.virtualBytes)
        gauge("process_open_fds", "Number of open file descriptors.", s.openFDs)
        gauge("process_max_fds", "Maximum number of open file descriptors.", s.maxFDs)
        gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", s.startTime)
        if let cpu = s.cpuSeconds {
            let counter = registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    metricName: "process_cpu_seconds_total",
                    unitName: "",
                    helpText: "Total user and system CPU time spent in seconds."
                )
            )
            cpuCounted.withLock { counted in
                if cpu > counted {
                    counter.increment(by: cpu - counted)
                    counted = cpu
                }
            }
        }
    }

    /// The current figures from `/proc` (an empty sample where there is none).
    static func read() -> Sample {
        var s = Sample()
        #if canImport(Glibc)
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let page = Double(sysconf(Int32(_SC_PAGESIZE)))
        if let stat = text("/proc/self/stat"), ticks > 0, page > 0 {
            let bootTime = text("/proc/stat").flatMap(bootTime(procStat:))
            s = parseStat(stat, ticksPerSecond: ticks, pageSize: page, bootTime: bootTime)
        }
        s.openFDs = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")).map { Double($0.count) }
        s.maxFDs = text("/proc/self/limits").flatMap(maxOpenFiles(limits:))
        #endif
        return s
    }

    private static func text(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        return (try? handle.readToEnd()).map { String(decoding: $0, as: UTF8.self) }
    }

    /// CPU, memory and start time from `/proc/self/stat` (proc(5)): the fields after the command
    /// name, which is in parentheses and may itself hold spaces and parentheses. `bootTime`:
    /// epoch seconds of the boot (`btime`), without which the start time is unknown.
    static func parseStat(_ stat: String, ticksPerSecond: Double, pageSize: Double, bootTime: Double?) -> Sample {
        guard let close = stat.lastIndex(of: ")") else { return Sample() }
        // Field 3 (state) is at index 0.
        let f = stat[stat.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        func field(_ n: Int) -> Double? {
            n - 3 < f.count ? Double(f[n - 3].trimmingCharacters(in: .whitespacesAndNewlines)) : nil
        }
        var s = Sample()
        if let user = field(14), let system = field(15) { s.cpuSeconds = (user + system) / ticksPerSecond }
        if let start = field(22), let bootTime { s.startTime = bootTime + start / ticksPerSecond }
        s.virtualBytes = field(23)
        s.residentBytes = field(24).map { $0 * pageSize }
        return s
    }

    /// `btime` of `/proc/stat`: the boot time, epoch seconds.
    static func bootTime(procStat: String) -> Double? {
        procStat.split(separator: "\n").first { $0.hasPrefix("btime ") }.flatMap {
            Double($0.dropFirst(6).trimmingCharacters(in: .whitespaces))
        }
    }

    /// The soft limit of "Max open files" in `/proc/self/limits`; nil when unlimited or absent.
    static func maxOpenFiles(limits: String) -> Double? {
        guard let line = limits.split(separator: "\n").first(where: { $0.hasPrefix("Max open files") }) else {
            return nil
        }
        return line.dropFirst("Max open files".count).split(separator: " ").first.flatMap { Double($0) }
    }
}
