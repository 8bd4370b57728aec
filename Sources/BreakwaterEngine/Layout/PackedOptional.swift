/// An optional `Double` stored in 8 bytes instead of 16: NaN stands for nil. For values
/// that are never NaN (times, prices, fractions the engine has validated), so the hot
/// per-market state stays within fewer cache lines. Assigning NaN stores nil.
@propertyWrapper
public struct PackedOptional: Sendable, Equatable {
    private var raw: Double

    public init(wrappedValue: Double?) { raw = wrappedValue ?? .nan }

    public var wrappedValue: Double? {
        get { raw.isNaN ? nil : raw }
        set { raw = newValue ?? .nan }
    }

    public static func == (a: PackedOptional, b: PackedOptional) -> Bool {
        (a.raw.isNaN && b.raw.isNaN) || a.raw == b.raw
    }
}
