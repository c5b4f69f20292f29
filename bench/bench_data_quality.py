"""DataQualityPreset report (10k and 100k x 50) and the DataStability / DataQuality test presets
(100k x 100) against Evidently's legacy API: time, peak memory, snapshot size."""

from functools import partial

from common import Case, main, mixed_data


def cases(args):
    tests_size = (10_000, 50) if args.quick else (100_000, 100)
    return [
        Case("DataQualityPreset", "data_quality", partial(mixed_data, 10_000, 50)),
        Case("DataQualityPreset", "data_quality", partial(mixed_data, 100_000, 50)),
        Case(
            "DataStabilityTestPreset",
            "data_stability_tests",
            partial(mixed_data, *tests_size, drift_share=0.1),
        ),
        Case(
            "DataQualityTestPreset", "data_quality_tests", partial(mixed_data, *tests_size, drift_share=0.1)
        ),
    ]


def snapshot_growth(done) -> str:
    """Snapshot bytes at 10k and 100k rows: a snapshot should not grow with the data."""
    dq = [c for c in done if c.workload == "data_quality"]
    lines = []
    for side in ("ours", "peer"):
        sizes = [(c.shape, c.results.get(side, {}).get("snapshot_bytes")) for c in dq]
        if all(b for _, b in sizes) and len(sizes) == 2:
            growth = sizes[1][1] / sizes[0][1]
            lines.append(
                f"{side} DataQualityPreset snapshot bytes: "
                + ", ".join(f"{s}: {b:,}" for s, b in sizes)
                + f" (x{growth:.2f})"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    print(snapshot_growth(main("data_quality", __doc__, cases)))
