"""The fault matrix: every backend under the faults it can meet, with and without datasets.

    .venv/bin/python bench/faults.py [--quick] [--only folder,sqlite,postgresql,s3] [--count N]

Starts its own servers on loopback (a PostgreSQL cluster, SeaweedFS, a dropping proxy, a small tmpfs;
a row is skipped, with its reason, where the machine cannot provide one), runs each scenario of
:mod:`monitorflow.storage.faults` and prints, per row, the writes acknowledged, the failed attempts the
writer retried, and after the next open the counts that must be 0: lost, duplicated, invisible,
orphans. Results go to ``bench/results/faults.json``. Exit code 1 if any count is not 0.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import uuid
from contextlib import suppress
from pathlib import Path
from typing import Any

from monitorflow.storage import faults
from monitorflow.storage.testing import ServerUnavailable, postgres_server

RESULTS = Path(__file__).parent / "results" / "faults.json"


def _aws(server: Any) -> None:
    for key in ("AWS_PROFILE", "AWS_ENDPOINT_URL_S3", "AWS_SESSION_TOKEN"):
        os.environ.pop(key, None)
    os.environ.update(server.env())


def run(only: set[str], count: int, quick: bool) -> list[dict[str, Any]]:
    rows: list[faults.Audit] = []
    skipped: list[faults.Audit] = []
    datas = [False, True]
    tmp = Path(tempfile.mkdtemp(prefix="mf-faults-"))
    kills = 2 if quick else 4
    for data in datas:
        if "folder" in only:
            rows.append(
                faults.scenario_writer_killed(faults.folder_backend(tmp / f"f{data}"), data, count, kills)
            )
        if "sqlite" in only:
            backend = faults.sql_backend("sqlite", f"sqlite:///{tmp}/s{data}.db")
            rows.append(faults.scenario_writer_killed(backend, data, count, kills))
    for name in ("folder", "sqlite"):
        if name not in only:
            continue
        for data in datas:
            try:
                with faults.small_disk(1024) as disk:
                    rows.append(faults.scenario_disk_full(name, disk, data))
            except OSError as exc:
                skipped.append(faults.Audit(name, "disk full", data, note=f"skipped: {exc}"))
    if "postgresql" in only:
        try:
            with postgres_server() as cluster:
                for data in datas:
                    backend = faults.sql_backend("postgresql", faults.durable_database(cluster))
                    rows.append(faults.scenario_writer_killed(backend, data, count, kills))
                    db = faults.durable_database(cluster)
                    rows.append(
                        faults.scenario_postgres_restarted(
                            faults.sql_backend("postgresql", db), db, data, count
                        )
                    )
        except ServerUnavailable as exc:
            skipped.append(faults.Audit("postgresql", "*", False, note=f"skipped: {exc}"))
    if "s3" in only:
        try:
            with faults.restartable_seaweed() as weed:
                _aws(weed.server)
                for data in datas:
                    uri = f"s3://faults-{uuid.uuid4().hex[:10]}"
                    backend = faults.s3_backend(
                        uri, weed.server.endpoint_url, tmp / f"i{uuid.uuid4().hex}.sqlite"
                    )
                    rows.append(faults.scenario_writer_killed(backend, data, count, kills))
                    rows.append(faults.scenario_s3_killed(backend, weed, data, count))
                    proxy = faults.DroppingProxy(("127.0.0.1", weed.port))
                    try:
                        rows.append(faults.scenario_answers_dropped(backend, proxy, data, count))
                    finally:
                        proxy.close()
        except ServerUnavailable as exc:
            skipped.append(faults.Audit("s3", "*", False, note=f"skipped: {exc}"))
    return [r.row() for r in rows + skipped]


def table(rows: list[dict[str, Any]]) -> str:
    head = "| backend | fault | data | acked | retried | lost | duplicated | invisible | orphans | s | note |"
    lines = [head, "|" + "---|" * 11]
    for r in rows:
        lines.append(
            f"| {r['backend']} | {r['fault']} | {'yes' if r['data'] else 'no'} | {r['acknowledged']} | "
            f"{r['failures']} | {r['lost']} | {r['duplicated']} | {r['invisible']} | {r['orphans']} | "
            f"{r['seconds']} | {r['note']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="fewer writes and kills")
    p.add_argument("--only", default="folder,sqlite,postgresql,s3")
    p.add_argument("--count", type=int, default=None, help="writes per scenario (default 40, quick 20)")
    args = p.parse_args(argv)
    count = args.count or (20 if args.quick else 40)
    rows = run(set(args.only.split(",")), count, args.quick)
    print(table(rows))
    RESULTS.parent.mkdir(exist_ok=True)
    with suppress(OSError):
        RESULTS.write_text(json.dumps(rows, indent=2))
    bad = [
        r
        for r in rows
        if not r["note"].startswith("skipped")
        and (r["lost"] or r["duplicated"] or r["invisible"] or r["orphans"])
    ]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
