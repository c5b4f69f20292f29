"""Options of reports, test suites and metrics (Evidently's ``options`` package).

>>> from monitorflow import Report
>>> from monitorflow.metric_preset import DataDriftPreset
>>> report = Report(metrics=[DataDriftPreset()], options=[BERLIN_AUTUMN_COLOR_OPTIONS])
>>> report.options.color_options.get_current_data_color()
'#f7b801'
"""

from monitorflow.options.color_scheme import (
    BERLIN_AUTUMN_COLOR_OPTIONS,
    KARACHI_SUNRISE_COLOR_OPTIONS,
    NIGHTOWL_COLOR_OPTIONS,
    SOLARIZED_COLOR_OPTIONS,
    ColorOptions,
)

__all__ = [
    "BERLIN_AUTUMN_COLOR_OPTIONS",
    "KARACHI_SUNRISE_COLOR_OPTIONS",
    "NIGHTOWL_COLOR_OPTIONS",
    "SOLARIZED_COLOR_OPTIONS",
    "ColorOptions",
]
