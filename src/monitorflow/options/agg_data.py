"""Render and data-definition options (Evidently's ``options.agg_data``)."""

from __future__ import annotations

from monitorflow.options.option import Option


class RenderOptions(Option):
    """``raw_data=True`` asks Evidently to keep raw points for its plots. monitorflow results always hold
    bounded aggregates (a snapshot never grows with rows), so the flag is accepted and has no effect on
    results; see docs/evidently-compat.md."""

    raw_data: bool = False


class DataDefinitionOptions(Option):
    """``categorical_features_cardinality``: a string column with more distinct values than this is not
    treated as a categorical feature (its type is unknown and metrics skip it)."""

    categorical_features_cardinality: int | None = None
