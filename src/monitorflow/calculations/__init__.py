"""Evidently's ``calculations`` package: only its ``stattests`` are public API here (the rest of
Evidently's package is its metrics' internals; see docs/evidently-compat.md)."""
