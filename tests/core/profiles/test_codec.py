"""The services file's format: damaged, empty, newer and unreadable files; version 1 and 2."""

from __future__ import annotations

import json

import pytest

from tests.core.profiles.conftest import URL
from vessl_gui.core.errors import StorageError
from vessl_gui.core.profiles import FILE_VERSION, ProfileStore
from vessl_gui.core.variables import Variable


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"format": "vessl-gui.profiles", "version": 1,\n "profiles": [}', "line 2, column"),
        (b"\xff\xfe garbage", "not UTF-8"),
        (b"[1, 2]", "is not a JSON object"),
        (b'{"format": "x", "version": 1}', '"format" is not'),
        (b'{"format": "vessl-gui.profiles", "version": 1, "profiles": {}}', "must be a list"),
        (
            b'{"format": "vessl-gui.profiles", "version": 1, "profiles": [{"id": "a", '
            b'"name": "n", "base_url": "u", "connect_timeout": -1}]}',
            'profiles[0]: "connect_timeout" must be a positive number',
        ),
        (
            b'{"format": "vessl-gui.profiles", "version": 1, "saved_requests": [{"id": "r",'
            b' "profile_id": "gone", "name": "n", "method": "", "path": "", "data": ""}]}',
            "names no service",
        ),
    ],
)
def test_a_damaged_file_is_moved_aside_never_deleted(path, content, reason):
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    store = ProfileStore(path)
    assert store.profiles() == []
    assert store.recovered_to is not None and store.recovered_to.read_bytes() == content
    assert store.recovered_to.name.startswith("profiles.json.corrupt-")
    assert store.notice is not None and reason in store.notice
    assert str(store.recovered_to) in store.notice
    assert not path.exists()
    store.add_profile("fresh", URL)  # and the store works on
    assert [p.name for p in ProfileStore(path).profiles()] == ["fresh"]


def test_two_damaged_files_in_the_same_second_both_survive(path):
    path.parent.mkdir(parents=True)
    for content in (b"one", b"two"):
        path.write_bytes(content)
        ProfileStore(path)
    kept = sorted(p.read_bytes() for p in path.parent.glob("profiles.json.corrupt-*"))
    assert kept == [b"one", b"two"]


def test_an_empty_file_is_an_empty_store(path):
    path.parent.mkdir(parents=True)
    path.write_text("  \n")
    store = ProfileStore(path)
    assert store.profiles() == [] and store.notice is None


def test_a_newer_file_is_left_alone(path):
    path.parent.mkdir(parents=True)
    path.write_text('{"format": "vessl-gui.profiles", "version": 9}')
    with pytest.raises(StorageError, match="newer vessl-gui"):
        ProfileStore(path)
    assert path.read_text() == '{"format": "vessl-gui.profiles", "version": 9}'


def test_an_unreadable_path_is_a_storage_error(path):
    path.mkdir(parents=True)  # a directory where the file should be
    with pytest.raises(StorageError, match="Could not read the services file"):
        ProfileStore(path)


# -- version 2: variables -------------------------------------------------------------

_V1 = """{
 "format": "vessl-gui.profiles",
 "version": 1,
 "last_profile_id": "p1",
 "profiles": [{"id": "p1", "name": "Prod", "base_url": "URL", "ca_bundle": null,
   "verify_tls": true, "connect_timeout": 10.0, "read_timeout": 30.0}],
 "saved_requests": [{"id": "r1", "profile_id": "p1", "name": "ask", "method": "POST",
   "path": "/{{model}}", "data": "{\\"q\\": \\"{{q}}\\"}", "updated_at": 5.0}]
}""".replace("URL", URL)


def test_a_version_1_file_is_read_and_rewritten_as_version_2(path):
    path.parent.mkdir(parents=True)
    path.write_text(_V1, encoding="utf-8")
    store = ProfileStore(path)
    assert store.notice is None
    [p] = store.profiles()
    assert (p.id, p.name, p.variables) == ("p1", "Prod", ())
    assert store.last_profile_id == "p1"
    [s] = store.saved_requests("p1")
    assert (s.path, s.data) == ("/{{model}}", '{"q": "{{q}}"}')
    assert path.read_text(encoding="utf-8") == _V1  # reading never rewrites
    store.set_variables("p1", [Variable("model", "llama")])
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["version"] == FILE_VERSION == 2
    assert doc["profiles"][0]["variables"] == [{"name": "model", "value": "llama"}]
    assert doc["saved_requests"][0]["data"] == '{"q": "{{q}}"}'
    assert ProfileStore(path).profiles()[0].variables == (Variable("model", "llama"),)


def test_variables_round_trip_and_secrets_are_names_only(path):
    store = ProfileStore(path)
    p = store.add_profile("Prod", URL)
    rows = [Variable("model", 'l"a\n日本'), Variable("api_key", "s3cr3t", True), Variable("e", "")]
    store.set_variables(p.id, rows)
    text = path.read_text(encoding="utf-8")
    assert "s3cr3t" not in text
    assert json.loads(text)["profiles"][0]["variables"] == [
        {"name": "model", "value": 'l"a\n日本'},
        {"name": "api_key", "secret": True},
        {"name": "e", "value": ""},
    ]
    again = ProfileStore(path).profile(p.id)
    assert again is not None
    assert again.variables == (rows[0], Variable("api_key", "", True), rows[2])


def _with_variables(variables: object) -> bytes:
    doc = json.loads(_V1)
    doc["version"] = 2
    doc["profiles"][0]["variables"] = variables
    return json.dumps(doc).encode()


@pytest.mark.parametrize(
    ("variables", "reason"),
    [
        ({"a": 1}, 'profiles[0]: "variables" must be a list'),
        ([1], "profiles[0].variables[0]: must be an object"),
        ([{"value": "x"}], 'profiles[0].variables[0]: "name" must be a string'),
        ([{"name": ""}], '"name" is empty'),
        ([{"name": "a", "value": 1}], '"value" must be a string'),
        ([{"name": "a", "secret": "yes"}], '"secret" must be true or false'),
        ([{"name": "a"}, {"name": "A"}], "variables[1]: the name 'A' is used twice"),
    ],
)
def test_bad_variables_are_a_damaged_file(path, variables, reason):
    path.parent.mkdir(parents=True)
    path.write_bytes(_with_variables(variables))
    store = ProfileStore(path)
    assert store.recovered_to is not None and store.notice is not None
    assert reason in store.notice


def test_a_value_written_by_hand_for_a_secret_is_ignored_and_dropped(path):
    path.parent.mkdir(parents=True)
    path.write_bytes(_with_variables([{"name": "k", "secret": True, "value": "typed-in"}]))
    store = ProfileStore(path)
    assert store.profile("p1").variables == (Variable("k", "", True),)  # type: ignore[union-attr]
    store.rename_profile("p1", "Prod 2")
    assert "typed-in" not in path.read_text(encoding="utf-8")


def test_names_the_store_would_refuse_are_still_read(path):
    # The name rule may grow; a file written before keeps its variables readable.
    path.parent.mkdir(parents=True)
    path.write_bytes(_with_variables([{"name": "PATH", "value": "x"}]))
    assert ProfileStore(path).profile("p1").variables == (Variable("PATH", "x"),)  # type: ignore[union-attr]
