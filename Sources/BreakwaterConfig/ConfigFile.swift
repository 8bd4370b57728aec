#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading a configuration file with errors a person can act on ("is a directory", "no such
/// file"), from regular files and from pipes (`check-config <(jq ... config.json)`) alike.
enum ConfigFile {
    /// Largest file read, bytes (16 MiB): a configuration is kilobytes; anything near this is
    /// the wrong file.
    static let maxBytes = 16 << 20

    struct ReadError: Error {
        let reason: String
    }

    static func contents(of path: String) throws(ReadError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(reason: describe(errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ReadError(reason: describe(errno)) }
        if info.st_mode & S_IFMT == S_IFDIR { throw ReadError(reason: "it is a directory, not a file") }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError(reason: describe(errno))
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > maxBytes {
                throw ReadError(
                    reason: "larger than \(maxBytes >> 20) MiB (a configuration is kilobytes: is this the right file?)"
                )
            }
        }
    }

    private static func describe(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case EACCES: "permission denied"
        case ENOTDIR: "a part of the path is not a directory"
        default: String(cString: strerror(code)).lowercased()
        }
    }
}
