"""ClassificationPreset (binary and 5-class, with probabilities) and RegressionPreset reports on 1M rows
against Evidently's legacy API."""

from functools import partial

from common import Case, classification_data, main, regression_data


def cases(args):
    n = 100_000 if args.quick else 1_000_000
    return [
        Case("ClassificationPreset binary", "classification", partial(classification_data, n, 2)),
        Case("ClassificationPreset 5-class", "classification", partial(classification_data, n, 5)),
        Case("RegressionPreset", "regression", partial(regression_data, n)),
    ]


if __name__ == "__main__":
    main("model_quality", __doc__, cases)
