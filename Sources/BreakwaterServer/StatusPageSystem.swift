/// The status page's cross-market section: polls `GET /v1/system` every 10 s and draws the
/// regime (state, average correlation, absorption ratio and shift, turbulence, who is left out
/// and why) and the correlation heatmap itself (no library, no CDN): a table of coloured cells
/// with the values for up to 30 markets, a canvas of one square per pair beyond. Blue is -1,
/// dark 0, red +1.
enum StatusPageSystem {
    static let html = """
        <h2 id="system-h">Across markets: the correlation regime</h2><div id="system" class="system"><p class="muted">loading</p></div>
        """

    static let css = #"""
        .system .heat{border-collapse:collapse;table-layout:auto;width:auto;max-width:100%;margin-top:6px}
        .system .heat td,.system .heat th{padding:2px 4px;font-size:11px;text-align:center;border:1px solid #0f1419;min-width:34px}
        .system .heat th{color:#8b949e;font-weight:400;max-width:90px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
        .system canvas{width:100%;max-width:520px;height:auto;display:block;margin-top:6px;image-rendering:pixelated}
        .system .scroll{overflow-x:auto;max-width:100%}
        .b-calm{background:#2ea043;color:#fff}.b-fragile{background:#f85149;color:#fff}.b-insufficient{background:#555;color:#fff}
        """#

    static let js = #"""
        // The cross-market view: its own poll, independent of the markets'.
        function heatColor(v){
          const t = Math.max(-1, Math.min(1, v)), base = [22, 29, 38], hot = t >= 0 ? [248, 81, 73] : [88, 166, 255], a = Math.abs(t);
          return 'rgb(' + base.map((b, i) => Math.round(b + (hot[i] - b) * a)).join(',') + ')';
        }
        function heatTable(ids, values){
          const head = '<tr><th></th>' + ids.map(id => '<th title="' + esc(id) + '">' + esc(id) + '</th>').join('') + '</tr>';
          const rows = ids.map((id, i) => '<tr><th title="' + esc(id) + '">' + esc(id) + '</th>' + values[i].map((v, j) =>
            '<td style="background:' + heatColor(v) + '" title="' + esc(id + ' / ' + ids[j]) + ': ' + v.toFixed(3) + '">' + v.toFixed(2) + '</td>').join('') + '</tr>').join('');
          return '<div class="scroll"><table class="heat">' + head + rows + '</table></div>';
        }
        function heatCanvas(ids, values){
          const n = ids.length, c = document.createElement('canvas');
          c.width = n; c.height = n; c.setAttribute('aria-label', 'correlation heatmap of ' + n + ' markets');
          const g = c.getContext('2d'), img = g.createImageData(n, n);
          for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
            const rgb = heatColor(values[i][j]).slice(4, -1).split(',').map(Number), k = 4 * (i * n + j);
            img.data[k] = rgb[0]; img.data[k + 1] = rgb[1]; img.data[k + 2] = rgb[2]; img.data[k + 3] = 255;
          }
          g.putImageData(img, 0, 0);
          return c;
        }
        function renderSystem(s){
          const el = document.getElementById('system'), fig = (v, d) => v == null ? 'n/a' : v.toFixed(d);
          const out = s.excluded.map(e => '<li>' + esc(e.market) + ': ' + esc(e.message) + '</li>').join('');
          el.innerHTML = '<p><span class="badge b-' + esc(s.state) + '">' + esc(s.state) + '</span> ' +
            plural(s.markets.length, 'market', 'markets') + ' in the view' + (s.asOf ? ', sampled ' + when(s.asOf) : '') + '</p>' +
            '<p class="explain">Average correlation <b>' + fig(s.averageCorrelation, 2) + '</b> (fragile at ' + s.settings.maxAverageCorrelation +
            '), absorption ratio <b>' + fig(s.absorptionRatio, 3) + '</b>, its shift <b>' + fig(s.absorptionShift, 2) + ' sd</b> (fragile at ' +
            s.settings.shiftSigma + '), turbulence <b>' + fig(s.turbulence, 2) + '</b>' + (s.turbulenceNote ? ' <span class="muted">(' + esc(s.turbulenceNote) + ')</span>' : '') + '.</p>' +
            (out ? '<details><summary>' + plural(s.excluded.length, 'market', 'markets') + ' left out</summary><ul>' + out + '</ul></details>' : '');
          const ids = s.correlation.ids, values = s.correlation.values;
          if (ids.length < 2) return;
          if (ids.length <= 30) el.insertAdjacentHTML('beforeend', heatTable(ids, values));
          else el.appendChild(heatCanvas(ids, values));
        }
        async function refreshSystem(){
          try { renderSystem(await getJSON('v1/system')); }
          catch (e) { document.getElementById('system').innerHTML = '<p class="bad">v1/system: ' + esc(e.message || e) + '</p>'; }
        }
        refreshSystem(); setInterval(refreshSystem, 10000);
        """#
}
