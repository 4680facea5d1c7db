"""The one pydantic-error formatter: a refused object becomes `FIELD: problem`, with the spelling each reader asks."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator
from pydantic_core import ErrorDetails

from regledger.adapters.errors import (
    InputError,
    counted,
    dotted,
    field_problem,
    problem,
    pydantic_message,
    validated,
)


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reliability: Literal["official", "statement"]
    citation: str | None = None


class Listed(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["listed"]
    key: str
    sources: list[Source] = Field(min_length=1)
    note: str | None = None

    @field_validator("key")
    @classmethod
    def _lowercase(cls, value: str) -> str:
        if value != value.lower():
            msg = f"{value!r} is not a key"
            raise ValueError(msg)
        return value


class Delisted(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["delisted"]
    key: str


ACTION: TypeAdapter[Listed | Delisted] = TypeAdapter(Annotated[Listed | Delisted, Field(discriminator="kind")])
GOOD = {"kind": "listed", "key": "huawei", "sources": [{"reliability": "official"}]}


def _refusal(data: dict[str, Any], adapter: TypeAdapter[Any] = ACTION) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        adapter.validate_python(data)
    return caught.value


@pytest.mark.parametrize(("data", "expected"), [
    ({**GOOD, "sources": [*GOOD["sources"], {}]}, "sources[2].reliability: missing (required)"),
    ({**GOOD, "kye": "x"}, "kye: unknown field"),
    ({**GOOD, "key": "Huawei"}, "key: 'Huawei' is not a key"),
    ({**GOOD, "sources": [{"reliability": "rumour"}]},
     "sources[1].reliability: Input should be 'official' or 'statement'"),
    ({"kind": "listed", "key": "huawei"}, "sources: missing (required)"),
])
def test_a_problem_names_its_field_after_the_union_tag_with_list_positions_from_one(data: dict[str, Any],
                                                                                     expected: str) -> None:
    assert field_problem(_refusal(data), whole="action", skip=1) == expected


def test_a_problem_with_the_whole_object_is_named_by_the_word_for_it() -> None:
    refusal = _refusal(["not", "a", "mapping"])  # type: ignore[arg-type]

    assert field_problem(refusal, whole="action").startswith("action: Input should be a valid dictionary")
    assert field_problem(refusal).startswith(": Input should be")


def test_paths_are_spelt_as_the_reader_asks() -> None:
    refusal = _refusal({**GOOD, "sources": [*GOOD["sources"], {"reliability": "official", "citation": 5}]})

    assert field_problem(refusal, skip=1) == "sources[2].citation: Input should be a valid string"
    assert field_problem(refusal, skip=1, spell=dotted) == "sources.1.citation: Input should be a valid string"
    assert field_problem(refusal) == "listed.sources[2].citation: Input should be a valid string"
    assert field_problem(refusal, spell=lambda path: str(path[-1])) == "citation: Input should be a valid string"


def test_the_problem_is_worded_as_the_reader_asks() -> None:
    missing, invalid = _refusal({"kind": "delisted"}), _refusal({**GOOD, "key": "Huawei"})

    assert field_problem(missing, skip=1, explain=pydantic_message) == "key: Field required"
    assert field_problem(invalid, skip=1, explain=lambda detail: detail["msg"]) == (
        "key: Value error, 'Huawei' is not a key")
    assert field_problem(invalid, skip=1, explain=lambda detail: detail["type"]) == "key: value_error"


def test_only_the_first_problem_is_named() -> None:
    refusal = _refusal({"kind": "listed", "key": 5, "sources": []})

    assert len(refusal.errors()) == 2
    assert field_problem(refusal, skip=1) == "key: Input should be a valid string"


@pytest.mark.parametrize(("path", "as_counted", "as_dotted"), [
    ((), "", ""),
    (("sources",), "sources", "sources"),
    (("sources", 0, "citation"), "sources[1].citation", "sources.0.citation"),
    ((2, "name"), "[3].name", "2.name"),
    (("details", "policy", 0, 1), "details.policy[1][2]", "details.policy.0.1"),
])
def test_counted_and_dotted_spell_a_path(path: tuple[int | str, ...], as_counted: str, as_dotted: str) -> None:
    assert (counted(path), dotted(path)) == (as_counted, as_dotted)


def _detail(kind: str, message: str) -> ErrorDetails:
    return {"type": kind, "loc": ("x",), "msg": message, "input": None}


@pytest.mark.parametrize(("kind", "message", "worded"), [
    ("missing", "Field required", "missing (required)"),
    ("extra_forbidden", "Extra inputs are not permitted", "unknown field"),
    ("value_error", "Value error, 'X' is not a key", "'X' is not a key"),
    ("string_type", "Input should be a valid string", "Input should be a valid string"),
])
def test_problem_words_pydantic_in_the_ledgers_words(kind: str, message: str, worded: str) -> None:
    assert problem(_detail(kind, message)) == worded


def test_validated_returns_what_validates_and_refuses_the_rest_as_an_input_error() -> None:
    assert validated("f.yaml: action 1", ACTION.validate_python, GOOD) == ACTION.validate_python(GOOD)

    with pytest.raises(InputError) as refused:
        validated("f.yaml: action 2", ACTION.validate_python, {"kind": "delisted"}, whole="action", skip=1)

    assert str(refused.value) == "f.yaml: action 2: key: missing (required)"
    assert refused.value.__suppress_context__
