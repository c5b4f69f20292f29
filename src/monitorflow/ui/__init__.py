"""Evidently's ``ui`` import paths (dashboards, workspaces, errors), re-exporting monitorflow's classes.

The web service itself is :mod:`monitorflow.service` (``monitorflow ui``)."""
