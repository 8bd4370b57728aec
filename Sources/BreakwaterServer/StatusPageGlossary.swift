import BreakwaterWire

/// One line per state, reason, action and source status shown on the status page: what it
/// means and what keepers should do (docs/runbook.md says the same at length). Served as a
/// JavaScript object literal `GLOSSARY` keyed `kind:code`.
enum StatusPageGlossary {
    static let entries: [(key: String, text: String)] = [
        ("state:normal", "Normal: the price is trusted and inside its band. Keepers trade and liquidate as usual."),
        (
            "state:limit",
            "Limit: something is wrong but not enough to stop the market. Keepers allow only position-reducing trades; the reasons say whether liquidations continue."
        ),
        (
            "state:halted",
            "Halted: trading stops. Keepers open and close nothing; liquidations follow the liquidations action."
        ),
        (
            "reason:price_band",
            "price_band: the price left the band around its reference. Reduce-only now; it becomes a halt if still outside at the time shown."
        ),
        (
            "reason:velocity",
            "velocity: the price moved more than the velocity limit within its window. Halted until the cooldown ends."
        ),
        (
            "reason:quorum_lost",
            "quorum_lost: too few fresh sources to trust a price. Reduce-only, liquidations paused until enough sources are back and healthy for the recovery time."
        ),
        (
            "reason:divergence",
            "divergence: fresh sources disagree by more than the allowed spread, so none can be trusted. Reduce-only, liquidations paused."
        ),
        (
            "reason:manual",
            "manual: an operator halted the market. Ask whoever set it before resuming; it ends when resumed or at its end time."
        ),
        (
            "reason:warming",
            "warming: the service just started and is collecting fresh quotes. Reduce-only, liquidations paused until it ends."
        ),
        ("trading:open", "Trading open: accept new positions and increases."),
        ("trading:reduce-only", "Trading reduce-only: accept only trades that reduce a position."),
        ("trading:halted", "Trading halted: accept no trades at all."),
        ("liquidations:enabled", "Liquidations enabled: liquidate at the published price as usual."),
        (
            "liquidations:staged",
            "Liquidations staged: the price is trusted but the market is halted; liquidate in small increments to spare the book."
        ),
        (
            "liquidations:paused",
            "Liquidations paused: the price cannot be trusted (or an operator halted); do not liquidate."
        ),
        ("source:ok", "ok: fresh and close to the median; counted."),
        ("source:stale", "stale: its last quote is older than the maximum age; not counted."),
        ("source:outlier", "outlier: too far from the median of the other sources; excluded."),
        ("source:error", "error: the last poll failed (see its error); not counted."),
        ("source:waiting", "waiting: no quote received yet since start-up."),
        ("source:disabled", "disabled: an operator took it out; not counted until enabled."),
        (
            "margin:atRiseBound",
            "Held at its rise bound: the target is higher, but the published margin may rise only by the configured fraction per hour, so it climbs toward the target step by step."
        ),
        (
            "model:green",
            "Green: no more moves beyond the maintenance margin than its coverage allows over the last 250 windows."
        ),
        (
            "model:yellow",
            "Yellow: more moves beyond the maintenance margin than its coverage makes likely; the model may understate this side's risk (model.breach warning)."
        ),
        (
            "model:red",
            "Red: far more moves beyond the maintenance margin than its coverage allows: the margin is too thin for this side (model.breach critical)."
        ),
        ("model:unrated", "Unrated: too few windows yet to judge the margin model."),
    ]

    /// `const GLOSSARY={...};`: the entries as a JSON object (a JavaScript expression). No text
    /// holds `<`, so none can close the script element (checked by a test).
    static let script: String = {
        let table = Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.text) })
        return "const GLOSSARY=" + WireJSON.string(table) + ";\n"
    }()
}
