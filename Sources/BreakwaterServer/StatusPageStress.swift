/// The status page's stress section (JavaScript): polls `/v1/stress` every 5 s and shows the
/// insurance fund's coverage of the standing scenario, the critical-markets ranking and each
/// stressed market's liquidation map as a bar chart (notional liquidatable at each 1 % step,
/// longs as the price falls to the left, shorts as it rises to the right). Uses `esc`, `pct`,
/// `when` and `niceStep` from the other scripts.
enum StatusPageStress {
    /// Liquidation maps drawn at most (the markets breaking the fund first).
    static let maxMaps = 12

    static let js = #"""
        // Stress: the latest live pass (null before a snapshot), or why it is unavailable.
        const ST = {report: null, error: null, none: false};
        const MAX_MAPS = \#(maxMaps);
        function usd(v){
          if (v == null || !isFinite(v)) return 'n/a';
          const a = Math.abs(v);
          return a >= 1e9 ? '$' + (v / 1e9).toFixed(2) + 'B' : a >= 1e6 ? '$' + (v / 1e6).toFixed(2) + 'M' : a >= 1e3 ? '$' + (v / 1e3).toFixed(1) + 'k' : '$' + v.toFixed(0);
        }
        // One market's map: bars of the notional made liquidatable in each 1 % step (left: longs
        // as the price falls; right: shorts as it rises), with the standing move marked.
        function mapSVG(m, fig){
          const W = CW, H = 170, L = 64, R = 10, T = 8, B = 24, steps = m.map.down.length;
          const bars = m.map.down.slice().reverse().map(s => ({move: -s.move, v: s.notional, side: 'long'}))
            .concat(m.map.up.map(s => ({move: s.move, v: s.notional, side: 'short'})));
          const hi0 = Math.max(1, ...bars.map(b => b.v)), step = niceStep(hi0, 4), hi = Math.ceil(hi0 / step) * step;
          const bw = (W - L - R) / bars.length, y = v => T + (hi - v) / hi * (H - T - B);
          let g = '';
          for (let v = 0; v <= hi + step / 2; v += step) {
            g += '<line x1="' + L + '" x2="' + (W - R) + '" y1="' + y(v).toFixed(1) + '" y2="' + y(v).toFixed(1) + '" stroke="#222b36"/>';
            g += '<text class="axis" x="' + (L - 4) + '" y="' + (y(v) + 4).toFixed(1) + '" text-anchor="end">' + usd(v) + '</text>';
          }
          bars.forEach((b, i) => {
            if (b.v <= 0) return;
            const x = L + i * bw, top = y(b.v);
            g += '<rect class="mapbar" x="' + (x + 0.5).toFixed(1) + '" y="' + top.toFixed(1) + '" width="' + Math.max(1, bw - 1).toFixed(1) + '" height="' + (H - B - top).toFixed(1) + '" fill="' + (b.side === 'long' ? '#f85149' : '#3fb950') + '"><title>' +
              esc((b.side === 'long' ? 'longs, price down ' : 'shorts, price up ') + Math.abs(b.move * 100).toFixed(0) + ' %: ' + usd(b.v)) + '</title></rect>';
          });
          const mid = L + steps * bw;
          g += '<line x1="' + mid + '" x2="' + mid + '" y1="' + T + '" y2="' + (H - B) + '" stroke="#8b949e"/>';
          if (fig && fig.standingMove > 0) {
            for (const sgn of [-1, 1]) {
              const x = mid + sgn * Math.min(steps, fig.standingMove * 100) * bw;
              g += '<line x1="' + x.toFixed(1) + '" x2="' + x.toFixed(1) + '" y1="' + T + '" y2="' + (H - B) + '" stroke="#e3b341" stroke-dasharray="4 3"/>';
            }
          }
          g += '<line x1="' + L + '" x2="' + L + '" y1="' + T + '" y2="' + (H - B) + '" stroke="#8b949e"/>';
          g += '<line x1="' + L + '" x2="' + (W - R) + '" y1="' + (H - B) + '" y2="' + (H - B) + '" stroke="#8b949e"/>';
          g += '<text class="axis" x="' + L + '" y="' + (H - 6) + '">-' + steps + ' %</text>';
          g += '<text class="axis" x="' + mid + '" y="' + (H - 6) + '" text-anchor="middle">price move from ' + esc(String(m.referencePrice)) + '</text>';
          g += '<text class="axis" x="' + (W - R) + '" y="' + (H - 6) + '" text-anchor="end">+' + steps + ' %</text>';
          const legend = '<span style="color:#f85149">&#9632; longs liquidatable</span> &nbsp; <span style="color:#3fb950">&#9632; shorts liquidatable</span>' +
            (fig ? ' &nbsp; <span style="color:#e3b341">- - standing move &plusmn;' + pct(fig.standingMove) + '</span>' : '') +
            ' &nbsp; <span class="muted">at the current price already: longs ' + usd(m.map.longsAtReference) + ', shorts ' + usd(m.map.shortsAtReference) + '</span>';
          return '<div class="chart" data-map="' + esc(m.market) + '"><div class="legend"><b>' + esc(m.market) + ' liquidation map</b> &nbsp; ' + legend + '</div>' +
            '<svg viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="' + esc(m.market) + ' liquidation map">' + g + '</svg></div>';
        }
        function criticalTable(r){
          const rows = [];
          for (const ranking of r.report.critical) for (const c of ranking) rows.push(c);
          rows.sort((a, b) => (a.shock == null) - (b.shock == null) || (a.shock || 0) - (b.shock || 0) || (a.origin < b.origin ? -1 : 1));
          if (!rows.length) return '';
          return '<table id="critical"><colgroup><col style="width:24%"><col style="width:14%"><col style="width:22%"><col style="width:20%"><col style="width:20%"></colgroup>' +
            '<tr><th>origin market</th><th>impact</th><th>move that empties the fund</th><th>1-day 99.9 % move</th><th title="below 1: a 1-in-1000 day breaks the protocol">ratio</th></tr>' +
            rows.map(c => '<tr><td>' + esc(c.origin) + '</td><td>' + esc(c.impact) + '</td><td class="num">' + (c.shock == null ? 'none below 100 %' : c.shock === 0 ? 'none: already short' : (c.direction === 'down' ? '-' : '+') + pct(c.shock)) +
              '</td><td class="num">' + pct(c.dayMove999) + '</td><td class="num ' + (c.ratio != null && c.ratio < 1 ? 'bad' : '') + '">' + (c.ratio == null ? 'n/a' : c.ratio.toFixed(2)) + '</td></tr>').join('') + '</table>';
        }
        function renderStress(){
          const el = document.getElementById('stress');
          if (!el) return;
          if (ST.error) { el.innerHTML = '<p class="bad">' + esc(ST.error) + '</p>'; return; }
          if (ST.none || !ST.report) { el.innerHTML = '<p class="muted">No positions snapshot yet: the protocol posts its positions to /v1/positions (held in memory; a restart needs a new one).</p>'; return; }
          const r = ST.report, worst = r.standing.reduce((a, b) => b.badDebt > (a ? a.badDebt : -1) ? b : a, null);
          const short = worst && worst.badDebt > r.insuranceFund;
          const cov = r.fundCoverage == null ? 'covers it fully (no bad debt)' : 'covers ' + (r.fundCoverage >= 10 ? 'over 10x' : r.fundCoverage.toFixed(2) + 'x');
          let s = '<p id="fund" class="' + (short ? 'bad' : '') + '"><b>Insurance fund ' + usd(r.insuranceFund) + '</b>: the standing scenario (every market its one-horizon 99.9 % move) leaves ' +
            usd(worst ? worst.badDebt : 0) + ' of bad debt' + (worst ? ' (' + esc(Object.values(worst.scenario.shocks)[0] ? Object.values(worst.scenario.shocks)[0].direction : '') + ', ' + esc(worst.scenario.impact) + ' impact)' : '') + '; the fund ' + cov +
            (short ? '. <b>Short by ' + usd(worst.shortfall) + '</b>: auto-deleveraging would close ' + usd(worst.adlNeed.longsNotional + worst.adlNeed.shortsNotional) + ' of profitable positions.' : '.') + '</p>';
          s += '<p class="muted">Positions as of ' + when(r.positionsAsOf) + (r.stale ? ' <span class="badge sev-warning">stale</span>' : '') + ', pass ' + when(r.computedAt) +
            (r.betasGiven ? '; contagion by the betas of the cross-market view of ' + when(r.betasAsOf) : '; each market moves alone (no cross-market view yet)') + '.</p>';
          if (r.skipped.length) s += '<p class="warn">Not stressed: ' + r.skipped.map(k => esc(k.market) + ' (' + esc(k.reason) + ')').join(', ') + '</p>';
          s += '<h3>Critical markets: the smallest move of each that empties the fund</h3>' + criticalTable(r);
          const order = [];
          for (const ranking of r.report.critical) for (const c of ranking) if (!order.includes(c.origin)) order.push(c.origin);
          const maps = order.map(id => r.report.markets.find(m => m.market === id)).filter(m => m).slice(0, MAX_MAPS);
          s += '<div class="charts maps">' + maps.map(m => mapSVG(m, r.figures.find(f => f.market === m.market))).join('') + '</div>';
          if (r.report.markets.length > MAX_MAPS) s += '<p class="muted">' + MAX_MAPS + ' of ' + r.report.markets.length + ' maps shown (the markets that break the fund first); each is at /v1/markets/{id}/liquidations.</p>';
          el.innerHTML = s;
        }
        async function refreshStress(){
          try {
            const r = await fetch('v1/stress', {cache: 'no-store'});
            if (r.status === 404) { ST.none = true; ST.report = null; ST.error = null; }
            else if (!r.ok) throw new Error('v1/stress: HTTP ' + r.status);
            else { ST.report = await r.json(); ST.none = false; ST.error = null; }
          } catch (e) { ST.error = 'Stress results unavailable: ' + e.message; }
          renderStress();
        }
        refreshStress(); setInterval(refreshStress, 5000);
        """#
}
