"""LLM judges: a prompt template that asks a model to classify each text, with Evidently's ready judges.

``LLMEval(template=BinaryClassificationPromptTemplate(...))`` renders one chat request per row and reads
a JSON answer with a category, optionally a score and a reasoning: up to three output columns named
"<name> category", "<name> score" and "<name> reasoning". ``.on(column)`` names the score column when
``include_score`` is set, else the category column; every output is computed and kept.

The model is yours: ``client`` is a callable ``messages -> answer text`` (``messages`` is a list of
``{"role", "content"}`` dicts), or ``base_url`` names an OpenAI-compatible endpoint (e.g.
``http://127.0.0.1:8000/v1``; also read from ``OPENAI_BASE_URL``; the key from ``OPENAI_API_KEY``).
Requests are cached by their content within a run, sent by ``calls.max_concurrency`` workers, and
retried with backoff on transport errors, HTTP 408/409/429/5xx and unreadable answers.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Literal

import pandas as pd
from pydantic import Field

from monitorflow._types import ColumnName, ColumnReader
from monitorflow.config import Config
from monitorflow.descriptors.base import Descriptor
from monitorflow.descriptors.calls import CallPolicy, PermanentCallError, cached_calls, one_by_one
from monitorflow.descriptors.text import as_text
from monitorflow.errors import ConfigurationError

Messages = list[dict[str, str]]

RETRYABLE_STATUS = {408, 409, 429}


class OpenAIChat:
    """A minimal OpenAI-compatible chat client (``POST {base_url}/chat/completions``), standard library
    only."""

    def __init__(self, base_url: str, model: str, api_key: str | None = None, timeout_s: float = 60):
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.api_key = api_key or os.environ.get("OPENAI_API_KEY") or "none"
        self.timeout_s = timeout_s

    def __call__(self, messages: Messages) -> str:
        import urllib.error  # lazy: the http stack costs ~0.1 s
        import urllib.request  # lazy: the http stack costs ~0.1 s

        body = json.dumps({"model": self.model, "messages": messages}).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.api_key}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                answer = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode(errors="replace")
            if exc.code < 500 and exc.code not in RETRYABLE_STATUS:
                raise PermanentCallError(f"HTTP {exc.code} from {self.url}: {detail}") from exc
            raise
        content = answer["choices"][0]["message"]["content"]
        if content is None:
            raise ValueError(f"{self.url} answered without content")
        return content


class BinaryClassificationPromptTemplate(Config):
    """A judge prompt: classify a text as ``target_category`` or ``non_target_category`` by ``criteria``.

    ``criteria`` may name placeholders such as ``{question}`` (filled from ``LLMEval.additional_columns``).
    """

    criteria: str = ""
    target_category: str
    non_target_category: str
    uncertainty: Literal["unknown", "target", "non_target"] = "unknown"
    include_category: bool = True
    include_reasoning: bool = False
    include_score: bool = False
    score_range: tuple[float, float] = (0.0, 1.0)
    anchor_start: str = "___text_starts_here___"
    anchor_end: str = "___text_ends_here___"
    output_column: str = "category"
    output_score_column: str = "score"
    output_reasoning_column: str = "reasoning"
    #: Messages before the request, as (role, text) pairs, e.g. [("system", "You are a judge.")].
    pre_messages: list[tuple[str, str]] = Field(default_factory=list)

    def outputs(self) -> dict[str, str]:
        """Output key -> column type, in Evidently's order."""
        columns = {self.output_column: "cat"} if self.include_category else {}
        if self.include_score:
            columns[self.output_score_column] = "num"
        if self.include_reasoning:
            columns[self.output_reasoning_column] = "text"
        return columns

    def _unsure(self) -> str:
        return {"unknown": "UNKNOWN", "target": self.target_category, "non_target": self.non_target_category}[
            self.uncertainty
        ]

    def render(self, row: Mapping[str, Any]) -> Messages:
        """The chat messages judging one row (``row["input"]`` is the text)."""
        target, other = self.target_category, self.non_target_category
        criteria = re.sub(r"\{(\w+)\}", lambda m: str(row.get(m.group(1), m.group(0))), self.criteria)
        lines = [
            criteria,
            f"Classify the text between {self.anchor_start} and {self.anchor_end} as {target} or {other}.",
            self.anchor_start,
            str(row["input"]),
            self.anchor_end,
        ]
        keys: dict[str, str] = {}
        if self.include_category:
            choices = f"{target} or {other}" + (" or UNKNOWN" if self.uncertainty == "unknown" else "")
            lines += [
                f"{target}: the text is {target.lower()} by the criteria above.",
                f"{other}: the text is {other.lower()} by the criteria above.",
                f"{self._unsure()}: only when the text does not give enough to decide.",
            ]
            keys[self.output_column] = choices
        if self.include_score:
            low, high = self.score_range
            lines.append(f"Score the text from {low} (surely {other}) to {high} (surely {target}).")
            keys[self.output_score_column] = "<number>"
        if self.include_reasoning:
            keys[self.output_reasoning_column] = "<one or two sentences>"
        lines.append("Think step by step, then answer with one JSON object and nothing else, with the keys:")
        lines.append(json.dumps(keys))
        messages = [{"role": role, "content": text} for role, text in self.pre_messages]
        return [*messages, {"role": "user", "content": "\n".join(lines)}]


def parse_answer(text: str, keys: list[str]) -> dict[str, Any]:
    """The JSON object of an answer (code fences and text around it are ignored)."""
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise ValueError(f"the answer holds no JSON object: {text[:200]!r}")
    value = json.loads(text[start : end + 1])
    if not isinstance(value, dict):
        raise ValueError(f"the answer is not a JSON object: {text[:200]!r}")
    return {k: value.get(k) for k in keys}


class _LLMJudge(Descriptor):
    """What every LLM judge shares: the model, the inputs, the calls and the output columns."""

    name: ClassVar[str] = "LLMEval"
    provider: str = "openai"
    model: str = "gpt-4o-mini"
    #: Other columns the prompt uses: column -> placeholder in the criteria.
    additional_columns: dict[str, str] | None = None
    base_url: str | None = None
    client: Callable[[Messages], str] | None = Field(None, exclude=True)
    api_key: str | None = Field(None, exclude=True, repr=False)
    calls: CallPolicy = Field(default_factory=CallPolicy)

    def get_template(self) -> BinaryClassificationPromptTemplate:
        raise NotImplementedError

    def default_subcolumn(self) -> str:
        raise NotImplementedError

    def _prefix(self) -> str:
        return self.display_name or self.name

    def outputs(self, column: ColumnName | None) -> dict[str, str]:
        outputs = self.get_template().outputs()
        if not outputs:
            raise ConfigurationError(
                f"{self.type_name} has no output: include a category, a score or a reasoning"
            )
        return {f"{self._prefix()} {key}": kind for key, kind in outputs.items()}

    def main_output(self, column: ColumnName | None) -> str:
        outputs = self.get_template().outputs()
        wanted = self.default_subcolumn()
        if wanted not in outputs:
            raise ConfigurationError(f"{self.type_name} has no output {wanted!r}; it has {list(outputs)}")
        return f"{self._prefix()} {wanted}"

    def input_columns(self, column: ColumnName | None) -> dict[Any, str]:
        return {column: "input", **(self.additional_columns or {})}

    def sources(self, column: ColumnName | None) -> tuple[ColumnName, ...]:
        return tuple(self.input_columns(column))

    def _chat(self) -> Callable[[Messages], str]:
        if self.client is not None:
            return self.client
        base_url = self.base_url or os.environ.get("OPENAI_BASE_URL")
        if not base_url:
            raise ConfigurationError(
                f"{self.type_name} needs a model: pass client=<callable messages -> text> or "
                "base_url='http://host:port/v1' (an OpenAI-compatible endpoint), or set OPENAI_BASE_URL",
                argument="client",
            )
        return OpenAIChat(base_url, self.model, self.api_key)

    def compute(self, data: ColumnReader, column: ColumnName | None) -> Mapping[str, pd.Series]:
        template = self.get_template()
        types = template.outputs()
        inputs = {
            placeholder: data.column(c).tolist() for c, placeholder in self.input_columns(column).items()
        }
        rows = [dict(zip(inputs, values, strict=True)) for values in zip(*inputs.values(), strict=True)]
        asked = [
            i for i, row in enumerate(rows) if as_text(row["input"]) is not None
        ]  # a missing text: no call
        chat = self._chat()

        def judge(messages: Messages) -> dict[str, Any]:
            return parse_answer(chat(messages), list(types))

        requests = [template.render({k: as_text(v) for k, v in rows[i].items()}) for i in asked]
        # equal requests to the same model are one call, whichever judge makes them
        caller = (
            f"llm:{self.model}:{self.base_url or os.environ.get('OPENAI_BASE_URL', '')}:{id(self.client)}"
        )
        single = self.calls.model_copy(update={"batch_size": 1})  # a chat request judges one text
        answers = cached_calls(
            one_by_one(judge), requests, cache=data.shared, caller=caller, policy=single, what=self._prefix()
        )
        columns: dict[str, pd.Series] = {}
        for key, kind in types.items():
            values: list[Any] = [None] * len(rows)
            for i, answer in zip(asked, answers, strict=True):
                values[i] = answer[key]
            series = pd.Series(values, dtype=object)
            columns[f"{self._prefix()} {key}"] = (
                pd.to_numeric(series, errors="coerce") if kind == "num" else series
            )
        return columns


class LLMEval(_LLMJudge):
    """An LLM judge of each text with your ``template``; ``subcolumn`` picks the output ``.on()`` names."""

    template: BinaryClassificationPromptTemplate
    subcolumn: str | None = None

    def get_template(self) -> BinaryClassificationPromptTemplate:
        return self.template

    def default_subcolumn(self) -> str:
        outputs = list(self.template.outputs())
        if self.subcolumn is not None:
            return self.subcolumn
        if len(outputs) != 1:
            raise ConfigurationError(
                f"LLMEval has several outputs {outputs}; choose one with subcolumn=...", argument="subcolumn"
            )
        return outputs[0]


class BinaryClassificationLLMEval(_LLMJudge):
    """A ready judge: its ``prompt`` is fixed; the ``include_*`` and ``uncertainty`` options adjust it.

    ``.on(column)`` names the score column when ``include_score`` is set, else the category column.
    """

    prompt: ClassVar[BinaryClassificationPromptTemplate]
    include_category: bool | None = None
    include_score: bool | None = None
    include_reasoning: bool | None = None
    uncertainty: Literal["unknown", "target", "non_target"] | None = None

    def get_template(self) -> BinaryClassificationPromptTemplate:
        update = {
            k: getattr(self, k)
            for k in ("include_category", "include_score", "include_reasoning", "uncertainty")
            if getattr(self, k) is not None
        }
        return self.prompt.model_copy(update=update)

    def default_subcolumn(self) -> str:
        template = self.get_template()
        return template.output_score_column if template.include_score else template.output_column


_JUDGE = [("system", "You are a judge which evaluates text.")]
_EXPERT = [("system", "You are an impartial expert evaluator. You will be given a text to evaluate.")]


def _judge(
    target: str, other: str, criteria: str, pre: list[tuple[str, str]]
) -> BinaryClassificationPromptTemplate:
    return BinaryClassificationPromptTemplate(
        criteria=criteria,
        target_category=target,
        non_target_category=other,
        uncertainty="unknown",
        include_reasoning=True,
        pre_messages=pre,
    )


class NegativityLLMEval(BinaryClassificationLLMEval):
    """NEGATIVE (critical, pessimistic or cynical tone) or POSITIVE."""

    name: ClassVar[str] = "Negativity"
    prompt: ClassVar[BinaryClassificationPromptTemplate] = _judge(
        "NEGATIVE",
        "POSITIVE",
        'A "NEGATIVE" text dwells on faults, problems and what is missing, in a critical, pessimistic or '
        "cynical tone, more than on strengths or solutions, and would leave a reader with a worse view.",
        _JUDGE,
    )


class PIILLMEval(BinaryClassificationLLMEval):
    """PII (personally identifiable information) or OK."""

    name: ClassVar[str] = "PII"
    prompt: ClassVar[BinaryClassificationPromptTemplate] = _judge(
        "PII",
        "OK",
        "Personally identifiable information (PII) identifies a person, alone or combined with other data: "
        "direct identifiers such as a name with an address, an e-mail, a phone, passport or account "
        "number, and quasi-identifiers such as a birth date, an exact location or an ethnicity that "
        "together single a person out.",
        _JUDGE,
    )


class DeclineLLMEval(BinaryClassificationLLMEval):
    """DECLINE (a refusal to help) or OK."""

    name: ClassVar[str] = "Decline"
    prompt: ClassVar[BinaryClassificationPromptTemplate] = _judge(
        "DECLINE",
        "OK",
        'A "DECLINE" is a refusal, however polite, to give the help, service or answer that was asked for.',
        _JUDGE,
    )


class BiasLLMEval(BinaryClassificationLLMEval):
    """BIAS (prejudice for or against a person or group) or OK."""

    name: ClassVar[str] = "Bias"
    prompt: ClassVar[BinaryClassificationPromptTemplate] = _judge(
        "BIAS",
        "OK",
        'A "BIAS" text shows prejudice for or against a person or a group (by gender, race, religion, '
        "age, origin or similar), with unfair generalisations or stereotypes.",
        _EXPERT,
    )


class ToxicityLLMEval(BinaryClassificationLLMEval):
    """TOXICITY (harmful, offensive or demeaning language) or OK."""

    name: ClassVar[str] = "Toxicity"
    prompt: ClassVar[BinaryClassificationPromptTemplate] = _judge(
        "TOXICITY",
        "OK",
        'A "TOXICITY" text is harmful, offensive, insulting or demeaning towards people.',
        _EXPERT,
    )


class ContextQualityLLMEval(BinaryClassificationLLMEval):
    """VALID (the text holds what is needed to answer ``question``, a column) or INVALID; use
    ``.on(context)``."""

    name: ClassVar[str] = "ContextQuality"
    question: str
    prompt: ClassVar[BinaryClassificationPromptTemplate] = _judge(
        "VALID",
        "INVALID",
        'A "VALID" text gives enough consistent information to answer the QUESTION below fully (it may '
        'say more); an "INVALID" one misses what is needed or contradicts itself.\n'
        "-----question_starts-----\n{question}\n-----question_ends-----",
        _JUDGE,
    )

    def input_columns(self, column: ColumnName | None) -> dict[Any, str]:
        return {**super().input_columns(column), self.question: "question"}
