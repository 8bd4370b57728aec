public import BreakwaterAlerts
public import BreakwaterEngine
public import BreakwaterStore
import Logging

extension Monitor {
    /// Where finished backtest windows are stored and `model.breach` conditions committed.
    public func setModelHandler(
        _ handler: @escaping @Sendable ([BacktestWindowRecord], [AlertCondition], EpochSeconds) async throws -> Void
    ) {
        model.handler = handler
    }

    /// Counts the backtest windows stored before the last stop (at start-up, before serving).
    public func restoreModel(_ stored: [String: [BacktestWindow]]) {
        model.restore(stored)
        publishModelReports()
    }

    /// The margin backtest of every market, as last published (tests, the status page).
    public var modelReports: [String: BacktestReport] { board.current.models }

    /// A tick's share of the backtest: observes the markets whose grid step moved on (from their
    /// snapshots, off the quote path), publishes the reports that changed, and hands finished
    /// windows and changed alert states to storage (waiting for it when `waitForStorage`).
    func tickModel(at asOf: EpochSeconds, waitForStorage: Bool) async {
        let due = model.due(at: asOf)
        if !due.isEmpty {
            for (i, s) in zip(due, engine.snapshots(of: due, at: asOf)) { model.observe(i, s) }
            publishModelReports()
        }
        guard model.hasWork, model.handler != nil else { return }
        if waitForStorage {
            await handOverModel()
        } else if !model.handing {
            model.handing = true
            Task {
                await handOverModel()
                model.handing = false
            }
        }
    }

    /// Posts the reports changed since the last post to the board (their market bodies are
    /// encoded again on their next read).
    private func publishModelReports() {
        let reports = model.takeChangedReports()
        guard !reports.isEmpty else { return }
        board.update { p in
            for (id, r) in reports {
                p.models[id] = r
                if let i = p.index[id], i < p.builtAt.count { p.builtAt[i] = -.infinity }
            }
            p.allMarketsJSON = nil
        }
    }

    /// Stores the unstored windows and commits the changed alert states; on failure they stay
    /// for the next tick (logged at most once a minute).
    private func handOverModel() async {
        guard let handler = model.handler else { return }
        let windows = model.unstored
        let due = model.conditionsDue()
        guard !windows.isEmpty || !due.checked.isEmpty else { return }
        do {
            try await handler(windows, due.conditions, engine.clock)
            model.handedOver(windows: windows.count, states: due.states, checked: due.checked)
        } catch {
            if engine.clock - model.lastFailureLog >= 60 {
                model.lastFailureLog = engine.clock
                logger.error(
                    "backtest windows not stored; will retry",
                    metadata: [
                        "error": "\(error)", "pending": "\(windows.count)", "dropped": "\(model.droppedWindows)",
                    ]
                )
            }
        }
    }
}
