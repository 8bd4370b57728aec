import BreakwaterEngine

extension MetricsRenderer {
    /// The margin model's backtest per market (`model` in `GET /v1/markets/{id}`): windows
    /// compared and skipped; per side, margin level and span (`last250`, `whole`) the exceptions,
    /// the expected count, Kupiec's p, LR_cc, and the Basel zone.
    static func modelFamilies(
        _ p: SnapshotBoard.Published,
        family: (String, String, String, [(String, Double?)]) -> Void,
        labels l: ((String, String)...) -> String
    ) {
        let models = p.markets.compactMap { m in p.models[m.id].map { (m.id, $0) } }
        family(
            "breakwater_model_windows",
            "gauge",
            "Margin backtest windows compared, whole history.",
            models.map { (l(("market", $0.0)), Double($0.1.windows)) }
        )
        family(
            "breakwater_model_windows_skipped",
            "gauge",
            "Margin backtest windows skipped: no trusted price within the max age of their end.",
            models.map { (l(("market", $0.0)), Double($0.1.skipped)) }
        )
        // One series per market, side, margin level and span.
        let cells = models.flatMap { id, r in
            MarginSide.allCases.flatMap { side in
                MarginLevel.allCases.flatMap { level in
                    [("last250", r[side, level].last250), ("whole", r[side, level].wholeHistory)].map { span, f in
                        (l(("market", id), ("side", side.rawValue), ("margin", level.rawValue), ("span", span)), f)
                    }
                }
            }
        }
        family(
            "breakwater_model_exceptions",
            "gauge",
            "Margin backtest exceptions (long: falls, short: rises beyond the margin).",
            cells.map { ($0.0, Double($0.1.exceptions)) }
        )
        family(
            "breakwater_model_expected_exceptions",
            "gauge",
            "Exceptions the coverage promises over the same windows.",
            cells.map { ($0.0, $0.1.expected) }
        )
        family(
            "breakwater_model_kupiec_p",
            "gauge",
            "Kupiec unconditional coverage p-value (low: too many or too few exceptions).",
            cells.map { ($0.0, $0.1.kupiecP) }
        )
        family(
            "breakwater_model_lr_cc",
            "gauge",
            "Christoffersen conditional coverage LR (above 9.21: rejected at 99 %).",
            cells.map { ($0.0, $0.1.conditionalLR) }
        )
        family(
            "breakwater_model_zone",
            "gauge",
            "1 for the current Basel zone (no series while unrated: too few windows).",
            cells.flatMap { labels, f in
                BaselZone.allCases.map { z in
                    (labels + ",zone=\"\(z.rawValue)\"", f.zone.map { $0 == z ? 1.0 : 0.0 })
                }
            }
        )
    }
}
