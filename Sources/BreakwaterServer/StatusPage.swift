import BreakwaterWire
import Foundation

/// The status page for people at `GET /`: self-contained (no external assets), polls
/// `/v1/markets` every 2 s and draws each market's recent price and margin.
enum StatusPage {
    /// The page; `notice`, when given, is a banner on top (`demo`: its prices are synthetic).
    static func html(notice: String?) -> String {
        guard let notice else { return page }
        let banner =
            #"<div id="notice" style="padding:10px 20px;background:#6e40c9;color:#fff;font-weight:600">"#
            + TextEscaping.html(notice) + "</div>"
        return page.replacingOccurrences(of: "</header>", with: "</header>" + banner)
    }

    static let page = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Breakwater</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>
        body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#0f1419;color:#e6e6e6}
        header{padding:12px 20px;background:#161d26;display:flex;justify-content:space-between;align-items:center}
        h1{font-size:18px;margin:0}#overall{font-weight:600;padding:3px 10px;border-radius:10px}
        main{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:14px;padding:14px}
        .card{background:#161d26;border-radius:8px;padding:12px 14px;border-left:6px solid #555}
        .normal{border-color:#2ea043}.limit{border-color:#d29922}.halted{border-color:#f85149}
        .badge{display:inline-block;padding:1px 8px;border-radius:9px;font-size:12px;font-weight:600;margin-left:6px}
        .b-normal,.s-ok,.o-ok{background:#2ea043;color:#fff}.b-limit,.s-stale,.s-waiting,.o-degraded{background:#d29922;color:#000}
        .b-halted,.s-error,.s-outlier,.o-critical{background:#f85149;color:#fff}.s-disabled{background:#555;color:#fff}
        .price{font-size:24px;font-weight:600}.muted{color:#8b949e}table{width:100%;border-collapse:collapse;margin-top:6px}
        td,th{text-align:left;padding:2px 4px;font-size:12px;border-bottom:1px solid #222b36}svg{width:100%;height:70px;background:#0f1419;border-radius:4px;margin-top:6px}
        </style></head><body>
        <header><h1>Breakwater <span class="muted" id="asof"></span></h1><span id="overall">loading</span></header>
        <div id="stale" style="display:none;padding:10px 20px;background:#f85149;color:#fff;font-weight:600"></div>
        <main id="markets"></main>
        <script>
        const hist = {}; let lastOK = null;
        const pct = f => f == null ? '-' : (f * 100).toFixed(2) + '%';
        const num = p => p == null ? '-' : (p >= 100 ? p.toFixed(2) : p.toPrecision(6));
        function esc(s){return String(s).replace(/[&<>"]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));}
        function chart(id){
          const h = hist[id] || []; if (h.length < 2) return '<svg></svg>';
          const ps = h.map(x => x.p).filter(x => x != null), ms = h.map(x => x.m);
          const W = 400, H = 70, n = h.length;
          function line(vals, color){
            const v = vals.filter(x => x != null); if (!v.length) return '';
            const lo = Math.min(...v), hi = Math.max(...v), r = (hi - lo) || 1;
            const pts = vals.map((x, i) => x == null ? null : (i * W / (n - 1)).toFixed(1) + ',' + (H - 4 - (x - lo) / r * (H - 8)).toFixed(1)).filter(Boolean);
            return '<polyline fill="none" stroke="' + color + '" stroke-width="1.5" points="' + pts.join(' ') + '"/>';
          }
          return '<svg viewBox="0 0 400 70" preserveAspectRatio="none">' + line(h.map(x => x.p), '#58a6ff') + line(ms, '#d2a8ff') + '</svg>';
        }
        async function loadHistory(id){
          try { const r = await fetch('v1/markets/' + encodeURIComponent(id) + '/history'); const h = await r.json();
                hist[id] = h.points.map(p => ({p: p[1], m: p[2]})); } catch (e) {}
        }
        async function refresh(){
          try {
            const [mr, hr] = await Promise.all([fetch('v1/markets'), fetch('v1/health')]);
            const data = await mr.json(), health = await hr.json();
            document.getElementById('asof').textContent = 'as of ' + data.asOf;
            const o = document.getElementById('overall'); o.textContent = health.status; o.className = 'o-' + health.status;
            for (const m of data.markets) if (!hist[m.id]) await loadHistory(m.id);
            document.getElementById('markets').innerHTML = data.markets.map(m => {
              (hist[m.id] = hist[m.id] || []).push({p: m.price, m: m.margin.maintenance});
              if (hist[m.id].length > 180) hist[m.id].shift();
              const b = m.breaker;
              const rows = m.sources.map(s => '<tr><td>' + esc(s.id) + '</td><td>' + esc(s.kind) + '</td><td><span class="badge s-' + s.status + '">' + s.status +
                '</span></td><td>' + num(s.price) + '</td><td>' + (s.ageMs == null ? '-' : (s.ageMs / 1000).toFixed(1) + ' s') + '</td><td>' + pct(s.deviation) +
                '</td><td class="muted">' + esc(s.error || '') + '</td></tr>').join('');
              return '<div class="card ' + b.state + '"><div><b>' + esc(m.id) + '</b><span class="badge b-' + b.state + '">' + b.state + '</span>' +
                (b.reasons.length ? ' <span class="muted">' + b.reasons.join(', ') + '</span>' : '') + '</div>' +
                '<div class="price">' + (m.price == null ? '<span class="muted">no price</span> (last ' + num(m.lastGoodPrice) + ')' : num(m.price)) +
                ' <span class="muted">&plusmn; ' + num(m.confidence) + '</span></div>' +
                '<div>trading <b>' + m.actions.trading + '</b>, liquidations <b>' + m.actions.liquidations + '</b>' +
                (b.until ? ' <span class="muted">until ' + b.until + '</span>' : '') +
                (b.haltsAt ? ' <span class="muted">halts at ' + b.haltsAt + ' if still outside the band</span>' : '') + '</div>' +
                '<div>margin initial <b>' + pct(m.margin.initial) + '</b> maintenance <b>' + pct(m.margin.maintenance) + '</b> <span class="muted">target ' +
                pct(m.margin.target) + ', vol ' + pct(m.volatility.annualized) + '/yr</span></div>' +
                '<div class="muted">band ' + num(b.lower) + ' .. ' + num(b.upper) + ' (ref ' + num(b.reference) + ')</div>' +
                chart(m.id) + '<div class="muted" style="font-size:11px"><span style="color:#58a6ff">price</span> / <span style="color:#d2a8ff">maintenance margin</span></div>' +
                '<table><tr><th>source</th><th>kind</th><th>status</th><th>price</th><th>age</th><th>dev</th><th></th></tr>' + rows + '</table></div>';
            }).join('');
            document.getElementById('stale').style.display = 'none'; document.getElementById('markets').style.opacity = 1; lastOK = new Date();
          } catch (e) {
            document.getElementById('overall').textContent = 'unreachable'; document.getElementById('overall').className = 'o-critical';
            // The cards below are old: say so, and dim them, so nobody acts on a state that may have changed.
            const st = document.getElementById('stale'); st.style.display = 'block';
            st.textContent = 'Breakwater unreachable' + (lastOK ? ' since ' + lastOK.toISOString() : '') +
              ': the markets below are the last data received and may be out of date (fail closed: reduce-only, no liquidations).';
            document.getElementById('markets').style.opacity = 0.35;
          }
        }
        refresh(); setInterval(refresh, 2000);
        </script></body></html>
        """
}
