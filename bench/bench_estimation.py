"""Estimated model quality on simulated data with known truth: band coverage, concept-drift detection,
cost against DataDriftPreset, and NannyML's CBPE side by side (in its own venv, where it installs).

The world: five normal features; P(y=1|x) = logistic(x.w + b); the model's score is an
overconfident but monotone function of the true logit (CBPE's calibration has work to do). The
reference is 20,000 labelled rows; each window has ``--window-rows`` rows whose features move
(covariate shift, up to 1.2 standard deviations). Scenario A keeps P(y|x); scenario B changes it
from window ``onset`` on (the sign of one coefficient flips: concept drift).

  .venv/bin/python bench/bench_estimation.py            # --quick: fewer, smaller windows; --no-peer
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score, mean_absolute_error, roc_auc_score

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from monitorflow import ColumnMapping, Report  # noqa: E402
from monitorflow.checks.estimation import trailing_run  # noqa: E402
from monitorflow.metric_preset import DataDriftPreset  # noqa: E402
from monitorflow.metrics import EstimatedClassificationQuality, EstimatedRegressionQuality  # noqa: E402

NANNYML = Path(os.environ.get("MONITORFLOW_NANNYML_PYTHON", "/work/nannyml-venv/bin/python"))
W = np.array([1.0, -0.8, 0.6, 0.0, 0.4])
W_DRIFTED = np.array([1.0, -0.8, -0.6, 0.0, 0.4])
B = -0.3
FEATURES = [f"x{i + 1}" for i in range(5)]
MAPPING = ColumnMapping(
    target="target", prediction="prediction", numerical_features=FEATURES, task="classification"
)
SCORES = ("accuracy", "roc_auc")


def rows(rng: np.random.Generator, n: int, shift: float = 0.0, concept: bool = False) -> pd.DataFrame:
    x = rng.normal(0.0, 1.0, (n, 5))
    x[:, 0] += shift
    x[:, 1] += 0.5 * shift
    model_logit = x @ W + B
    true_logit = x @ (W_DRIFTED if concept else W) + B
    frame = pd.DataFrame(x, columns=FEATURES)
    frame["prediction"] = 1 / (1 + np.exp(-1.6 * model_logit))
    frame["target"] = (rng.random(n) < 1 / (1 + np.exp(-true_logit))).astype(int)
    return frame


def scenario(rng: np.random.Generator, windows: int, n: int, onset: int | None) -> list[pd.DataFrame]:
    shifts = 1.2 * np.sin(np.linspace(0, 2 * np.pi, windows))
    return [rows(rng, n, s, concept=onset is not None and i >= onset) for i, s in enumerate(shifts)]


def estimate(reference: pd.DataFrame, window: pd.DataFrame) -> dict:
    report = Report(metrics=[EstimatedClassificationQuality()])
    report.run(
        reference_data=reference,
        current_data=window.drop(columns="target", errors="ignore"),
        column_mapping=MAPPING,
    )
    return report.as_dict()["metrics"][0]["result"]["current"]


def realized(window: pd.DataFrame) -> dict[str, float]:
    return {
        "accuracy": accuracy_score(window.target, window.prediction >= 0.5),
        "roc_auc": roc_auc_score(window.target, window.prediction),
    }


def signals(outside: list[dict[str, bool]], consecutive: int = 2) -> list[bool]:
    """TestConceptDrift's rule on each window: some score outside the band ``consecutive`` windows in a
    row."""
    return [
        any(trailing_run([o[s] for o in outside[: i + 1]]) >= consecutive for s in SCORES)
        for i in range(len(outside))
    ]


def run_scenario(reference: pd.DataFrame, windows: list[pd.DataFrame]) -> dict:
    estimates, truths = [], []
    for window in windows:
        estimates.append(estimate(reference, window))
        truths.append(realized(window))
    outside = [
        {s: not (e[s]["lower"] <= t[s] <= e[s]["upper"]) for s in SCORES}
        for e, t in zip(estimates, truths, strict=True)
    ]
    return {"estimates": estimates, "realized": truths, "outside": outside, "signals": signals(outside)}


def coverage(result: dict, upto: int | None = None) -> dict[str, float]:
    outside = result["outside"][:upto]
    return {s: 1 - sum(o[s] for o in outside) / len(outside) for s in SCORES}


# ------------------------------------------------------------------------------------- cost


def cpu_wall(fn, repeats: int) -> tuple[float, float]:
    cpus, walls = [], []
    for _ in range(repeats):
        cpu, wall = time.process_time(), time.perf_counter()
        fn()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(cpus), statistics.median(walls)


def cost(reference: pd.DataFrame, rng: np.random.Generator, rows_big: int, repeats: int) -> dict:
    big = rows(rng, rows_big, shift=0.5).drop(columns="target")

    def ours() -> None:
        estimate(reference, big)

    def drift() -> None:
        report = Report(metrics=[DataDriftPreset()])
        report.run(
            reference_data=reference.drop(columns="target"),
            current_data=big,
            column_mapping=ColumnMapping(
                numerical_features=[*FEATURES, "prediction"], target=None, prediction=None
            ),
        )

    fit = cpu_wall(
        lambda: estimate(fresh(reference), big.head(10)),
        1,
    )
    estimate(reference, big.head(10))  # the state is fitted once per reference, then reused
    return {
        "rows": rows_big,
        "fit": fit,
        "estimate": cpu_wall(ours, repeats),
        "drift": cpu_wall(drift, repeats),
    }


# ------------------------------------------------------------------------------ other tasks


def multiclass_coverage(rng: np.random.Generator, windows: int, n: int) -> dict[str, float]:
    weights = rng.normal(size=(5, 3))

    def frame(m: int, shift: float) -> pd.DataFrame:
        x = rng.normal(0, 1, (m, 5))
        x[:, 0] += shift
        logits = x @ weights
        p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        q = np.exp(1.5 * logits) / np.exp(1.5 * logits).sum(axis=1, keepdims=True)
        y = (rng.random((m, 1)) > p.cumsum(axis=1)).sum(axis=1)
        out = pd.DataFrame(q, columns=["a", "b", "c"])
        out["target"] = np.array(["a", "b", "c"])[np.minimum(y, 2)]
        return out

    reference = frame(20_000, 0.0)
    mapping = ColumnMapping(target="target", prediction=["a", "b", "c"], task="classification")
    covered = {"accuracy": 0, "f1": 0, "roc_auc": 0}
    for shift in 1.2 * np.sin(np.linspace(0, 2 * np.pi, windows)):
        window = frame(n, shift)
        report = Report(metrics=[EstimatedClassificationQuality()])
        report.run(
            reference_data=reference, current_data=window.drop(columns="target"), column_mapping=mapping
        )
        result = report.as_dict()["metrics"][0]["result"]["current"]
        predicted = window[["a", "b", "c"]].idxmax(axis=1)
        truth = {
            "accuracy": accuracy_score(window.target, predicted),
            "f1": f1_score(window.target, predicted, average="macro"),
            "roc_auc": roc_auc_score(window.target, window[["a", "b", "c"]], multi_class="ovr"),
        }
        for s in covered:
            covered[s] += result[s]["lower"] <= truth[s] <= result[s]["upper"]
    return {s: c / windows for s, c in covered.items()}


def regression_coverage(rng: np.random.Generator, windows: int, n: int) -> dict[str, float]:
    def frame(m: int, shift: float) -> pd.DataFrame:
        x = rng.normal(0, 1, (m, 3))
        x[:, 0] += shift
        out = pd.DataFrame(x, columns=["x1", "x2", "x3"])
        out["prediction"] = x @ [1.0, 0.5, 0.0]
        out["target"] = out.prediction + rng.normal(0, 0.5 + np.abs(x[:, 0]))
        return out

    reference = frame(20_000, 0.0)
    mapping = ColumnMapping(task="regression", numerical_features=["x1", "x2", "x3"])
    covered, errors = {"mean_abs_error": 0, "rmse": 0}, []
    for shift in 1.0 * np.sin(np.linspace(0, 2 * np.pi, windows)):
        window = frame(n, shift)
        report = Report(metrics=[EstimatedRegressionQuality()])
        report.run(
            reference_data=reference, current_data=window.drop(columns="target"), column_mapping=mapping
        )
        result = report.as_dict()["metrics"][0]["result"]["current"]
        truth = {
            "mean_abs_error": mean_absolute_error(window.target, window.prediction),
            "rmse": float(np.sqrt(((window.target - window.prediction) ** 2).mean())),
        }
        errors.append(
            abs(result["mean_abs_error"]["value"] - truth["mean_abs_error"]) / truth["mean_abs_error"]
        )
        for s in covered:
            covered[s] += result[s]["lower"] <= truth[s] <= result[s]["upper"]
    return {**{s: c / windows for s, c in covered.items()}, "mae_relative_error": float(np.mean(errors))}


# ---------------------------------------------------------------------------------- NannyML


def nannyml(reference: pd.DataFrame, windows: list[pd.DataFrame], big_rows: int, rng) -> dict | None:
    if not NANNYML.exists():
        return {
            "skipped": f"no NannyML interpreter at {NANNYML} "
            "(python3 -m venv /work/nannyml-venv; pip install nannyml)"
        }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder)
        with_pred = lambda f: f.assign(y_pred=(f.prediction >= 0.5).astype(int))  # noqa: E731
        with_pred(reference).to_parquet(path / "reference.parquet")
        with_pred(pd.concat(windows, ignore_index=True)).to_parquet(path / "analysis.parquet")
        big = rows(rng, big_rows, shift=0.5).drop(columns="target")
        with_pred(big).to_parquet(path / "big.parquet")
        began = time.process_time()
        ours_fit_and_windows(reference, windows)
        ours_seconds = time.process_time() - began
        began = time.process_time()
        estimate(reference, big)
        ours_big = time.process_time() - began
        proc = subprocess.run(
            [str(NANNYML), str(REPO / "bench" / "nannyml_child.py"), folder, str(len(windows[0]))],
            capture_output=True,
            text=True,
            timeout=3600,
        )
        line = next((x for x in proc.stdout.splitlines() if x.startswith("NANNYML_RESULT ")), None)
        if line is None:
            return {"skipped": f"NannyML failed: {proc.stderr[-800:]}"}
        out = json.loads(line.removeprefix("NANNYML_RESULT "))
        out["ours_seconds"], out["ours_big_seconds"] = ours_seconds, ours_big
        return out


def ours_fit_and_windows(reference: pd.DataFrame, windows: list[pd.DataFrame]) -> list[dict]:
    new = fresh(reference)  # a reference not seen yet: the fit is timed too
    return [estimate(new, w) for w in windows]


def fresh(reference: pd.DataFrame) -> pd.DataFrame:
    """The reference with scores moved by 1e-12 x a random number: a new state fingerprint."""
    return reference.assign(prediction=reference.prediction * (1 - 1e-12 * np.random.default_rng().random()))


# ------------------------------------------------------------------------------------ main


def table(header: list[str], lines: list[list]) -> str:
    cells = [header, *[[f"{c:.3f}" if isinstance(c, float) else str(c) for c in line] for line in lines]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--window-rows", type=int, default=None)
    args, _ = parser.parse_known_args()  # run_all.py passes every bench's flags
    windows, n = (30, 3000) if args.quick else (60, 5000)
    n = args.window_rows or n
    onset = windows * 2 // 3
    big_rows = 100_000 if args.quick else 1_000_000
    rng = np.random.default_rng(20260101)
    print(
        f"== estimation: reference 20,000 labelled rows; {windows} windows of {n:,} rows; band = 3 SE; "
        f"load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    reference = rows(rng, 20_000)
    a = run_scenario(reference, scenario(rng, windows, n, None))
    b = run_scenario(reference, scenario(rng, windows, n, onset))
    first = next((i for i in range(onset, windows) if b["signals"][i]), None)
    results = {
        "coverage_no_concept_drift": coverage(a),
        "coverage_before_onset": coverage(b, onset),
        "false_signals_no_drift": sum(a["signals"]) / windows,
        "false_signals_before_onset": sum(b["signals"][:onset]) / onset,
        "signal_delay_windows": None if first is None else first - onset,
    }
    print(
        table(
            ["measure", "accuracy", "roc_auc"],
            [
                [
                    "realized in band, scenario A (no concept drift)",
                    *results["coverage_no_concept_drift"].values(),
                ],
                ["realized in band, scenario B before onset", *results["coverage_before_onset"].values()],
            ],
        )
    )
    print(
        "concept-drift signal (2 consecutive windows outside the band): "
        f"onset at window {onset}, first signal {results['signal_delay_windows']} windows after it; "
        f"false signals {results['false_signals_no_drift']:.1%} "
        f"of windows in A, {results['false_signals_before_onset']:.1%} before the onset in B"
    )
    print("scenario B around the onset (accuracy: estimate [band] / realized):")
    for i in range(onset - 2, min(onset + 4, windows)):
        e, t = b["estimates"][i]["accuracy"], b["realized"][i]["accuracy"]
        print(
            f"  window {i}: {e['value']:.3f} [{e['lower']:.3f}, {e['upper']:.3f}] / {t:.3f}  "
            f"signal={b['signals'][i]}"
        )
    results["multiclass_coverage"] = multiclass_coverage(rng, windows, n)
    results["regression_coverage"] = regression_coverage(rng, windows, n)
    print(f"3-class CBPE, scenario A coverage: {results['multiclass_coverage']}")
    print(f"DLE (regression), scenario A coverage: {results['regression_coverage']}")

    c = cost(reference, rng, big_rows, args.repeats)
    results["cost"] = c
    print(
        f"\n== cost on one window of {big_rows:,} rows (medians of {args.repeats}; CPU s / wall s; load "
        f"{os.getloadavg()[0]:.1f})"
    )
    print(
        table(
            ["run", "CPU s", "wall s"],
            [
                ["EstimatedClassificationQuality (state fitted)", *c["estimate"]],
                ["DataDriftPreset (6 numeric columns)", *c["drift"]],
                ["fit of the state on the reference (once)", *c["fit"]],
            ],
        )
    )
    print(
        f"estimate / DataDriftPreset: {c['estimate'][0] / c['drift'][0]:.2f} (CPU), "
        f"{c['estimate'][1] / c['drift'][1]:.2f} (wall)"
    )

    if not args.no_peer:
        peer = nannyml(reference, scenario(np.random.default_rng(7), windows, n, onset), big_rows, rng)
        results["nannyml"] = peer
        if "skipped" in peer:
            print(f"\nNannyML: {peer['skipped']}")
        else:
            print(f"\n== NannyML {peer['version']} CBPE on the same data (scenario B), same run")
            print(
                f"CPU seconds, fit + {windows} windows: ours {peer['ours_seconds']:.2f} s, NannyML "
                f"{peer['fit_seconds'] + peer['estimate_seconds']:.2f} s (ratio NannyML/ours "
                f"{(peer['fit_seconds'] + peer['estimate_seconds']) / peer['ours_seconds']:.1f}); "
                f"one {big_rows:,}-row "
                f"window: ours {peer['ours_big_seconds']:.2f} s, NannyML {peer['big_estimate_seconds']:.2f} s"
            )
            ours = ours_fit_and_windows(reference, scenario(np.random.default_rng(7), windows, n, onset))
            lines = []
            for i, (mine, theirs) in enumerate(zip(ours, peer["chunks"], strict=True)):
                real = theirs["accuracy"]["realized"]
                if i % max(1, windows // 10) == 0 or onset <= i < onset + 2:
                    lines.append(
                        [
                            i,
                            real,
                            mine["accuracy"]["value"],
                            f"[{mine['accuracy']['lower']:.3f}, {mine['accuracy']['upper']:.3f}]",
                            theirs["accuracy"]["value"],
                            f"[{theirs['accuracy']['lower']:.3f}, {theirs['accuracy']['upper']:.3f}]",
                        ]
                    )
            print(table(["window", "realized acc", "ours", "ours band", "NannyML", "NannyML band"], lines))
            before = range(onset)
            ours_in = sum(
                ours[i]["accuracy"]["lower"]
                <= peer["chunks"][i]["accuracy"]["realized"]
                <= ours[i]["accuracy"]["upper"]
                for i in before
            )
            theirs_in = sum(
                peer["chunks"][i]["accuracy"]["lower"]
                <= peer["chunks"][i]["accuracy"]["realized"]
                <= peer["chunks"][i]["accuracy"]["upper"]
                for i in before
            )
            print(
                f"realized accuracy inside the band before the onset: ours {ours_in}/{onset}, NannyML "
                f"{theirs_in}/{onset}"
            )
    out = REPO / "bench" / "results" / "bench_estimation.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=1, default=str))
    print(f"results: {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
