import BreakwaterEngine
import BreakwaterWire

/// The `model` block of `GET /v1/markets/{id}`: the margin model's backtest (docs/api.md). Per
/// side (`long`, `short`) and margin level (`maintenance`, `initial`), the figures over the last
/// 250 windows and over the whole history; per side the windows compared and skipped.
/// `horizonSeconds` is the window length, `lastWindowEnd` RFC 3339 (null before the first).
struct ModelDocument: Encodable {
    let report: BacktestReport

    enum Key: String, CodingKey {
        case horizonSeconds, coverage, exceptionProbability, lastWindowEnd, long, short
        case windows, skipped, maintenance, initial, last250, wholeHistory
    }

    func encode(to encoder: any Encoder) throws {
        let r = report
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(r.horizonSeconds, forKey: .horizonSeconds)
        try c.encode(r.coverage, forKey: .coverage)
        try c.encode(r.p, forKey: .exceptionProbability)
        try c.encodeTime(r.lastEnd, forKey: .lastWindowEnd)
        for side in MarginSide.allCases {
            var s = c.nestedContainer(keyedBy: Key.self, forKey: side == .long ? .long : .short)
            try s.encode(r.windows, forKey: .windows)
            try s.encode(r.skipped, forKey: .skipped)
            for level in MarginLevel.allCases {
                var l = s.nestedContainer(keyedBy: Key.self, forKey: level == .maintenance ? .maintenance : .initial)
                try l.encode(FiguresDocument(figures: r[side, level].last250), forKey: .last250)
                try l.encode(FiguresDocument(figures: r[side, level].wholeHistory), forKey: .wholeHistory)
            }
        }
    }
}

/// One span's backtest figures: counts, the expected count, the likelihood ratios and their
/// p-values, and the Basel zone (null while unrated: too few windows).
struct FiguresDocument: Encodable {
    let figures: BacktestFigures

    enum Key: String, CodingKey {
        case windows, exceptions, expected, kupiecLR, kupiecP, independenceLR, independenceP
        case conditionalLR, conditionalP, zone
    }

    func encode(to encoder: any Encoder) throws {
        let f = figures
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(f.windows, forKey: .windows)
        try c.encode(f.exceptions, forKey: .exceptions)
        try c.encodeNumber(f.expected, forKey: .expected)
        try c.encodeNumber(f.kupiecLR, forKey: .kupiecLR)
        try c.encodeNumber(f.kupiecP, forKey: .kupiecP)
        try c.encodeNumber(f.independenceLR, forKey: .independenceLR)
        try c.encodeNumber(f.independenceP, forKey: .independenceP)
        try c.encodeNumber(f.conditionalLR, forKey: .conditionalLR)
        try c.encodeNumber(f.conditionalP, forKey: .conditionalP)
        try c.encodeNullable(f.zone?.rawValue, forKey: .zone)
    }
}
