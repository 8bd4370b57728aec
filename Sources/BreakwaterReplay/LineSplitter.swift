/// Splits a byte stream read in chunks into lines: LF or CRLF endings, a UTF-8 byte-order
/// mark at the very start dropped, each byte scanned once however long a line is.
public struct LineSplitter {
    /// The bytes of a line whose end has not arrived yet.
    private var pending: [UInt8] = []
    private var atStart = true

    public init() {}

    /// Calls `body` with every line `chunk` completes, in order, without its line ending.
    public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, _ body: (Substring) -> Void) {
        var i = chunk.startIndex
        while let newline = chunk[i...].firstIndex(of: 10) {
            if pending.isEmpty {
                body(line(chunk[i..<newline]))
            } else {
                pending.append(contentsOf: chunk[i..<newline])
                body(line(pending[...]))
                pending.removeAll(keepingCapacity: true)
            }
            i = newline + 1
        }
        pending.append(contentsOf: chunk[i...])
    }

    /// Calls `body` with the last line when the stream did not end with a line ending.
    public mutating func finish(_ body: (Substring) -> Void) {
        if !pending.isEmpty { body(line(pending[...])) }
        pending.removeAll()
    }

    /// A line's text without its CR (CRLF endings) and, for the first line, a byte-order mark.
    private mutating func line<C: BidirectionalCollection<UInt8>>(_ bytes: C) -> Substring {
        var bytes = bytes[...]
        if atStart {
            atStart = false
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        }
        if bytes.last == 13 { bytes = bytes.dropLast() }
        return Substring(String(decoding: bytes, as: UTF8.self))
    }
}
