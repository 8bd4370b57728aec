import BreakwaterEngine
import BreakwaterWire

extension ReplaySummary {
    /// A market's margin backtest: one column per side at maintenance and at initial margin,
    /// one row per figure (counts whole, rates and LRs 2 decimals, p-values 4).
    func backtestLines(_ m: MarketReplaySummary) -> [String] {
        let b = m.backtest
        let report = b.report
        let columns = [
            (MarginLevel.maintenance, MarginSide.long), (.maintenance, .short), (.initial, .long), (.initial, .short),
        ]
        let whole = columns.map { report[$0.1, $0.0].wholeHistory }
        let recent = columns.map { report[$0.1, $0.0].last250 }
        func row(_ name: String, _ cell: (BacktestFigures) -> String, _ figures: [BacktestFigures]) -> [String] {
            [name] + figures.map(cell)
        }
        let zone: (BacktestFigures) -> String = { $0.zone?.rawValue ?? "unrated" }
        let rows: [[String]] = [
            ["", "maintenance", "", "initial", ""],
            ["", "long", "short", "long", "short"],
            row("exceptions", { String($0.exceptions) }, whole),
            row("expected", { fixed($0.expected, decimals: 2) }, whole),
            row("exception rate", { pct(Double($0.exceptions) / Double(max(1, $0.windows))) }, whole),
            row("Kupiec LR_uc", { fixed($0.kupiecLR, decimals: 2) }, whole),
            row("Kupiec p", { FixedDecimal.probability($0.kupiecP) }, whole),
            row("Christoffersen LR_ind", { fixed($0.independenceLR, decimals: 2) }, whole),
            row("LR_ind p", { FixedDecimal.probability($0.independenceP) }, whole),
            row("LR_cc", { fixed($0.conditionalLR, decimals: 2) }, whole),
            row("LR_cc p", { FixedDecimal.probability($0.conditionalP) }, whole),
            row("Basel zone, whole history", zone, whole),
            row("exceptions, last \(recent[0].windows)", { String($0.exceptions) }, recent),
            row("Basel zone, last \(recent[0].windows)", zone, recent),
        ]
        let head =
            "backtest \(m.market): \(b.windows) windows of \(duration(b.horizonSeconds)), \(b.skipped) skipped, "
            + "coverage \(pct(b.coverage)) (an exception probability of \(pct(b.p)) per side and window)"
        return [head] + padded(rows).map { "  " + $0 } + [""]
    }
}
