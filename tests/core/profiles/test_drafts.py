"""Autosaved drafts: one file a profile beside the services file."""

from __future__ import annotations

import json
import time

from tests.core.profiles.conftest import URL, reopen
from vessl_gui.core.profiles import Draft


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
