"""Per-class probability columns (``ColumnMapping(prediction=[...])``), as Evidently 0.4's classification
examples give them: the classification presets, drift and data quality, each report on fresh frames.

Evidently's drift calculation (``ensure_prediction_column_is_string``) writes a derived
``predicted_labels`` column (each row's most probable class) into the caller's reference and current
frames, so the dataset-level metrics of a report that also computes drift count a column the data never
had (and every later report on the same frames sees it as a feature). monitorflow never writes into the
caller's frames: its counts are those of the given columns (``len(frame.columns)``), and the predicted
labels of a classification metric are derived inside it (the ``ClassificationPreset`` values compared).
"""

from monitorflow.metric_preset import ClassificationPreset, DataDriftPreset, DataQualityPreset
from monitorflow.metrics import DatasetMissingValuesMetric, DatasetSummaryMetric
from monitorflow.pipeline.column_mapping import ColumnMapping
from monitorflow.report import Report
from monitorflow.test_preset import DataStabilityTestPreset, MulticlassClassificationTestPreset
from monitorflow.test_suite import TestSuite

DERIVED = (
    "Evidently's drift calculation writes a predicted_labels column into the caller's frames, which the "
    "dataset-level metrics of the same run then count; monitorflow counts the given columns"
)
INFERRED = (
    "with inferred features, Evidently's DataDriftTable infers them from the frames its DatasetDriftMetric "
    "has just written predicted_labels into, so the derived column gets a drift row (not with explicit "
    "feature lists); monitorflow's features are the given columns"
)
DIFFERENCES = {
    "*.with_drift.metrics.DatasetSummaryMetric.result.current.number_of_columns": DERIVED,
    "*.with_drift.metrics.DatasetSummaryMetric.result.reference.number_of_columns": DERIVED,
    "*.with_drift.metrics.DatasetSummaryMetric.result.*.number_of_categorical_columns": DERIVED,
    "*.with_drift.metrics.DatasetMissingValuesMetric.result.*.different_missing_values_by_column": DERIVED,
    "*.with_drift.metrics.DatasetMissingValuesMetric.result.*.number_of_missing_values_by_column": DERIVED,
    "*.with_drift.metrics.DatasetMissingValuesMetric.result.*.share_of_missing_values_by_column": DERIVED,
    "*.with_drift.metrics.DatasetMissingValuesMetric.result.*.columns_with_missing_values": DERIVED,
    "*.with_drift.metrics.DatasetMissingValuesMetric.result.*.number_of_columns": DERIVED,
    "*.with_drift.metrics.DatasetMissingValuesMetric.result.*.share_of_columns_with_missing_values": DERIVED,
    "*.with_drift.metrics.DatasetMissingValuesMetric.result.*.number_of_different_missing_values_by_column": (
        DERIVED
    ),
    "*.with_drift.metrics.DatasetMissingValuesMetric.result.*.share_of_missing_values": DERIVED,
    **{
        f"*.{case}.metrics.DataDriftTable.result.{field}": INFERRED
        for case in ("drift", "with_drift")
        for field in ("number_of_columns", "number_of_drifted_columns", "share_of_drifted_columns")
    },
    "*.drift.metrics.DataDriftTable.result.drift_by_columns.predicted_labels": INFERRED,
    "*.with_drift.metrics.DataDriftTable.result.drift_by_columns.predicted_labels": INFERRED,
    "*_characteristics.most_common": (
        "ties for the most common value (every probability is unique): monitorflow takes the smallest "
        "(docs/evidently-compat.md, ties)"
    ),
}
LABELS = ["setosa", "versicolor", "virginica"]


def data():
    import numpy as np
    from sklearn import datasets, linear_model

    iris = datasets.load_iris(as_frame=True)
    frame = iris.frame.assign(target=np.asarray(LABELS)[iris.target])
    features = iris.feature_names
    model = linear_model.LogisticRegression(max_iter=200).fit(
        frame[features].iloc[::3], frame["target"].iloc[::3]
    )
    for label, column in zip(model.classes_, model.predict_proba(frame[features]).T, strict=True):
        frame[label] = column
    frame.loc[frame.index[::17], "sepal width (cm)"] = np.nan
    shuffled = frame.sample(frac=1.0, random_state=4)
    return {"reference": shuffled.iloc[:75], "current": shuffled.iloc[75:]}


def _mapping():
    return ColumnMapping(target="target", prediction=list(LABELS), task="classification")


def _report(metrics, frames):
    report = Report(metrics=metrics)
    report.run(
        reference_data=frames["reference"].copy(),
        current_data=frames["current"].copy(),
        column_mapping=_mapping(),
    )
    return report.as_dict()


def _suite(tests, frames):
    suite = TestSuite(tests=tests)
    suite.run(
        reference_data=frames["reference"].copy(),
        current_data=frames["current"].copy(),
        column_mapping=_mapping(),
    )
    return suite.as_dict()


def run(frames, workdir):
    return {
        "classification": _report([ClassificationPreset()], frames),
        "drift": _report([DataDriftPreset()], frames),
        "quality": _report([DataQualityPreset()], frames),
        "with_drift": _report(
            [DatasetSummaryMetric(), DataDriftPreset(), DatasetMissingValuesMetric()], frames
        ),
        "tests": _suite([MulticlassClassificationTestPreset(), DataStabilityTestPreset()], frames),
    }
