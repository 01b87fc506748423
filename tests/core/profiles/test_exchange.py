"""Export and import of saved requests, with the line and column of each problem."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.profiles.conftest import URL, reopen
from vessl_gui.core.errors import ValidationError
from vessl_gui.core.profiles import EXPORT_FORMAT, ImportResult, ProfileStore


def test_export_then_import_into_another_service(store):
    a = store.add_profile("Prod", URL)
    b = store.add_profile("Dev", "http://127.0.0.1:1/x")
    store.save_request(a.id, "one", "POST", "/1", '{"k": [1.0, 2]}')
    store.save_request(a.id, "two", "GET", "/2", '"x"')
    store.save_request(b.id, "ONE", "DELETE", "/old", "0")
    text = store.export_saved(a.id)
    doc = json.loads(text)
    assert doc["format"] == EXPORT_FORMAT and doc["version"] == 1 and doc["service"] == "Prod"
    assert doc["requests"] == [
        {"name": "one", "method": "POST", "path": "/1", "data": '{"k": [1.0, 2]}'},
        {"name": "two", "method": "GET", "path": "/2", "data": '"x"'},
    ]
    assert URL not in text and "serve-api" not in text
    result = store.import_saved(b.id, text)
    assert result == ImportResult(added=1, replaced=1, problems=())
    got = {r.name: (r.method, r.path, r.data) for r in store.saved_requests(b.id)}
    assert got == {"one": ("POST", "/1", '{"k": [1.0, 2]}'), "two": ("GET", "/2", '"x"')}
    assert len(reopen(store).saved_requests(b.id)) == 2


@pytest.mark.parametrize(
    ("text", "message", "where"),
    [
        ('{"format": "vessl-gui.saved-requests",\n  "version": 1,,}', "not valid JSON", (2, 16)),
        ("", "not valid JSON", (1, 1)),
        ("[]", "not a vessl-gui saved-requests file", None),
        ('{"format": "other"}', "not a vessl-gui saved-requests file", None),
        ('{"format": "vessl-gui.saved-requests"}', 'no valid "version"', None),
        ('{"format": "vessl-gui.saved-requests", "version": 2}', "newer vessl-gui", None),
        ('{"format": "vessl-gui.saved-requests", "version": 1}', 'no "requests" list', None),
    ],
)
def test_import_rejects_what_is_not_an_export(store, text, message, where):
    p = store.add_profile("p", URL)
    store.save_request(p.id, "keep", "POST", "/", "1")
    with pytest.raises(ValidationError) as exc:
        store.import_saved(p.id, text)
    [f] = exc.value.fields
    assert f.field == "file" and message in f.message
    if where is not None:
        assert (f.line, f.column) == where
    assert [r.name for r in store.saved_requests(p.id)] == ["keep"]


def test_import_skips_bad_entries_with_their_position(store):
    p = store.add_profile("p", URL)
    text = """{
  "format": "vessl-gui.saved-requests",
  "version": 1,
  "requests": [
    {"name": "ok", "data": "{}"},
    {"name": "", "data": "1"},
    {"name": "num", "data": {"not": "text"}},
    42,
    {"name": "OK", "method": "PUT", "path": "/p", "data": "2"}
  ]
}"""
    result = store.import_saved(p.id, text)
    assert result.added == 1 and result.replaced == 0
    assert result.problems == (
        "request 2 (line 6, column 5): Request name is required; skipped",
        'request 3 (line 7, column 5): "data" must be the JSON text as a string; skipped',
        "request 4 (line 8, column 5): is not an object; skipped",
        'request 5 (line 9, column 5): the name "OK" appears twice; the last one was kept',
    )
    [r] = store.saved_requests(p.id)
    assert (r.name, r.method, r.path, r.data) == ("OK", "PUT", "/p", "2")


_EXPORT_HEAD = '{"format": "vessl-gui.saved-requests", "version": 1, "requests": '


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3),
    max_leaves=8,
)


_ENTRY = st.dictionaries(st.sampled_from(["name", "method", "path", "data", "x"]), _JSON)


_ENTRIES = st.lists(_ENTRY | _JSON, max_size=5).map(json.dumps)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text() | (st.text() | _ENTRIES).map(lambda t: _EXPORT_HEAD + t + "}"))
def test_import_never_crashes(tmp_path_factory, text):
    store = ProfileStore(tmp_path_factory.mktemp("imp") / "p.json")
    p = store.add_profile("p", URL)
    try:
        result = store.import_saved(p.id, text)
    except ValidationError as exc:
        assert exc.fields[0].field == "file"
    else:
        assert result.added == len(store.saved_requests(p.id))
