"""The precision-recall and lift tables of Evidently's classification metrics, row for row.

Rows are ranked by the probability of one label, highest first; rows tied on the probability keep
their order in the data (Evidently's stable sort). At each step (5% of the rows for the PR table, 1%
for the lift table) a row holds the top share, the row count, ``prob`` (rounded to 2 places: the
probability of the row *after* the step, Evidently's convention), the true and false positives, and
precision and recall in percent, rounded as Evidently rounds them. The tables hold at most 21 and 100
rows whatever the data size.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

import numpy as np

PR_STEP = 0.05
LIFT_STEP = 0.01


class Ranking(Protocol):
    """Rows ranked by one label's probability, highest first, ties in data order."""

    size: int  # rows
    positives: int  # rows of the label

    def found(self, counts: np.ndarray) -> np.ndarray:
        """Rows of the label among the ``counts`` highest-ranked rows."""
        ...

    def score(self, positions: np.ndarray) -> np.ndarray:
        """The probability of the rows at 0-based ``positions``."""
        ...


def _steps(ranking: Ranking, offset: int, end: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row counts of each step, positives among them, and the probability after each step."""
    steps = np.arange(offset, end, offset)
    counts = np.minimum(steps, ranking.size)
    return counts, ranking.found(counts), ranking.score(np.minimum(steps, ranking.size - 1))


def pr_rows(ranking: Ranking) -> list[list[Any]]:
    """``[top %, count, prob, tp, fp, precision %, recall %]`` per 5% of rows."""
    size, positives = ranking.size, ranking.positives
    offset = max(round(size * PR_STEP), 1)
    rows = []
    for count, found, score in zip(*_steps(ranking, offset, size + offset), strict=True):
        count, tp = int(count), int(found)
        rows.append([
            round(100.0 * count / size, 1), count, round(float(score), 2), tp, count - tp,
            round(100.0 * tp / count, 1), round(100.0 * tp / positives, 1) if positives else math.nan,
        ])  # fmt: skip
    return rows


def lift_rows(ranking: Ranking) -> list[list[Any]]:
    """``[top %, count, prob, tp, fp, precision %, recall %, f1 %, lift, max lift, relative lift, % of the
    label]`` per 1% of rows; F1 is 0 where Evidently divides by a zero precision or recall."""
    size, positives = ranking.size, ranking.positives
    offset = int(max(math.floor(size * LIFT_STEP), 1))
    rows = []
    for count, found, score in zip(*_steps(ranking, offset, size + 1), strict=True):
        count, tp = int(count), int(found)
        top = round(100.0 * count / size)
        precision = round(100.0 * tp / count, 1)
        recall = round(100.0 * tp / positives, 1) if positives else 0.0
        f1 = round(2 / (1 / precision + 1 / recall), 1) if precision and recall else 0.0
        lift = round(recall / top, 2)
        max_lift = round(100.0 * count / positives / top, 2) if count <= positives else round(100.0 / top, 2)
        relative = round(lift / max_lift, 2) if max_lift else 0.0
        rows.append([top, count, round(float(score), 2), tp, count - tp, precision, recall,
                     f1, lift, max_lift, relative, round(100 * positives / size, 2)])  # fmt: skip
    return rows
