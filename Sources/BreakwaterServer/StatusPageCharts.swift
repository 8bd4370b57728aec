/// The status page's charts (JavaScript): SVG lines with a y axis labelled in the series' unit,
/// a UTC time axis with the span shown, bands as shaded areas and halts as red spans. The y
/// range covers every value drawn and at least `minRange`, so a small wiggle stays small.
enum StatusPageCharts {
    static let js = #"""
        // Charts: SVG line charts with a y axis (unit in the labels), a time axis and the span shown.
        // Narrow windows draw on a narrower canvas, so the axis labels keep a readable size.
        const CW = innerWidth < 700 ? 400 : 600, CH = 170, PL = 64, PR = 10, PT = 8, PB = 24;
        function niceStep(range, count){
          const raw = range / count, mag = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / mag;
          return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
        }
        function utcClock(ms){ return new Date(ms).toISOString().slice(11, 19); }
        function spanText(sec){
          sec = Math.max(0, Math.round(sec));
          if (sec < 120) return sec + ' s';
          if (sec < 7200) return Math.round(sec / 60) + ' min';
          return (sec / 3600).toFixed(1) + ' h';
        }
        // o: {series: [{label, color, dash, pts: [[ms, v]]}], bands: [{color, pts: [[ms, lo, hi]]}],
        //     spans: [[ms0, ms1]], fmt, zero (y from 0), symmetric (around 0), minRange(mid) -> range}
        function chartSVG(o){
          const all = [];
          for (const s of o.series) for (const p of s.pts) if (p[1] != null && isFinite(p[1])) all.push(p);
          for (const b of o.bands || []) for (const p of b.pts) { if (p[1] != null) all.push([p[0], p[1]]); if (p[2] != null) all.push([p[0], p[2]]); }
          if (all.length < 1) return '<div class="chart"><div class="legend"><b>' + esc(o.title) + '</b></div><p class="muted">No values yet.</p></div>';
          let t0 = Math.min(...all.map(p => p[0])), t1 = Math.max(...all.map(p => p[0]));
          if (t1 - t0 < 1000) t0 = t1 - 1000;
          let lo = Math.min(...all.map(p => p[1])), hi = Math.max(...all.map(p => p[1]));
          if (o.zero) lo = Math.min(0, lo);
          if (o.symmetric) { const m = Math.max(Math.abs(lo), Math.abs(hi)); lo = -m; hi = m; }
          const need = o.minRange ? o.minRange((lo + hi) / 2) : 0;
          if (hi - lo < need) { const mid = o.zero ? need / 2 : (lo + hi) / 2; lo = o.zero ? 0 : mid - need / 2; hi = o.zero ? need : mid + need / 2; }
          if (hi - lo <= 0) { hi = lo + 1; }
          const step = niceStep(hi - lo, 4);
          lo = Math.floor(lo / step) * step; hi = Math.ceil(hi / step) * step;
          const x = t => PL + (t - t0) / (t1 - t0) * (CW - PL - PR);
          const y = v => PT + (hi - v) / (hi - lo) * (CH - PT - PB);
          let g = '';
          for (const [a, b] of mergeSpans(o.spans || [])) {
            const xa = Math.max(PL, x(Math.max(a, t0))), xb = Math.min(CW - PR, x(Math.min(b, t1)));
            if (xb > xa) g += '<rect class="halt" x="' + xa.toFixed(1) + '" y="' + PT + '" width="' + (xb - xa).toFixed(1) + '" height="' + (CH - PT - PB) + '" fill="#f85149" fill-opacity="0.18"/>';
          }
          for (let v = lo; v <= hi + step / 2; v += step) {
            const yy = y(v).toFixed(1);
            g += '<line x1="' + PL + '" x2="' + (CW - PR) + '" y1="' + yy + '" y2="' + yy + '" stroke="#222b36"/>';
            g += '<text class="axis" x="' + (PL - 4) + '" y="' + (+yy + 4) + '" text-anchor="end">' + esc(o.fmt(v, step)) + '</text>';
          }
          for (const b of o.bands || []) {
            const ok = b.pts.filter(p => p[1] != null && p[2] != null);
            if (ok.length < 1) continue;
            const top = ok.map(p => x(p[0]).toFixed(1) + ',' + y(p[2]).toFixed(1));
            const bot = ok.slice().reverse().map(p => x(p[0]).toFixed(1) + ',' + y(p[1]).toFixed(1));
            g += '<polygon points="' + top.concat(bot).join(' ') + '" fill="' + b.color + '" fill-opacity="0.14" stroke="' + b.color + '" stroke-opacity="0.5" stroke-dasharray="2 3"/>';
          }
          for (const s of o.series) {
            let d = '', pen = false;
            for (const p of s.pts) {
              if (p[1] == null || !isFinite(p[1])) { pen = false; continue; }
              d += (pen ? 'L' : 'M') + x(p[0]).toFixed(1) + ' ' + y(p[1]).toFixed(1); pen = true;
            }
            if (d) g += '<path d="' + d + '" fill="none" stroke="' + s.color + '" stroke-width="1.8"' + (s.dash ? ' stroke-dasharray="5 4"' : '') + '/>';
          }
          g += '<line x1="' + PL + '" x2="' + PL + '" y1="' + PT + '" y2="' + (CH - PB) + '" stroke="#8b949e"/>';
          g += '<line x1="' + PL + '" x2="' + (CW - PR) + '" y1="' + (CH - PB) + '" y2="' + (CH - PB) + '" stroke="#8b949e"/>';
          g += '<text class="axis" x="' + PL + '" y="' + (CH - 6) + '">' + utcClock(t0) + '</text>';
          g += '<text class="axis" x="' + ((PL + CW - PR) / 2) + '" y="' + (CH - 6) + '" text-anchor="middle">UTC, last ' + spanText((t1 - t0) / 1000) + '</text>';
          g += '<text class="axis" x="' + (CW - PR) + '" y="' + (CH - 6) + '" text-anchor="end">' + utcClock(t1) + '</text>';
          const legend = o.series.map(s => '<span style="color:' + s.color + '">' + (s.dash ? '- - ' : '&#8212; ') + esc(s.label) + '</span>')
            .concat((o.bands || []).map(b => '<span style="color:' + b.color + '">&#9633; ' + esc(b.label) + '</span>'))
            .concat((o.spans || []).length ? ['<span style="color:#f85149">&#9632; halted</span>'] : []).join(' &nbsp; ');
          return '<div class="chart"><div class="legend"><b>' + esc(o.title) + '</b> &nbsp; ' + legend + '</div>' +
            '<svg viewBox="0 0 ' + CW + ' ' + CH + '" role="img" aria-label="' + esc(o.title) + '">' + g + '</svg></div>';
        }
        // Overlapping [ms0, ms1] spans joined, in time order.
        function mergeSpans(spans){
          const out = [];
          for (const [a, b] of spans.slice().sort((p, q) => p[0] - q[0])) {
            if (out.length && a <= out[out.length - 1][1]) out[out.length - 1][1] = Math.max(out[out.length - 1][1], b);
            else out.push([a, b]);
          }
          return out;
        }
        // The fewest decimals (at most 8) that write multiples of `step` exactly (0.25 -> 2, 5 -> 0).
        function decimals(step){
          for (let d = 0; d < 8; d++) { const s = step * Math.pow(10, d); if (Math.abs(s - Math.round(s)) < 1e-6 * Math.max(1, s)) return d; }
          return 8;
        }
        // Contiguous runs of samples in `state` halted, as [ms0, ms1] spans.
        function haltSpans(samples){
          const spans = []; let start = null;
          for (let i = 0; i < samples.length; i++) {
            const h = samples[i].state === 'halted';
            if (h && start == null) start = samples[i].t;
            if (!h && start != null) { spans.push([start, samples[i].t]); start = null; }
          }
          if (start != null) spans.push([start, samples[samples.length - 1].t]);
          return spans;
        }
        """#
}
