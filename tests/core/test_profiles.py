"""Services (profiles), saved requests, drafts: the JSON file store over tmp_path."""

from __future__ import annotations

import inspect
import json
import os
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vessl_gui.core.errors import StorageError, ValidationError
from vessl_gui.core.profiles import (
    EXPORT_FORMAT,
    Draft,
    ImportResult,
    Profile,
    ProfileStore,
    SavedRequest,
    token_key,
)

URL = "https://serve-api.vessl.ai/api/v1/services/my-svc"


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "cfg" / "profiles.json"


@pytest.fixture
def store(path: Path) -> ProfileStore:
    return ProfileStore(path, clock=Clock())


def reopen(store: ProfileStore) -> ProfileStore:
    return ProfileStore(store.path, clock=Clock())


def field_messages(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, str]:
    return {f.field: f.message for f in exc.value.fields}


# ------------------------------------------------------------------ profiles


def test_a_new_store_is_empty_and_writes_nothing(store, path):
    assert store.profiles() == [] and store.last_profile_id is None and store.notice is None
    assert not path.exists()


def test_add_list_find_and_reopen(store, path):
    a = store.add_profile("  Prod   model ", URL + "/", connect_timeout=5, read_timeout=60)
    b = store.add_profile("Dev", "http://127.0.0.1:8765/api/v1/services/demo", verify_tls=False)
    assert a == Profile(a.id, "Prod model", URL, None, True, 5.0, 60.0)
    assert store.profiles() == [a, b]
    assert store.profile(a.id) == a and store.profile("nope") is None
    assert store.find_by_name("prod MODEL") == a
    assert store.find_by_base_url(URL + "//") == [a]
    assert store.find_by_base_url("not a url") == []
    assert a.timeouts().connect == 5.0 and a.timeouts().read == 60.0
    again = reopen(store)
    assert again.profiles() == [a, b]
    doc = json.loads(path.read_text("utf-8"))
    assert doc["format"] == "vessl-gui.profiles" and doc["version"] == 1


def test_profile_validation_names_every_bad_field(store, tmp_path):
    with pytest.raises(ValidationError) as exc:
        store.add_profile("", "ftp://x", connect_timeout=0, read_timeout=float("nan"),
                          ca_bundle=str(tmp_path / "missing.pem"))  # fmt: skip
    msgs = field_messages(exc)
    assert set(msgs) == {"name", "base_url", "connect_timeout", "read_timeout", "ca_bundle"}
    assert msgs["name"] == "Service name is required"
    assert "https://" in msgs["base_url"]
    assert msgs["connect_timeout"] == "Connect timeout must be more than 0 and at most 3600 seconds"
    assert msgs["ca_bundle"].startswith("CA bundle file not found: ")
    assert store.profiles() == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("a\nb", "Service name must not contain line breaks or control characters"),
        ("x" * 101, "Service name is too long (101 characters, at most 100)"),
        ("   ", "Service name is required"),
        ("PROD", 'A service named "prod" already exists'),
    ],
)
def test_bad_names(store, name, message):
    store.add_profile("prod", URL)
    with pytest.raises(ValidationError) as exc:
        store.add_profile(name, URL)
    assert field_messages(exc) == {"name": message}


@pytest.mark.parametrize("value", [-1, 0, 3601, float("inf"), "soon"])
def test_bad_timeouts(store, value):
    with pytest.raises(ValidationError) as exc:
        store.add_profile("p", URL, read_timeout=value)
    assert "read_timeout" in field_messages(exc)


def test_ca_bundle_is_kept_when_the_file_exists(store, tmp_path):
    pem = tmp_path / "ca.pem"
    pem.write_text("-----BEGIN CERTIFICATE-----\n")
    p = store.add_profile("p", URL, ca_bundle=f" {pem} ")
    assert p.ca_bundle == str(pem)
    assert store.add_profile("q", URL, ca_bundle="  ").ca_bundle is None
    pem.unlink()  # gone later: renaming or copying the service still works
    assert store.rename_profile(p.id, "p2").ca_bundle == str(pem)
    assert store.duplicate_profile(p.id).ca_bundle == str(pem)
    with pytest.raises(ValidationError) as exc:
        store.update_profile(Profile(p.id, "p2", URL, str(tmp_path / "other.pem")))
    assert field_messages(exc)["ca_bundle"].startswith("CA bundle file not found")


def test_rename_and_update(store):
    a = store.add_profile("a", URL)
    b = store.add_profile("b", URL)
    assert store.rename_profile(a.id, "A").name == "A"  # its own name in another case is fine
    with pytest.raises(ValidationError) as exc:
        store.rename_profile(a.id, "B")
    assert field_messages(exc) == {"name": 'A service named "b" already exists'}
    new = store.update_profile(Profile(b.id, "b2", "http://h.io/x/", None, False, 1.5, 2.5))
    assert new == Profile(b.id, "b2", "http://h.io/x", None, False, 1.5, 2.5)
    assert reopen(store).profile(b.id) == new
    with pytest.raises(ValidationError) as exc:
        store.update_profile(Profile("gone", "x", URL))
    assert field_messages(exc) == {"profile": "This service no longer exists (it was deleted)"}


def test_duplicate_copies_saved_requests_not_the_draft(store):
    a = store.add_profile("Prod", URL, verify_tls=False, read_timeout=99)
    r = store.save_request(a.id, "one", "POST", "/x", '{"a": 1}')
    store.save_draft(a.id, Draft(URL, "POST", "/", "[1]"))
    c1 = store.duplicate_profile(a.id)
    c2 = store.duplicate_profile(a.id)
    c3 = store.duplicate_profile(a.id, "Staging")
    assert [c1.name, c2.name, c3.name] == ["Prod copy", "Prod copy 2", "Staging"]
    assert (c1.base_url, c1.verify_tls, c1.read_timeout) == (URL, False, 99.0)
    assert len({a.id, c1.id, c2.id, c3.id}) == 4
    [copy] = store.saved_requests(c1.id)
    assert copy.id != r.id and (copy.name, copy.data, copy.profile_id) == ("one", r.data, c1.id)
    assert store.load_draft(c1.id) is None
    assert token_key(c1) != token_key(a)


def test_delete_removes_saved_requests_draft_and_last(store):
    a = store.add_profile("a", URL)
    b = store.add_profile("b", URL)
    store.save_request(a.id, "r", "POST", "/", "1")
    keep = store.save_request(b.id, "r", "POST", "/", "2")
    store.save_draft(a.id, Draft(data="x"))
    store.set_last_profile_id(a.id)
    assert store.delete_profile(a.id) == a
    assert store.profiles() == [b] and store.last_profile_id is None
    assert store.saved_requests(a.id) == [] and store.saved_requests(b.id) == [keep]
    assert store.load_draft(a.id) is None
    again = reopen(store)
    assert again.profiles() == [b] and again.saved_requests(b.id) == [keep]
    with pytest.raises(ValidationError):
        store.delete_profile(a.id)


def test_last_profile_is_remembered(store):
    a = store.add_profile("a", URL)
    store.set_last_profile_id(a.id)
    assert reopen(store).last_profile_id == a.id
    store.set_last_profile_id(None)
    assert reopen(store).last_profile_id is None
    with pytest.raises(ValidationError):
        store.set_last_profile_id("nope")


def test_token_key_and_no_token_anywhere(store, path):
    a = store.add_profile("a", URL)
    assert token_key(a) == f"profile:{a.id}" == token_key(a.id)
    for cls in (Profile, SavedRequest, Draft):
        assert not any("token" in f for f in cls.__dataclass_fields__)
    for _, method in inspect.getmembers(ProfileStore, inspect.isfunction):
        assert "token" not in inspect.signature(method).parameters
    doc = json.loads(path.read_text("utf-8"))
    assert set(doc["profiles"][0]) == {
        "id", "name", "base_url", "ca_bundle", "verify_tls", "connect_timeout", "read_timeout",
    }  # fmt: skip


# ------------------------------------------------------------ saved requests


def test_save_list_upsert_rename_delete(store):
    p = store.add_profile("p", URL)
    data = '{\n  "b": 1.0, "a": 1e400, "n": 123456789012345678901234567890, "t": "日本 \\u00e9"\n}'
    r1 = store.save_request(p.id, " Zeta ", "POST", "/z", data)
    r2 = store.save_request(p.id, "alpha", "GET", "/a", "null")
    assert [r.name for r in store.saved_requests(p.id)] == ["alpha", "Zeta"]
    assert store.saved_request(r1.id) == r1 and r1.data == data
    # same name, other case: replaces, keeps the id, new time and spelling
    r1b = store.save_request(p.id, "ZETA", "PUT", "/z2", "2")
    assert r1b.id == r1.id and r1b.updated_at > r1.updated_at and r1b.name == "ZETA"
    assert len(store.saved_requests(p.id)) == 2
    with pytest.raises(ValidationError) as exc:
        store.rename_request(r2.id, "zeta")
    assert field_messages(exc) == {"name": 'A saved request named "ZETA" already exists'}
    r2b = store.rename_request(r2.id, "Beta")
    assert r2b.name == "Beta" and r2b.data == "null"
    assert reopen(store).saved_requests(p.id) == [r2b, r1b]
    assert store.delete_request(r2.id) == r2b
    assert store.saved_requests(p.id) == [r1b]
    with pytest.raises(ValidationError) as exc:
        store.delete_request(r2.id)
    assert field_messages(exc) == {
        "request": "This saved request no longer exists (it was deleted)"
    }


def test_saved_request_errors(store):
    p = store.add_profile("p", URL)
    with pytest.raises(ValidationError) as exc:
        store.save_request(p.id, "", "POST", "/", "1")
    assert field_messages(exc) == {"name": "Request name is required"}
    with pytest.raises(ValidationError) as exc:
        store.save_request(p.id, "x", "POST", "/", '"\udc80"')
    assert "unpaired surrogate" in field_messages(exc)["request"]
    with pytest.raises(ValidationError):
        store.save_request("nope", "x", "POST", "/", "1")
    # a work in progress (invalid JSON) may be saved as is
    assert store.save_request(p.id, "wip", "POST", "/", '{"a": ').data == '{"a": '


# --------------------------------------------------------------- export/import


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


# --------------------------------------------------------------------- drafts


def test_drafts_survive_a_restart(store):
    p = store.add_profile("p", URL)
    d = store.save_draft(p.id, Draft(URL, "post", "/x", '{"a": "é\\n"}\n'))
    assert d.saved_at > 0
    store.save_draft(None, Draft("http://typed", "", "", "[1,"))
    again = reopen(store)  # as after a crash: nothing else was called
    assert again.load_draft(p.id) == d
    assert again.load_draft(None) == Draft("http://typed", "", "", "[1,", d.saved_at + 1)
    again.clear_draft(p.id)
    again.clear_draft(p.id)  # twice is fine
    assert reopen(store).load_draft(p.id) is None


def test_an_unchanged_draft_is_not_rewritten(store):
    p = store.add_profile("p", URL)
    first = store.save_draft(p.id, Draft(data="1"))
    file = store.drafts_dir / f"{p.id}.json"
    inode = file.stat().st_ino
    assert store.save_draft(p.id, Draft(data="1")) == first
    assert file.stat().st_ino == inode  # os.replace would have made a new file
    store.save_draft(p.id, Draft(data="2"))
    assert file.stat().st_ino != inode


def test_a_damaged_draft_is_moved_aside(store):
    p = store.add_profile("p", URL)
    store.save_draft(p.id, Draft(data="1"))
    file = store.drafts_dir / f"{p.id}.json"
    file.write_text('{"base_url": 1')
    again = reopen(store)
    assert again.load_draft(p.id) is None
    [aside] = list(store.drafts_dir.glob(f"{p.id}.json.corrupt-*"))
    assert aside.read_text() == '{"base_url": 1'
    assert again.notice is not None and "damaged" in again.notice


def test_a_5_mb_draft_saves_and_loads_quickly(store):
    p = store.add_profile("p", URL)
    big = json.dumps([{"k": "v" * 90, "n": i} for i in range(50_000)])
    assert len(big) > 5_000_000
    start = time.perf_counter()
    store.save_draft(p.id, Draft(URL, "POST", "/", big))
    loaded = reopen(store).load_draft(p.id)
    elapsed = time.perf_counter() - start
    assert loaded is not None and loaded.data == big
    assert elapsed < 5.0, elapsed


# ------------------------------------------------------------ damaged files


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


def test_a_failed_write_changes_nothing(store, path, monkeypatch):
    a = store.add_profile("a", URL)
    before = path.read_bytes()

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(StorageError, match="No space left on device"):
        store.add_profile("b", URL)
    with pytest.raises(StorageError):
        store.save_request(a.id, "r", "POST", "/", "1")
    monkeypatch.undo()
    assert store.profiles() == [a] and store.saved_requests(a.id) == []
    assert path.read_bytes() == before
    assert sorted(os.listdir(path.parent)) == ["profiles.json"]  # no temporary file left


# ---------------------------------------------------------------- scale, threads


def test_hundreds_of_saved_requests_are_fast(store):
    p = store.add_profile("p", URL)
    payload = json.dumps({"prompt": "x" * 500, "n": list(range(50))})
    start = time.perf_counter()
    for i in range(300):
        store.save_request(p.id, f"request {i:03}", "POST", f"/v1/{i}", payload)
    saving = time.perf_counter() - start
    start = time.perf_counter()
    again = reopen(store)
    listed = again.saved_requests(p.id)
    loading = time.perf_counter() - start
    assert len(listed) == 300 and listed[0].name == "request 000"
    assert saving < 20.0, saving  # 300 atomic, fsynced rewrites
    assert loading < 1.0, loading
    text = again.export_saved(p.id)
    q = again.add_profile("q", URL)
    start = time.perf_counter()
    assert again.import_saved(q.id, text).added == 300
    assert time.perf_counter() - start < 2.0


def test_concurrent_saves_are_all_kept(store):
    p = store.add_profile("p", URL)

    def work(n: int) -> None:
        for i in range(20):
            store.save_request(p.id, f"t{n}-{i}", "POST", "/", str(i))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(store.saved_requests(p.id)) == 80
    assert len(reopen(store).saved_requests(p.id)) == 80
