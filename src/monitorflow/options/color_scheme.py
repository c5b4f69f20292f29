"""Colours of the HTML pages: ``ColorOptions`` and four ready-made schemes (Evidently's names).

monitorflow's pages draw current data in ``current_data_color`` (default ``primary_color``) and reference
data in ``reference_data_color`` (default ``secondary_color``); the other fields are kept for code
that sets them.
"""

from __future__ import annotations

from collections.abc import Sequence

from monitorflow.options.option import Option


class ColorOptions(Option):
    primary_color: str = "#ed0400"
    secondary_color: str = "#4d4d4d"
    current_data_color: str | None = None
    reference_data_color: str | None = None
    additional_data_color: str = "#0a5f38"
    color_sequence: Sequence[str] = ("#ed0400", "#0a5f38", "#6c3461", "#71aa34", "#d8dcd6", "#6b8ba4")
    fill_color: str = "LightGreen"
    zero_line_color: str = "green"
    non_visible_color: str = "white"
    underestimation_color: str = "#6574f7"
    overestimation_color: str = "#ee5540"
    majority_color: str = "#1acc98"
    vertical_lines: str = "green"
    heatmap: str = "RdBu_r"

    def get_current_data_color(self) -> str:
        return self.current_data_color or self.primary_color

    def get_reference_data_color(self) -> str:
        return self.reference_data_color or self.secondary_color


def _scheme(
    primary: str, secondary: str, current: str, reference: str, sequence: str, **extra: str
) -> ColorOptions:
    return ColorOptions(
        primary_color=primary,
        secondary_color=secondary,
        current_data_color=current,
        reference_data_color=reference,
        color_sequence=tuple(sequence.split()),
        **extra,
    )


SOLARIZED_COLOR_OPTIONS = _scheme(
    "#268bd2",
    "#073642",
    "#268bd2",
    "#073642",
    "#268bd2 #2aa198 #859900 #b58900 #cb4b16 #dc322f",
    additional_data_color="",
)
KARACHI_SUNRISE_COLOR_OPTIONS = _scheme(
    "#000000", "#14213d", "#fca311", "#e5e5e5", "#dad7cd #a3b18a #588157 #3a5a40 #344e41"
)
BERLIN_AUTUMN_COLOR_OPTIONS = _scheme(
    "#3d348b", "#7678ed", "#f7b801", "#f18701", "#f35b04 #4e598c #f9c784 #fcaf58 #ff8c42"
)
NIGHTOWL_COLOR_OPTIONS = _scheme(
    "#003049", "#d62828", "#f77f00", "#fcbf49", "#eae2b7 #f08080 #84a59d #f28482 #f6bd60"
)
