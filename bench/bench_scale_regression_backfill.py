"""A regression backfill against a fixed reference, out of core, with a profile cache.

Writes a reference of ROWS rows and WINDOWS windows of ROWS / 2 rows (target ~ N(20, 8) rounded to
0.1, prediction = target + N(0.2 k, 3) rounded to 0.01, a datetime column every 37 s, one feature)
as Parquet in FOLDER (100,000-row row groups; kept between runs), then runs RegressionPreset on each
window against the reference with a profile cache and prints each window's process CPU and wall
seconds. From the second window on, the reference is read from the cache only.

    .venv/bin/python bench/bench_scale_regression_backfill.py 1000000 4 /tmp/regression-backfill
"""

from __future__ import annotations

import pathlib
import sys
import tempfile
import time

import numpy as np
import pandas as pd


def model_frame(seed: int, n: int, bias: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    target = np.round(rng.normal(20, 8, n), 1)
    prediction = target + np.round(rng.normal(bias, 3, n), 2)
    return pd.DataFrame(
        {
            "ts": pd.date_range("2026-01-01", periods=n, freq="37s", tz="UTC"),
            "target": target,
            "prediction": prediction,
            "age": rng.integers(18, 90, n).astype(float),
        }
    )


def main(rows: int, windows: int, folder: pathlib.Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "reference.parquet").exists():
        model_frame(1, rows).to_parquet(folder / "reference.parquet", row_group_size=100_000, index=False)
        for k in range(windows):
            window = model_frame(10 + k, rows // 2, 0.2 * k)
            window.to_parquet(folder / f"w{k}.parquet", row_group_size=100_000, index=False)

    from monitorflow import ColumnMapping, Report
    from monitorflow.metric_preset import RegressionPreset
    from monitorflow.scale import ParquetSource, configure

    configure(cache_dir=pathlib.Path(tempfile.mkdtemp()))
    for k in range(windows):
        cpu, wall = time.process_time(), time.perf_counter()
        report = Report(metrics=[RegressionPreset()])
        report.run(
            reference_data=ParquetSource(folder / "reference.parquet"),
            current_data=ParquetSource(folder / f"w{k}.parquet"),
            column_mapping=ColumnMapping(datetime="ts"),
        )
        report.as_dict(include_render=True)
        used = time.process_time() - cpu
        print(f"window {k + 1}: cpu {used:.2f} s wall {time.perf_counter() - wall:.2f} s", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), pathlib.Path(sys.argv[3]))
