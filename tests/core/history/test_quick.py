"""quick_page: a text filter's first page by walking newest first; must equal page()."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vessl_gui.core.history import HistoryStore
from vessl_gui.core.history.quick import quick_page
from vessl_gui.core.models import AsyncRequest, Submission

SERVICES = (
    "https://serve-api.vessl.ai/api/v1/services/alpha",
    "https://serve-api.vessl.ai/api/v1/services/beta",
)
WORDS = ("tango", "CUDA out of memory", "Prompt", "a_b%c", "naïve", "x\\y", "predictions")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HistoryStore]:
    rng = random.Random(7)
    s = HistoryStore(tmp_path_factory.mktemp("quick") / "history.sqlite3")
    for i in range(600):
        word = WORDS[i % len(WORDS)] if i % 3 else rng.choice(WORDS)
        r = AsyncRequest(
            SERVICES[i % 2], "POST", f"/predictions/m{i % 13}", f'{{"q": "{word} {i}"}}'
        )
        e = s.add(r, now=1_700_000_000 + i // 2)  # ties on created_at: row_id breaks them
        if i % 4:
            s.mark_sent(e.row_id, Submission(f"{i:04x}{rng.randrange(16**8):08x}", 201, 0.1))
    yield s
    s.close()


TEXTS = ("t", "ta", "tan", "TANGO", "cuda", "9", "4f", "_", "%", "a_b%", "\\", "zzz", "m1", "2")


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("descending", [True, False])
def test_equals_the_first_page(store: HistoryStore, text: str, descending: bool) -> None:
    for states, services in (
        (None, None),
        ({"pending"}, None),
        (None, {SERVICES[1]}),
        ({"sending", "pending"}, {SERVICES[0]}),
    ):
        got = quick_page(store, 40, text, states, services, descending, budget=10**6)
        want = store.page(0, 40, text, states, services, "created_at", descending)
        assert got == want, (text, states, services)


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet="tango CUDApr%_\\0123456789abcdef", min_size=1, max_size=5))
def test_equals_the_first_page_for_any_ascii_text(store: HistoryStore, text: str) -> None:
    got = quick_page(store, 25, text, budget=10**6)
    assert got == store.page(0, 25, text) if text.strip() else got is None


def test_a_rare_text_runs_out_of_budget(store: HistoryStore) -> None:
    assert quick_page(store, 40, "zzz-not-there", budget=1) is None
    assert quick_page(store, 40, "zzz-not-there", budget=10**6) == []
    common = quick_page(store, 40, "predictions", budget=1)  # found in the first rows
    assert common is not None and len(common) == 40


def test_where_it_does_not_apply(store: HistoryStore) -> None:
    assert quick_page(store, 40, "") is None
    assert quick_page(store, 40, "   ") is None
    assert quick_page(store, 40, "naïve") is None  # LIKE folds ASCII case only
    assert quick_page(store, 40, "tango", states=set()) == []
    assert quick_page(store, 40, "tango", services=set()) == []


def test_works_on_a_store_without_full_text(tmp_path: Path) -> None:
    s = HistoryStore(tmp_path / "plain.sqlite3", full_text=False)
    s.add(AsyncRequest(SERVICES[0], "POST", "/x", '{"q": "Tango"}'))
    assert [e.path for e in quick_page(s, 10, "tango") or []] == ["/x"]
    s.close()
