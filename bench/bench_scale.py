"""Windows of any size: DataDriftPreset and DataQualityPreset on Parquet windows of 1M, 10M and 100M
rows x 50 columns, out of core, against the in-memory engine where it fits.

Data: deterministic Parquet folders (``reference/`` and ``current/``, 1M-row row groups, 10 per file)
from the drift bench's generator (normal and lognormal floats, wide and low ints, string categories,
a bool; 5% NaN/None), a third of the current columns shifted. Generated once per size under
``--data-dir`` and reused. Each measurement is a fresh process (``child_scale.py``): wall and CPU
seconds of the whole process, peak RSS (whole process, data included), rows per second per core of
the profile pass (pass A CPU seconds over both sides' rows), and the largest relative difference of
any number in the report from the in-memory run (run when ``--in-memory-up-to`` allows).
``drift cached`` reruns DataDriftPreset with the reference's profile and sorted columns cached (by the
first ``drift`` run, which starts with an empty cache).

``--sql duckdb,duckdb-parquet,postgresql`` adds SQL push-down rows (the database profiles; its own
CPU and memory are not in the process figures, except DuckDB's, which is embedded): a DuckDB file
holding both sides as tables, DuckDB reading the Parquet folders (``read_parquet``) as a local
profile producer, and a PostgreSQL server started here with both sides loaded by ``COPY``.
``--dask N`` adds a row with pass A and the sort pass as tasks on a LocalCluster of N worker
processes: the client's figures, the workers' peak RSS and the bytes of results returned to the
client per window (target: at most 64 MB).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from common import _frame, feature_mapping  # noqa: E402

CHUNK = 1_000_000
CHUNKS_PER_FILE = 10
COLUMNS = 50
DATA_VERSION = 1
#: larger windows are this window's files linked several times
LINK_FROM = 10_000_000


def _write_side(folder: Path, rows: int, seed: int, drifted: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    writer, file_index = None, 0
    for chunk, start in enumerate(range(0, rows, CHUNK)):
        n = min(CHUNK, rows - start)
        frame = _frame(n, COLUMNS, [seed, chunk], 0.05, drifted=drifted)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if writer is None or chunk % CHUNKS_PER_FILE == 0:
            if writer is not None:
                writer.close()
            writer = pq.ParquetWriter(folder / f"part-{file_index:04d}.parquet", table.schema)
            file_index += 1
        writer.write_table(table, row_group_size=CHUNK)
    if writer is not None:
        writer.close()


def generate(root: Path, rows: int) -> Path:
    """``root/<rows>`` with reference/, current/ and mapping.json (reused when complete). A size above
    ``LINK_FROM`` rows that is a multiple of it is the ``LINK_FROM`` window's files hard-linked that
    many times (same rows repeated; a distinct 100M x 50 window does not fit this machine's disk)."""
    if rows > LINK_FROM and rows % LINK_FROM == 0:
        return linked(root, rows)
    folder = root / f"{rows}"
    manifest = folder / "manifest.json"
    expected = {"rows": rows, "columns": COLUMNS, "version": DATA_VERSION}
    if manifest.exists() and json.loads(manifest.read_text()) == expected:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    t0 = time.perf_counter()
    _write_side(folder / "reference", rows, 0, 0)
    _write_side(folder / "current", rows, 1, round(COLUMNS / 3))
    mapping = feature_mapping(_frame(10, COLUMNS, 0, 0.05))
    (folder / "mapping.json").write_text(json.dumps(mapping))
    manifest.write_text(json.dumps(expected))
    print(f"  generated {rows:,} x {COLUMNS} in {time.perf_counter() - t0:.0f} s at {folder}", flush=True)
    return folder


def linked(root: Path, rows: int) -> Path:
    """``root/<rows>-linked``: each side's files of the ``LINK_FROM`` window, hard-linked ``rows //
    LINK_FROM`` times (no extra disk)."""
    source = generate(root, LINK_FROM)
    folder = root / f"{rows}-linked"
    shutil.rmtree(folder, ignore_errors=True)
    for side in ("reference", "current"):
        (folder / side).mkdir(parents=True)
        for copy in range(rows // LINK_FROM):
            for path in sorted((source / side).glob("*.parquet")):
                os.link(path, folder / side / f"copy{copy:03d}-{path.name}")
    shutil.copy(source / "mapping.json", folder / "mapping.json")
    print(
        f"  {rows:,} x {COLUMNS}: the {LINK_FROM:,}-row window hard-linked {rows // LINK_FROM} times",
        flush=True,
    )
    return folder


def parse_rows(text: str) -> int:
    return int(float(text[:-1]) * {"K": 1e3, "M": 1e6}[text[-1]]) if text[-1] in "KM" else int(text)


def child(args: list[str], timeout: float) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    try:
        proc = subprocess.run(
            [sys.executable, str(BENCH / "child_scale.py"), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return {"status": "timeout"}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH_RESULT ")]
    if lines:
        return json.loads(lines[-1][len("BENCH_RESULT ") :])
    return {"status": "error", "error": (proc.stderr.strip().splitlines() or ["no output"])[-1]}


def largest_difference(expected, got, path="") -> tuple[float, list[str]]:
    """Largest relative difference of numbers, and the paths where anything else differs."""
    if isinstance(expected, dict) and isinstance(got, dict):
        worst, other = 0.0, [f"{path}: keys" for _ in [0] if set(expected) != set(got)]
        for key in set(expected) & set(got):
            w, o = largest_difference(expected[key], got[key], f"{path}.{key}")
            worst, other = max(worst, w), other + o
        return worst, other
    if isinstance(expected, list) and isinstance(got, list) and len(expected) == len(got):
        worst, other = 0.0, []
        for i, (a, b) in enumerate(zip(expected, got, strict=True)):
            w, o = largest_difference(a, b, f"{path}[{i}]")
            worst, other = max(worst, w), other + o
        return worst, other
    numbers = (int, float)
    if isinstance(expected, numbers) and isinstance(got, numbers) and not isinstance(expected, bool):
        a, b = float(expected), float(got)
        if (math.isnan(a) and math.isnan(b)) or a == b:
            return 0.0, []
        return abs(a - b) / max(abs(a), abs(b)), []
    return (0.0, []) if expected == got else (0.0, [path])


def duckdb_tables(folder: Path) -> str:
    """``folder/sides.duckdb`` with tables reference and current (made once); its URL."""
    path = folder / "sides.duckdb"
    if not path.exists():
        import duckdb

        t0 = time.perf_counter()
        with duckdb.connect(str(path)) as conn:
            for side in ("reference", "current"):
                conn.execute(
                    f"CREATE TABLE {side} AS SELECT * FROM read_parquet('{folder / side}/*.parquet')"
                )
        print(f"  loaded DuckDB tables in {time.perf_counter() - t0:.0f} s", flush=True)
    return f"duckdb:///{path}"


def postgres_tables(url: str, folder: Path) -> None:
    """Both sides as PostgreSQL tables, loaded with COPY from the Parquet row groups."""
    import pyarrow.parquet as pq
    import sqlalchemy as sa

    kinds = {"double": "DOUBLE PRECISION", "int64": "BIGINT", "bool": "BOOLEAN"}
    engine = sa.create_engine(url)
    t0 = time.perf_counter()
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        for side in ("reference", "current"):
            files = sorted((folder / side).glob("*.parquet"))
            schema = pq.read_schema(files[0])
            listed = ", ".join(f'"{f.name}" {kinds.get(str(f.type), "TEXT")}' for f in schema)
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {side}"))
            conn.execute(sa.text(f"CREATE TABLE {side} ({listed})"))
            with raw.cursor() as cursor, cursor.copy(f"COPY {side} FROM STDIN (FORMAT CSV, NULL '')") as copy:
                for path in files:
                    for batch in pq.ParquetFile(path).iter_batches(batch_size=200_000):
                        copy.write(batch.to_pandas().to_csv(index=False, header=False, na_rep=""))
    engine.dispose()
    print(f"  loaded PostgreSQL tables in {time.perf_counter() - t0:.0f} s", flush=True)


def sql_cases(kinds: list[str], folder: Path, postgres_url: str | None) -> list[tuple[str, list[str]]]:
    cases = []
    for kind in kinds:
        if kind == "duckdb":
            url, ref, cur = duckdb_tables(folder), "SELECT * FROM reference", "SELECT * FROM current"
        elif kind == "duckdb-parquet":
            url = "duckdb:///:memory:"
            ref, cur = (
                f"SELECT * FROM read_parquet('{folder / side}/*.parquet')"
                for side in ("reference", "current")
            )
        elif kind == "postgresql" and postgres_url is not None:
            postgres_tables(postgres_url, folder)
            url, ref, cur = postgres_url, "SELECT * FROM reference", "SELECT * FROM current"
        else:
            continue
        cases.append((f"sql {kind} push-down", ["--url", url, "--reference-sql", ref, "--current-sql", cur]))
    return cases


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1M,10M,100M", help="rows per window, e.g. 1M,10M")
    parser.add_argument("--quick", action="store_true", help="1M only")
    parser.add_argument(
        "--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "monitorflow-bench-scale"
    )
    parser.add_argument("--budget", default="1GB", help="memory budget of the out-of-core runs")
    parser.add_argument(
        "--in-memory-up-to", type=int, default=1_000_000, help="largest size also run in memory"
    )
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--only", default="", help="presets to run: drift, quality (default both)")
    parser.add_argument("--sql", default="", help="push-down rows: duckdb, duckdb-parquet, postgresql")
    parser.add_argument("--dask", type=int, default=0, help="a row on a LocalCluster of this many workers")
    parser.add_argument("--no-lazy", action="store_true", help="skip the single-process out-of-core rows")
    args, _ = parser.parse_known_args()
    sizes = [parse_rows(s) for s in args.sizes.split(",")]
    if args.quick:
        sizes = [1_000_000]
    presets = [p for p in ("drift", "quality") if args.only in p]
    print(f"== scale: load {load_average()}, {os.cpu_count()} cores, budget {args.budget}", flush=True)
    rows_out = []
    sql_kinds = [k for k in args.sql.split(",") if k]
    with contextlib.ExitStack() as stack:
        postgres_url = None
        if "postgresql" in sql_kinds:
            from monitorflow.storage.testing import postgres_server

            postgres_url = stack.enter_context(postgres_server())
        for size in sizes:
            run_size(args, size, presets, sql_kinds, postgres_url, rows_out)
    print()
    print(table(rows_out))
    print(f"load average at the end: {load_average()}")


def run_size(
    args, size: int, presets: list[str], sql_kinds: list[str], postgres_url: str | None, rows_out: list
) -> None:
    folder = generate(args.data_dir, size)
    cache = Path(tempfile.mkdtemp(prefix="mf-scale-cache-"))
    sql = [("sql", name, extra) for name, extra in sql_cases(sql_kinds, folder, postgres_url)]
    try:
        for preset in presets:
            # the first drift run fills the (empty) reference cache; "drift cached" then reuses it
            lazy_extra = ["--budget", args.budget] + (["--cache", str(cache)] if preset == "drift" else [])
            cases = [] if args.no_lazy else [(preset, lazy_extra)]
            if preset == "drift" and not args.no_lazy:
                cases.append(("drift cached", ["--budget", args.budget, "--cache", str(cache)]))
            cases += [(f"{preset} {name}", [*extra, "--mode", mode]) for mode, name, extra in sql]
            if args.dask:
                cases.append(
                    (
                        f"{preset} dask {args.dask} workers",
                        ["--budget", args.budget, "--workers", str(args.dask), "--mode", "dask"],
                    )
                )
            memory_json = None
            if size <= args.in_memory_up_to:
                memory_json = folder / f"memory-{preset}.json"
                memory = child(["memory", preset, str(folder), str(memory_json)], args.timeout)
                rows_out.append((size, f"{preset} in memory", memory, None))
            for name, extra in cases:
                mode = "lazy"
                if "--mode" in extra:
                    mode = extra[extra.index("--mode") + 1]
                    extra = extra[: extra.index("--mode")]
                out = folder / f"lazy-{preset}.json"
                result = child([mode, preset, str(folder), str(out), *extra], args.timeout)
                diff = None
                if memory_json is not None and memory_json.exists() and result.get("status") == "ok":
                    diff = largest_difference(
                        json.loads(memory_json.read_text()), json.loads(out.read_text())
                    )
                rows_out.append((size, name, result, diff))
                print(
                    f"  {size:,} {name}: {summary(size, result, diff)}  (load {load_average()})", flush=True
                )
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def summary(size: int, r: dict, diff) -> str:
    if r.get("status") != "ok":
        return r.get("status", "?") + " " + str(r.get("error", ""))
    return f"wall {r['wall_s']:.0f} s, cpu {r['cpu_s']:.0f} s, peak {r['peak_mb']:.0f} MB"


def table(rows) -> str:
    header = (
        "rows",
        "run",
        "wall s",
        "cpu s",
        "peak MB",
        "profile rows/s/core",
        "sort cpu s",
        "to client MB",
        "max rel diff",
        "notes",
    )
    lines = [header]
    for size, name, r, diff in rows:
        if r.get("status") != "ok":
            lines.append(
                (
                    f"{size:,}",
                    name,
                    "-",
                    "-",
                    "-",
                    "-",
                    "-",
                    "-",
                    "-",
                    str(r.get("error", r.get("status")))[:60],
                )
            )
            continue
        t = r.get("timings", {})
        profile_cpu = t.get("current_profile_cpu", 0) + t.get("reference_profile_cpu", 0)
        profiled_rows = sum(
            r.get(f"{side}_rows", 0)
            for side in ("current", "reference")
            if t.get(f"{side}_profile_cpu", 0) > 0.5
        )
        rate = f"{profiled_rows / profile_cpu / 1e6:.2f}M" if profile_cpu > 0.5 else "-"
        sort_cpu = t.get("current_sort_cpu", 0) + t.get("reference_sort_cpu", 0)
        notes = "; ".join(r.get("errors", []))[:60]
        if diff is not None and diff[1]:
            notes = (notes + f"; {len(diff[1])} non-numeric differences e.g. {diff[1][0]}")[:80]
        if "worker_peak_mb" in r:
            notes = f"worker peak {r['worker_peak_mb']:.0f} MB; " + notes
        returned = f"{r['bytes_returned'] / 2**20:.2f}" if "bytes_returned" in r else "-"
        lines.append(
            (
                f"{size:,}",
                name,
                f"{r['wall_s']:.1f}",
                f"{r['cpu_s']:.1f}",
                f"{r['peak_mb']:.0f}",
                rate,
                f"{sort_cpu:.1f}" if sort_cpu else "-",
                returned,
                "-" if diff is None else f"{diff[0]:.1e}",
                notes,
            )
        )
    widths = [max(len(str(row[i])) for row in lines) for i in range(len(header))]
    text = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in lines]
    text.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(text)


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
