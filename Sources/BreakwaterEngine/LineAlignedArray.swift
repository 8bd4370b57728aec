#if canImport(Glibc)
import Glibc
#endif

/// A fixed-length array whose first element starts on a 64-byte boundary (a cache line),
/// with value semantics (copy on write).
///
/// Swift's `Array` of many elements starts them 48 bytes into a line, so a 64-byte
/// `SourceState` straddles two cache lines and a market's hot fields take one line more than
/// they need; with 10,000 markets out of cache every extra line is a memory access. Arrays
/// of 4 MiB or more are also aligned to 2 MiB and offered to the kernel as huge pages (a
/// hint, `madvise`; no effect on results), so that random access across them does not miss
/// the TLB on every market.
/// Invariant: `base` is 64-byte aligned and holds `count` initialized elements.
public struct LineAlignedArray<Element>: RandomAccessCollection {
    final class Storage {
        let base: UnsafeMutablePointer<Element>
        let count: Int

        init(count: Int, initializer: (UnsafeMutablePointer<Element>) -> Void) {
            let bytes = Swift.max(1, count * MemoryLayout<Element>.stride)
            let hugePage = 2 << 20
            let alignment = bytes >= 2 * hugePage ? hugePage : Swift.max(64, MemoryLayout<Element>.alignment)
            let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: alignment)
            #if canImport(Glibc)
            if alignment == hugePage { _ = madvise(raw, bytes / hugePage * hugePage, MADV_HUGEPAGE) }
            #endif
            base = raw.bindMemory(to: Element.self, capacity: count)
            self.count = count
            initializer(base)
        }

        func copy() -> Storage {
            Storage(count: count) { $0.initialize(from: base, count: count) }
        }

        deinit {
            base.deinitialize(count: count)
            base.deallocate()
        }
    }

    private var storage: Storage

    public init<C: Collection>(_ elements: C) where C.Element == Element {
        storage = Storage(count: elements.count) { base in
            var p = base
            for e in elements { p.initialize(to: e); p += 1 }
        }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }

    public subscript(i: Int) -> Element {
        get {
            precondition(i >= 0 && i < storage.count, "index out of range")
            return storage.base[i]
        }
        _modify {
            precondition(i >= 0 && i < storage.count, "index out of range")
            makeUnique()
            yield &storage.base[i]
        }
    }

    /// Runs `body` over the elements in place (copying them first if they are shared).
    mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R {
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: storage.base, count: storage.count))
    }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }
}

// Copy on write: a storage is mutated only through a uniquely referenced array, so sharing
// it between copies (and threads) is safe for Sendable elements.
extension LineAlignedArray: @unchecked Sendable where Element: Sendable {}
