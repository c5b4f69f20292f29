"""Tests of a TestSuite: a value, a condition (given, or derived from the reference), a status."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, PrivateAttr

from monitorflow._types import Float
from monitorflow.conditions import ApproxValue, Bound, TestValueCondition, approx
from monitorflow.config import Config
from monitorflow.context import ReferenceRequired, Side
from monitorflow.errors import ColumnNotFoundError, MonitoringError
from monitorflow.records import TestResult, TestStatus

if TYPE_CHECKING:
    from monitorflow.column_mapping import DataDefinition
    from monitorflow.context import RunContext

CONDITION_FIELDS = ("eq", "not_eq", "gt", "gte", "lt", "lte", "is_in", "not_in")

#: Every test class by its stable type name (the class name), filled at import.
TESTS: dict[str, type[Test]] = {}


class Outcome(BaseModel):
    status: TestStatus
    description: str
    parameters: dict[str, Any] = {}


class Test(Config):
    """Base of every test. Subclasses implement ``check(ctx) -> Outcome``."""

    __test__ = False
    keyword_only: ClassVar[frozenset[str]] = frozenset({"is_critical", *CONDITION_FIELDS})
    name: ClassVar[str] = ""
    group: ClassVar[str] = "data_quality"

    is_critical: bool = True
    _result: Any = PrivateAttr(default=None)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if cls.__name__.startswith("Test"):
            TESTS[cls.__name__] = cls

    def get_id(self) -> str:
        return self.type_name

    def get_fingerprint(self) -> str:
        return self.fingerprint

    def get_result(self) -> TestResult:
        """This test's result in the suite it last ran in."""
        if self._result is None:
            raise MonitoringError(f"{self.type_name} has no result yet: run a TestSuite with it first")
        return self._result

    def groups(self) -> dict[str, str]:
        return {"test_group": self.group}

    def get_groups(self) -> dict[str, str]:
        """The groups this test is shown under: its column (``by_feature``), test group and type (name)."""
        column = getattr(self, "column_name", None)
        by_feature = {} if column is None else {"by_feature": str(column)}
        return {**by_feature, **self.groups(), "test_group": self.group, "test_type": self.name}

    def check(self, ctx: RunContext) -> Outcome:
        raise NotImplementedError

    def run(self, ctx: RunContext) -> TestResult:
        """Check, turning failures of the computation into ERROR and non-critical FAILs into WARNING."""
        try:
            outcome = self.check(ctx)
        except ColumnNotFoundError as exc:
            # The error a Report raises for the same column, naming this test rather than a metric it
            # reads through; the suite goes on (a test never stops the suite).
            column = getattr(self, "column_name", None)
            where = (
                f"{self.type_name}.column_name" if column is not None and exc.column == column else exc.where
            )
            error = ColumnNotFoundError(exc.column, where, exc.dataset, exc.available)
            outcome = Outcome(
                status=TestStatus.ERROR, description=str(error), parameters={"error": "ColumnNotFoundError"}
            )
        except ReferenceRequired as exc:
            outcome = Outcome(status=TestStatus.ERROR, description=str(exc))
        except Exception as exc:  # a test never stops the suite: its error is its result
            outcome = Outcome(
                status=TestStatus.ERROR, description=f"Test failed with {type(exc).__name__}: {exc}"
            )
        status = outcome.status
        if status == TestStatus.FAIL and not self.is_critical:
            status = TestStatus.WARNING
        self._result = TestResult(
            id=self.fingerprint,
            type=self.type_name,
            name=self.name or self.type_name,
            description=outcome.description,
            status=status,
            group=self.group,
            parameters={**self.params(), **outcome.parameters},
        )
        return self._result


ReferenceRule = Callable[[float, "RunContext"], TestValueCondition]
DefaultRule = Callable[["RunContext"], TestValueCondition]


class ConditionTest(Test):
    """A test of one number against a condition.

    The condition is the one given (``eq``, ``lte``...), else ``reference_rule`` applied to the same
    number measured on the reference, else ``default_rule``; a test with neither needs a reference
    or an explicit condition and is ERROR without them.
    """

    eq: Bound | None = None
    not_eq: Bound | None = None
    gt: Bound | None = None
    gte: Bound | None = None
    lt: Bound | None = None
    lte: Bound | None = None
    is_in: list[Any] | None = None
    not_in: list[Any] | None = None

    reference_rule: ClassVar[ReferenceRule | None] = None
    default_rule: ClassVar[DefaultRule | None] = None

    def measure(self, ctx: RunContext, side: Side) -> float:
        """The tested number on one side."""
        raise NotImplementedError

    def what(self) -> str:
        """The tested number in words, e.g. "share of missing values in column 'age'"."""
        return self.name.lower()

    @property
    def condition(self) -> TestValueCondition:
        """The condition given (Evidently's attribute; not set when none was given)."""
        return TestValueCondition(**{f: getattr(self, f) for f in CONDITION_FIELDS})

    def default_condition(self, ctx: RunContext) -> tuple[TestValueCondition, float | None]:
        """The reference-derived condition (and the reference value), or the no-reference default."""
        rule = type(self).reference_rule
        if ctx.has_reference and rule is not None:
            reference = self.measure(ctx, "reference")
            return rule(reference, ctx), reference
        fallback = type(self).default_rule
        if fallback is None:
            needs = "reference_data or an explicit condition (e.g. gte=..., lte=...)"
            raise ReferenceRequired(f"{self.what()}: {needs} is needed to test it")
        return fallback(ctx), None

    def check(self, ctx: RunContext) -> Outcome:
        value = self.measure(ctx, "current")
        if _is_nan(value):
            return Outcome(
                status=TestStatus.ERROR,
                description=f"{self.what()} is undefined (NaN) on current_data: there are no values to "
                "measure",
                parameters={"value": None},
            )
        condition, reference = self.condition, None
        if not condition.is_set():
            condition, reference = self.default_condition(ctx)
            if _is_nan(reference):
                return Outcome(
                    status=TestStatus.ERROR,
                    description=(
                        f"{self.what()} is undefined (NaN) on reference_data, so no condition can be derived "
                        "from it; give an explicit condition (e.g. lte=...)"
                    ),
                    parameters={"value": _json_number(value), "reference_value": None},
                )
        passed = condition.check(value)
        parameters: dict[str, Any] = {
            "condition": condition.model_dump(mode="json", exclude_none=True),
            "value": _json_number(value),
        }
        if reference is not None:
            parameters["reference_value"] = _json_number(reference)
        return Outcome(
            status=TestStatus.SUCCESS if passed else TestStatus.FAIL,
            description=f"{self.what()} {condition.in_words(value)}",
            parameters=parameters,
        )


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _json_number(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# ------------------------------------------------------------------- default-condition rules


def row_ratio(ctx: RunContext) -> float:
    """Rows of current per row of reference: scales counts of bad things."""
    return ctx.number_of_rows("current") / ctx.number_of_rows("reference")


def near_reference(relative: float = 0.1) -> ReferenceRule:
    """``eq approx(reference, relative)``: two-sided, for statistics that should stay put."""
    return lambda reference, ctx: TestValueCondition(eq=approx(reference, relative=relative))


def at_most_reference(relative: float = 0.1, per_row: bool = False) -> ReferenceRule:
    """``lte approx(reference [x row ratio], relative)``: one-sided, for counts of bad things."""

    def rule(reference: float, ctx: RunContext) -> TestValueCondition:
        scaled = reference * row_ratio(ctx) if per_row else reference
        return TestValueCondition(lte=approx(scaled, relative=relative))

    return rule


def at_least_reference(relative: float = 0.1) -> ReferenceRule:
    """``gte approx(reference, relative)``: one-sided, for scores where higher is better."""
    return lambda reference, ctx: TestValueCondition(gte=approx(reference, relative=relative))


def fixed(**condition: Bound) -> DefaultRule:
    """A constant condition, for tests without reference."""
    return lambda ctx: TestValueCondition(**condition)


def equal_to_reference(reference: float, ctx: RunContext) -> TestValueCondition:
    return TestValueCondition(eq=reference)


def not_below_reference(reference: float, ctx: RunContext) -> TestValueCondition:
    return TestValueCondition(gte=reference)


def not_above_reference(reference: float, ctx: RunContext) -> TestValueCondition:
    return TestValueCondition(lte=reference)


def test_entry(test: Test | None, result: TestResult) -> dict[str, Any]:
    """The test's entry in ``TestSuite.as_dict()``; a custom renderer registered for its class wins."""
    if test is not None:
        from monitorflow.renderers.base_renderer import find_renderer  # lazy: loads the HTML layer

        renderer = find_renderer(test)
        if renderer is not None:
            return renderer.render_json(test)
    return result.model_dump(mode="python", include={"name", "description", "status", "group", "parameters"})


class TestPreset(Config):
    """A named bundle of tests, expanded against the data definition at run time."""

    __test__ = False
    #: One test per column of a kind (Evidently's generators, ``TestAll*``, ``TestNumColumns*``, ...): a
    #: suite lists their tests after the plain tests and the presets' (Evidently's order).
    generator: ClassVar[bool] = False

    def generate_tests(self, definition: DataDefinition) -> list[Test]:
        raise NotImplementedError


class TestGenerator(TestPreset):
    """A preset of one test per column of a kind (Evidently's ``BaseGenerator``)."""

    generator: ClassVar[bool] = True

    def generate(self, data_definition: DataDefinition) -> list[Test]:
        """The tests this generator makes for these columns (Evidently's name of
        :meth:`generate_tests`)."""
        return self.generate_tests(data_definition)


__all__ = [
    "ApproxValue",
    "ConditionTest",
    "Float",
    "Outcome",
    "Test",
    "TestPreset",
    "TestResult",
    "TestGenerator",
    "TestStatus",
    "approx",
]
