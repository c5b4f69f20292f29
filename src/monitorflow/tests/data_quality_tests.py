"""Evidently's import path ``tests.data_quality_tests``.

A thin re-export for ported Evidently code: the classes live in monitorflow's own modules.
"""

from monitorflow.checks.correlations import (
    TestConflictPrediction,
    TestConflictTarget,
    TestCorrelationChanges,
    TestHighlyCorrelatedColumns,
    TestPredictionFeaturesCorrelations,
    TestTargetFeaturesCorrelations,
    TestTargetPredictionCorrelation,
)
from monitorflow.checks.data_quality import (
    TestCategoryCount,
    TestCategoryShare,
    TestColumnQuantile,
    TestColumnValueMax,
    TestColumnValueMean,
    TestColumnValueMedian,
    TestColumnValueMin,
    TestColumnValueStd,
    TestMeanInNSigmas,
    TestMostCommonValueShare,
    TestNumberOfOutListValues,
    TestNumberOfOutRangeValues,
    TestNumberOfUniqueValues,
    TestShareOfOutListValues,
    TestShareOfOutRangeValues,
    TestUniqueValuesShare,
    TestValueList,
    TestValueRange,
)
from monitorflow.checks.generators import (
    TestAllColumnsMostCommonValueShare,
    TestCatColumnsOutOfListValues,
    TestNumColumnsMeanInNSigmas,
    TestNumColumnsOutOfRangeValues,
)

__all__ = [
    "TestAllColumnsMostCommonValueShare",
    "TestCatColumnsOutOfListValues",
    "TestCategoryCount",
    "TestCategoryShare",
    "TestColumnQuantile",
    "TestColumnValueMax",
    "TestColumnValueMean",
    "TestColumnValueMedian",
    "TestColumnValueMin",
    "TestColumnValueStd",
    "TestConflictPrediction",
    "TestConflictTarget",
    "TestCorrelationChanges",
    "TestHighlyCorrelatedColumns",
    "TestMeanInNSigmas",
    "TestMostCommonValueShare",
    "TestNumColumnsMeanInNSigmas",
    "TestNumColumnsOutOfRangeValues",
    "TestNumberOfOutListValues",
    "TestNumberOfOutRangeValues",
    "TestNumberOfUniqueValues",
    "TestPredictionFeaturesCorrelations",
    "TestShareOfOutListValues",
    "TestShareOfOutRangeValues",
    "TestTargetFeaturesCorrelations",
    "TestTargetPredictionCorrelation",
    "TestUniqueValuesShare",
    "TestValueList",
    "TestValueRange",
]
