"""The commands over a workspace: demo, reindex and ui."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from monitorflow.cli.common import app, guard
from monitorflow.errors import MonitoringError


@app.command()
def demo(
    workspace: Annotated[Path, typer.Option(help="folder workspace to write into")] = Path("workspace"),
    output: Annotated[Path, typer.Option(help="generated data and HTML")] = Path("demo-output"),
    days: Annotated[int, typer.Option(min=1, max=366, help="days to backfill")] = 60,
) -> None:
    """Backfill 60 days of a generated churn model into a folder workspace and show what it found."""
    from monitorflow import demo as demo_module  # lazy: pandas, CLI start-up

    guard(
        "demo",
        lambda: demo_module.main(
            ["--workspace", str(workspace), "--output", str(output), "--days", str(days)]
        ),
    )


@app.command()
def reindex(
    uri: Annotated[str, typer.Argument(help="workspace URI or folder path")],
    endpoint_url: Annotated[
        str | None, typer.Option(help="S3 endpoint URL (default: AWS_ENDPOINT_URL / AWS config)")
    ] = None,
    index_uri: Annotated[
        str | None, typer.Option(help="S3 only: the index database (default: a local SQLite cache)")
    ] = None,
) -> None:
    """Rebuild a workspace's index (listings, dashboard series) from its snapshots and datasets.

    URI: a folder, sqlite:///x.db, postgresql+psycopg://... or s3://bucket/prefix.
    """

    def body() -> int:
        from monitorflow.workspace import Workspace  # lazy: pandas, CLI start-up

        with Workspace(uri, endpoint_url=endpoint_url or None, index_uri=index_uri or None) as ws:
            report = ws.reindex()
        print(
            f"reindexed {ws.store.uri}: {report.projects} projects, {report.snapshots} snapshots, "
            f"{report.datasets} datasets; {report.removed} stale entries removed"
        )
        for item, error in sorted(report.errors.items()):
            print(f"  unreadable {item}: {error}", file=sys.stderr)
        return 1 if report.errors else 0

    try:
        code = body()
    except MonitoringError as exc:
        print(f"monitorflow reindex: {exc}", file=sys.stderr)
        raise typer.Exit(2) from None
    if code:
        raise typer.Exit(code)


@app.command()
def ui(
    workspace: Annotated[str, typer.Option(help="workspace URI or folder path")] = "workspace",
    host: Annotated[
        str, typer.Option(help="address to bind (non-loopback needs --token or --insecure)")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(envvar="MONITORFLOW_TOKEN", help="bearer token every route needs (reads too)"),
    ] = None,
    public_reads: Annotated[
        bool, typer.Option(help="serve dashboards and every read without the token (writes still need it)")
    ] = False,
    insecure: Annotated[bool, typer.Option(help="allow a non-loopback bind without a token")] = False,
    demo: Annotated[
        bool, typer.Option(help="write monitorflow demo's project here if missing (in the background)")
    ] = False,
    max_upload_mb: Annotated[
        float | None,
        typer.Option(min=0.001, help="largest snapshot upload in MiB (default: the workspace's limit)"),
    ] = None,
    log_level: Annotated[str, typer.Option(help="critical, error, warning, info or debug")] = "info",
) -> None:
    """Serve the REST API and the dashboards of a workspace."""
    from monitorflow.service.server import serve  # optional: ui extra

    limit = int(max_upload_mb * 1024 * 1024) if max_upload_mb else None
    try:
        if not demo:
            check_folder_workspace(workspace)
        serve(
            workspace,
            host=host,
            port=port,
            token=token,
            insecure=insecure,
            demo=demo,
            max_upload_bytes=limit,
            log_level=log_level.lower(),
            public_reads=public_reads,
        )
    except MonitoringError as exc:
        print(f"monitorflow ui: {exc}", file=sys.stderr)
        raise typer.Exit(2) from None


def check_folder_workspace(workspace: str) -> None:
    """A folder given to ``ui`` must hold a workspace (or not exist yet: then say so, it may be a typo);
    serving any other folder would write an index into it and show no projects."""
    from monitorflow.errors import StorageError  # lazy: beside its storage import
    from monitorflow.storage.local import INDEX_FILE  # lazy: storage is the ui's import, not the CLI's

    if "://" in workspace:
        return
    folder = Path(workspace).expanduser()
    how = (
        "pass --workspace with the folder your monitors write to (their workspace: field), run `make demo` "
        "(or monitorflow demo) to create one here, or add --demo to start this one with the demo's project"
    )
    if not folder.exists():  # a new service that flows will write to (RemoteWorkspace), or a typo
        print(
            f"monitorflow ui: {str(folder)!r} does not exist: serving a new, empty workspace; {how}",
            file=sys.stderr,
        )
        return
    if not folder.is_dir():
        raise StorageError(f"no workspace at {str(folder)!r}: it is a file, not a folder; {how}")
    entries = list(folder.iterdir())
    if entries and not (folder / INDEX_FILE).exists() and not any(folder.glob("*/metadata.json")):
        raise StorageError(
            f"{str(folder)!r} is not a workspace: it holds {len(entries)} entries but no projects "
            f"(no {INDEX_FILE}, no <project>/metadata.json); {how}"
        )
