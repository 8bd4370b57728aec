/// A change applied in memory but not stored: why, and whether storage was only busy (the
/// database stayed locked by another process for the whole busy timeout) rather than failing.
public struct NotStored: Error, Sendable, Equatable {
    public var reason: String
    public var busy: Bool
}
