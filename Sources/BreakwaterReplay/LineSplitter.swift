/// Splits a byte stream read in chunks into lines: LF, CRLF or lone CR endings (old Mac
/// files), a UTF-8 byte-order mark at the very start dropped, each byte scanned once however
/// long a line is. A line longer than `maxLineBytes` is not kept: it is reported by its
/// length, so one endless line cannot take the memory.
public struct LineSplitter {
    /// One line of the stream, without its ending.
    public enum Line: Equatable {
        case text(Substring)
        /// A line of this many bytes, more than `maxLineBytes`, skipped.
        case tooLong(bytes: Int)
    }

    /// Longest line kept, bytes (a price row is well under 1 KiB).
    public let maxLineBytes: Int
    /// The bytes of a line whose end has not arrived yet.
    private var pending: [UInt8] = []
    /// Bytes of the current line beyond `maxLineBytes` dropped so far (0: the line is kept).
    private var droppedBytes = 0
    /// The last chunk ended with CR: an LF at the start of the next one belongs to it.
    private var afterCR = false
    private var atStart = true

    public init(maxLineBytes: Int = 1 << 20) { self.maxLineBytes = maxLineBytes }

    /// Calls `body` with every line `chunk` completes, in order.
    public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, _ body: (Line) -> Void) {
        var i = chunk.startIndex
        if afterCR, i < chunk.endIndex, chunk[i] == 10 { i += 1 }
        afterCR = false
        while let end = chunk[i...].firstIndex(where: { $0 == 10 || $0 == 13 }) {
            if pending.isEmpty && droppedBytes == 0 && end - i <= maxLineBytes && !atStart {
                body(.text(Substring(String(decoding: chunk[i..<end], as: UTF8.self))))  // the usual case: no copy
            } else {
                keep(chunk[i..<end])
                body(takeLine())
            }
            i = end + 1
            if chunk[end] == 13 {
                if i < chunk.endIndex { if chunk[i] == 10 { i += 1 } } else { afterCR = true }
            }
        }
        keep(chunk[i...])
    }

    /// Calls `body` with the last line when the stream did not end with a line ending.
    public mutating func finish(_ body: (Line) -> Void) {
        if !pending.isEmpty || droppedBytes > 0 { body(takeLine()) }
        pending.removeAll()
    }

    /// Adds `bytes` to the current line, or counts them once the line is too long.
    private mutating func keep(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) {
        if droppedBytes == 0 && pending.count + bytes.count <= maxLineBytes {
            pending.append(contentsOf: bytes)
        } else {
            droppedBytes += pending.count + bytes.count
            pending.removeAll(keepingCapacity: false)
        }
    }

    /// The current line (its text, without a byte-order mark on the first), and a fresh start.
    private mutating func takeLine() -> Line {
        defer {
            pending.removeAll(keepingCapacity: true)
            droppedBytes = 0
            atStart = false
        }
        if droppedBytes > 0 { return .tooLong(bytes: droppedBytes) }
        var bytes = pending[...]
        if atStart, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        return .text(Substring(String(decoding: bytes, as: UTF8.self)))
    }
}
