"""Widget models of custom renderers (Evidently's ``model`` package)."""
