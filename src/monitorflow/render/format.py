"""Display formatting: HTML escaping and number rounding (display only; results keep full precision).

>>> fmt_number(44.486252) , fmt_number(12000), fmt_number(0.000012345)
('44.49', '12,000', '1.234e-05')
"""

from __future__ import annotations

import html
import json
import math
import re
from typing import Any

#: Significant digits of displayed floats.
SIGNIFICANT_DIGITS = 4
#: Items of a list shown inline before "… (+N more)".
MAX_LIST_ITEMS = 12

_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")


def esc(value: Any) -> str:
    """Any value as escaped HTML text (quotes included, so it is safe in attributes too)."""
    return html.escape(str(value), quote=True)


def fmt_number(value: float | int) -> str:
    """A number rounded for display: floats to 4 significant digits; separators from 10,000 on."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 1e4 else str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    magnitude = abs(value)
    if 1e4 <= magnitude < 1e15:
        return f"{value:,.0f}"
    if magnitude and magnitude < 1e-4:
        return f"{value:.{SIGNIFICANT_DIGITS - 1}e}"
    return f"{value:.{SIGNIFICANT_DIGITS}g}"


def fmt_text(value: Any) -> str:
    """A result value as plain (unescaped) display text."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return fmt_number(value)
    if isinstance(value, list):
        shown = ", ".join(fmt_text(v) for v in value[:MAX_LIST_ITEMS])
        more = f" … (+{len(value) - MAX_LIST_ITEMS} more)" if len(value) > MAX_LIST_ITEMS else ""
        return f"[{shown}{more}]"
    if isinstance(value, dict):
        return json.dumps(value, default=str, ensure_ascii=False)
    return str(value)


def fmt_value(value: Any) -> str:
    """A result value as escaped HTML; missing values are dimmed."""
    if value is None:
        return '<span class="none">—</span>'
    return esc(fmt_text(value))


def humanize(key: str) -> str:
    """A field name for display: ``number_of_rows`` -> ``number of rows``; other keys unchanged."""
    return key.replace("_", " ") if _IDENTIFIER.fullmatch(key) else key
