/// The status page's script: polls `/v1/markets` and `/v1/health` every 2 s, `/v1/alerts` and
/// `/v1/destinations` every 5 s; renders the overview (worst first), the opened markets' details
/// (explanations from `GLOSSARY`, countdowns kept current each second, charts from
/// `StatusPageCharts`) and the alerts and destinations. Reads every time as the server's: a
/// countdown is the answer's `asOf` plus the time since it arrived, not the browser's clock.
enum StatusPageScript {
    static let js = #"""
        // State of the page: the last answers, the markets opened, the samples collected since load.
        const S = {markets: [], asOfMs: 0, recvMs: 0, health: null, firing: [], resolved: [], alertsError: null,
          dests: null, destsError: null, open: new Set(), hist: {}, local: {}, lastOK: null};
        const RANK = {halted: 0, limit: 1, normal: 2};
        function esc(s){ return String(s).replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c])); }
        const pct = (f, d) => f == null ? 'n/a' : (f * 100).toFixed(d == null ? 2 : d) + ' %';
        const num = p => p == null ? 'n/a' : (Math.abs(p) >= 100 ? p.toFixed(2) : p.toPrecision(6));
        // A confidence half-width: three significant digits are enough to judge it.
        const conf = c => c == null ? 'n/a' : (Math.abs(c) >= 100 ? c.toFixed(2) : c.toPrecision(3));
        const plural = (n, one, many) => n + ' ' + (n === 1 ? one : many);
        const explain = (kind, code) => GLOSSARY[kind + ':' + code] || (code + ': no explanation is known for this code.');
        // Server time now: the answer's asOf plus the time since it arrived (the browser's clock may be off).
        const serverNow = () => S.asOfMs + (Date.now() - S.recvMs);
        function duration(sec){
          sec = Math.max(0, Math.round(sec));
          const d = Math.floor(sec / 86400), h = Math.floor(sec % 86400 / 3600), m = Math.floor(sec % 3600 / 60), s = sec % 60;
          return d ? d + ' d ' + h + ' h' : h ? h + ' h ' + m + ' min' : m ? m + ' min ' + s + ' s' : s + ' s';
        }
        function when(iso){
          if (!iso) return 'n/a';
          const ms = Date.parse(iso), ago = (serverNow() - ms) / 1000;
          return utcClock(ms) + ' UTC (' + (ago >= 0 ? duration(ago) + ' ago' : 'in ' + duration(-ago)) + ')';
        }
        // A countdown that the 1 s timer keeps current: "ends in 4 min 12 s (17:32:10 UTC)".
        function countdown(iso, prefix){
          const ms = Date.parse(iso);
          return '<span class="countdown" data-until="' + ms + '" data-prefix="' + esc(prefix) + '">' + countdownText(ms, prefix) + '</span>';
        }
        function countdownText(ms, prefix){
          const left = (ms - serverNow()) / 1000;
          return esc(prefix) + ' ' + (left > 0 ? 'in ' + duration(left) : 'now') + ' (' + utcClock(ms) + ' UTC)';
        }
        function tickCountdowns(){
          for (const e of document.querySelectorAll('.countdown')) e.textContent = countdownText(+e.dataset.until, e.dataset.prefix).replace(/&amp;/g, '&');
        }
        const healthy = m => m.sources.filter(s => s.status === 'ok').length;
        function worstFirst(a, b){
          return (RANK[a.breaker.state] - RANK[b.breaker.state]) ||
            ((healthy(a) / Math.max(1, a.sources.length)) - (healthy(b) / Math.max(1, b.sources.length))) ||
            (b.breaker.reasons.length - a.breaker.reasons.length) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
        }
        function priceCell(m){
          if (m.price == null) return '<span class="bad">no price</span>' + (m.lastGoodPrice == null ? '' : ' <span class="muted">last ' + num(m.lastGoodPrice) + '</span>');
          return num(m.price) + ' <span class="muted">&plusmn; ' + conf(m.confidence) + '</span>';
        }
        function row(m){
          const b = m.breaker, ok = healthy(m), n = m.sources.length, open = S.open.has(m.id);
          return '<div class="row ' + b.state + '" role="button" tabindex="0" aria-expanded="' + open + '" data-id="' + esc(m.id) + '">' +
            '<span class="id">' + (open ? '&#9662; ' : '&#9656; ') + esc(m.id) + '</span>' +
            '<span><span class="badge b-' + b.state + '" title="' + esc(explain('state', b.state)) + '">' + b.state + '</span></span>' +
            '<span class="num">' + priceCell(m) + '</span>' +
            '<span class="acts">trading <b>' + m.actions.trading + '</b>, liquidations <b>' + m.actions.liquidations + '</b></span>' +
            '<span class="mrg num">margin ' + pct(m.margin.maintenance) + (m.margin.atRiseBound ? ' <span class="warn" title="' + esc(explain('margin', 'atRiseBound')) + '">held, target ' + pct(m.margin.target) + '</span>' : '') + '</span>' +
            '<span class="num ' + (ok < n ? (ok === 0 ? 'bad' : 'warn') : '') + '">' + ok + '/' + n + ' sources</span></div>' +
            (open ? detail(m) : '');
        }
        function explainBlock(m){
          const b = m.breaker, lines = ['<p class="explain"><b>' + b.state + '</b> since ' + when(b.since) + ': ' + esc(explain('state', b.state)) + '</p>'];
          for (const r of b.reasons) lines.push('<p class="explain">&bull; ' + esc(explain('reason', r)) + '</p>');
          if (b.until) lines.push('<p class="explain"><b>' + countdown(b.until, b.state === 'halted' ? 'Halt ends' : 'Limit ends') + '</b></p>');
          else if (b.state === 'halted') lines.push('<p class="explain"><b>No end time: it lasts until an operator resumes it.</b></p>');
          if (b.haltsAt) lines.push('<p class="explain warn"><b>' + countdown(b.haltsAt, 'Halts') + ' if still outside the band</b></p>');
          if (b.manual) lines.push('<p class="explain">Halted by <b>' + esc(b.manual.by || 'an operator') + '</b>' + (b.manual.reason ? ': ' + esc(b.manual.reason) : '') + '</p>');
          lines.push('<p class="explain">' + esc(explain('trading', m.actions.trading)) + '</p>');
          lines.push('<p class="explain">' + esc(explain('liquidations', m.actions.liquidations)) + '</p>');
          return lines.join('');
        }
        function marginBlock(m){
          const g = m.margin;
          let s = '<p>Margin: initial <b>' + pct(g.initial) + '</b>, maintenance <b>' + pct(g.maintenance) + '</b> (target ' + pct(g.target) + '), volatility ' + pct(m.volatility.annualized, 1) + ' a year.</p>';
          if (g.atRiseBound) s += '<p class="explain warn"><b>Held at its rise bound:</b> the volatility asks for ' + pct(g.target) + ', the published ' + pct(g.maintenance) + ' rises toward it at the configured rate per hour.</p>';
          return s;
        }
        // The margin model's backtest (maintenance margin, last 250 windows): one line, both sides.
        function modelBlock(m){
          const d = m.model;
          if (!d) return '';
          const every = 'windows of ' + duration(d.horizonSeconds) + (d.long.skipped ? ', ' + d.long.skipped + ' skipped for want of a price' : '');
          if (!d.long.windows) return '<p class="muted">Margin model check: no window finished yet (' + every + ').</p>';
          const side = name => {
            const f = d[name].maintenance.last250, zone = f.zone || 'unrated';
            return name + 's <b class="' + (zone === 'red' ? 'bad' : zone === 'yellow' ? 'warn' : '') + '" title="' + esc(explain('model', zone)) + '">' + zone + '</b> (' +
              plural(f.exceptions, 'exception', 'exceptions') + ', expected ' + f.expected.toFixed(2) + ', Kupiec p ' + f.kupiecP.toFixed(3) + ')';
          };
          return '<p class="model">Margin model check, last ' + d.long.maintenance.last250.windows + ' ' + every + ': ' + side('long') + ', ' + side('short') + '.</p>';
        }
        function bandBlock(m){
          const b = m.breaker;
          if (b.reference == null) return '<p class="muted">No price band yet: the band needs a reference price.</p>';
          return '<p>Price band ' + num(b.lower) + ' to ' + num(b.upper) + ' around the reference ' + num(b.reference) + '.</p>';
        }
        function sourcesTable(m){
          const rows = m.sources.map(s => '<tr><td>' + esc(s.id) + ' <span class="muted">' + esc(s.kind) + '</span></td><td><span class="badge s-' + s.status + '" title="' + esc(explain('source', s.status)) + '">' + s.status + '</span></td><td class="num">' + num(s.price) + '</td><td class="num">' + (s.ageMs == null ? 'n/a' : (s.ageMs / 1000).toFixed(1) + ' s') + '</td><td class="num">' + pct(s.deviation, 2) + '</td></tr>' +
            (s.error || s.lastRejected ? '<tr><td colspan="5" class="bad">' + esc(s.id) + ': ' + esc(s.error || 'last quote refused: ' + s.lastRejected) + '</td></tr>' : '')).join('');
          const seen = [...new Set(m.sources.map(s => s.status))].map(st => '<p class="explain">' + esc(explain('source', st)) + '</p>').join('');
          return '<table><colgroup><col style="width:28%"><col style="width:18%"><col style="width:20%"><col style="width:14%"><col style="width:20%"></colgroup><tr><th>source</th><th>status</th><th>price</th><th>age</th><th title="from the median of fresh quotes">deviation</th></tr>' + rows + '</table>' + seen;
        }
        const COLORS = ['#58a6ff', '#3fb950', '#d2a8ff', '#ffa657', '#79c0ff', '#ff7b72', '#e3b341', '#a5d6ff'];
        function samples(id){
          const server = S.hist[id] || [], local = S.local[id] || [];
          const last = server.length ? server[server.length - 1].t : -Infinity;
          return server.concat(local.filter(p => p.t > last));
        }
        function charts(m){
          const h = samples(m.id), local = S.local[m.id] || [];
          const spans = haltSpans(h);
          for (const a of S.firing.concat(S.resolved)) if (a.market === m.id && a.type === 'breaker.halted')
            spans.push([Date.parse(a.startsAt), a.endsAt ? Date.parse(a.endsAt) : serverNow()]);
          const price = chartSVG({title: 'Price', fmt: (v, step) => v.toFixed(decimals(step)), minRange: mid => Math.abs(mid) * 0.01, spans,
            series: [{label: 'price', color: '#58a6ff', pts: h.map(p => [p.t, p.price])}, {label: 'reference', color: '#e3b341', dash: true, pts: h.map(p => [p.t, p.reference])}],
            bands: [{label: 'band', color: '#e3b341', pts: h.map(p => [p.t, p.lower, p.upper])}]});
          const margin = chartSVG({title: 'Maintenance margin', fmt: (v, step) => pct(v, decimals(step * 100)), zero: true, spans,
            series: [{label: 'published', color: '#d2a8ff', pts: h.map(p => [p.t, p.maintenance])}, {label: 'target', color: '#ffa657', dash: true, pts: h.map(p => [p.t, p.target])}],
            bands: [{label: 'held back by the rise bound', color: '#ffa657', pts: h.map(p => p.target > p.maintenance * 1.0001 ? [p.t, p.maintenance, p.target] : [p.t, null, null])}]});
          const ids = m.sources.map(s => s.id);
          const dev = chartSVG({title: 'Deviation of each source from the median (since this page opened)', fmt: (v, step) => pct(v, decimals(step * 100)), symmetric: true, minRange: () => 0.01, spans,
            series: ids.map((sid, i) => ({label: sid, color: COLORS[i % COLORS.length], pts: local.map(p => [p.t, p.dev[sid]])}))});
          return '<div class="charts">' + price + margin + dev + '</div>';
        }
        function marketAlerts(m){
          const list = S.firing.concat(S.resolved).filter(a => a.market === m.id).slice(0, 5);
          return list.length ? '<p class="muted">Recent alerts for this market:</p>' + list.map(alertRow).join('') : '';
        }
        function detail(m){
          return '<div class="detail" data-detail="' + esc(m.id) + '"><p class="price">' + priceCell(m) +
            (m.price == null && m.lastGoodPriceTime ? ' <span class="muted">at ' + when(m.lastGoodPriceTime) + '</span>' : '') + '</p>' +
            explainBlock(m) + marginBlock(m) + modelBlock(m) + bandBlock(m) + charts(m) + sourcesTable(m) + marketAlerts(m) + '</div>';
        }
        function alertRow(a){
          const time = a.status === 'firing' ? 'since ' + when(a.startsAt) : utcClock(Date.parse(a.startsAt)) + ' to ' + when(a.endsAt);
          return '<div class="alert ' + a.status + '"><span><span class="badge a-' + a.status + '">' + a.status + '</span></span>' +
            '<span><span class="badge sev-' + esc(a.severity) + '">' + esc(a.severity) + '</span> <b>' + esc(a.market) + '</b></span>' +
            '<span class="sum">' + esc(a.summary) + ' <span class="muted">' + esc(a.type) + '</span></span><span class="muted">' + time + '</span></div>';
        }
        function renderAlerts(){
          const el = document.getElementById('alerts');
          if (S.alertsError) { el.innerHTML = '<p class="bad">' + esc(S.alertsError) + '</p>'; return; }
          const list = S.firing.concat(S.resolved);
          el.innerHTML = list.length ? list.map(alertRow).join('') : '<p class="muted">No alert has fired.</p>';
        }
        function renderDests(){
          const el = document.getElementById('destinations');
          if (S.destsError) { el.innerHTML = '<p class="bad">' + esc(S.destsError) + '</p>'; return; }
          if (!S.dests) return;
          if (!S.dests.length) { el.innerHTML = '<p class="warn">No destination is configured: alerts are kept here but sent nowhere.</p>'; return; }
          el.innerHTML = '<div class="dests">' + S.dests.map(d => {
            const st = d.failing ? 'failing' : d.lastAttemptAt ? 'ok' : 'idle';
            return '<div class="dest ' + st + '"><b>' + esc(d.id) + '</b> <span class="muted">' + esc(d.format) + '</span> <span class="badge d-' + st + '">' + (st === 'idle' ? 'nothing sent yet' : st) + '</span><br>' +
              d.pending + ' pending, ' + d.delivered + ' delivered, <span class="' + (d.failed ? 'bad' : '') + '">' + d.failed + ' given up</span>' +
              (d.lastAttemptAt ? '<br><span class="muted">last attempt ' + when(d.lastAttemptAt) + (d.lastStatusCode != null ? ', HTTP ' + d.lastStatusCode : '') + '</span>' : '') +
              (d.lastError ? '<br><span class="bad">' + esc(d.lastError) + '</span>' : '') + '</div>';
          }).join('') + '</div>';
        }
        function renderSummary(){
          const f = S.firing.length, bad = (S.dests || []).filter(d => d.failing).length;
          const halted = S.markets.filter(m => m.breaker.state === 'halted').length, limit = S.markets.filter(m => m.breaker.state === 'limit').length;
          document.getElementById('summary').innerHTML = plural(S.markets.length, 'market', 'markets') + ': ' +
            '<span class="' + (halted ? 'bad' : '') + '">' + halted + ' halted</span>, <span class="' + (limit ? 'warn' : '') + '">' + limit + ' limited</span>. ' +
            '<a href="#alerts-h" class="' + (f ? 'bad' : '') + '">' + plural(f, 'alert', 'alerts') + ' firing</a>' + (bad ? ', <a href="#destinations-h" class="bad">' + plural(bad, 'destination', 'destinations') + ' failing</a>' : '') + '.';
        }
        function render(){
          const sorted = S.markets.slice().sort(worstFirst);
          document.getElementById('rows').innerHTML = sorted.map(row).join('');
          renderSummary(); renderAlerts(); renderDests();
          // The page's full width, for the browser check (scripts/status-page-check.sh): never wider than the window.
          document.body.dataset.scrollWidth = document.documentElement.scrollWidth;
        }
        function collect(data){
          const t = Date.parse(data.asOf);
          for (const m of data.markets) {
            const l = S.local[m.id] = S.local[m.id] || [];
            if (l.length && l[l.length - 1].t >= t) continue;
            const dev = {}; for (const s of m.sources) dev[s.id] = s.deviation;
            const b = m.breaker;
            l.push({t, price: m.price, maintenance: m.margin.maintenance, target: m.margin.target, reference: b.reference, lower: b.lower, upper: b.upper, state: b.state, dev});
            if (l.length > 180) l.shift();
          }
        }
        async function getJSON(path){
          const r = await fetch(path, {cache: 'no-store'});
          const body = await r.json().catch(() => null);
          if (!r.ok) throw new Error(path + ': HTTP ' + r.status + (body && body.error ? ' ' + body.error.message : ''));
          return body;
        }
        async function loadHistory(id){
          try {
            const h = await getJSON('v1/markets/' + encodeURIComponent(id) + '/history'), c = h.columns, at = k => c.indexOf(k);
            S.hist[id] = h.points.map(p => ({t: Date.parse(p[0]), price: p[at('price')], maintenance: p[at('maintenance')], target: p[at('target')],
              reference: p[at('reference')], lower: p[at('lower')], upper: p[at('upper')], state: p[at('state')]}));
          } catch (e) { S.hist[id] = S.hist[id] || []; }
        }
        async function refreshMarkets(){
          try {
            const [data, health] = await Promise.all([getJSON('v1/markets'), getJSON('v1/health')]);
            S.markets = data.markets; S.asOfMs = Date.parse(data.asOf); S.recvMs = Date.now(); S.health = health; S.lastOK = new Date();
            collect(data);
            document.getElementById('asof').textContent = 'as of ' + data.asOf.replace('T', ' ').replace(/\.\d+Z|Z/, ' UTC');
            const o = document.getElementById('overall'); o.textContent = health.status; o.className = 'o-' + health.status;
            document.getElementById('stale').style.display = 'none'; document.getElementById('content').style.opacity = 1;
            render();
          } catch (e) {
            const o = document.getElementById('overall'); o.textContent = 'unreachable'; o.className = 'o-critical';
            // What is shown is old: say so, and dim it, so nobody acts on a state that may have changed.
            const st = document.getElementById('stale'); st.style.display = 'block';
            st.textContent = 'Breakwater unreachable' + (S.lastOK ? ' since ' + S.lastOK.toISOString() : '') + ' (' + e.message +
              '): what is below is the last data received and may be out of date (fail closed: reduce-only, no liquidations).';
            document.getElementById('content').style.opacity = 0.35;
          }
        }
        async function refreshAlerts(){
          try {
            const [f, r] = await Promise.all([getJSON('v1/alerts?status=firing&limit=200'), getJSON('v1/alerts?status=resolved&limit=30')]);
            S.firing = f.alerts; S.resolved = r.alerts; S.alertsError = null;
          } catch (e) { S.alertsError = 'Alerts unavailable: ' + e.message; }
          try { S.dests = (await getJSON('v1/destinations')).destinations; S.destsError = null; }
          catch (e) { S.destsError = 'Delivery state unavailable: ' + e.message; }
          if (S.markets.length) render();
        }
        async function toggle(id){
          if (S.open.has(id)) { S.open.delete(id); render(); return; }
          S.open.add(id); render(); await loadHistory(id); render();
        }
        document.getElementById('rows').addEventListener('click', e => { const r = e.target.closest('.row'); if (r) toggle(r.dataset.id); });
        document.getElementById('rows').addEventListener('keydown', e => {
          const r = e.target.closest('.row'); if (r && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); toggle(r.dataset.id); }
        });
        // Markets named in the address (#open=BTC-USD,ETH-USD) start opened.
        const wanted = new URLSearchParams(location.hash.slice(1)).get('open');
        if (wanted) for (const id of wanted.split(',')) S.open.add(id);
        (async () => {
          await refreshAlerts(); await refreshMarkets();
          for (const id of S.open) await loadHistory(id);
          render();
        })();
        setInterval(refreshMarkets, 2000); setInterval(refreshAlerts, 5000); setInterval(tickCountdowns, 1000);
        setInterval(() => { for (const id of S.open) loadHistory(id); }, 30000);
        """#
}
