import BreakwaterWire

/// The status page for people at `GET /`: self-contained (no external asset, font or CDN). The
/// overview lists every market in one row, worst first; a row opens into its explanation,
/// charts and sources; then the positions' stress (`StatusPageStress`); then the recent alerts (firing first) and each destination's delivery
/// state; the correlation regime across markets (`StatusPageSystem`). Style in `StatusPageStyle`, script in `StatusPageScript` and `StatusPageCharts`,
/// one-line explanations in `StatusPageGlossary`.
enum StatusPage {
    /// The page; `notice`, when given, is a banner on top (`demo`: its prices are synthetic).
    static func html(notice: String?) -> String {
        let banner = notice.map { #"<div id="notice" class="banner">"# + TextEscaping.html($0) + "</div>" } ?? ""
        return head + banner + body
    }

    static let head = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Breakwater</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>\(StatusPageStyle.css)\(StatusPageSystem.css)</style></head><body>
        <header><h1>Breakwater <span class="muted" id="asof"></span></h1><span id="overall">loading</span></header>
        """

    static let body = """

        <div id="stale" class="banner"></div>
        <noscript><div class="banner" style="background:#d29922;color:#000">This page needs JavaScript; \
        the same data is at /v1/markets, /v1/stress, /v1/alerts and /v1/destinations.</div></noscript>
        <main id="content">
        <p id="summary" class="muted">loading</p>
        <h2>Markets, worst first</h2>
        <p class="muted">Select a market for its explanation, charts and sources.</p>
        <div class="row head"><span>market</span><span>state</span><span>price &plusmn; confidence</span>\
        <span>actions for keepers</span><span>maintenance margin</span><span>sources ok</span></div>
        <div id="rows"></div>
        <h2 id="stress-h">Positions and stress</h2><div id="stress"><p class="muted">loading</p></div>
        \(StatusPageSystem.html)
        <h2 id="alerts-h">Alerts, firing first</h2><div id="alerts" class="alerts"></div>
        <h2 id="destinations-h">Alert destinations</h2><div id="destinations"></div>
        </main>
        <script>window.addEventListener('error', e => { document.body.dataset.jsError = String(e.message); });</script>
        <script>
        \(StatusPageGlossary.script)\(StatusPageCharts.js)
        \(StatusPageScript.js)\(StatusPageStress.js)
        \(StatusPageSystem.js)
        </script></body></html>

        """
}
