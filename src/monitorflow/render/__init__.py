"""Standalone HTML for a snapshot (no network: everything is inline)."""

from monitorflow.render.html import render_snapshot

__all__ = ["render_snapshot"]
