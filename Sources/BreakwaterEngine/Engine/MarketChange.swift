/// What changed for one market, as handed to the alerts and storage: the events it raised (in
/// time order) and its snapshot after them, which carries the state that must survive a restart
/// (halts, margin, last good price). A change with no events is a change of saved state alone
/// (an operator's halt on a halted market, a margin that moved).
public struct MarketChange: Sendable, Equatable {
    /// The market after `events`.
    public var snapshot: MarketSnapshot
    /// The market's events, oldest first; all of them have `market == snapshot.id`.
    public var events: [EngineEvent]

    public var market: String { snapshot.id }

    public init(snapshot: MarketSnapshot, events: [EngineEvent] = []) {
        self.snapshot = snapshot
        self.events = events
    }
}
