"""The page's inline CSS (system fonts only: the page loads nothing from the network)."""

CSS = """
:root { --cur: #2f6fde; --ref: #a3adba; --line: #e3e7ed; --muted: #6b7684; --bg: #f5f7fa;
  --ok: #1f8a4c; --fail: #d1342f; --warn: #c98a00; --err: #8e2bb0; --skip: #7d8794; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: #1d2530; font: 14px/1.45 system-ui, -apple-system,
  "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 20px 24px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 0 0 12px; }
h3 { font-size: 15px; margin: 0; display: inline; }
h4 { font-size: 13px; margin: 12px 0 6px; color: #3a4350; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px;
  margin: 16px 0; }
.card-head { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin-bottom: 12px; }
.card-head .id { margin-left: auto; font-family: ui-monospace, monospace; font-size: 11px; }
.muted, .none { color: var(--muted); } .muted { font-size: 12px; }
.chip { display: inline-block; background: #eef2f7; border-radius: 10px; padding: 1px 9px; font-size: 12px;
  margin: 2px 4px 2px 0; }
.kind { background: #1d2530; color: #fff; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 12px 0 0; }
dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; word-break: break-word; }
.mono { font-family: ui-monospace, monospace; font-size: 12px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: #f0f3f7; font-weight: 600; font-size: 12px; }
tbody th { font-weight: 500; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.fields { min-width: 360px; } table.tests { width: 100%; }
.scroll { overflow-x: auto; max-width: 100%; }
.metric-body { display: flex; flex-wrap: wrap; gap: 20px; align-items: flex-start; }
.tables { flex: 1 1 420px; min-width: 0; } .charts { flex: 0 1 440px; }
figure { margin: 0 0 12px; }
figcaption { font-size: 12px; font-weight: 600; color: #3a4350; margin-bottom: 4px; }
.legend { font-weight: 400; color: var(--muted); margin-left: 10px; }
.unit { margin-left: 4px; font-size: 11px; }
.key { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 4px 0 6px; }
.key.cur, rect.cur { background: var(--cur); fill: var(--cur); }
.key.ref, rect.ref { background: var(--ref); fill: var(--ref); }
svg.chart text { font-size: 11px; fill: #4a5462; } svg.chart line.axis { stroke: #9aa3ae; }
svg.chart g:hover rect { opacity: .75; }
svg.chart text.title { font-weight: 600; fill: #3a4350; }
svg.chart text.on-dark { fill: #fff; font-weight: 600; }
svg.chart line.grid { stroke: #eef1f5; } svg.chart line.tick { stroke: #9aa3ae; }
svg.chart line.diagonal { stroke: #b9c0c9; stroke-dasharray: 4 3; }
svg.chart polyline.line { fill: none; stroke-width: 2; stroke-linejoin: round; }
svg.chart .dashed { stroke-dasharray: 5 3; }
svg.chart polyline.cur { stroke: var(--cur); } svg.chart polyline.ref { stroke: var(--ref); }
svg.chart .dots.cur circle { fill: var(--cur); } svg.chart .dots.ref circle { fill: var(--ref); }
svg.chart .box line { stroke: #4a5462; } svg.chart .box line.median { stroke: #1d2530; stroke-width: 2; }
svg.chart line.mark { stroke: #1d2530; stroke-width: 2; }
.s0 { --c: #2f6fde; } .s1 { --c: #e8743b; } .s2 { --c: #19a979; }
.s3 { --c: #945ecf; } .s4 { --c: #d1342f; } .s5 { --c: #13a4b4; }
.key.s0, .key.s1, .key.s2, .key.s3, .key.s4, .key.s5, rect.s0, rect.s1, rect.s2, rect.s3, rect.s4,
  rect.s5 { background: var(--c); fill: var(--c); }
polyline.s0, polyline.s1, polyline.s2, polyline.s3, polyline.s4, polyline.s5 { stroke: var(--c); }
svg.spark { vertical-align: middle; }
svg.spark polyline { fill: none; stroke: var(--cur); stroke-width: 1.5; }
table.drift { width: 100%; } table.drift td.dist { width: 270px; padding: 2px 8px; }
table.drift th, table.drift td { vertical-align: middle; }
table.drift tr.drifted th { color: var(--fail); } p.legend { margin: 0 0 6px; font-size: 12px; }
.figures { display: flex; flex-wrap: wrap; gap: 8px 24px; }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin-bottom: 12px; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 110px;
  background: #fbfcfd; }
.tile-value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.tile-label { font-size: 12px; color: var(--muted); } .tile-ref { font-size: 12px; color: var(--muted); }
.tile.zero { opacity: .5; }
.badge { display: inline-block; border-radius: 4px; padding: 1px 8px; font-size: 11px; font-weight: 700;
  letter-spacing: .03em; color: #fff; background: var(--skip); }
.s-success .tile-value, .s-success .status-word { color: var(--ok); }
.badge.s-success { background: var(--ok); }
.s-fail .tile-value, .s-fail .status-word { color: var(--fail); } .badge.s-fail { background: var(--fail); }
.s-warning .tile-value, .s-warning .status-word { color: var(--warn); }
.badge.s-warning { background: var(--warn); }
.s-error .tile-value, .s-error .status-word { color: var(--err); } .badge.s-error { background: var(--err); }
.s-skipped .tile-value, .s-skipped .status-word { color: var(--skip); }
.verdict { margin: 0 0 12px; font-weight: 600; }
details summary { cursor: pointer; color: var(--muted); font-size: 12px; margin-top: 4px; }
details table { margin-top: 4px; }
.error { border-left: 4px solid var(--fail); background: #fdf1f0; padding: 8px 12px; border-radius: 4px; }
.error pre { white-space: pre-wrap; margin: 6px 0 0; font-size: 12px; }
nav.toc ol { columns: 3 240px; margin: 0; padding-left: 20px; font-size: 13px; }
nav.toc a { color: #1f4fa8; text-decoration: none; } nav.toc a:hover { text-decoration: underline; }
.failed-mark { color: var(--fail); font-weight: 700; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 24px; }
"""
