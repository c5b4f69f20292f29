"""Evidently's import path ``metrics.recsys.scores_distribution``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.metrics.recsys import ScoreDistribution, ScoreDistributionResult

__all__ = ["ScoreDistribution", "ScoreDistributionResult"]
