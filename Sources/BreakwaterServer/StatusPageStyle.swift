/// The status page's style sheet: dark, system fonts only (no external font or CDN). Every
/// block shrinks to the viewport (min-width 0, long words wrap), so nothing scrolls sideways
/// at 390 px; under 700 px an overview row wraps onto two lines.
enum StatusPageStyle {
    static let css = #"""
        *{box-sizing:border-box}
        body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#0f1419;color:#e6e6e6;overflow-wrap:anywhere}
        header{padding:10px 16px;background:#161d26;display:flex;flex-wrap:wrap;gap:8px;justify-content:space-between;align-items:center}
        h1{font-size:18px;margin:0}h2{font-size:15px;margin:16px 0 6px}h3{font-size:13px;margin:10px 0 4px}#overall{font-weight:600;padding:3px 10px;border-radius:10px}
        main{padding:0 16px 24px;max-width:1400px;margin:0 auto}.banner{padding:10px 16px;font-weight:600;color:#fff}
        #notice{background:#6e40c9}#stale{display:none;background:#f85149}
        .badge{display:inline-block;padding:1px 8px;border-radius:9px;font-size:12px;font-weight:600;white-space:nowrap}
        .b-normal,.s-ok,.o-ok,.a-resolved,.d-ok{background:#2ea043;color:#fff}
        .b-limit,.s-stale,.s-waiting,.o-degraded,.sev-warning{background:#d29922;color:#000}
        .b-halted,.s-error,.s-outlier,.o-critical,.a-firing,.sev-critical,.d-failing{background:#f85149;color:#fff}
        .s-disabled,.sev-info,.d-idle{background:#555;color:#fff}
        .muted{color:#8b949e}.warn{color:#d29922}.bad{color:#f85149}a{color:#79c0ff}
        .row{display:grid;grid-template-columns:minmax(0,1.2fr) 90px minmax(0,1.6fr) minmax(0,1.5fr) minmax(0,1.2fr) 95px;gap:8px;
          align-items:center;padding:6px 10px;border-bottom:1px solid #222b36;cursor:pointer;border-left:5px solid #2ea043}
        .row.limit{border-left-color:#d29922}.row.halted{border-left-color:#f85149}.row:hover{background:#1b2330}
        .row.head{cursor:default;font-size:12px;color:#8b949e;border-left-color:transparent;background:none}
        .row>*{min-width:0}.id{font-weight:600}.num{font-variant-numeric:tabular-nums}
        .detail{background:#161d26;padding:10px 14px;border-left:5px solid #30363d;border-bottom:1px solid #222b36}
        .explain{margin:2px 0;font-size:13px}.explain b{color:#e6e6e6}
        .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,420px),1fr));gap:10px;margin-top:8px}
        .maps{grid-template-columns:repeat(auto-fill,minmax(min(100%,420px),1fr))}
        .chart{background:#0f1419;border-radius:6px;padding:6px}.chart svg{width:100%;height:auto;display:block}
        .chart .legend{font-size:11px}.axis{fill:#8b949e;font-size:12px}
        th{overflow-wrap:normal}table{width:100%;border-collapse:collapse;margin-top:6px;table-layout:fixed}
        td,th{text-align:left;padding:3px 4px;font-size:12px;border-bottom:1px solid #222b36;vertical-align:top}
        .alerts .firing{border-left:4px solid #f85149}.alerts .resolved{border-left:4px solid #2ea043;opacity:.8}
        .alert{display:grid;grid-template-columns:90px minmax(0,1fr) minmax(0,3fr) 150px;gap:8px;padding:5px 10px;border-bottom:1px solid #222b36}
        .dests{display:flex;flex-wrap:wrap;gap:8px}.dest{background:#161d26;border-radius:6px;padding:6px 10px;max-width:100%}
        .dest.failing{outline:2px solid #f85149}
        details summary{cursor:pointer;color:#8b949e}
        @media (max-width:700px){
          .row{grid-template-columns:minmax(0,1fr) auto;row-gap:2px}.row.head{display:none}
          .row .acts,.row .mrg{font-size:12px}
          .alert{grid-template-columns:minmax(0,1fr) auto}.alert .sum{grid-column:1/-1}
        }
        """#
}
