/// A run of `count` elements in memory that someone else owns (a stack scratch buffer, an
/// inline ring, a copy of an array), read and written by index. This is how domain code
/// works on such memory without a pointer: the addresses stay in here.
///
/// Valid only inside the call that made it (`withScratch`, `withCopy`, `withRings`); never
/// stored. Indices are checked in debug builds only (the engine's own loops keep them in range).
struct Slots<Element: BitwiseCopyable> {
    private let base: UnsafeMutablePointer<Element>
    let count: Int

    init(_ base: UnsafeMutablePointer<Element>, count: Int) {
        self.base = base
        self.count = count
    }

    /// Element `i`, read and written in place.
    subscript(i: Int) -> Element {
        @inline(__always) get {
            assert(i >= 0 && i < count, "slot \(i) outside 0..<\(count)")
            return base[i]
        }
        @inline(__always) nonmutating set {
            assert(i >= 0 && i < count, "slot \(i) outside 0..<\(count)")
            base[i] = newValue
        }
    }

    /// The `count` slots from `offset` (the parts of one scratch buffer).
    @inline(__always)
    func slots(from offset: Int, count: Int) -> Slots {
        assert(offset >= 0 && count >= 0 && offset + count <= self.count, "slots outside 0..<\(self.count)")
        return Slots(base + offset, count: count)
    }

    /// Runs `body` over `count` uninitialized slots on the stack (the heap past the
    /// standard library's stack limit).
    @inline(__always)
    static func withScratch<R>(count: Int, _ body: (Slots) -> R) -> R {
        withUnsafeTemporaryAllocation(of: Element.self, capacity: count) { body(Slots($0.baseAddress!, count: count)) }
    }

    /// Runs `body` over the elements of `array`, in place.
    static func withElements<R>(of array: inout [Element], _ body: (Slots) -> R) -> R {
        array.withUnsafeMutableBufferPointer { body(Slots($0.baseAddress!, count: $0.count)) }
    }

    /// Runs `body` over a copy of `values`.
    static func withCopy<R>(of values: [Element], _ body: (Slots) -> R) -> R {
        var copy = values
        return withElements(of: &copy, body)
    }
}

extension Slots where Element: Comparable {
    /// Sorts the first `n` slots with the standard library's sort.
    func standardSort(first n: Int) {
        var buffer = UnsafeMutableBufferPointer(start: base, count: n)
        buffer.sort()
    }
}
