"""Property tests of resolve(): byte-exact outside the references, valid JSON inside.

The documents are made of strings built from pieces (any text, braces, ``{{name}}``
references) in any JSON shape, written with ``json.dumps`` (ASCII-escaped or not,
indented or not) or by hand (any whitespace, numbers spelled ``1.0``, ``1e400``):
then what :func:`resolve` sends must decode to the document with the references
replaced in its string values (never in its keys), byte for byte outside them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from vessl_gui.core.variables.model import Variable
from vessl_gui.core.variables.resolving import json_fragment, resolve
from vessl_gui.core.variables.scan import REFERENCE_RE, references

NAMES = ["a", "b", "x_1", "Model", "_"]
_PIECES = st.one_of(
    st.text(max_size=8),
    st.sampled_from([*NAMES, "nope"]).map(lambda n: "{{" + n + "}}"),
    st.sampled_from(["{", "}", "{{", "}}", "\\", '"', "\n", "{{ a }}", "{{1}}"]),
)
_STRINGS = st.lists(_PIECES, max_size=5).map("".join)
_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False),
    _STRINGS,
)
_DOCS = st.recursive(
    _LEAVES,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(_STRINGS, children, max_size=4)
    ),
    max_leaves=12,
)
_WS = st.sampled_from(["", " ", "\n", "\t", "\r\n", "\n    "])
_NUMBER_TEXTS = st.sampled_from(["0", "-0", "1.0", "1e400", "-1E-400", "2E+7", str(2**90), "-0.0"])
_RAW_STRINGS = st.tuples(_STRINGS, st.booleans()).map(lambda t: json.dumps(t[0], ensure_ascii=t[1]))
_RAW_LEAVES = st.one_of(st.sampled_from(["null", "true", "false"]), _NUMBER_TEXTS, _RAW_STRINGS)


def _raw_containers(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    items = st.lists(st.tuples(_WS, children, _WS), max_size=4)
    arrays = items.map(lambda xs: "[" + ",".join(a + v + b for a, v, b in xs) + "]")
    members = st.lists(
        st.tuples(_WS, _RAW_STRINGS, _WS, children), max_size=4, unique_by=lambda t: t[1]
    )
    objects = members.map(lambda xs: "{" + ",".join(a + k + b + ":" + v for a, k, b, v in xs) + "}")
    return arrays | objects


#: JSON text as a person writes it: any whitespace, numbers spelled 1.0, 1e400, 2**90.
_RAW_DOCS = st.recursive(_RAW_LEAVES, _raw_containers, max_leaves=12)
_VALUES = st.text(max_size=10)
_VARIABLES = st.lists(
    st.tuples(st.sampled_from(NAMES), _VALUES, st.booleans()), max_size=6, unique_by=lambda t: t[0]
).map(lambda rows: [Variable(n, v, s) for n, v, s in rows])
_DUMPS = st.fixed_dictionaries(
    {"ensure_ascii": st.booleans(), "indent": st.sampled_from([None, 0, 2, "\t"])}
)


def _substituted(value: Any, table: dict[str, str]) -> Any:
    """The parsed document with the references of its string values replaced."""
    if isinstance(value, str):
        return REFERENCE_RE.sub(lambda m: table.get(m.group(1), m.group()), value)
    if isinstance(value, list):
        return [_substituted(v, table) for v in value]
    if isinstance(value, dict):
        return {k: _substituted(v, table) for k, v in value.items()}
    return value


def _count(value: Any) -> int:
    if isinstance(value, str):
        return len(REFERENCE_RE.findall(value))
    if isinstance(value, list):
        return sum(_count(v) for v in value)
    if isinstance(value, dict):
        return sum(_count(v) for v in value.values())
    return 0


@settings(max_examples=150, deadline=None)
@given(doc=_DOCS, variables=_VARIABLES, dumps=_DUMPS)
def test_the_wire_data_is_the_document_with_the_values_in_its_strings(
    doc: Any, variables: list[Variable], dumps: dict[str, Any]
) -> None:
    data = json.dumps(doc, **dumps)
    r = resolve("/", data, variables)
    values = {v.name: v.value for v in variables}
    assert json.loads(r.data) == _substituted(json.loads(data), values)
    kept = {v.name: v.value for v in variables if not v.secret}
    assert json.loads(r.history_data) == _substituted(json.loads(data), kept)
    assert len(r.references) == _count(json.loads(data))
    assert r.secrets <= {v.name for v in variables if v.secret}
    assert {u.name for u in r.unknown} == {x.name for x in r.references} - set(values)
    assert (r.error is None) == (not r.unknown)


@settings(max_examples=150, deadline=None)
@given(data=_RAW_DOCS, variables=_VARIABLES)
def test_outside_the_references_every_byte_is_kept(data: str, variables: list[Variable]) -> None:
    table = {v.name: v for v in variables}
    r = resolve("/", data, variables)
    wire, history, pos = [], [], 0
    for ref in r.references:
        assert data[ref.offset : ref.end] == ref.text
        wire.append(data[pos : ref.offset])
        history.append(data[pos : ref.offset])
        v = table.get(ref.name)
        wire.append(ref.text if v is None else json_fragment(v.value))
        history.append(ref.text if v is None or v.secret else json_fragment(v.value))
        pos = ref.end
    assert r.data == "".join(wire) + data[pos:]
    assert r.history_data == "".join(history) + data[pos:]
    values = {v.name: v.value for v in variables}
    assert json.loads(r.data) == _substituted(json.loads(data), values)


@settings(max_examples=100, deadline=None)
@given(doc=_DOCS, dumps=_DUMPS)
def test_without_references_resolving_is_the_identity(doc: Any, dumps: dict[str, Any]) -> None:
    data = json.dumps(doc, **dumps)
    r = resolve("/x", data, [Variable(n, "v") for n in NAMES])
    if not r.references:
        assert r.data is data and r.history_data is data and r.path == "/x"
    nothing = resolve("/x", data, [])  # no variables: every reference stays, as an error
    assert nothing.data == data and nothing.history_data == data
    assert (nothing.error is None) == (not nothing.references)


_PATH_VALUES = st.text(alphabet=st.characters(exclude_categories=("Cc", "Zs", "Zl", "Zp", "Cs")))


@settings(max_examples=100, deadline=None)
@given(
    pieces=st.lists(_PIECES, max_size=6),
    values=st.lists(_PATH_VALUES, min_size=len(NAMES), max_size=len(NAMES)),
)
def test_path_values_are_inserted_as_they_are(pieces: list[str], values: list[str]) -> None:
    path = "/" + re.sub(r"\s", "", "".join(pieces))
    table = dict(zip(NAMES, values, strict=True))
    r = resolve(path, "null", [Variable(n, v) for n, v in table.items()])
    expected = REFERENCE_RE.sub(lambda m: table.get(m.group(1), m.group()), path)
    assert r.path == expected == r.history_path
    assert [x.offset for x in references(path, "")] == [
        m.start() for m in REFERENCE_RE.finditer(path)
    ]
