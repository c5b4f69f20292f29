"""Re-creation of Evidently 0.4's examples/how_to_questions/how_to_get_report_as_a_dataframe.ipynb."""

from monitorflow.metrics import (
    ClassificationQualityByClass,
    ClassificationQualityMetric,
    ColumnCorrelationsMetric,
    ColumnSummaryMetric,
    DataDriftTable,
)
from monitorflow.metrics.base_metric import generate_column_metrics
from monitorflow.report import Report

TIE = (
    "ties for the most common value (the breast-cancer measurements repeat at most twice): Evidently takes "
    "the first of pandas' value_counts, an unstable sort whose order changes between pandas versions; "
    "monitorflow takes the smallest tied value (docs/evidently-compat.md, ties)"
)
DIFFERENCES = {"*.ColumnSummaryMetric[*]*_characteristics.most_common": TIE}


def data():
    from tests.compat.compat_data import breast_cancer

    reference, current, _, _ = breast_cancer()
    return {"bcancer_ref": reference, "bcancer_cur": current}


def run(frames, workdir):
    performance_report = Report(
        metrics=[
            DataDriftTable(),
            generate_column_metrics(ColumnSummaryMetric),
            generate_column_metrics(ColumnCorrelationsMetric),
            ClassificationQualityMetric(),
            ClassificationQualityByClass(),
        ]
    )
    performance_report.run(reference_data=frames["bcancer_ref"], current_data=frames["bcancer_cur"])
    performance_report.show()
    drift_table_df = performance_report.as_dataframe("DataDriftTable")
    report_df = performance_report.as_dataframe()
    summary_table_df = performance_report.as_dataframe("ColumnSummaryMetric")
    return {
        "as_dict": performance_report.as_dict(),
        "drift_table": drift_table_df.reset_index(drop=True)[
            ["column_name", "column_type", "stattest_name", "drift_score", "drift_detected", "metric_id"]
        ].sort_values("column_name"),
        "frames": sorted(report_df),
        "summary_rows": len(summary_table_df),
        "summary_columns": sorted(summary_table_df["column_name"]),
    }
