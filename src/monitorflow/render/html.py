"""Placeholder renderer, replaced by the full renderer."""

from __future__ import annotations

import html

from monitorflow.snapshot import Snapshot


def render_snapshot(snapshot: Snapshot) -> str:
    return f"<!doctype html><html><body><pre>{html.escape(snapshot.model_dump_json(indent=2))}</pre></body></html>"
