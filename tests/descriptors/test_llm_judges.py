"""LLM judges end to end against a stand-in OpenAI chat server on loopback (``openai_standin``)."""

from __future__ import annotations

import pandas as pd
import pytest

from monitorflow import Report
from monitorflow.descriptors import (
    BinaryClassificationPromptTemplate,
    ContextQualityLLMEval,
    DeclineLLMEval,
    LLMEval,
    NegativityLLMEval,
    PIILLMEval,
    ToxicityLLMEval,
)
from monitorflow.descriptors.calls import CallPolicy
from monitorflow.errors import ConfigurationError
from monitorflow.metrics import ColumnSummaryMetric
from tests.descriptors.openai_standin import StandIn

FAST = CallPolicy(backoff_s=0.01, max_concurrency=3, batch_size=2)


@pytest.fixture
def standin():
    with StandIn() as server:
        yield server


def run_report(metrics, current, reference=None):
    report = Report(metrics=metrics)
    report.run(current_data=current, reference_data=reference)
    return report


def test_a_ready_judge_classifies_each_text_with_reasons(standin):
    texts = pd.DataFrame({"answer": ["I hate this", "Lovely day", None, "I hate this", "awful service"]})
    judge = NegativityLLMEval(base_url=standin.base_url, api_key="sk-test", calls=FAST)
    report = run_report([ColumnSummaryMetric(column_name=judge.on("answer"))], texts)
    current, _ = report.datasets()
    assert current["Negativity category"].tolist() == ["NEGATIVE", "POSITIVE", None, "NEGATIVE", "NEGATIVE"]
    assert current["Negativity reasoning"].tolist()[:2] == ["11 characters", "10 characters"]
    result = report.as_dict()["metrics"][0]["result"]
    assert (
        result["column_name"] == "Negativity category"
        and result["current_characteristics"]["most_common"] == "NEGATIVE"
    )
    # one request per distinct text: the repeat is cached, the missing text is not sent
    assert len(standin.requests) == 3
    request = standin.requests[0]
    assert request["model"] == "gpt-4o-mini" and request["authorization"] == "Bearer sk-test"
    assert request["messages"][0] == {"role": "system", "content": "You are a judge which evaluates text."}


def test_answers_are_cached_across_current_and_reference_and_descriptors(standin):
    current = pd.DataFrame({"t": ["I hate it", "fine"]})
    reference = pd.DataFrame({"t": ["fine", "I hate it", "refuse"]})
    category = DeclineLLMEval(base_url=standin.base_url, calls=FAST)
    renamed = DeclineLLMEval(base_url=standin.base_url, calls=FAST, display_name="Refusal")
    score = DeclineLLMEval(base_url=standin.base_url, include_score=True, calls=FAST, display_name="Scored")
    report = run_report(
        [ColumnSummaryMetric(column_name=d.on("t")) for d in (category, renamed, score)], current, reference
    )
    names = [m["result"]["column_name"] for m in report.as_dict()["metrics"]]
    assert names == ["Decline category", "Refusal category", "Scored score"]
    _, ref = report.datasets()
    assert (
        ref["Decline category"].tolist() == ["OK", "DECLINE", "DECLINE"] == ref["Refusal category"].tolist()
    )
    assert ref["Scored score"].tolist() == [0.1, 0.9, 0.9]
    # 3 distinct texts over both sides; the renamed judge asks the same; the scored one asks another prompt
    assert len(standin.requests) == 6


def test_failures_are_retried_with_backoff_and_bad_requests_are_not(standin):
    texts = pd.DataFrame({"t": ["FLAKY hate", "GARBLED", "ok"]})
    judge = ToxicityLLMEval(base_url=standin.base_url, calls=FAST)
    report = run_report([ColumnSummaryMetric(column_name=judge.on("t"))], texts)
    current, _ = report.datasets()
    assert current["Toxicity category"].tolist() == ["TOXICITY", "OK", "OK"]
    assert standin.seen["FLAKY hate"] == 3 and standin.seen["GARBLED"] == 2
    rejected = ToxicityLLMEval(base_url=standin.base_url, calls=FAST, display_name="Tox")
    report = run_report(
        [ColumnSummaryMetric(column_name=rejected.on("t"))], pd.DataFrame({"t": ["REJECT me"]})
    )
    error = report.as_dict()["metrics"][0]["error"]
    assert "HTTP 400" in error and "Tox" in error
    assert standin.seen["REJECT me"] == 1


def test_context_quality_reads_the_question_column_and_a_callable_client_works():
    seen = []

    def client(messages):
        seen.append(messages[-1]["content"])
        return '{"category": "VALID", "reasoning": "has it"}'

    frame = pd.DataFrame(
        {"context": ["Paris is the capital of France."], "q": ["What is the capital of France?"]}
    )
    judge = ContextQualityLLMEval(question="q", client=client)
    report = run_report([ColumnSummaryMetric(column_name=judge.on("context"))], frame)
    assert report.datasets()[0]["ContextQuality category"].tolist() == ["VALID"]
    assert "What is the capital of France?" in seen[0] and "Paris is the capital of France." in seen[0]


def test_custom_template_outputs_and_subcolumns(standin):
    template = BinaryClassificationPromptTemplate(
        criteria="Is it about {topic}?",
        target_category="ON",
        non_target_category="OFF",
        include_score=True,
        include_reasoning=True,
    )
    with pytest.raises(ConfigurationError, match="subcolumn"):
        LLMEval(template=template, base_url=standin.base_url).on("t")
    judge = LLMEval(
        template=template, subcolumn="score", base_url=standin.base_url, display_name="Topic", calls=FAST
    )
    frame = pd.DataFrame({"t": ["I hate rain", "sunny"], "topic": ["weather", "weather"]})
    report = run_report(
        [ColumnSummaryMetric(column_name=judge.on("t"))],
        frame,
    )
    assert report.as_dict()["metrics"][0]["result"]["column_name"] == "Topic score"
    current, _ = report.datasets()
    assert current["Topic category"].tolist() == ["ON", "OFF"] and current["Topic score"].tolist() == [
        0.9,
        0.1,
    ]
    assert "Is it about {topic}?" in standin.requests[0]["messages"][-1]["content"]
    with pytest.raises(ConfigurationError, match="no output"):
        PIILLMEval(include_category=False, base_url="http://127.0.0.1:1").on("t")


def test_a_judge_without_a_model_says_how_to_give_one(monkeypatch):
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(ConfigurationError, match="client=<callable messages -> text> or base_url="):
        run_report([ColumnSummaryMetric(column_name=PIILLMEval().on("t"))], pd.DataFrame({"t": ["x"]}))
