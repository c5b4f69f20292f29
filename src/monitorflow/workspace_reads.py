"""The index reads of a workspace (series, test statuses, tags, field paths, dashboard data), mixed
into :class:`~monitorflow.workspace.Workspace`: answered by the store's index, no snapshot opened."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pandas as pd

from monitorflow import panel_data
from monitorflow.dashboards import series_frame, status_frame
from monitorflow.default_dashboard import generated_dashboard
from monitorflow.errors import ConfigurationError, ProjectNotFound
from monitorflow.panel_data import DashboardQuery
from monitorflow.project import IdLike, WorkspaceBase, to_uuid
from monitorflow.storage.base import SeriesQuery, SnapshotStore, TestStatusQuery
from monitorflow.storage.python_reads import PythonReads, StoreRows
from monitorflow.storage.reads import IndexReads


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large query result is materialised.

    A 10,000-point series allocates tens of thousands of (acyclic) tuples and strings, which
    triggers full collections over the whole heap: 100+ ms pauses in the tail latency. Reference
    counting still frees everything; the previous GC state is restored.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _type_and_fingerprint(item: Any, argument: str) -> tuple[str | None, str | None]:
    """A class name, a class, or a configured instance -> (class name, the instance's fingerprint)."""
    if item is None:
        return None, None
    if isinstance(item, str):
        return item, None
    if isinstance(item, type):
        return item.__name__, None
    fingerprint = getattr(item, "fingerprint", None)
    if isinstance(fingerprint, str):
        return type(item).__name__, fingerprint
    raise ConfigurationError(
        f"expected a class name, a class or an instance, got {item!r}; e.g. 'ColumnDriftMetric'",
        argument=argument,
    )


class WorkspaceReads(WorkspaceBase):
    """Reads over the index of ``self.store`` (``self.reads``: its queries)."""

    store: SnapshotStore

    @property
    def reads(self) -> IndexReads:
        """The queries over the index behind series and dashboards (:mod:`monitorflow.storage.reads`)."""
        return self.store.reads

    def series(
        self,
        project_id: IdLike,
        metric: Any,
        field_path: str,
        metric_args: dict[str, Any] | None = None,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        *,
        with_fingerprint: bool = False,
    ) -> pd.DataFrame:
        """One result field over time, from the index (no snapshot is opened).

        ``metric``: a class name (``"ColumnDriftMetric"``), a class, or a configured metric (matched
        by fingerprint); ``metric_args`` must equal the metric's parameters (``{"column_name": "age"}``);
        ``field_path`` is dotted (``"drift_by_columns.age.drift_score"``). Returns a DataFrame of
        ``timestamp`` (UTC), ``snapshot_id`` (str), ``value`` (float) sorted by time; with
        ``with_fingerprint`` also ``metric_fingerprint``, the matching metric's fingerprint, to split
        several matching metrics.
        """
        metric_type, fingerprint = _type_and_fingerprint(metric, "metric")
        query = SeriesQuery(
            project_id=to_uuid(project_id, ProjectNotFound),
            metric_type=metric_type,
            metric_fingerprint=fingerprint,
            metric_args=dict(metric_args or {}),
            field_path=field_path,
            tags=list(tags or []),
            metadata=dict(metadata or {}),
            start=start,
            end=end,
        )
        with gc_paused():
            return series_frame(self.reads.series(query), with_fingerprint=with_fingerprint)

    def test_status_series(
        self,
        project_id: IdLike,
        test: Any = None,
        test_args: dict[str, Any] | None = None,
        statuses: list[str] | None = None,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> pd.DataFrame:
        """Statuses of tests over time: ``timestamp, snapshot_id, test_fingerprint, test_type, test_name,
        status``.

        ``test``: None (all), a class name, a class, or a configured test (matched by fingerprint);
        ``test_args`` must equal the test's string/int/bool parameters (``{"column_name": "age"}``).
        """
        test_type, fingerprint = _type_and_fingerprint(test, "test")
        query = TestStatusQuery(
            project_id=to_uuid(project_id, ProjectNotFound),
            test_type=test_type,
            test_fingerprint=fingerprint,
            test_args=dict(test_args or {}),
            statuses=[str(s) for s in statuses or []],
            tags=list(tags or []),
            metadata=dict(metadata or {}),
            start=start,
            end=end,
        )
        with gc_paused():
            return status_frame(self.reads.test_statuses(query))

    def tag_values(self, project_id: IdLike, prefix: str = "") -> list[str]:
        """Distinct tags of the project's snapshots that start with ``prefix``, sorted."""
        return self.reads.tag_values(to_uuid(project_id, ProjectNotFound), prefix)

    def field_paths(self, project_id: IdLike, metric: Any = None, pattern: str | None = None) -> list[str]:
        """Indexed field paths of ``metric`` (as in :meth:`series`; None: every metric) that fit
        ``pattern``, where ``*`` stands for one path segment (``"drift_by_columns.*.drift_score"``)."""
        metric_type, fingerprint = _type_and_fingerprint(metric, "metric")
        return self.reads.field_paths(to_uuid(project_id, ProjectNotFound), metric_type, fingerprint, pattern)

    def dashboard_data(self, project_id: IdLike, query: DashboardQuery | None = None) -> dict[str, Any]:
        """Every panel's data of the project's dashboard for ``query`` (time range, tags, metadata,
        tab; see :mod:`monitorflow.panel_data`), JSON-ready; a failing panel carries its ``error``. A
        project without panels is answered for its generated dashboard
        (:mod:`monitorflow.default_dashboard`)."""
        project = self.get_project(project_id)
        generated = generated_dashboard(self, project)  # no panels yet: the ones its snapshots suggest
        if generated is not None:
            project = project.model_copy(update={"dashboard": generated})
        query = query or DashboardQuery()
        reads = self.reads if query.use_index else PythonReads(StoreRows(self.store))
        return panel_data.dashboard_data(reads, project, query)
