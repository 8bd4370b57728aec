/// A side's maintenance-margin Basel zone over the last 250 windows changed when a window
/// finished (`time`, its end, epoch seconds). A side starts green: an unrated zone (too few
/// windows) counts as green here, so the first change is to yellow or red.
public struct BacktestZoneChange: Sendable, Equatable {
    public var side: MarginSide
    public var from: BaselZone
    public var to: BaselZone
    public var time: EpochSeconds
    /// The side's maintenance figures over the last 250 windows after the change.
    public var figures: BacktestFigures
}

/// What finishing one window did: the window itself and the zone changes it caused.
public struct BacktestOutcome: Sendable, Equatable {
    public var window: BacktestWindow
    public var zoneChanges: [BacktestZoneChange]
}
