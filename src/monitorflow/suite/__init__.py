"""Evidently's ``suite`` package path: its ``base_suite`` module (re-exports)."""
