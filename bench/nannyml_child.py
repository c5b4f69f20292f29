"""Run NannyML's CBPE on the files bench_estimation.py wrote (run with NannyML's own interpreter).

Usage: ``<nannyml python> nannyml_child.py DIR CHUNK_ROWS``. Reads DIR/reference.parquet and
DIR/analysis.parquet (columns x1.., prediction, y_pred, target), fits CBPE on the reference
(binary: accuracy, roc_auc; chunks of CHUNK_ROWS rows in file order), estimates the analysis, and
prints one JSON line: fit and estimate CPU seconds, and per chunk the estimate, its confidence bounds
and the realized value. With DIR/big.parquet also times an estimate of that one big chunk.
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from pathlib import Path

import pandas as pd

warnings.filterwarnings("ignore")


def main() -> None:
    import nannyml as nml

    folder, chunk_rows = Path(sys.argv[1]), int(sys.argv[2])
    reference = pd.read_parquet(folder / "reference.parquet")
    analysis = pd.read_parquet(folder / "analysis.parquet")
    estimator = nml.CBPE(
        y_pred_proba="prediction",
        y_pred="y_pred",
        y_true="target",
        problem_type="classification_binary",
        metrics=["accuracy", "roc_auc"],
        chunk_size=chunk_rows,
    )
    began = time.process_time()
    estimator.fit(reference)
    fit_seconds = time.process_time() - began
    began = time.process_time()
    result = estimator.estimate(analysis).filter(period="analysis").to_df()
    estimate_seconds = time.process_time() - began
    chunks = []
    for _, row in result.iterrows():
        chunks.append(
            {
                metric: {
                    "value": float(row[(metric, "value")]),
                    "lower": float(row[(metric, "lower_confidence_boundary")]),
                    "upper": float(row[(metric, "upper_confidence_boundary")]),
                    "realized": float(row[(metric, "realized")]),
                }
                for metric in ("accuracy", "roc_auc")
            }
        )
    out = {
        "version": nml.__version__,
        "fit_seconds": fit_seconds,
        "estimate_seconds": estimate_seconds,
        "chunks": chunks,
    }
    big = folder / "big.parquet"
    if big.exists():
        frame = pd.read_parquet(big)
        one = nml.CBPE(
            y_pred_proba="prediction",
            y_pred="y_pred",
            y_true="target",
            problem_type="classification_binary",
            metrics=["accuracy", "roc_auc"],
            chunk_number=1,
        ).fit(reference)
        began = time.process_time()
        one.estimate(frame)
        out["big_estimate_seconds"] = time.process_time() - began
    print("NANNYML_RESULT " + json.dumps(out))


if __name__ == "__main__":
    main()
