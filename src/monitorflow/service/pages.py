"""Server-rendered pages: projects, a project's dashboard, its snapshots, one snapshot, a comparison.

Pages hold no inline script: charts are drawn by ``static/dashboard.js`` (uPlot, bundled) from
``/api/projects/{id}/dashboard``; ``static/app.js`` shows times in the viewer's time zone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, RedirectResponse

from monitorflow.errors import ConfigurationError
from monitorflow.panels import panels_by_tab
from monitorflow.render.format import esc, fmt_number
from monitorflow.service.compare import compare, same
from monitorflow.service.generated import keep, shown
from monitorflow.service.markup import chips, html_page, meta_text, project_nav, time_tag, url
from monitorflow.workspace import Workspace

PAGE_SIZE = 50
_MAX_TAG_CHIPS = 60


def _num(value: float | None) -> str:
    return '<span class="muted">-</span>' if value is None else esc(fmt_number(value))


def _projects_page(ws: Workspace, q: str | None) -> str:
    projects = ws.list_projects()
    if q:
        projects = [p for p in projects if q.lower() in p.name.lower()]
    rows = []
    for p in projects:
        latest = ws.list_snapshots(p.id, limit=1)
        rows.append(
            f'<tr><th><a href="/projects/{p.id}">{esc(p.name)}</a></th><td>{esc(p.description or "")}</td>'
            f"<td>{len(p.dashboard.panels)}</td><td>{time_tag(latest[0].timestamp) if latest else '-'}</td>"
            f'<td>{time_tag(p.created_at)}</td><td><a href="/projects/{p.id}/snapshots">snapshots</a></td>'
            "</tr>"
        )
    table = (
        '<table class="list"><thead><tr><th>Project</th><th>Description</th><th>Panels</th>'
        "<th>Latest snapshot</th>"
        f"<th>Created</th><th></th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        if rows
        else '<p class="empty">No projects yet. Create one from Python (<code>ws.create_project("name")'
        "</code>) "
        "or start the service with <code>--demo</code>.</p>"
    )
    search = (
        f'<form class="filters" method="get"><input type="search" name="q" value="{esc(q or "")}" '
        'placeholder="Filter by name"><button>Filter</button></form>'
    )
    return html_page(
        "Projects", f'<div class="card"><h1>Projects</h1>{search}{table}</div>{_problems_card(ws)}'
    )


def _problems_card(ws: Workspace) -> str:
    """The stored files the workspace cannot read, if any (they are left out of every listing)."""
    problems = ws.problems()
    if not problems:
        return ""
    rows = "".join(
        f'<tr><td class="mono">{esc(p["key"])}</td><td>{esc(p["reason"])}</td></tr>' for p in problems
    )
    return (
        f'<div class="card problems"><h2>{len(problems)} stored file{"s" if len(problems) > 1 else ""} '
        'cannot be read</h2><p class="muted">They are left out of listings and dashboards. Fix or delete '
        'them; they are read again when they change.</p><table class="list"><thead><tr><th>File</th>'
        f"<th>Reason</th></tr></thead><tbody>{rows}</tbody></table></div>"
    )


def _dashboard_page(ws: Workspace, project: Any, writes_open: bool) -> str:
    project, generated = shown(ws, project)
    tabs = panels_by_tab(project.dashboard)
    tags = ws.tag_values(project.id)
    tab_buttons = "".join(
        f'<button type="button" class="tab" data-tab="{esc(tab_id or "general")}">{esc(title)} '
        f'<span class="count">{len(items)}</span></button>'
        for tab_id, title, items in tabs
    )
    sections = []
    for tab_id, _title, items in tabs:
        cells = []
        for item in items:
            pid = (item.get("id") or "") if isinstance(item, dict) else item.id
            title = (item.get("title") or "") if isinstance(item, dict) else item.title
            size = int(item.get("size", 2) if isinstance(item, dict) else item.size)
            cells.append(
                f'<section class="panel size-{size}" data-panel-id="{esc(pid)}"><h3>{esc(title)}</h3>'
                '<div class="panel-body"><span class="muted">loading…</span></div></section>'
            )
        empty = "" if cells else '<p class="empty">No panels in this tab.</p>'
        sections.append(
            f'<div class="grid" data-tab-panels="{esc(tab_id or "general")}" hidden>{"".join(cells)}{empty}'
            "</div>"
        )
    tag_boxes = "".join(
        f'<label class="tagbox"><input type="checkbox" name="tag" value="{esc(t)}"> {esc(t)}</label>'
        for t in tags[:_MAX_TAG_CHIPS]
    )
    no_panels = not project.dashboard.panels
    hint = (
        '<p class="empty">This dashboard has no panels yet. Add some from Python: '
        '<code>project.dashboard.add_panel(DashboardPanelPlot(...), tab="Drift"); project.save()</code></p>'
        if no_panels
        else ""
    )
    if generated:
        keep = (
            f'<form method="post" action="/projects/{project.id}/dashboard/keep">'
            '<button type="submit">Keep this '
            "dashboard</button></form>"
            if writes_open
            else f"Keep it with <code>POST /api/projects/{project.id}/dashboard/keep</code> and the token."
        )
        hint = (
            '<div class="generated" id="generated">'
            "<span>This dashboard was generated from the metrics and tests "
            f"in this project's snapshots. Kept, it is the project's own to edit.</span>{keep}</div>"
        )
    controls = f"""<form class="controls" id="controls">
<label>Range <select name="range">
<option value="7d">Last 7 days</option><option value="30d">Last 30 days</option>
<option value="90d">Last 90 days</option>
<option value="all" selected>All time</option><option value="custom">Custom…</option></select></label>
<label class="custom">From <input type="datetime-local" name="from"></label>
<label class="custom">To <input type="datetime-local" name="to"></label>
<label title="How the points of one series in one time bucket are combined">Combine <select name="agg">
<option value="">panel default</option><option value="mean">mean</option><option value="last">last</option>
<option value="min">min</option><option value="max">max</option><option value="sum">sum</option>
</select></label>
<span class="tagfilter">{tag_boxes or '<span class="muted">no tags</span>'}</span>
<span class="status" id="status" aria-live="polite"></span></form>
<div class="range-hint" id="range-hint" role="status" hidden></div>"""
    body = f"""<div class="head"><h1>{esc(project.name)}</h1>
<p class="muted">{esc(project.description or "")}</p></div>
<div id="dashboard" data-project-id="{project.id}">{controls}{hint}
<div class="tabs" role="tablist">{tab_buttons}</div>
{"".join(sections)}</div>"""
    return html_page(
        project.name,
        body,
        crumbs=[(project.name, None)],
        scripts=["uPlot.iife.min.js", "dashboard.js"],
        nav=project_nav(project.id, "Dashboard"),
    )


def _parse_time(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ConfigurationError(
            f"{name} must be a date like 2026-01-31, got {value!r}", argument=name
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _snapshots_page(
    ws: Workspace,
    project: Any,
    kind: str | None,
    tag: list[str],
    start: str | None,
    end: str | None,
    page: int,
) -> str:
    infos = ws.list_snapshots(
        project.id,
        kind=kind,  # type: ignore[arg-type]
        tags=tag,
        start=_parse_time(start, "from"),
        end=_parse_time(end, "to"),
        limit=PAGE_SIZE + 1,
        offset=page * PAGE_SIZE,
    )
    more, infos = len(infos) > PAGE_SIZE, infos[:PAGE_SIZE]
    base = f"/projects/{project.id}"
    rows = "".join(
        f'<tr><td><input type="checkbox" name="s" value="{s.id}" aria-label="select for comparison"></td>'
        f'<td><a href="{base}/snapshots/{s.id}">{time_tag(s.timestamp)}</a></td>'
        f'<td><span class="chip kind-{s.kind}">{"report" if s.is_report else "test suite"}</span></td>'
        f'<td>{esc(s.name or "")}</td><td>{chips(s.tags)}</td><td class="mono">{esc(meta_text(s.metadata))}'
        "</td>"
        f'<td class="num">{s.size / 1024:.1f} KB</td>'
        f'<td class="links"><a href="/api/projects/{project.id}/snapshots/{s.id}/download?format=html">HTML'
        "</a> "
        f'<a href="/api/projects/{project.id}/snapshots/{s.id}/download?format=json">JSON</a></td></tr>'
        for s in infos
    )
    params = {"kind": kind, "tag": tag, "start": start, "end": end}
    pager = []
    if page > 0:
        pager.append(
            f'<a href="{esc(url(base + "/snapshots", **params, page=page - 1 or None))}">← newer</a>'
        )
    if more:
        pager.append(f'<a href="{esc(url(base + "/snapshots", **params, page=page + 1))}">older →</a>')
    options = "".join(
        f'<option value="{v}"{" selected" if kind == v else ""}>{label}</option>'
        for v, label in (("", "all kinds"), ("report", "reports"), ("test_suite", "test suites"))
    )
    filters = f"""<form class="filters" method="get"><select name="kind">{options}</select>
<input name="tag" placeholder="tag" value="{esc(tag[0] if tag else "")}">
<label>From <input type="date" name="start" value="{esc(start or "")}"></label>
<label>To <input type="date" name="end" value="{esc(end or "")}"></label><button>Filter</button></form>"""
    table = (
        f'<form method="get" action="{base}/compare" id="compare-form"><table class="list snapshots">'
        "<thead><tr>"
        "<th></th><th>Time</th><th>Kind</th><th>Name</th><th>Tags</th><th>Metadata</th><th>Size</th><th></th>"
        f"</tr></thead><tbody>{rows}</tbody></table><p>"
        '<button type="submit" id="compare" disabled>Compare the two '
        f'selected</button> <span class="pager">{" ".join(pager)}</span></p></form>'
        if rows
        else '<p class="empty">No snapshots match.</p>'
    )
    body = f'<div class="card"><h1>{esc(project.name)}: snapshots</h1>{filters}{table}</div>'
    return html_page(
        f"{project.name} snapshots",
        body,
        crumbs=[(project.name, base), ("Snapshots", None)],
        nav=project_nav(project.id, "Snapshots"),
    )


def _snapshot_page(ws: Workspace, project: Any, snapshot_id: UUID) -> str:
    info = ws.get_snapshot_metadata(project.id, snapshot_id)
    base = f"/projects/{project.id}"
    api = f"/api/projects/{project.id}/snapshots/{info.id}"
    previous = ws.list_snapshots(project.id, end=info.timestamp, kind=info.kind, tags=info.tags, limit=1)
    compare_link = (
        f'<a class="button" href="{base}/compare?a={previous[0].id}&amp;b={info.id}">Compare with previous'
        "</a>"
        if previous
        else ""
    )
    datasets = [
        f'<a href="{api}/datasets/{role}">{role} data (Parquet)</a>'
        for role in ("current", "reference")
        if getattr(info.datasets, role)
    ]
    title = info.name or ("Report" if info.is_report else "Test suite")
    data = f"<dt>Data</dt><dd>{' · '.join(datasets)}</dd>" if datasets else ""
    body = f"""<div class="card"><div class="snap-head"><h1>{esc(title)}</h1>
<span class="chip kind-{info.kind}">{"report" if info.is_report else "test suite"}</span>
<span class="actions"><a class="button" href="{api}/download?format=html">Download HTML</a>
<a class="button" href="{api}/download?format=json">JSON</a>{compare_link}</span></div>
<dl class="meta"><dt>Time</dt><dd>{time_tag(info.timestamp)}</dd><dt>Tags</dt><dd>{chips(info.tags)}</dd>
<dt>Metadata</dt><dd class="mono">{esc(meta_text(info.metadata)) or "-"}</dd>
<dt>Id</dt><dd class="mono">{info.id}</dd>{data}</dl></div>
<iframe class="report" src="{api}/download?format=html&amp;inline=true" title="snapshot report"
 sandbox="allow-same-origin"></iframe>"""
    label = f"{info.timestamp:%Y-%m-%d %H:%M} UTC"
    return html_page(
        f"{project.name} · {label}",
        body,
        crumbs=[(project.name, base), ("Snapshots", base + "/snapshots"), (label, None)],
        nav=project_nav(project.id, "Snapshots"),
    )


def _flag(value: bool | None) -> str:
    if value is None:
        return '<span class="muted">-</span>'
    return (
        '<span class="badge s-fail">drift</span>'
        if value
        else '<span class="badge s-success">no drift</span>'
    )


def _status(value: str | None) -> str:
    return (
        f'<span class="badge s-{esc(value.lower())}">{esc(value)}</span>'
        if value
        else '<span class="muted">-</span>'
    )


_FIELDS_HEAD = "<thead><tr><th>Field</th><th>A</th><th>B</th><th>B − A</th></tr></thead>"


def _field_row(path: str, va: float | None, vb: float | None) -> str:
    delta = None if va is None or vb is None else vb - va
    return (
        f'<tr><th class="mono">{esc(path)}</th><td class="num">{_num(va)}</td><td class="num">{_num(vb)}</td>'
        f'<td class="num">{_num(delta)}</td></tr>'
    )


def _compare_page(ws: Workspace, project: Any, a_id: UUID, b_id: UUID) -> str:
    a, b = ws.load_snapshot(project.id, a_id), ws.load_snapshot(project.id, b_id)
    result = compare(a, b)
    base = f"/projects/{project.id}"

    def side(s: Any, label: str) -> str:
        return f'{label}: <a href="{base}/snapshots/{s.id}">{time_tag(s.timestamp)}</a> {chips(s.tags)}'

    drift_rows = "".join(
        f'<tr><th>{esc(d.column)}</th><td class="num">{_num(d.a_score)}</td><td>{_flag(d.a_drift)}</td>'
        f'<td class="num">{_num(d.b_score)}</td><td>{_flag(d.b_drift)}</td><td>{esc(d.stattest or "")}</td>'
        "</tr>"
        for d in result.drift
    )
    drift = (
        f'<div class="card"><h2>Drift per column</h2><table class="list compare"><thead><tr><th>Column</th>'
        "<th>A score</th><th>A</th><th>B score</th><th>B</th><th>Test</th></tr></thead>"
        f"<tbody>{drift_rows}</tbody></table></div>"
        if drift_rows
        else ""
    )
    test_rows = "".join(
        f"<tr><th>{esc(n)}</th><td>{_status(sa)}</td><td>{_status(sb)}</td></tr>"
        for n, sa, sb in result.tests
    )
    tests = (
        f'<div class="card"><h2>Tests</h2><table class="list compare"><thead><tr><th>Test</th><th>A</th>'
        f"<th>B</th></tr></thead><tbody>{test_rows}</tbody></table></div>"
        if test_rows
        else ""
    )
    metric_blocks, opened = [], 0
    for m in result.metrics:
        only = (
            "only in A"
            if all(vb is None for _, _, vb in m.fields)
            else ("only in B" if all(va is None for _, va, _ in m.fields) else "")
        )
        is_open = not only and m.changed and opened < 2
        opened += bool(is_open)
        params = ", ".join(f"{k}={v}" for k, v in m.params.items() if isinstance(v, str | int | float | bool))
        changed = "".join(_field_row(*f) for f in m.fields if not same(f[1], f[2]))
        unchanged = [f for f in m.fields if same(f[1], f[2])]
        table = (
            f'<table class="list compare changed">{_FIELDS_HEAD}<tbody>{changed}</tbody></table>'
            if changed
            else ""
        )
        if unchanged:
            table += (
                f'<details class="same"><summary>{len(unchanged)} equal values</summary>'
                '<table class="list compare">'
                f"{_FIELDS_HEAD}<tbody>{''.join(_field_row(*f) for f in unchanged)}</tbody></table></details>"
            )
        metric_blocks.append(
            f'<details class="metric"{" open" if is_open else ""}><summary><b>{esc(m.type)}</b> '
            f'<span class="muted">{esc(params)} · {only or f"{m.changed} of {len(m.fields)} values differ"}'
            "</span></summary>"
            f"{table}</details>"
        )
    body = (
        f'<div class="card"><h1>Compare snapshots</h1><p>{side(a, "A")}</p><p>{side(b, "B")}</p></div>'
        f'{drift}{tests}<div class="card"><h2>Metric values</h2>{"".join(metric_blocks)}</div>'
    )
    return html_page(
        f"{project.name} · compare",
        body,
        crumbs=[(project.name, base), ("Compare", None)],
        nav=project_nav(project.id, "Snapshots"),
    )


def pages_router(
    ws: Workspace, *, read: Any, write: Any = None, writes_open: bool = False, sign_out: bool = False
) -> APIRouter:
    """HTML routes; ``read``/``write`` are the access dependencies; ``writes_open``: writes need no
    token (then the pages offer their one write, keeping a generated dashboard, as a button);
    ``sign_out`` adds a sign-out button."""
    r = APIRouter(dependencies=[Depends(read)], include_in_schema=False, default_response_class=HTMLResponse)
    button = '<form class="signout" method="post" action="/logout"><button>Sign out</button></form>'

    def answer(html: str) -> HTMLResponse:
        return HTMLResponse(html.replace("</footer>", f"{button}</footer>", 1) if sign_out else html)

    @r.post("/projects/{project_id}/dashboard/keep", dependencies=[Depends(write or read)])
    def keep_dashboard(project_id: UUID) -> RedirectResponse:
        keep(ws, project_id)
        return RedirectResponse(f"/projects/{project_id}", status_code=303)

    @r.get("/")
    def projects(q: str | None = None) -> HTMLResponse:
        return answer(_projects_page(ws, q))

    @r.get("/projects/{project_id}")
    def dashboard(project_id: UUID) -> HTMLResponse:
        return answer(_dashboard_page(ws, ws.get_project(project_id), writes_open))

    @r.get("/projects/{project_id}/snapshots")
    def snapshots(
        project_id: UUID,
        kind: Literal["report", "test_suite", ""] = "",
        tag: Annotated[list[str], Query()] = [],  # noqa: B006
        start: str | None = None,
        end: str | None = None,
        page: Annotated[int, Query(ge=0, le=2**56)] = 0,  # x PAGE_SIZE stays under MAX_ROWS; exact in JSON
    ) -> HTMLResponse:
        project = ws.get_project(project_id)
        tags = [t for t in tag if t]
        return answer(_snapshots_page(ws, project, kind or None, tags, start, end, page))

    @r.get("/projects/{project_id}/snapshots/{snapshot_id}")
    def snapshot(project_id: UUID, snapshot_id: UUID) -> HTMLResponse:
        return answer(_snapshot_page(ws, ws.get_project(project_id), snapshot_id))

    @r.get("/projects/{project_id}/compare")
    def compare_page(
        project_id: UUID,
        a: UUID | None = None,
        b: UUID | None = None,
        s: Annotated[list[UUID], Query()] = [],  # noqa: B006
    ) -> HTMLResponse:
        ids = [i for i in (a, b) if i is not None] or s
        if len(ids) != 2:
            raise ConfigurationError(f"pick exactly two snapshots to compare, got {len(ids)}", argument="s")
        infos = sorted((ws.get_snapshot_metadata(project_id, i) for i in ids), key=lambda i: i.timestamp)
        return answer(_compare_page(ws, ws.get_project(project_id), infos[0].id, infos[1].id))

    return r
