public import BreakwaterEngine
public import BreakwaterWire

extension EventDocument {
    /// The wire shape of engine event `e`.
    public init(_ e: EngineEvent) {
        self.init(
            type: e.kind.rawValue,
            market: e.market,
            source: e.source,
            from: e.from,
            to: e.to,
            reasons: e.reasons.map(\.rawValue),
            price: e.price,
            lastGoodPrice: e.lastGoodPrice,
            lastGoodPriceTime: e.lastGoodPriceTime,
            time: e.time,
            message: e.message
        )
    }
}
