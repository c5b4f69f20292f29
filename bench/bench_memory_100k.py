"""DataDriftPreset and DataQualityPreset on 100k x 50 (mixed, NaNs): ours vs Evidently 0.7.23, same run."""

from functools import partial

from common import Case, main, mixed_data


def cases(args):
    return [
        Case("DataDriftPreset", "data_drift", partial(mixed_data, 100_000, 50, drift_share=0.25)),
        Case("DataQualityPreset", "data_quality", partial(mixed_data, 100_000, 50)),
    ]


if __name__ == "__main__":
    main("memory_100k", __doc__, cases)
