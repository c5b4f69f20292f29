"""Descriptors of text (and other) columns, with Evidently's legacy names and parameters.

>>> import pandas as pd
>>> from monitorflow import Report
>>> from monitorflow.metrics import ColumnSummaryMetric
>>> report = Report(metrics=[ColumnSummaryMetric(column_name=TextLength().on("review"))])
>>> report.run(current_data=pd.DataFrame({"review": ["Great!", "Too slow."]}))
>>> report.as_dict()["metrics"][0]["result"]["current_characteristics"]["mean"]
7.5
"""

from monitorflow.descriptors.base import DESCRIPTORS, Descriptor, DescriptorField, FrameReader
from monitorflow.descriptors.custom import CustomColumnEval, CustomPairColumnEval
from monitorflow.descriptors.llm import (
    BiasLLMEval,
    BinaryClassificationLLMEval,
    BinaryClassificationPromptTemplate,
    ContextQualityLLMEval,
    DeclineLLMEval,
    LLMEval,
    NegativityLLMEval,
    PIILLMEval,
    ToxicityLLMEval,
)
from monitorflow.descriptors.models import (
    BERTScore,
    HuggingFaceModel,
    HuggingFaceToxicityModel,
    SemanticSimilarity,
)
from monitorflow.descriptors.patterns import (
    BeginsWith,
    Contains,
    ContainsLink,
    DoesNotContain,
    EndsWith,
    ExactMatch,
    ItemMatch,
    ItemNoMatch,
    RegExp,
)
from monitorflow.descriptors.sentiment import Sentiment
from monitorflow.descriptors.text_stats import (
    NonLetterCharacterPercentage,
    SentenceCount,
    TextLength,
    WordCount,
)
from monitorflow.descriptors.validity import (
    IsValidJSON,
    IsValidPython,
    IsValidSQL,
    JSONMatch,
    JSONSchemaMatch,
)
from monitorflow.descriptors.words import (
    OOV,
    ExcludesWords,
    IncludesWords,
    TriggerWordsPresence,
    WordMatch,
    WordNoMatch,
)

__all__ = [
    "DESCRIPTORS",
    "OOV",
    "BERTScore",
    "BeginsWith",
    "BiasLLMEval",
    "BinaryClassificationLLMEval",
    "BinaryClassificationPromptTemplate",
    "Contains",
    "ContainsLink",
    "ContextQualityLLMEval",
    "CustomColumnEval",
    "CustomPairColumnEval",
    "DeclineLLMEval",
    "Descriptor",
    "DescriptorField",
    "DoesNotContain",
    "EndsWith",
    "ExactMatch",
    "ExcludesWords",
    "FrameReader",
    "HuggingFaceModel",
    "HuggingFaceToxicityModel",
    "IncludesWords",
    "IsValidJSON",
    "IsValidPython",
    "IsValidSQL",
    "ItemMatch",
    "ItemNoMatch",
    "JSONMatch",
    "JSONSchemaMatch",
    "LLMEval",
    "NegativityLLMEval",
    "NonLetterCharacterPercentage",
    "PIILLMEval",
    "RegExp",
    "SemanticSimilarity",
    "SentenceCount",
    "Sentiment",
    "TextLength",
    "ToxicityLLMEval",
    "TriggerWordsPresence",
    "WordCount",
    "WordMatch",
    "WordNoMatch",
]
