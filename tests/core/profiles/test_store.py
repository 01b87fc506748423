"""The services store: profiles and saved requests, over a JSON file in tmp_path."""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import replace

import pytest

from tests.core.profiles.conftest import URL, field_messages, reopen
from vessl_gui.core.errors import StorageError, ValidationError
from vessl_gui.core.profiles import Draft, Profile, token_key
from vessl_gui.core.variables import Variable

# -------------------------------------------------------------------- profiles


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
    assert doc["format"] == "vessl-gui.profiles" and doc["version"] == 2


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


# -------------------------------------------------------------- saved requests


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


# --------------------------------------------------------------- failed writes


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


# -------------------------------------------------------------- scale, threads


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


# -- variables ------------------------------------------------------------------------


def test_set_variables_checks_the_table_and_keeps_secrets_by_name(store):
    a = store.add_profile("a", URL)
    p = store.set_variables(a.id, [Variable("model", "x"), Variable("api_key", "s3cr3t", True)])
    assert p.variables == (Variable("model", "x"), Variable("api_key", "", True))
    assert store.profile(a.id) == p and reopen(store).profile(a.id) == p
    with pytest.raises(ValidationError) as exc:
        store.set_variables(a.id, [Variable("ok", "1"), Variable("TOKEN", ""), Variable("Ok", "")])
    assert [(f.field, f.line) for f in exc.value.fields] == [("variables", 2), ("variables", 3)]
    assert store.profile(a.id) == p  # nothing changed
    with pytest.raises(ValidationError, match="no longer exists"):
        store.set_variables("gone", [])
    assert store.set_variables(a.id, []).variables == ()


def test_other_changes_keep_the_variables(store):
    a = store.add_profile("a", URL)
    store.set_variables(a.id, [Variable("m", "1"), Variable("k", "", True)])
    renamed = store.rename_profile(a.id, "b")
    assert renamed.variables == (Variable("m", "1"), Variable("k", "", True))
    copy = store.duplicate_profile(a.id)
    assert copy.variables == renamed.variables
    assert store.delete_profile(a.id).variables == renamed.variables  # for forget_secrets


def test_update_profile_checks_variables_too(store):
    a = store.add_profile("a", URL)
    with pytest.raises(ValidationError) as exc:
        store.update_profile(replace(a, name="", variables=(Variable("1x", ""),)))
    assert {f.field for f in exc.value.fields} == {"name", "variables"}


def test_export_and_import_of_saved_requests_are_unchanged_by_variables(store):
    a = store.add_profile("a", URL)
    store.set_variables(a.id, [Variable("model", "x"), Variable("k", "s", True)])
    store.save_request(a.id, "ask", "POST", "/{{model}}", '{"k": "{{k}}"}')
    doc = json.loads(store.export_saved(a.id))
    assert set(doc) == {"format", "version", "service", "exported_at", "requests"}
    assert doc["version"] == 1
    assert doc["requests"] == [
        {"name": "ask", "method": "POST", "path": "/{{model}}", "data": '{"k": "{{k}}"}'}
    ]
    b = store.add_profile("b", URL)
    assert store.import_saved(b.id, store.export_saved(a.id)).added == 1
    assert store.profile(b.id).variables == ()  # variables are a service's, not exported
