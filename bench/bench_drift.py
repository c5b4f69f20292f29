"""DataDriftPreset report (100k x 50 mixed with NaNs, 1M x 20) against Evidently's legacy API."""

from functools import partial

from common import Case, main, mixed_data


def cases(args):
    sizes = [(10_000, 50), (100_000, 20)] if args.quick else [(100_000, 50), (1_000_000, 20)]
    return [
        Case("DataDriftPreset", "data_drift", partial(mixed_data, n, c, drift_share=0.25)) for n, c in sizes
    ]


if __name__ == "__main__":
    main("drift", __doc__, cases)
