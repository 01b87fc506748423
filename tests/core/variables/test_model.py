"""Variable records and the table's rules (clean_variables)."""

from __future__ import annotations

import pytest

from vessl_gui.core.errors import ValidationError
from vessl_gui.core.variables.model import MAX_VALUE, MAX_VARIABLES, Variable, clean_variables


def test_repr_never_shows_the_value() -> None:
    secret = Variable("api_key", "s3cr3t-value", secret=True)
    plain = Variable("model", "llama-3")
    assert "s3cr3t" not in repr(secret) and "llama" not in repr(plain)
    assert repr(secret) == "Variable(name='api_key', secret=True)"
    assert secret != Variable("api_key", "other", secret=True)  # the value is still compared
    assert Variable("m") == Variable("m", "", False)


def test_a_good_table_is_returned_as_given() -> None:
    rows = (Variable("a", "1"), Variable("b", "", True), Variable("c", 'é\n"{{x}}"\x00'))
    assert clean_variables(rows) == rows
    assert clean_variables([]) == ()
    assert clean_variables([Variable("a", "1", 1)])[0].secret is True  # type: ignore[arg-type]


def test_every_bad_row_is_named_with_its_row_and_cell() -> None:
    rows = [
        Variable("ok", "1"),
        Variable("1bad", "x"),
        Variable("Model", "x"),
        Variable("model", "y"),
        Variable("ok", "z"),
        Variable("long", "x" * (MAX_VALUE + 1)),
        Variable("surrogate", "a\ud800b"),
        Variable("PATH", "p"),
    ]
    with pytest.raises(ValidationError) as exc:
        clean_variables(rows)
    got = [(f.field, f.line, f.column, f.message) for f in exc.value.fields]
    assert [(line, col) for _, line, col, _ in got] == [
        (2, 1),
        (4, 1),
        (5, 1),
        (6, 2),
        (7, 2),
        (8, 1),
    ]
    assert all(field == "variables" for field, *_ in got)
    messages = [m for *_, m in got]
    assert "not starting with a digit" in messages[0]
    assert "twice ('Model' and 'model')" in messages[1] and "more than case" in messages[1]
    assert "'ok' is named twice" in messages[2]
    assert f"too long ({MAX_VALUE + 1} characters, at most {MAX_VALUE})" in messages[3]
    assert "invalid Unicode" in messages[4]
    assert "special to the shell" in messages[5]


def test_a_bad_value_is_never_quoted_in_the_message() -> None:
    with pytest.raises(ValidationError) as exc:
        clean_variables([Variable("k", "sekrit" * 20_000, True)])
    assert "sekrit" not in exc.value.message


def test_too_many_variables() -> None:
    rows = [Variable(f"v{i}", "") for i in range(MAX_VARIABLES + 1)]
    with pytest.raises(ValidationError, match="Too many variables"):
        clean_variables(rows)
    assert len(clean_variables(rows[:-1])) == MAX_VARIABLES


def test_non_text_is_refused() -> None:
    with pytest.raises(ValidationError, match="must be text"):
        clean_variables([Variable("a", 1)])  # type: ignore[arg-type]
