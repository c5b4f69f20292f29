"""Peak RSS and CPU seconds of each row-level pass of a lazy DatasetSummaryMetric run.

Usage: ``profile_row_passes.py PARQUET_FOLDER [--budget 1GB]``. The process RSS is sampled every
50 ms and its maximum kept per pass (duplicated rows, duplicated columns, almost-duplicated pairs;
"other" is the profile and sort passes). A window whose rows repeat, e.g. one file hard-linked ten
times into a folder, reproduces the duplicated-rows pass of the linked 100M bench window.
"""

from __future__ import annotations

import argparse
import resource
import threading
import time
from pathlib import Path

PASSES = ("duplicated_rows", "duplicated_columns", "almost_duplicated_pairs")


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        return int(next(line for line in f if line.startswith("VmRSS:")).split()[1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--budget", default="1GB")
    args = parser.parse_args()
    from monitorflow import Report
    from monitorflow.metrics import DatasetSummaryMetric
    from monitorflow.scale import ParquetSource, configure, rows

    configure(memory_budget=args.budget)
    current = ["other"]
    peaks: dict[str, float] = {}
    cpu: dict[str, float] = {}

    def sample() -> None:
        while True:
            peaks[current[0]] = max(peaks.get(current[0], 0.0), rss_mb())
            time.sleep(0.05)

    def timed(name, function):
        def run(*a, **k):
            current[0], start = name, time.process_time()
            try:
                return function(*a, **k)
            finally:
                cpu[name] = cpu.get(name, 0.0) + time.process_time() - start
                current[0] = "other"

        return run

    for name in PASSES:
        setattr(rows, name, timed(name, getattr(rows, name)))
    threading.Thread(target=sample, daemon=True).start()
    report = Report(metrics=[DatasetSummaryMetric()])
    report.run(reference_data=None, current_data=ParquetSource(args.folder))
    result = report.as_dict()["metrics"][0]["result"]["current"]
    print("duplicated rows", result["number_of_duplicated_rows"])
    for name in (*PASSES, "other"):
        print(f"{name:24} peak RSS {peaks.get(name, 0):7.0f} MB   CPU {cpu.get(name, 0):6.1f} s")
    print(f"process high-water mark {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
