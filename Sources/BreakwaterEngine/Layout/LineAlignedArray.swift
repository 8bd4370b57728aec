#if canImport(Glibc)
import Glibc
#endif

/// A fixed-length array whose storage starts on a 64-byte boundary (a cache line), with
/// value semantics (copy on write). Elements of 64 bytes or more are placed at a stride
/// rounded up to a multiple of 64, so every one of them starts a line; smaller ones keep
/// their own stride.
///
/// Swift's `Array` of many elements starts them 48 bytes into a line, so a 64-byte
/// `SourceState` straddles two cache lines and a market's hot fields take one line more than
/// they need; with 10,000 markets out of cache every extra line is a memory access. Arrays
/// of 2 MiB or more take whole 2 MiB pages, aligned, offered to the kernel as huge pages (a
/// hint, `madvise`; no effect on results), so that random access across them does not miss
/// the TLB on every market.
/// Invariant: the storage is 64-byte aligned and holds `count` initialized elements,
/// element i at `i * elementStride`.
public struct LineAlignedArray<Element>: RandomAccessCollection {
    /// Distance between elements, bytes: the type's stride, rounded up to a multiple of 64
    /// when it is 64 or more.
    static var elementStride: Int {
        let stride = MemoryLayout<Element>.stride
        return stride < 64 ? stride : (stride + 63) / 64 * 64
    }

    /// The elements as addresses, for the length of one `withElements` call.
    struct Elements {
        let base: UnsafeMutableRawPointer
        let count: Int

        /// Address of element `i` (not checked against `count`).
        @inline(__always)
        func address(_ i: Int) -> UnsafeMutableRawPointer { base + i * LineAlignedArray.elementStride }

        /// Element `i`, read and written in place (not checked against `count`).
        subscript(i: Int) -> Element {
            unsafeAddress { UnsafePointer(address(i).assumingMemoryBound(to: Element.self)) }
            nonmutating unsafeMutableAddress { address(i).assumingMemoryBound(to: Element.self) }
        }
    }

    final class Storage {
        let raw: UnsafeMutableRawPointer
        let count: Int

        init(count: Int, initializer: (Elements) -> Void) {
            let used = Swift.max(1, count * LineAlignedArray.elementStride)
            let hugePage = 2 << 20
            // From one huge page up, whole huge pages (less than 2 MiB over, for a 2 MiB+ array).
            let huge = used >= hugePage
            let bytes = huge ? (used + hugePage - 1) / hugePage * hugePage : used
            let alignment = huge ? hugePage : Swift.max(64, MemoryLayout<Element>.alignment)
            let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: alignment)
            // -DBREAKWATER_NO_HUGE_PAGES leaves the advice out, for EngineBenchmark to measure it.
            #if canImport(Glibc) && !BREAKWATER_NO_HUGE_PAGES
            if huge { _ = madvise(raw, bytes, MADV_HUGEPAGE) }
            #endif
            self.raw = raw
            self.count = count
            initializer(Elements(base: raw, count: count))
        }

        var elements: Elements { Elements(base: raw, count: count) }

        func copy() -> Storage {
            Storage(count: count) { copy in
                for i in 0..<count { copy.address(i).initializeMemory(as: Element.self, to: elements[i]) }
            }
        }

        deinit {
            for i in 0..<count { elements.address(i).assumingMemoryBound(to: Element.self).deinitialize(count: 1) }
            raw.deallocate()
        }
    }

    private var storage: Storage

    public init<C: Collection>(_ elements: C) where C.Element == Element {
        storage = Storage(count: elements.count) { storage in
            for (i, e) in elements.enumerated() { storage.address(i).initializeMemory(as: Element.self, to: e) }
        }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }

    public subscript(i: Int) -> Element {
        _read {
            precondition(i >= 0 && i < storage.count, "index out of range")
            yield storage.elements[i]
        }
        _modify {
            precondition(i >= 0 && i < storage.count, "index out of range")
            makeUnique()
            yield &storage.elements[i]
        }
    }

    /// The elements as read-only addresses, for the length of one `withReadOnlyElements` call:
    /// `Elements` with its writing part hidden.
    struct ReadOnlyElements {
        fileprivate let elements: Elements

        /// Address of element `i` (not checked against `count`).
        @inline(__always)
        func address(_ i: Int) -> UnsafeRawPointer { UnsafeRawPointer(elements.address(i)) }

        /// Element `i`, read in place (not checked against `count`).
        subscript(i: Int) -> Element { elements[i] }
    }

    /// Runs `body` over the elements for reading: no copy-on-write check, no retain (the
    /// array, and so its storage, outlives the call).
    func withReadOnlyElements<R>(_ body: (ReadOnlyElements) throws -> R) rethrows -> R {
        let elements = ReadOnlyElements(elements: storage.elements)
        return try body(elements)
    }

    /// Runs `body` over the elements in place (copying them first if they are shared).
    mutating func withElements<R>(_ body: (Elements) throws -> R) rethrows -> R {
        makeUnique()
        // Only the address leaves the storage: `self` is held inout for the whole call, so the
        // storage outlives `body` without a retain (atomic, and paid per quote on the
        // one-quote path).
        let elements = storage.elements
        return try body(elements)
    }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }
}

// Copy on write: a storage is mutated only through a uniquely referenced array, so sharing
// it between copies (and threads) is safe for Sendable elements.
extension LineAlignedArray: @unchecked Sendable where Element: Sendable {}
