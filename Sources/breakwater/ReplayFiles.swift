import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// read(2) and write(2) under names the types below do not shadow.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, buffer, count) }

/// Why `replay` cannot use a file: printed as is, exit code 2.
struct ReplayFileError: Error, CustomStringConvertible {
    let description: String
}

/// The replay's input, read in large chunks through a file descriptor (a regular file, a
/// FIFO or a device such as /dev/stdin; never a directory).
struct ReplayInput {
    let path: String
    let fd: Int32
    /// Bytes in the file when it is a regular file (for progress), else 0.
    let size: Int
    /// Device and inode, to refuse writing the events over the input.
    let identity: (dev: UInt64, ino: UInt64)

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ReplayFileError(description: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            close(fd)
            throw ReplayFileError(description: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        if st.st_mode & S_IFMT == S_IFDIR {
            close(fd)
            throw ReplayFileError(description: "cannot read \(path): it is a directory (expected a price CSV)")
        }
        self.fd = fd
        size = st.st_mode & S_IFMT == S_IFREG ? Int(st.st_size) : 0
        identity = (UInt64(st.st_dev), UInt64(st.st_ino))
    }

    /// The next chunk of up to `count` bytes; empty at the end.
    func read(upTo count: Int) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        while true {
            let n = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, count) }
            if n >= 0 {
                buffer.removeSubrange(n...)
                return buffer
            }
            if errno == EINTR { continue }
            throw ReplayFileError(description: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// The events file: opened for writing in place (a FIFO or a device is written to, not
/// replaced; an existing file keeps its permissions), buffered, and every write checked.
final class ReplayOutput {
    let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    /// The first write error; writing stops there and `replay` exits 1 after its summary.
    private(set) var failure: String?

    init(path: String, notOver input: ReplayInput) throws {
        self.path = path
        var st = stat()
        if stat(path, &st) == 0, UInt64(st.st_dev) == input.identity.dev, UInt64(st.st_ino) == input.identity.ino {
            throw ReplayFileError(description: "will not write the events to \(path): it is the input file")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ReplayFileError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        self.fd = fd
    }

    private var closed = false

    deinit { if !closed { close(fd) } }

    /// Writes what is queued and closes the file, checking both (an error may only show at close).
    func finish() {
        flush()
        closed = true
        if close(fd) != 0, failure == nil {
            failure = "cannot write the events to \(path): \(String(cString: strerror(errno)))"
        }
    }

    /// Queues one line (a newline is added).
    func write(_ line: String) {
        guard failure == nil else { return }
        buffer.append(contentsOf: line.utf8)
        buffer.append(10)
        if buffer.count > 1 << 20 { flush() }
    }

    /// Writes what is queued; records the first error.
    func flush() {
        guard failure == nil else {
            buffer.removeAll()
            return
        }
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + offset, buffer.count - offset) }
            if n > 0 {
                offset += n
                continue
            }
            if n < 0 && errno == EINTR { continue }
            failure =
                "cannot write the events to \(path): \(n < 0 ? String(cString: strerror(errno)) : "nothing written")"
            break
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
