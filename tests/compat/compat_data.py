"""Data for the example re-creations, made without the network (run in our interpreter only).

Evidently's examples download the Adult census data (OpenML), California housing, the UCI bike
sharing data, LFW faces and MovieLens. These generators make frames of the same shape and dtypes
(pandas ``category`` columns with missing values, integer features, a datetime index...) from a seed;
the breast cancer, iris, diabetes and wine sets ship with scikit-learn and are used as they are.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

EDUCATION = {
    "Preschool": 1,
    "1st-4th": 2,
    "5th-6th": 3,
    "7th-8th": 4,
    "9th": 5,
    "10th": 6,
    "11th": 7,
    "12th": 8,
    "HS-grad": 9,
    "Some-college": 10,
    "Assoc-voc": 11,
    "Assoc-acdm": 12,
    "Bachelors": 13,
    "Masters": 14,
    "Prof-school": 15,
    "Doctorate": 16,
}
EDUCATION_WEIGHTS = [1, 2, 3, 6, 5, 8, 10, 4, 90, 60, 12, 10, 45, 15, 5, 4]
WORKCLASS = [
    "Private",
    "Self-emp-not-inc",
    "Local-gov",
    "State-gov",
    "Self-emp-inc",
    "Federal-gov",
    "Without-pay",
]
MARITAL = ["Married-civ-spouse", "Never-married", "Divorced", "Separated", "Widowed", "Married-spouse-absent"]
OCCUPATION = [
    "Prof-specialty",
    "Craft-repair",
    "Exec-managerial",
    "Adm-clerical",
    "Sales",
    "Other-service",
    "Machine-op-inspct",
    "Transport-moving",
    "Handlers-cleaners",
    "Farming-fishing",
    "Tech-support",
]
RELATIONSHIP = ["Husband", "Not-in-family", "Own-child", "Unmarried", "Wife", "Other-relative"]
RACE = ["White", "Black", "Asian-Pac-Islander", "Amer-Indian-Eskimo", "Other"]
COUNTRY = ["United-States", "Mexico", "Philippines", "Germany", "Canada", "India", "England", "China"]
ADULT_EXCLUDED = ["Some-college", "HS-grad", "Bachelors"]


def _category(
    rng: np.random.Generator, values: list[str], n: int, p: list[float], missing: float
) -> pd.Series:
    weights = np.asarray(p, dtype=float) / np.sum(p)
    drawn = pd.Series(rng.choice(values, n, p=weights), dtype=object)
    drawn[rng.random(n) < missing] = None
    return drawn.astype(pd.CategoricalDtype(values))


def adult(n: int = 6000, seed: int = 0) -> pd.DataFrame:
    """The Adult census frame as ``fetch_openml("adult", version=2)`` gives it: integer numbers,
    ``category`` strings with missing values, the ``class`` label."""
    rng = np.random.default_rng(seed)
    education = _category(rng, list(EDUCATION), n, EDUCATION_WEIGHTS, 0.0)
    years = education.map(EDUCATION).astype("int64")
    age = np.clip(rng.normal(38 + years - 10, 12, n).round(), 17, 90).astype("int64")
    hours = np.clip(rng.normal(40 + (years - 10), 11, n).round(), 1, 99).astype("int64")
    gain = np.where(rng.random(n) < 0.08, rng.choice([2174, 5178, 7298, 15024, 99999], n), 0).astype("int64")
    loss = np.where(rng.random(n) < 0.05, rng.choice([1602, 1887, 1977, 2415], n), 0).astype("int64")
    score = 0.25 * (years - 10) + 0.04 * (age - 38) + 0.03 * (hours - 40) + gain / 5000 + rng.normal(0, 1, n)
    frame = pd.DataFrame(
        {
            "age": age,
            "workclass": _category(rng, WORKCLASS, n, [70, 8, 6, 4, 3, 3, 1], 0.05),
            "fnlwgt": rng.integers(12285, 1490400, n).astype("int64"),
            "education": education,
            "education-num": years,
            "marital-status": _category(rng, MARITAL, n, [45, 33, 14, 3, 3, 2], 0.0),
            "occupation": _category(rng, OCCUPATION, n, [13, 13, 13, 12, 11, 10, 6, 5, 4, 3, 3], 0.05),
            "relationship": _category(rng, RELATIONSHIP, n, [40, 26, 15, 10, 5, 4], 0.0),
            "race": _category(rng, RACE, n, [85, 10, 3, 1, 1], 0.0),
            "sex": _category(rng, ["Male", "Female"], n, [67, 33], 0.0),
            "capital-gain": gain,
            "capital-loss": loss,
            "hours-per-week": hours,
            "native-country": _category(rng, COUNTRY, n, [90, 3, 2, 1, 1, 1, 1, 1], 0.02),
        }
    )
    frame["class"] = pd.Series(
        np.where(score > 1.0, ">50K", "<=50K"), dtype=pd.CategoricalDtype(["<=50K", ">50K"])
    )
    return frame


def adult_split(n: int = 6000, seed: int = 0, blank: int = 2000) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Evidently's split: reference without Some-college/HS-grad/Bachelors, current with them, and the
    current's education and education-num blanked on its first ``blank`` rows."""
    frame = adult(n, seed)
    reference = frame[~frame.education.isin(ADULT_EXCLUDED)].copy()
    current = frame[frame.education.isin(ADULT_EXCLUDED)].copy()
    current.iloc[:blank, 3:5] = np.nan
    return reference, current


def housing(n: int = 4000, seed: int = 0) -> pd.DataFrame:
    """A California-housing-like frame: 8 float features and ``MedHouseVal``."""
    rng = np.random.default_rng(seed)
    income = rng.gamma(4.0, 1.0, n)
    frame = pd.DataFrame(
        {
            "MedInc": income,
            "HouseAge": rng.integers(1, 53, n).astype(float),
            "AveRooms": rng.normal(5.4, 1.2, n).clip(1),
            "AveBedrms": rng.normal(1.1, 0.2, n).clip(0.3),
            "Population": rng.gamma(2.0, 700.0, n).round(),
            "AveOccup": rng.normal(3.0, 0.8, n).clip(0.7),
            "Latitude": rng.uniform(32.5, 42.0, n),
            "Longitude": rng.uniform(-124.3, -114.3, n),
        }
    )
    frame["MedHouseVal"] = (0.45 * income + rng.normal(0, 0.6, n)).clip(0.15, 5.0)
    return frame


def breast_cancer(seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Evidently's breast-cancer frames: (proba reference, proba current, label reference, label current)."""
    from sklearn import datasets, ensemble

    data = datasets.load_breast_cancer(as_frame=True)
    frame = data.frame
    reference = frame.sample(n=300, replace=False, random_state=seed)
    current = frame.sample(n=200, replace=False, random_state=seed + 1)
    labelled_ref, labelled_cur = reference.copy(deep=True), current.copy(deep=True)
    features = data.feature_names.tolist()
    model = ensemble.RandomForestClassifier(random_state=1, n_estimators=10)
    model.fit(reference[features], reference.target)
    reference["prediction"] = model.predict_proba(reference[features])[:, 1]
    current["prediction"] = model.predict_proba(current[features])[:, 1]
    labelled_ref["prediction"] = model.predict(labelled_ref[features])
    labelled_cur["prediction"] = model.predict(labelled_cur[features])
    return reference, current, labelled_ref, labelled_cur


def iris(size: int = 75, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Evidently's iris frames with a random forest's predicted labels."""
    from sklearn import datasets, ensemble

    data = datasets.load_iris(as_frame=True)
    frame = data.frame
    reference = frame.sample(n=size, replace=False, random_state=seed)
    current = frame.sample(n=size, replace=False, random_state=seed + 1)
    model = ensemble.RandomForestClassifier(random_state=1, n_estimators=3)
    model.fit(reference[data.feature_names], reference.target)
    reference["prediction"] = model.predict(reference[data.feature_names])
    current["prediction"] = model.predict(current[data.feature_names])
    return reference, current


def bikes(seed: int = 0, start: str = "2011-01-01", days: int = 59) -> pd.DataFrame:
    """An hourly bike-sharing frame (the UCI data's columns) with a datetime index."""
    rng = np.random.default_rng(seed)
    index = pd.date_range(start, periods=days * 24, freq="h")
    hour = index.hour.to_numpy()
    day = np.arange(len(index)) // 24
    temp = (0.25 + 0.1 * np.sin(day / 9) + 0.002 * day + rng.normal(0, 0.04, len(index))).clip(0.02, 1)
    frame = pd.DataFrame(
        {
            "season": np.where(index.month <= 3, 1, 2).astype("int64"),
            "yr": np.zeros(len(index), dtype="int64"),
            "mnth": index.month.to_numpy().astype("int64"),
            "hr": hour.astype("int64"),
            "holiday": (rng.random(len(index)) < 0.03).astype("int64"),
            "weekday": index.dayofweek.to_numpy().astype("int64"),
            "workingday": (index.dayofweek < 5).astype("int64"),
            "weathersit": rng.choice([1, 2, 3], len(index), p=[0.65, 0.28, 0.07]).astype("int64"),
            "temp": temp,
            "atemp": (temp * 0.95 + rng.normal(0, 0.02, len(index))).clip(0, 1),
            "hum": rng.uniform(0.3, 0.95, len(index)),
            "windspeed": rng.gamma(2.0, 0.09, len(index)).clip(0, 0.85),
        },
        index=index,
    )
    rush = np.isin(hour, [8, 17, 18]) * 120 + np.isin(hour, [7, 9, 16, 19]) * 60
    frame["cnt"] = (
        np.maximum(0, 20 + rush + 300 * temp + rng.normal(0, 25, len(index))).round().astype("int64")
    )
    return frame


def bikes_with_prediction(seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(reference: the first 28 days, current: the rest), with a random forest's predictions."""
    from sklearn import ensemble

    frame = bikes(seed)
    reference = frame.loc["2011-01-01 00:00:00":"2011-01-28 23:00:00"].copy()
    current = frame.loc["2011-01-29 00:00:00":"2011-02-28 23:00:00"].copy()
    features = ["temp", "atemp", "hum", "windspeed", "hr", "weekday", "season", "holiday", "workingday"]
    model = ensemble.RandomForestRegressor(random_state=0, n_estimators=20)
    model.fit(reference[features], reference["cnt"])
    reference["prediction"] = model.predict(reference[features])
    current["prediction"] = model.predict(current[features])
    return reference, current


def embeddings(n: int = 5100, width: int = 31, seed: int = 0) -> pd.DataFrame:
    """LFW-like embedding columns ``col_0 .. col_{width-1}``."""
    rng = np.random.default_rng(seed)
    base = rng.normal(0.4, 0.15, (n, width)).clip(0, 1)
    return pd.DataFrame(base.astype("float32"), columns=[f"col_{i}" for i in range(width)])


# ------------------------------------------------------------------ preset parity (test_compat_presets.py)


def _shifted_split(frame: pd.DataFrame, key: str, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reference and current: a row goes to current with a probability rising from 0.2 to 0.8 along the
    rank of ``key``, so every column correlated with it drifts."""
    rank = frame[key].rank(method="first").to_numpy() / len(frame)
    to_current = np.random.default_rng(seed).random(len(frame)) < 0.2 + 0.6 * rank
    return frame[~to_current].reset_index(drop=True), frame[to_current].reset_index(drop=True)


def _with_derived(frame: pd.DataFrame, source: str, few: str) -> pd.DataFrame:
    """Adds ``band`` (a ``category`` of ``source``'s tertiles, a label never used in the data) and
    ``level`` (``few`` in 4 integer buckets)."""
    frame = frame.copy()
    bands = pd.qcut(frame[source], 3, labels=["low", "mid", "high"]).astype(str)
    frame["band"] = pd.Series(bands, dtype=pd.CategoricalDtype(["low", "mid", "high", "unused"]))
    frame["level"] = pd.qcut(frame[few], 4, labels=False, duplicates="drop").astype("int64")
    return frame


def _blank(frame: pd.DataFrame, columns: list[str], every: int) -> pd.DataFrame:
    """NaN in ``columns`` on every ``every``-th row (after the model has predicted)."""
    frame = frame.copy()
    for offset, column in enumerate(columns):
        frame.loc[frame.index[offset::every], column] = np.nan
    return frame


def _classified(frame: pd.DataFrame, features: list[str], target: str, proba: bool) -> pd.DataFrame:
    """The frame with a small random forest's predictions (labels, or per-class probability columns
    named by label), fitted on every other row so that the predictions err."""
    from sklearn import ensemble

    model = ensemble.RandomForestClassifier(n_estimators=5, max_depth=3, random_state=0)
    model.fit(frame[features].iloc[::2], frame[target].iloc[::2])
    frame = frame.copy()
    if not proba:
        frame["prediction"] = model.predict(frame[features])
        return frame
    for label, column in zip(model.classes_, model.predict_proba(frame[features]).T, strict=True):
        frame[str(label)] = column
    return frame


def preset_datasets() -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """(reference, current) per data set of the preset parity tests: scikit-learn's bundled sets and a
    generated Adult-like frame, each with a ``category`` column, a few-valued integer column and NaN."""
    from sklearn import datasets, linear_model

    out: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}
    iris = datasets.load_iris(as_frame=True).frame
    iris = _classified(
        _with_derived(iris, "petal length (cm)", "sepal width (cm)"),
        list(iris.columns[:4]),
        "target",
        proba=False,
    )
    out["iris"] = _shifted_split(_blank(iris, ["sepal width (cm)"], 9), "petal width (cm)", 1)

    wine_set = datasets.load_wine(as_frame=True)
    wine = wine_set.frame.assign(target=wine_set.target_names[wine_set.target])
    wine = _classified(_with_derived(wine, "alcohol", "ash"), wine_set.feature_names, "target", proba=False)
    out["wine"] = _shifted_split(_blank(wine, ["magnesium", "hue"], 11), "alcohol", 2)

    cancer_set = datasets.load_breast_cancer(as_frame=True)
    cancer = _with_derived(cancer_set.frame, "mean radius", "mean texture")
    cancer = _classified(cancer, list(cancer_set.feature_names), "target", proba=True).drop(columns="0")
    cancer = cancer.rename(columns={"1": "prediction"})
    out["breast_cancer"] = _shifted_split(_blank(cancer, ["mean smoothness"], 13), "mean area", 3)

    diabetes = _with_derived(datasets.load_diabetes(as_frame=True, scaled=False).frame, "bmi", "s5")
    features = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
    model = linear_model.LinearRegression().fit(diabetes[features].iloc[::2], diabetes["target"].iloc[::2])
    diabetes["prediction"] = model.predict(diabetes[features])
    diabetes["sex"] = diabetes["sex"].astype("int64")
    out["diabetes"] = _shifted_split(_blank(diabetes, ["s3"], 10), "bmi", 4)

    digits_set = datasets.load_digits(as_frame=True)
    digits = digits_set.frame.astype({c: "int64" for c in digits_set.feature_names})
    digits = _classified(digits, list(digits_set.feature_names), "target", proba=False)
    out["digits"] = _shifted_split(digits, "pixel_2_4", 5)

    frame = adult(n=1600, seed=7)
    frame["prediction"] = (
        0.15 + 0.05 * (frame["education-num"] - 9) + 0.01 * (frame["hours-per-week"] - 40)
    ).clip(0.0, 1.0)
    # untied scores: with tied probabilities ROC AUC and top-k differ
    # (docs/evidently-compat.md, not yet the same)
    frame["prediction"] = (frame["prediction"] + np.random.default_rng(8).uniform(0, 1e-3, len(frame))).clip(
        0, 1
    )
    frame["class"] = (frame["class"] == ">50K").astype("int64")
    out["adult"] = _shifted_split(frame, "age", 6)
    return out
