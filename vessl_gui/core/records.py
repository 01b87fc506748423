"""``@record``: a frozen dataclass that is cheap to define.

``@dataclass(frozen=True)`` writes the source of six methods per class and
compiles it when the class is defined: ~0.5-1.7 ms a class, ~15 ms for the
records a window's first frame needs (tests/benchmarks B1).  ``@record``
makes the same kind of class with methods written once, here: the class is
still a dataclass (``dataclasses.fields``, ``replace``, ``asdict`` and
``astuple`` work; mypy and ``dataclass_transform`` see a frozen dataclass), and
its instances behave like a frozen dataclass's:

* ``__init__`` takes the fields positionally or by name, in order, with their
  defaults and ``default_factory``; a wrong call raises ``TypeError``;
* ``__repr__`` is ``Name(a=1, b='x')`` without the fields marked
  ``field(repr=False)``;
* ``==`` compares the ``compare`` fields of two instances of the same class;
  ``hash`` hashes them;
* assigning or deleting an attribute raises
  :class:`dataclasses.FrozenInstanceError`.

Only for plain classes: no base class with fields, no ``__post_init__``, no
``InitVar``, no ``__slots__`` (each is refused with ``TypeError``).
"""

from __future__ import annotations

import dataclasses
import operator
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, overload

_T = TypeVar("_T")
_F = TypeVar("_F")

if TYPE_CHECKING:  # mypy's own stubs have it for every Python version
    from typing_extensions import dataclass_transform
elif sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # Python 3.10: the marker is for type checkers only

    def dataclass_transform(**_kwargs: Any) -> Callable[[_F], _F]:
        return lambda f: f


_MISSING: Any = dataclasses.MISSING
_OWN = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")


@overload
def record(cls: type[_T], /) -> type[_T]: ...
@overload
def record(*, frozen: bool = True, eq: bool = True) -> Callable[[type[_T]], type[_T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: type[_T] | None = None, /, *, frozen: bool = True, eq: bool = True) -> Any:
    """Make ``cls`` a frozen dataclass (see the module's docstring).

    ``@record(frozen=False)``: a mutable one, like ``@dataclass``: assignable, and
    unhashable (``__hash__`` is None); ``eq=False``: compared (and hashed) by identity.
    """
    if cls is None:
        return lambda c: _make(c, frozen, eq)
    return _make(cls, frozen, eq)


def _make(cls: type[_T], frozen: bool, eq: bool) -> type[_T]:
    for name in (*_OWN, "__post_init__", "__slots__"):
        if name in cls.__dict__:
            raise TypeError(f"@record {cls.__qualname__} defines {name}")
    if any(dataclasses.is_dataclass(base) for base in cls.__mro__[1:]):
        raise TypeError(f"@record {cls.__qualname__}: a base class is a dataclass")
    # The field bookkeeping only: with these flags dataclass() generates no code.
    cls = dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]  # it is one now
    if any(f.type == "InitVar" or str(f.type).startswith("InitVar[") for f in fields):
        raise TypeError(f"@record {cls.__qualname__}: InitVar is not supported")
    _install(cls, fields, frozen, eq)
    return cls


def _install(
    cls: type[Any], fields: tuple[dataclasses.Field[Any], ...], frozen: bool, eq: bool
) -> None:
    qualname = cls.__qualname__
    names = tuple(f.name for f in fields if f.init)
    count = len(names)
    known = frozenset(names)
    defaults = {f.name: f.default for f in fields if f.default is not _MISSING}
    factories: dict[str, Callable[[], Any]] = {
        f.name: f.default_factory  # type: ignore[misc]  # MISSING is filtered out
        for f in fields
        if f.default_factory is not _MISSING
    }
    later = tuple(f.name for f in fields if not f.init)  # field(init=False): default only
    shown = tuple(f.name for f in fields if f.repr)
    compared = tuple(f.name for f in fields if f.compare)
    all_names = frozenset(f.name for f in fields)
    key: Callable[[dict[str, Any]], tuple[Any, ...]]  # the compared values, from __dict__
    if len(compared) > 1:
        key = operator.itemgetter(*compared)
    else:
        key = lambda attrs: tuple(attrs[name] for name in compared)  # noqa: E731

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        attrs = self.__dict__
        if len(args) == count and not kwargs:  # the common call: every field, in order
            attrs.update(zip(names, args, strict=True))
        else:
            if len(args) > count:
                raise TypeError(
                    f"{qualname}.__init__() takes {count + 1} positional arguments "
                    f"but {len(args) + 1} were given"
                )
            values = dict(zip(names, args, strict=False))  # the first len(args) fields
            for key, value in kwargs.items():
                if key not in known:
                    raise TypeError(
                        f"{qualname}.__init__() got an unexpected keyword argument {key!r}"
                    )
                if key in values:
                    raise TypeError(
                        f"{qualname}.__init__() got multiple values for argument {key!r}"
                    )
                values[key] = value
            missing = []
            for name in names:
                if name in values:
                    continue
                if name in defaults:
                    values[name] = defaults[name]
                elif name in factories:
                    values[name] = factories[name]()
                else:
                    missing.append(name)
            if missing:
                listed = ", ".join(repr(n) for n in missing)
                raise TypeError(
                    f"{qualname}.__init__() missing {len(missing)} required argument(s): {listed}"
                )
            attrs.update(values)
        for name in later:
            attrs[name] = factories[name]() if name in factories else defaults.get(name)

    def __repr__(self: Any) -> str:
        attrs = self.__dict__
        inner = ", ".join(f"{name}={attrs[name]!r}" for name in shown)
        return f"{type(self).__qualname__}({inner})"

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(key(self.__dict__) == key(other.__dict__))

    def __hash__(self: Any) -> int:
        return hash(key(self.__dict__))

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in all_names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in all_names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        object.__delattr__(self, name)

    methods: tuple[Callable[..., Any], ...] = (__init__, __repr__)
    if eq:
        methods += (__eq__, __hash__) if frozen else (__eq__,)
        if not frozen:
            cls.__hash__ = None  # type: ignore[assignment]  # as @dataclass: mutable
    if frozen:
        methods += (__setattr__, __delattr__)
    for method in methods:
        method.__qualname__ = f"{qualname}.{method.__name__}"
        setattr(cls, method.__name__, method)
