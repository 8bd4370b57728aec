/// One market's slice of the engine's flat source arrays, valid for one evaluation.
///
/// The engine keeps every market's `SourceState`s in one array (hot, 64 bytes each) and
/// their last feed errors in a parallel array (cold); a market's sources are the `count`
/// entries from its `firstSource`.
struct MarketSources {
    let states: UnsafeMutablePointer<SourceState>
    let errors: UnsafeMutablePointer<String?>
    let count: Int

    /// Records a feed error for source `j` (shown until its next accepted quote).
    func setError(_ j: Int, _ message: String) {
        errors[j] = message
        states[j].hasError = true
    }

    /// The error to show for source `j`, if any.
    func error(_ j: Int) -> String? { states[j].hasError ? errors[j] : nil }
}
