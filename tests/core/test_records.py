"""``@record`` behaves like ``@dataclass(frozen=True)`` (and ``@dataclass``), minus its cost.

Each check builds the same class body both ways and compares what the two do.
"""

from __future__ import annotations

import dataclasses
import math
import sys
from collections.abc import Callable
from dataclasses import field
from typing import Any

import pytest

from vessl_gui.core import errors, models, profiles, settings, timings, validation
from vessl_gui.core.records import record


def frozen_pair() -> tuple[type[Any], type[Any]]:
    def body() -> type[Any]:
        class Item:
            """An item."""

            name: str
            size: int
            note: str | None = None
            tags: tuple[str, ...] = field(default_factory=tuple)
            secret: str = field(default="", repr=False)
            seen: float = field(default=0.0, compare=False)

            @property
            def label(self) -> str:
                return f"{self.name}:{self.size}"

        return Item

    return record(body()), dataclasses.dataclass(frozen=True)(body())


CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    (("a", 1), {}),
    (("a", 1, "n", ("x",), "s", 2.5), {}),
    (("a",), {"size": 2}),
    ((), {"name": "b", "size": 3, "secret": "t"}),
    (("a", 1), {"tags": ("p", "q"), "seen": 9.0}),
]

BAD_CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((), {}),
    (("a",), {}),
    (("a", 1, "n", (), "s", 2.5, "extra"), {}),
    (("a", 1), {"nope": 1}),
    (("a", 1), {"name": "again"}),
]


@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_instances_match_a_frozen_dataclass(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    rec_cls, dc_cls = frozen_pair()
    rec, dc = rec_cls(*args, **kwargs), dc_cls(*args, **kwargs)
    assert repr(rec).replace("Item", "X") == repr(dc).replace("Item", "X")
    assert "secret" not in repr(rec)
    assert dataclasses.asdict(rec) == dataclasses.asdict(dc)
    assert dataclasses.astuple(rec) == dataclasses.astuple(dc)
    assert [f.name for f in dataclasses.fields(rec)] == [f.name for f in dataclasses.fields(dc)]
    assert rec.label == dc.label
    assert rec == rec_cls(*args, **kwargs) and hash(rec) == hash(rec_cls(*args, **kwargs))
    assert hash(rec) == hash(dc)  # the same tuple of compared fields
    assert rec != dc  # another class: not equal, as dataclasses
    changed = dataclasses.replace(rec, size=99)
    assert changed.size == 99 and changed.name == rec.name and changed != rec
    assert rec_cls.__match_args__ == dc_cls.__match_args__
    assert dataclasses.is_dataclass(rec) and dataclasses.is_dataclass(rec_cls)


@pytest.mark.parametrize(("args", "kwargs"), BAD_CALLS)
def test_bad_calls_raise_type_error_as_a_dataclass_does(
    args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    rec_cls, dc_cls = frozen_pair()
    with pytest.raises(TypeError):
        dc_cls(*args, **kwargs)
    with pytest.raises(TypeError, match=r"Item\.__init__\(\)"):
        rec_cls(*args, **kwargs)


def test_compare_false_fields_and_nan_follow_tuple_equality() -> None:
    rec_cls, dc_cls = frozen_pair()
    assert rec_cls("a", 1, seen=1.0) == rec_cls("a", 1, seen=2.0)  # compare=False
    nan = math.nan
    assert rec_cls(str(nan), 1, note=None) == rec_cls(str(nan), 1)
    same = (nan,)
    assert (rec_cls("a", 1, tags=same) == rec_cls("a", 1, tags=same)) == (
        dc_cls("a", 1, tags=same) == dc_cls("a", 1, tags=same)
    )


def test_frozen_assignment_and_deletion_raise() -> None:
    rec_cls, _ = frozen_pair()
    item = rec_cls("a", 1)
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'size'"):
        item.size = 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.other = 2  # no new attributes either
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'name'"):
        del item.name
    assert item.size == 1


def test_default_factory_runs_per_instance() -> None:
    @record(frozen=False)
    class Bag:
        items: list[int] = field(default_factory=list)
        later: list[int] = field(default_factory=list, init=False)

    one, two = Bag(), Bag()
    one.items.append(1)
    one.later.append(2)
    assert two.items == [] and two.later == []
    assert Bag([5]).items == [5]
    with pytest.raises(TypeError):
        Bag(later=[1])  # init=False: not a parameter


def test_mutable_records_assign_compare_and_are_unhashable() -> None:
    @record(frozen=False)
    class Box:
        value: int
        label: str = "x"

    box = Box(1)
    box.value = 2
    assert box == Box(2) and box != Box(2, "y")
    assert (
        repr(box)
        == "test_mutable_records_assign_compare_and_are_unhashable.<locals>.Box(value=2, label='x')"
    )
    with pytest.raises(TypeError):
        hash(box)

    @record(frozen=False, eq=False)
    class Job:
        kind: str

    a = Job("v")
    assert a != Job("v") and a == a and {a: 1}[a] == 1  # identity, hashable


@pytest.mark.parametrize(
    "extra",
    [
        "def __post_init__(self) -> None: pass",
        "__slots__ = ('b',)",
        "def __eq__(self, other: object) -> bool: return True",
    ],
)
def test_unsupported_class_bodies_are_refused(extra: str) -> None:
    namespace: dict[str, Any] = {}
    exec(f"class C:\n    a: int = 0\n    {extra}\n", namespace)
    with pytest.raises(TypeError, match="@record"):
        record(namespace["C"])


def test_a_dataclass_base_is_refused() -> None:
    @dataclasses.dataclass(frozen=True)
    class Base:
        a: int = 0

    class Child(Base):
        b: int = 1

    with pytest.raises(TypeError, match="base class"):
        record(Child)


@pytest.mark.parametrize(
    "cls",
    [
        errors.FieldError,
        models.HistoryEntry,
        models.HistorySummary,
        models.AsyncRequest,
        models.ClientConfig,
        profiles.Profile,
        settings.AppSettings,
        timings.Timings,
        validation.ValidDraft,
    ],
)
def test_the_records_a_first_frame_needs_are_records(cls: type[Any]) -> None:
    init: Callable[..., None] = cls.__init__
    assert init.__code__.co_filename.endswith("records.py"), cls  # no generated code
    assert dataclasses.is_dataclass(cls)


def test_defining_a_record_compiles_no_code() -> None:
    """What the module is for: @dataclass compiles generated source, @record does not."""
    compiled: list[object] = []
    recording = [False]

    def hook(event: str, args: tuple[object, ...]) -> None:
        if recording[0] and event == "compile":
            compiled.append(args[0])

    sys.addaudithook(hook)  # stays for the process; records only in this test

    def body() -> type[Any]:
        class C:
            """A class with a docstring (else dataclass() parses a signature for one)."""

            a: int
            b: str = "x"
            c: tuple[int, ...] = field(default_factory=tuple)

        return C

    recording[0] = True
    try:
        record(body())
        record(frozen=False)(body())
        assert compiled == []
        dataclasses.dataclass(frozen=True)(body())
        assert len(compiled) >= 5  # __init__, __repr__, __eq__, __hash__, __setattr__, ...
    finally:
        recording[0] = False
