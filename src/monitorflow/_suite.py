"""What Report and TestSuite share: constructor metadata, input validation, snapshot I/O."""

from __future__ import annotations

import json
import math
import os
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Self
from uuid import UUID

import pandas as pd

from monitorflow._memory import release_memory
from monitorflow.column_mapping import ColumnMapping, DataDefinition, build_definition, check_frame
from monitorflow.context import RunContext
from monitorflow.errors import ConfigurationError, MonitoringError
from monitorflow.ids import uuid7
from monitorflow.options import ColorOptions
from monitorflow.options.base import Options
from monitorflow.snapshot import METADATA_KEYS, Snapshot
from monitorflow.timeutil import to_utc, utc_now
from monitorflow.utils.numpy_encoder import NumpyEncoder
from monitorflow.version import __version__


def _is_lazy(data: Any) -> bool:
    """A lazy source (see ``monitorflow.scale``): partitions and a schema, not a frame."""
    return not isinstance(data, pd.DataFrame) and hasattr(data, "partitions") and hasattr(data, "schema")


class Suite:
    """Base of Report and TestSuite."""

    kind: ClassVar[str]

    def __init__(
        self,
        *,
        options: Any = None,
        timestamp: Any = None,
        id: Any = None,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        model_id: str | None = None,
        reference_id: str | None = None,
        batch_size: str | None = None,
        dataset_id: str | None = None,
        name: str | None = None,
    ) -> None:
        self.options = Options.from_any_options(options)
        self.tags = list(tags or [])
        self.metadata = dict(metadata or {})
        for key, value in zip(METADATA_KEYS, (model_id, reference_id, batch_size, dataset_id), strict=True):
            if value is not None:
                self.metadata[key] = value
        self.name = name
        self.id: UUID | None = None  # ``id=`` is accepted as in Evidently, where it has no effect either
        #: A timestamp given to the constructor (Evidently's backfill idiom) wins over run(timestamp=...).
        self._timestamp = None if timestamp is None else to_utc(timestamp)
        self.timestamp: datetime | None = None
        self.created_at: datetime | None = None
        self.data_definition: DataDefinition | None = None
        self._context: RunContext | None = None
        self._snapshot: Snapshot | None = None

    # ------------------------------------------------------------------------------- running

    def run(
        self,
        *,
        reference_data: Any = None,
        current_data: Any = None,
        column_mapping: ColumnMapping | None = None,
        timestamp: Any = None,
        additional_data: dict[str, Any] | None = None,
        engine: Any = None,
    ) -> None:
        """Compute every metric (Report) or run every test (TestSuite) once, however many presets ask
        for it.

        ``additional_data`` holds extra inputs of some metrics (``current_train_data`` of the recsys
        metrics, ``current_feature_importance`` of a drift table); ``engine`` is accepted for Evidently
        code and must be None (monitorflow has one engine).
        """
        if engine is not None:
            raise ConfigurationError(
                f"engine={engine!r}: monitorflow has one engine; leave engine out (large data: see "
                "docs/scale.md)",
                argument="engine",
            )
        self._compute(self._prepare(reference_data, current_data, column_mapping, timestamp, additional_data))

    def _compute(self, ctx: RunContext) -> None:
        raise NotImplementedError

    def _prepare(
        self,
        reference_data: Any,
        current_data: Any,
        column_mapping: ColumnMapping | None,
        timestamp: Any,
        additional_data: dict[str, Any] | None = None,
    ) -> RunContext:
        if column_mapping is not None and not isinstance(column_mapping, ColumnMapping):
            raise ConfigurationError(
                f"column_mapping must be a ColumnMapping, got {type(column_mapping).__name__}; "
                "pass ColumnMapping(target=..., prediction=...)",
                argument="column_mapping",
            )
        if self._timestamp is not None:
            when = self._timestamp
        else:
            when = utc_now() if timestamp is None else to_utc(timestamp)
        if _is_lazy(current_data) or _is_lazy(reference_data):
            from monitorflow.scale.context import prepare  # lazy: pyarrow.dataset and friends load here

            if not _is_lazy(current_data):
                check_frame(current_data, "current_data")
            if reference_data is not None and not _is_lazy(reference_data):
                check_frame(reference_data, "reference_data")
            context: RunContext = prepare(current_data, reference_data, column_mapping)
        else:
            current = check_frame(current_data, "current_data")
            reference = None if reference_data is None else check_frame(reference_data, "reference_data")
            definition, current, reference = build_definition(
                column_mapping, current, reference, self.options.data_definition_options
            )
            context = RunContext(current, reference, definition, column_mapping, additional_data)
        release_memory()  # what loading the data freed, before this run's high-water mark starts
        self.created_at = utc_now()
        self.id = uuid7(int(self.created_at.timestamp() * 1000))
        self.timestamp = when
        self.data_definition = context.definition
        self._context = context
        self._snapshot = None
        return self._context

    def set_batch_size(self, batch_size: str) -> Self:
        self.metadata["batch_size"] = batch_size
        return self

    def set_model_id(self, model_id: str) -> Self:
        self.metadata["model_id"] = model_id
        return self

    def set_reference_id(self, reference_id: str) -> Self:
        self.metadata["reference_id"] = reference_id
        return self

    def set_dataset_id(self, dataset_id: str) -> Self:
        self.metadata["dataset_id"] = dataset_id
        return self

    def _require_run(self) -> None:
        if self._snapshot is None and self._context is None:
            raise MonitoringError(
                f"this {type(self).__name__} has not been run yet; call .run(current_data=...) first"
            )

    def datasets(self) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
        """The (current, reference) frames as evaluated (for ``include_data``); None after ``load`` and
        for lazy sources (their rows were never loaded)."""
        if self._context is None:
            return None, None
        current, reference = self._context.current, self._context.reference
        return (
            current if isinstance(current, pd.DataFrame) else None,
            reference if isinstance(reference, pd.DataFrame) else None,
        )

    # ------------------------------------------------------------------------------ snapshots

    def _snapshot_body(self) -> dict[str, Any]:
        raise NotImplementedError

    def to_snapshot(self) -> Snapshot:
        """The snapshot of the last run, with the current tags and metadata."""
        self._require_run()
        if self._snapshot is not None:
            return self._snapshot.model_copy(
                update={"tags": list(self.tags), "metadata": dict(self.metadata), "name": self.name}
            )
        assert self.id is not None and self.timestamp is not None
        return Snapshot(
            id=self.id,
            kind=self.kind,
            name=self.name,
            timestamp=self.timestamp,
            created_at=self.created_at,
            tags=list(self.tags),
            metadata=dict(self.metadata),
            data_definition=self.data_definition,
            **self._snapshot_body(),
        )

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the snapshot JSON."""
        return self.to_snapshot().save(path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Self:
        """Rebuild from a snapshot file: results readable and renderable without the data."""
        return cls.from_snapshot(Snapshot.load(path))

    @classmethod
    def from_snapshot(cls, snapshot: Snapshot) -> Self:
        raise NotImplementedError

    def _restore_common(self, snapshot: Snapshot) -> None:
        self.tags = list(snapshot.tags)
        self.metadata = dict(snapshot.metadata)
        self.name = snapshot.name
        self.id = snapshot.id
        self.timestamp = snapshot.timestamp
        self.created_at = snapshot.created_at
        self.data_definition = snapshot.data_definition
        self._snapshot = snapshot

    # --------------------------------------------------------------------------------- output

    def as_dict(
        self, *, include_render: bool = False, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        # keyword-only here: Report takes include_render first, TestSuite include_metrics (Evidently's order)
        raise NotImplementedError

    def json(
        self, include_render: bool = False, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> str:
        """``{"version": ..., **as_dict()}`` as JSON (NaN and infinity become null)."""
        content = self._json_dict(include_render=include_render, include=include, exclude=exclude, **kwargs)
        return json.dumps(_finite_or_none(content), default=_json_default, allow_nan=False)

    def save_json(
        self,
        filename: str | os.PathLike[str],
        include_render: bool = False,
        include: Any = None,
        exclude: Any = None,
    ) -> Path:
        """Write ``json()`` to a file."""
        target = Path(filename)
        target.write_text(
            self.json(include_render=include_render, include=include, exclude=exclude), encoding="utf-8"
        )
        return target

    def _json_dict(self, **kwargs: Any) -> dict[str, Any]:
        content = self.as_dict(**kwargs)
        stamp = {"timestamp": self.timestamp.isoformat()} if self.timestamp else {}
        return {"version": __version__, **stamp, **content}

    def get_html(self) -> str:
        from monitorflow.render import render_snapshot  # lazy: rendering loads for HTML only

        return _with_colors(render_snapshot(self.to_snapshot()), self.options.color_options)

    def save_html(self, path: str | os.PathLike[str], mode: Any = None) -> Path:
        """Write one self-contained HTML file (no network needed to open it; ``mode`` is accepted and
        ignored: the page is always a single file)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.get_html(), encoding="utf-8")
        return target

    def show(self, mode: str = "auto") -> Any:
        """Display in a notebook (``mode`` is accepted for Evidently code: every mode shows the same
        self-contained page). Outside IPython, returns an object whose ``_repr_html_`` is the page."""
        try:
            from IPython.display import HTML  # optional: only in notebooks
        except ImportError:
            return _Page(self.get_html())
        return HTML(self.get_html())

    def _repr_html_(self) -> str:
        return self.get_html()


class _Page:
    """The HTML page of a report, for displays that call ``_repr_html_``."""

    def __init__(self, html: str) -> None:
        self.html = html

    def _repr_html_(self) -> str:
        return self.html


def _with_colors(html: str, colors: Any) -> str:
    """The page with current and reference data drawn in ``colors`` (ColorOptions)."""

    if colors == ColorOptions():
        return html
    style = (
        f"<style>:root{{--cur:{_css(colors.get_current_data_color())};"
        f"--ref:{_css(colors.get_reference_data_color())}}}</style>"
    )
    return html.replace("</head>", style + "</head>", 1)


def _css(color: str) -> str:
    return "".join(c for c in str(color) if c.isalnum() or c in "#(),.% ")


def _json_default(value: Any) -> Any:
    return NumpyEncoder().default(value)


def _finite_or_none(value: Any) -> Any:
    """``value`` with every NaN or infinite float replaced by None (JSON has neither)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite_or_none(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite_or_none(v) for v in value]
    return value
