"""HTML building blocks of the pages: the page frame, times, chips. Every user text goes through
:func:`~monitorflow.render.format.esc` (the one HTML escape, shared with the snapshot reports).

>>> esc('<script>alert(1)</script>')
'&lt;script&gt;alert(1)&lt;/script&gt;'
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from monitorflow.render.format import esc
from monitorflow.version import __version__


def url(path: str, **params: Any) -> str:
    """``path?a=1&b=2`` with None/empty values left out; lists repeat the key."""
    items = [(k, v) for k, v in params.items() if v not in (None, "", [])]
    return path + ("?" + urlencode(items, doseq=True) if items else "")


def time_tag(value: datetime | None) -> str:
    """A ``<time>`` in UTC that app.js rewrites to the viewer's time zone."""
    if value is None:
        return '<span class="muted">-</span>'
    utc = value.astimezone(UTC)
    return f'<time datetime="{utc.isoformat()}">{utc:%Y-%m-%d %H:%M} UTC</time>'


def chips(tags: list[str], cls: str = "chip") -> str:
    return "".join(f'<span class="{cls}">{esc(t)}</span>' for t in tags) or '<span class="muted">-</span>'


def meta_text(metadata: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in metadata.items())


def html_page(
    title: str,
    body: str,
    *,
    crumbs: Sequence[tuple[str, str | None]] = (),
    scripts: Sequence[str] = (),
    nav: str = "",
) -> str:
    """A full page: header with breadcrumbs, ``body``, the static scripts (no inline script)."""
    trail = " / ".join(
        f'<a href="{esc(href)}">{esc(text)}</a>' if href else f"<span>{esc(text)}</span>"
        for text, href in [("Projects", "/"), *crumbs]
    )
    tags = "".join(f'<script src="/static/{esc(s)}" defer></script>' for s in ["app.js", *scripts])
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} · monitorflow</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/uPlot.min.css">
<link rel="stylesheet" href="/static/app.css">{tags}</head>
<body><header class="top"><a class="brand" href="/">monitorflow</a>
<nav class="crumbs">{trail}</nav>{nav}</header>
<main>{body}</main>
<footer>monitorflow {esc(__version__)} · times in your time zone (<span class="tz">UTC</span>)</footer>
</body></html>"""


def project_nav(project_id: Any, active: str) -> str:
    links = [("Dashboard", f"/projects/{project_id}"), ("Snapshots", f"/projects/{project_id}/snapshots")]
    return (
        '<nav class="tabs-top">'
        + "".join(
            f'<a href="{esc(href)}"{" class=active" if label == active else ""}>{esc(label)}</a>'
            for label, href in links
        )
        + "</nav>"
    )


def error_page(status: int, detail: str) -> str:
    body = (
        f'<div class="card error"><h1>{status}</h1><p>{esc(detail)}</p>'
        '<p><a href="/">Back to projects</a></p></div>'
    )
    return html_page(f"Error {status}", body)


def login_page(next_path: str, failed: bool, enabled: bool) -> str:
    if not enabled:
        return html_page("Login", '<div class="card"><p>This service needs no login for reading.</p></div>')
    warn = '<p class="error">Wrong token.</p>' if failed else ""
    body = f"""<div class="card login"><h1>Sign in</h1>{warn}
<form method="post" action="/login"><input type="hidden" name="next" value="{esc(next_path)}">
<label>Service token
<input type="password" name="token" autocomplete="current-password" required autofocus></label>
<button type="submit">Sign in</button></form></div>"""
    return html_page("Sign in", body)
