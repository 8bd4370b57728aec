extension MarketStressBook {
    /// The accounts of `side` in BitMEX order at `mark` (highest score first), each giving up
    /// its whole notional (at the reference price) until `notional` is covered, the last one
    /// part of it; at most `top` entries. Positions without an account are not ranked.
    func adlQueue(deleveraging side: PositionSide, at mark: Double, notional: Double, top: Int) -> [ADLQueueEntry] {
        var ranked: [(score: Double, index: Int)] = []
        for (i, p) in positions.enumerated() where p.side == side && p.account != nil {
            if let s = ADLQueueEntry.score(of: p, at: mark) { ranked.append((s, i)) }
        }
        ranked.sort { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
        var remaining = notional
        var queue: [ADLQueueEntry] = []
        for (score, i) in ranked where remaining > 0 && queue.count < top {
            let p = positions[i]
            let gives = min(p.size * market.price, remaining)
            remaining -= gives
            queue.append(
                ADLQueueEntry(market: market.id, account: p.account ?? "", side: side, score: score, notional: gives)
            )
        }
        return queue
    }
}
