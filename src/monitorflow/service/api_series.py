"""The API's read routes over the index: series, test statuses, field paths, the data span, bucketed
traces, status counts and a dashboard's data (mounted under ``/api`` by
:func:`monitorflow.service.api.api_router`)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response

from monitorflow.panel_data import DashboardQuery
from monitorflow.panels import BucketAgg
from monitorflow.service.api_io import MetaQ, TagQ, TimeQ, json_answer, metadata_filter, naive_is_utc
from monitorflow.storage.base import SeriesQuery, TestStatusQuery
from monitorflow.storage.reads import BucketQuery, StatusCountQuery
from monitorflow.storage.wire import (
    SERIES_ROW,
    STATUS_COUNT_ROW,
    STATUS_ROW,
    SeriesIn,
    TestStatusIn,
    rows_to_columns,
    span_to_json,
    traces_to_json,
)
from monitorflow.workspace import Workspace


def series_router(ws: Workspace, reads: list[Any]) -> APIRouter:
    """The series and dashboard-data routes over ``ws``; ``reads``: the read access dependencies."""
    r = APIRouter()

    @r.post(
        "/projects/{project_id}/series",
        dependencies=reads,
        tags=["series"],
        response_class=Response,
        responses={200: {"content": {"application/json": {}}, "description": "columns of the series"}},
    )
    def series(project_id: UUID, body: SeriesIn) -> Response:
        """One result field over time from the index: columns ``ts`` (µs UTC), ``snapshot_id``,
        ``value``, ``metric_fingerprint`` (also as ``metric_id`` unless the body says ``wire_version``
        2; a read, sent as POST for its structured body)."""
        query = SeriesQuery(project_id=project_id, **body.query_fields())
        return json_answer(rows_to_columns(ws.reads.series(query), SERIES_ROW, body.wire_version))

    @r.post(
        "/projects/{project_id}/test_statuses",
        dependencies=reads,
        tags=["series"],
        response_class=Response,
        responses={200: {"content": {"application/json": {}}, "description": "columns of the statuses"}},
    )
    def test_statuses(project_id: UUID, body: TestStatusIn) -> Response:
        """Test statuses over time: columns ``ts``, ``snapshot_id``, ``test_fingerprint`` (also as
        ``test_id`` unless the body says ``wire_version`` 2), ``test_type``, ``test_name``, ``status``,
        ``column`` (its column, or "")."""
        query = TestStatusQuery(project_id=project_id, **body.query_fields())
        return json_answer(rows_to_columns(ws.reads.test_statuses(query), STATUS_ROW, body.wire_version))

    @r.get(
        "/projects/{project_id}/field_paths", response_model=list[str], dependencies=reads, tags=["series"]
    )
    def field_paths(
        project_id: UUID,
        metric_type: str | None = None,
        metric_fingerprint: str | None = None,
        pattern: str | None = None,
    ) -> list[str]:
        """Indexed field paths of the matching metrics that fit ``pattern`` (``*``: one path segment)."""
        return ws.reads.field_paths(project_id, metric_type, metric_fingerprint, pattern)

    @r.get("/projects/{project_id}/span", dependencies=reads, tags=["series"])
    def span(
        project_id: UUID,
        start: TimeQ = None,
        end: TimeQ = None,
        cap: Annotated[int | None, Query(ge=0)] = None,
    ) -> dict[str, int]:
        """``{first, last, count}`` of the project's snapshots in ``[start, end)`` (µs UTC; count exact
        up to ``cap``): where the data is."""
        return span_to_json(ws.reads.span(project_id, naive_is_utc(start), naive_is_utc(end), cap))

    @r.post(
        "/projects/{project_id}/buckets",
        dependencies=reads,
        tags=["series"],
        response_class=Response,
        responses={
            200: {
                "content": {"application/json": {}},
                "description": "traces: split, field_path, "
                "metric_fingerprint, ts (µs), values, n, bucketed, snapshots",
            }
        },
    )
    def buckets(project_id: UUID, body: BucketQuery) -> Response:
        """Matched series per field path, metric and split, every point or reduced per time bucket
        (``project_id`` in the body is replaced by the path's)."""
        query = body.model_copy(update={"project_id": project_id})
        return json_answer(traces_to_json(ws.reads.buckets(query)))

    @r.post(
        "/projects/{project_id}/status_counts",
        dependencies=reads,
        tags=["series"],
        response_class=Response,
        responses={200: {"content": {"application/json": {}}, "description": "columns of the counts"}},
    )
    def status_counts(project_id: UUID, body: StatusCountQuery) -> Response:
        """Test results counted per time key (and test) and status: columns ``time``,
        ``test_fingerprint``, ``test_type``, ``name``, ``status``, ``count``, ``snapshot_id``, ``column``."""
        query = body.model_copy(update={"project_id": project_id})
        return json_answer(rows_to_columns(ws.reads.status_counts(query), STATUS_COUNT_ROW))

    @r.get(
        "/projects/{project_id}/dashboard",
        dependencies=reads,
        tags=["dashboards"],
        response_class=Response,
        responses={
            200: {
                "content": {"application/json": {}},
                "description": (
                    "``{project_id, name, start, end, tags, tabs: [{id, title, panels}], panels: [{id, "
                    "title, type, size, data | error}]}``; ``data.kind`` is timeseries, histogram, "
                    "counter, test_aggregate, test_detailed, test_counter or distribution; times are epoch "
                    "seconds (UTC)"
                ),
            }
        },
    )
    def dashboard(
        project_id: UUID,
        start: TimeQ = None,
        end: TimeQ = None,
        tags: TagQ = [],  # noqa: B006
        metadata: MetaQ = None,
        tab: str | None = None,
        max_points: Annotated[int, Query(ge=10, le=10_000)] = 500,
        agg: BucketAgg | None = None,
    ) -> Response:
        """Every panel's data (of one ``tab`` if given) for ``start <= time < end`` in one response.
        A line's points at one time are combined by ``agg`` (default: each panel's own, mean); series
        with more than ``max_points`` points are averaged into equal time buckets. A project without
        panels is answered for the dashboard generated from its snapshots."""
        query = DashboardQuery(
            start=naive_is_utc(start),
            end=naive_is_utc(end),
            tags=tags,
            metadata=metadata_filter(metadata),
            tab=tab,
            max_points=max_points,
            agg=agg.value if agg else None,
        )
        return json_answer(ws.dashboard_data(project_id, query))

    return r
