public import BreakwaterEngine
public import BreakwaterWire

extension EventDocument {
    /// The wire shape of a backtest zone change of `market` (type `model.zone`): `from` and `to`
    /// are zones, `price` the price that closed `window`, `message` the figures behind it.
    public init(_ c: BacktestZoneChange, window: BacktestWindow, market: String) {
        let f = c.figures
        let message =
            "\(c.side.rawValue) maintenance margin: \(f.exceptions) exception\(f.exceptions == 1 ? "" : "s") in the last \(f.windows) windows "
            + "(expected \(FixedDecimal.text(f.expected, decimals: 2))), Kupiec p \(FixedDecimal.probability(f.kupiecP)), "
            + "LR_cc \(FixedDecimal.text(f.conditionalLR, decimals: 2))"
        self.init(
            type: "model.zone",
            market: market,
            source: nil,
            from: c.from.rawValue,
            to: c.to.rawValue,
            reasons: [],
            price: window.endPrice,
            lastGoodPrice: nil,
            lastGoodPriceTime: nil,
            time: c.time,
            message: message,
            side: c.side.rawValue
        )
    }
}
