public import BreakwaterEngine

/// One pushed quote after request validation.
public struct PushQuote: Sendable {
    public var market: String
    public var price: Double
    public var time: EpochSeconds
    public var confidence: Double?
}
