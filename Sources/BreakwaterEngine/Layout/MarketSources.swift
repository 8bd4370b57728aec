/// Where one market's sources are in the engine's flat source arrays. Kept in a dense array
/// of its own (8 bytes a market, so it stays in cache) rather than in `MarketState`: the
/// sources' address is then known without waiting for the market's state to arrive.
struct SourceRange: Sendable {
    let first: Int32
    let count: Int32
}

/// One market's slice of the engine's flat source arrays, valid for one evaluation.
///
/// The engine keeps every market's `SourceState`s in one array (hot, 64 bytes each) and
/// their last feed errors in a parallel array (cold); a market's sources are the `count`
/// entries from its `SourceRange.first`.
/// Valid for one evaluation (made by `EngineMemory.sources(of:)`); never stored.
struct MarketSources {
    private let states: UnsafeMutablePointer<SourceState>
    private let errors: UnsafeMutablePointer<String?>
    let count: Int

    init(states: UnsafeMutablePointer<SourceState>, errors: UnsafeMutablePointer<String?>, count: Int) {
        self.states = states
        self.errors = errors
        self.count = count
    }

    /// Source `j`'s state, read and written in place (checked against `count` in debug builds).
    subscript(j: Int) -> SourceState {
        unsafeAddress {
            assert(j >= 0 && j < count, "source \(j) outside 0..<\(count)")
            return UnsafePointer(states + j)
        }
        nonmutating unsafeMutableAddress {
            assert(j >= 0 && j < count, "source \(j) outside 0..<\(count)")
            return states + j
        }
    }

    /// Records a feed error for source `j` (shown until its next accepted quote).
    func setError(_ j: Int, _ message: String) {
        errors[j] = message
        states[j].hasError = true
    }

    /// Records that source `j`'s quote could not be converted through its normalizing market.
    func setConversionError(_ j: Int, _ message: String) {
        setError(j, message)
        states[j].conversionFailed = true
    }

    /// Clears a conversion error once a conversion works again (a feed error stays).
    func clearConversionError(_ j: Int) {
        states[j].conversionFailed = false
        if states[j].hasError {
            errors[j] = nil
            states[j].hasError = false
        }
    }

    /// The error to show for source `j`, if any.
    func error(_ j: Int) -> String? { states[j].hasError ? errors[j] : nil }
}
