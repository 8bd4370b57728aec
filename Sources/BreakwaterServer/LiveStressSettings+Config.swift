public import BreakwaterConfig

extension LiveStressSettings {
    /// The live pass's settings from `config` (the `stress` block and each market's `liquidity`).
    public init(config: BreakwaterConfig) {
        self.init()
    }
}
