// monitorflow dashboard: fetch every panel's data of the active tab in one request, draw with uPlot.
// All text goes in through textContent (uPlot does the same); times are epoch seconds, shown local.
"use strict";
(function () {
  // Ten hues told apart at a glance; series past ten reuse them dashed, then dotted, then dash-dotted (40 looks).
  const COLORS = ["#2f6fde", "#e8743b", "#19a979", "#945ecf", "#d1342f", "#13a4b4", "#c98a00",
    "#bf399e", "#6c8893", "#8c5a2b"];
  const DASHES = [undefined, [8, 4], [2, 3], [8, 3, 2, 3]];
  const lineStyle = (i) => ({ stroke: COLORS[i % COLORS.length], dash: DASHES[Math.floor(i / COLORS.length) % DASHES.length] });
  const STATUS_COLORS = { SUCCESS: "#1f8a4c", WARNING: "#c98a00", FAIL: "#d1342f", ERROR: "#8e2bb0", SKIPPED: "#9aa3ae" };
  const STATUS_ORDER = ["SUCCESS", "WARNING", "FAIL", "ERROR", "SKIPPED"];
  const DAY = 86400;
  const AGG_WORDS = { mean: "Mean", last: "Last", min: "Minimum", max: "Maximum", sum: "Sum" };
  const dayFmt = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
  const fullFmt = new Intl.DateTimeFormat(undefined, {
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });

  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  };
  const svg = (tag, attrs) => {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  };
  function fmtNum(v) {
    if (v === null || v === undefined || Number.isNaN(v)) return "–";
    const a = Math.abs(v);
    if (a >= 1e6) return new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 2 }).format(v);
    if (a >= 1000 || Number.isInteger(v)) return new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 }).format(v);
    if (a >= 1) return v.toFixed(2).replace(/\.?0+$/, "");
    return v.toPrecision(3).replace(/\.?0+$/, "");
  }

  // ------------------------------------------------------------------------------ state & URL
  const root = document.getElementById("dashboard");
  if (!root) return;
  const projectId = root.dataset.projectId;
  const form = document.getElementById("controls");
  const statusLine = document.getElementById("status");
  const tabs = [...root.querySelectorAll("button.tab")];
  const charts = [];
  let lastData = null;
  let requestSeq = 0;

  function readState() {
    const q = new URLSearchParams(location.search);
    return { tab: q.get("tab") || (tabs[0] && tabs[0].dataset.tab) || "general",
      range: q.get("range") || "all", from: q.get("from") || "", to: q.get("to") || "", tags: q.getAll("tag"),
      agg: q.get("agg") || "" };
  }
  let state = readState();

  function writeState() {
    const q = new URLSearchParams();
    q.set("tab", state.tab);
    if (state.range !== "all") q.set("range", state.range);
    if (state.range === "custom") { if (state.from) q.set("from", state.from); if (state.to) q.set("to", state.to); }
    for (const t of state.tags) q.append("tag", t);
    if (state.agg) q.set("agg", state.agg);
    history.replaceState(null, "", location.pathname + "?" + q.toString());
  }

  function syncForm() {
    form.range.value = state.range;
    form.from.value = state.from;
    form.to.value = state.to;
    if (form.agg) form.agg.value = state.agg;
    form.classList.toggle("custom-range", state.range === "custom");
    for (const box of form.querySelectorAll('input[name="tag"]')) box.checked = state.tags.includes(box.value);
    for (const b of tabs) {
      const on = b.dataset.tab === state.tab;
      b.classList.toggle("active", on);
      b.setAttribute("aria-selected", on ? "true" : "false");
    }
    for (const grid of root.querySelectorAll("[data-tab-panels]")) grid.hidden = grid.dataset.tabPanels !== state.tab;
  }

  function timeRange() {
    if (state.range === "custom") {
      const start = state.from ? new Date(state.from) : null;  // datetime-local: the viewer's time zone
      const end = state.to ? new Date(state.to) : null;
      return { start: start && !isNaN(start) ? start : null, end: end && !isNaN(end) ? end : null };
    }
    const days = { "7d": 7, "30d": 30, "90d": 90 }[state.range];
    return { start: days ? new Date(Date.now() - days * DAY * 1000) : null, end: null };
  }

  // ---------------------------------------------------------------------------------- charts
  function destroyCharts() {
    while (charts.length) charts.pop().destroy();
  }

  function width(body) {
    return Math.max(240, body.clientWidth || body.parentNode.clientWidth - 28);
  }

  function countPoints(data) {
    let n = 0;
    for (let i = 1; i < data.length; i++) for (const v of data[i]) if (v !== null && v !== undefined) n++;
    return n;
  }

  // Count axes: integer steps only (no 0.5 rows).
  const INTEGER_INCRS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6];
  function integerAxis() {
    return { size: 56, incrs: INTEGER_INCRS, values: (u, vals) => vals.map(fmtNum) };
  }

  function uplot(section, body, opts, data) {
    const target = el("div", "chart");
    body.appendChild(target);
    opts.width = width(body);
    opts.height = opts.height || 240;
    opts.hooks = { draw: [(u) => {
      section.dataset.drawn = String(countPoints(data));
      section.dataset.yticks = JSON.stringify(u.axes[1]._splits || []);  // what the y axis shows (tests read it)
    }] };
    opts.axes = opts.axes || [{}, { size: 56, values: (u, vals) => vals.map(fmtNum) }];
    opts.legend = Object.assign({ live: true }, opts.legend || {});
    const chart = new uPlot(opts, data, target);
    charts.push(chart);
    section.dataset.points = String(countPoints(data));
    return chart;
  }

  const ZERO_BASED = { range: (u, min, max) => [Math.min(0, min), max > 0 ? max * 1.05 : 1] };
  // Bars: half a step of room at both ends so the first and last bars are not cut.
  const barX = (time) => ({ time, range: (u, min, max) => {
    const step = u.data[0].length > 1 ? (max - min) / (u.data[0].length - 1) : (time ? 43200 : 0.5);
    return [min - step / 2, max + step / 2];
  } });

  function pathsFor(kind, n) {
    if (kind === "bar") return { paths: uPlot.paths.bars({ size: [n > 1 ? 0.75 : 0.7, 48], align: 0 }), points: { show: false } };
    if (kind === "scatter") return { paths: () => null, points: { show: true, size: 6, fill: null } };
    return { points: { show: (u) => u.data[0].length < 60 } };
  }

  function sideBySide(traces) {
    const xs = [...new Set(traces.flatMap((t) => t.x))].sort((a, b) => a - b);
    let step = Infinity;
    for (let i = 1; i < xs.length; i++) step = Math.min(step, xs[i] - xs[i - 1]);
    if (!isFinite(step)) step = DAY;
    const k = traces.length;
    return traces.map((t, i) => Object.assign({}, t, { x: t.x.map((x) => x + ((i - (k - 1) / 2) * step * 0.8) / k) }));
  }

  function drawTimeseries(section, body, data) {
    const traces = data.traces.filter((t) => t.x.length);
    if (!traces.length) return noData(section, body);
    // Several bar traces: each shifted within the time step so the bars stand side by side.
    const shifted = data.plot_type === "bar" && traces.length > 1 ? sideBySide(traces) : traces;
    const table = shifted.length === 1 ? [shifted[0].x, shifted[0].y] : uPlot.join(shifted.map((t) => [t.x, t.y]));
    const series = [{ value: (u, v) => (v === null ? "–" : fullFmt.format(new Date(v * 1000))) }];
    const styles = traces.map((t, i) => lineStyle(i));
    traces.forEach((t, i) => {
      const { stroke: color, dash } = styles[i];
      series.push(Object.assign({ label: t.label, stroke: color, dash, width: 2, spanGaps: true,
        fill: data.plot_type === "bar" ? color + "aa" : undefined,
        value: (u, v) => fmtNum(v) }, pathsFor(data.plot_type, traces.length)));
      if (data.plot_type === "scatter") series[series.length - 1].points.stroke = color;
    });
    section.dataset.styles = JSON.stringify(styles.map((s) => s.stroke + (s.dash ? " " + s.dash.join(",") : "")));
    const scales = data.plot_type === "bar" ? { x: barX(true), y: ZERO_BASED } : { x: { time: true } };
    const integer = traces.every((t) => t.integer);
    section.dataset.integer = integer ? "1" : "0";
    uplot(section, body, { series, scales, axes: integer ? [{}, integerAxis()] : undefined }, table);
    const merged = traces.filter((t) => t.bucketed);
    if (merged.length) body.appendChild(el("div", "muted", `${AGG_WORDS[data.agg] || data.agg} of the points in each time bucket (` +
      `${merged.reduce((n, t) => n + t.n, 0)} points in ${merged.reduce((n, t) => n + t.x.length, 0)} buckets).`));
  }

  function drawHistogram(section, body, data) {
    const edges = data.edges;
    if (edges.length < 2 || !data.traces.length) return noData(section, body);
    const centers = edges.slice(0, -1).map((e, i) => (e + edges[i + 1]) / 2);
    const series = [{ value: (u, v) => fmtNum(v) }];
    data.traces.forEach((t, i) => {
      const color = COLORS[i % COLORS.length];
      series.push({ label: t.label, stroke: color, fill: color + "88", value: (u, v) => fmtNum(v),
        paths: uPlot.paths.bars({ size: [0.9, 80], align: 0 }), points: { show: false } });
    });
    uplot(section, body, { series, scales: { x: barX(false), y: ZERO_BASED },
      axes: [{ values: (u, vals) => vals.map(fmtNum) }, { size: 48 }] }, [centers, ...data.traces.map((t) => t.counts)]);
  }

  // Stacked bars: cumulative sums drawn top series first, legend shows the raw values.
  function drawStacked(section, body, x, layers, { normalize = false, stacked = true } = {}) {
    if (!x.length || !layers.length) return noData(section, body);
    const raw = layers.map((l) => l.y.map((v) => (v === null || v === undefined ? 0 : v)));
    let shown = raw;
    if (stacked) {
      shown = [];
      raw.forEach((ys, i) => shown.push(ys.map((v, j) => v + (i ? shown[i - 1][j] : 0))));
    }
    const order = stacked ? layers.map((_, i) => layers.length - 1 - i) : layers.map((_, i) => i);
    const series = [{ value: (u, v) => (v === null ? "–" : fullFmt.format(new Date(v * 1000))) }];
    const data = [x];
    for (const i of order) {
      const color = layers[i].color || COLORS[i % COLORS.length];
      series.push({ label: layers[i].label, stroke: color, fill: color + (stacked ? "" : "99"),
        value: (u, v, si, idx) => (idx === null || idx === undefined ? "–" : fmtNum(layers[i].y[idx])),
        paths: uPlot.paths.bars({ size: [0.8, 40], align: 0 }), points: { show: false } });
      data.push(shown[i]);
    }
    const yAxis = normalize ? { size: 56, values: (u, vals) => vals.map((v) => Math.round(v * 100) + "%") }
      : layers.every((l) => l.y.every((v) => v === null || v === undefined || Number.isInteger(v))) ? integerAxis()
      : { size: 56, values: (u, vals) => vals.map(fmtNum) };
    uplot(section, body, { series, scales: { x: barX(true), y: ZERO_BASED }, axes: [{}, yAxis] }, data);
    section.dataset.points = String(raw.reduce((n, ys) => n + ys.filter((v) => v).length, 0));
  }

  function drawTestAggregate(section, body, data) {
    const layers = STATUS_ORDER.filter((s) => data.statuses[s]).map((s) => ({ label: s, y: data.statuses[s], color: STATUS_COLORS[s] }));
    for (const [s, ys] of Object.entries(data.statuses)) if (!STATUS_ORDER.includes(s)) layers.push({ label: s, y: ys });
    drawStacked(section, body, data.x, layers);
  }

  function drawDistribution(section, body, data) {
    const mode = data.barmode;
    drawStacked(section, body, data.x, data.traces, { normalize: mode === "relative", stacked: mode === "stack" || mode === "relative" });
  }

  function drawTestDetailed(section, body, data) {
    if (!data.tests.length) return noData(section, body);
    const label = 260, cell = Math.max(4, Math.min(22, Math.floor((width(body) - label - 8) / data.x.length))), row = 18;
    const top = 24, w = label + cell * data.x.length + 4, h = top + row * data.tests.length + 4;
    const box = svg("svg", { width: w, height: h, role: "img", "aria-label": "test status per run" });
    const every = Math.max(1, Math.ceil(70 / cell));
    data.x.forEach((t, j) => {
      if (j % every) return;
      const text = svg("text", { x: label + j * cell, y: 14 });
      text.textContent = dayFmt.format(new Date(t * 1000));
      box.appendChild(text);
    });
    let cells = 0;
    data.tests.forEach((test, i) => {
      const y = top + i * row;
      const name = svg("text", { x: 0, y: y + 12 });
      const full = test.detail ? `${test.name}: ${test.detail}` : test.name;
      name.textContent = full.length > 40 ? full.slice(0, 39) + "…" : full;
      const tip = svg("title");
      tip.textContent = `${full} (${test.type})`;
      name.appendChild(tip);
      box.appendChild(name);
      test.cells.forEach((status, j) => {
        if (!status) return;
        const rect = svg("rect", { x: label + j * cell, y, width: Math.max(1, cell - 1), height: row - 2, rx: 2,
          fill: STATUS_COLORS[status] || "#6c8893", "data-status": status, "data-x": data.x[j] });
        const t = svg("title");
        t.textContent = `${full} · ${fullFmt.format(new Date(data.x[j] * 1000))} · ${status}`;
        rect.appendChild(t);
        box.appendChild(rect);
        cells++;
      });
    });
    const wrap = el("div", "heat");
    wrap.appendChild(box);
    body.appendChild(wrap);
    const legend = el("div", "legend-inline");
    for (const s of STATUS_ORDER) {
      const item = el("span");
      const key = el("i");
      key.style.background = STATUS_COLORS[s];
      item.append(key, s);
      legend.appendChild(item);
    }
    body.appendChild(legend);
    section.dataset.points = section.dataset.drawn = String(cells);
  }

  function drawCounter(section, body, data) {
    if (data.agg === "none" || !data.items.length) {
      body.appendChild(el("p", "counter-text", data.text || ""));
      section.dataset.points = section.dataset.drawn = "0";
      return;
    }
    const wrap = el("div", "counter");
    let n = 0;
    for (const item of data.items) {
      const cell = el("div", "item");
      cell.append(el("div", "value", fmtNum(item.value)), el("div", "label", item.label));
      wrap.appendChild(cell);
      if (item.value !== null) n++;
    }
    body.appendChild(wrap);
    if (data.text) body.appendChild(el("p", "counter-text muted", data.text));
    section.dataset.points = section.dataset.drawn = String(n);
  }

  function drawTestCounter(section, body, data) {
    const wrap = el("div", "counter testcount");
    const good = data.statuses.length === 1 && data.statuses[0] === "SUCCESS";
    const cls = data.total === 0 ? "" : good ? (data.count === data.total ? "ok" : "bad") : (data.count ? "bad" : "ok");
    const cell = el("div", "item");
    cell.append(el("div", "value " + cls, `${data.count} / ${data.total}`), el("div", "label", data.statuses.join(", ")));
    wrap.appendChild(cell);
    body.appendChild(wrap);
    section.dataset.points = section.dataset.drawn = String(data.total ? 1 : 0);
  }

  function noData(section, body) {
    body.appendChild(el("p", "empty", "No data in this range."));
    section.dataset.points = section.dataset.drawn = "0";
  }

  const DRAW = { timeseries: drawTimeseries, histogram: drawHistogram, counter: drawCounter,
    test_aggregate: drawTestAggregate, test_detailed: drawTestDetailed, test_counter: drawTestCounter,
    distribution: drawDistribution };

  // "Where is the data": when nothing in the range, say where the project's snapshots are and offer the jump.
  const hint = document.getElementById("range-hint");
  const localInput = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  function showWhereTheDataIs(data) {
    hint.replaceChildren();
    hint.hidden = true;
    const drawn = data.panels.some((p) => p.data && !p.error && pointsOf(p.data) > 0);
    const span = data.span;
    if (drawn || !span || !span.count) return;
    const first = new Date(span.first * 1000), last = new Date(span.last * 1000);
    const inRange = data.range_count;
    const text = inRange ? "No points for these panels in this range, though it has " + inRange + " snapshots. "
      : "No snapshots in this range. ";
    hint.append(el("span", null, text + `This project's ${span.count} snapshots run from ${fullFmt.format(first)} to ${fullFmt.format(last)}. `));
    if (!inRange) {
      const jump = el("button", "jump", `Show ${dayFmt.format(first)} – ${dayFmt.format(last)}`);
      jump.type = "button";
      jump.addEventListener("click", () => {
        state.range = "custom";
        state.from = localInput(first);
        state.to = localInput(new Date(last.getTime() + 60000));  // the inputs hold minutes; the end is exclusive
        syncForm(); writeState(); load();
      });
      hint.append(jump);
    }
    hint.hidden = false;
  }

  function pointsOf(d) {
    if (d.kind === "timeseries") return d.traces.reduce((n, t) => n + t.x.length, 0);
    if (d.kind === "histogram") return d.traces.length;
    if (d.kind === "distribution" || d.kind === "test_aggregate") return d.x.length;
    if (d.kind === "test_detailed") return d.tests.length;
    if (d.kind === "test_counter") return d.total;
    if (d.kind === "counter") return d.items.filter((i) => i.value !== null).length;
    return 0;
  }

  function render(data) {
    destroyCharts();
    const grid = root.querySelector(`[data-tab-panels="${CSS.escape(state.tab)}"]`);
    if (!grid) return;
    for (const panel of data.panels) {
      const section = grid.querySelector(`[data-panel-id="${CSS.escape(String(panel.id))}"]`);
      if (!section) continue;
      const body = section.querySelector(".panel-body");
      body.replaceChildren();
      delete section.dataset.drawn;
      section.dataset.kind = panel.data ? panel.data.kind : "error";
      if (panel.error) {
        body.appendChild(el("div", "error", panel.error));
        section.dataset.points = "0";
        continue;
      }
      try {
        (DRAW[panel.data.kind] || noData)(section, body, panel.data);
      } catch (e) {
        body.replaceChildren(el("div", "error", "could not draw this panel: " + e));
      }
    }
  }

  async function load() {
    const seq = ++requestSeq;
    root.dataset.ready = "0";
    const { start, end } = timeRange();
    const q = new URLSearchParams({ tab: state.tab });
    if (start) q.set("start", start.toISOString());
    if (end) q.set("end", end.toISOString());
    for (const t of state.tags) q.append("tag", t);
    if (state.agg) q.set("agg", state.agg);
    statusLine.textContent = "loading…";
    const began = performance.now();
    try {
      const res = await fetch(`/api/projects/${encodeURIComponent(projectId)}/dashboard?${q}`,
        { credentials: "same-origin", headers: { Accept: "application/json" } });
      const body = await res.json();
      if (seq !== requestSeq) return;
      if (!res.ok) throw new Error(body.detail || res.statusText);
      lastData = body;
      render(body);
      showWhereTheDataIs(body);
      const ms = Math.round(performance.now() - began);
      const range = start ? `${fullFmt.format(start)} – ${end ? fullFmt.format(end) : "now"}` : "all time";
      statusLine.textContent = `${body.panels.length} panels · ${range} · ${ms} ms`;
    } catch (e) {
      statusLine.textContent = "failed: " + e.message;
    } finally {
      if (seq === requestSeq) {
        root.dataset.loadedTab = state.tab;
        root.dataset.ready = "1";
      }
    }
  }

  // --------------------------------------------------------------------------------- events
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("change", (e) => {
    state.range = form.range.value;
    state.from = form.from.value;
    state.to = form.to.value;
    state.tags = [...form.querySelectorAll('input[name="tag"]:checked')].map((b) => b.value);
    state.agg = form.agg ? form.agg.value : "";
    syncForm();
    writeState();
    if (state.range !== "custom" || e.target.name !== "range") load();
  });
  for (const b of tabs) b.addEventListener("click", () => { state.tab = b.dataset.tab; syncForm(); writeState(); load(); });
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => lastData && render(lastData), 150);
  });
  syncForm();  // deferred script: the page is parsed
  load();
})();
