"""AppSettings validation and history retention (prune)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vessl_gui.core.errors import ValidationError
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import AsyncRequest, OutputStatus, Submission
from vessl_gui.core.settings import AppSettings
from vessl_gui.core.validation import MAX_TIMEOUT, ca_bundle_problem


def test_defaults_are_the_documented_ones() -> None:
    s = AppSettings()
    cfg = s.client_config()
    assert (cfg.timeouts.connect, cfg.timeouts.read, cfg.verify, cfg.ca_bundle) == (
        10.0,
        30.0,
        True,
        None,
    )
    assert s.validated() == s


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"connect_timeout": 0}, "connect_timeout"),
        ({"read_timeout": 99999}, "read_timeout"),
        ({"poll_first": 5, "poll_max": 2}, "poll_max"),
        ({"retention_days": -1}, "retention_days"),
        ({"ca_bundle": "/nonexistent/ca.pem"}, "ca_bundle"),
    ],
)
def test_bad_settings_name_the_field(change: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        AppSettings(**change).validated()  # type: ignore[arg-type]
    assert [f.field for f in exc.value.fields] == [field]


def test_from_mapping_tolerates_junk() -> None:
    s = AppSettings.from_mapping(
        {
            "read_timeout": "nan",
            "notify": "0",
            "retention_rows": "12",
            "unknown": 1,
            "poll_max": None,
        }
    )
    assert s.read_timeout == 30.0 and s.notify is False and s.retention_rows == 12
    assert s.poll_max == 30.0


def test_ca_bundle_check(tmp_path: Path) -> None:
    import certifi

    assert ca_bundle_problem(certifi.where()) is None
    junk = tmp_path / "junk.pem"
    junk.write_text("-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n")
    assert "not a PEM" in (ca_bundle_problem(str(junk)) or "")


@pytest.mark.parametrize("name", ["connect_timeout", "read_timeout"])
def test_the_timeouts_share_the_services_limit(name: str) -> None:
    for good in (0.1, MAX_TIMEOUT):
        s = AppSettings(**{name: good})  # type: ignore[arg-type]
        assert s.validated() == s
    for bad in (MAX_TIMEOUT + 0.5, 0.05):
        with pytest.raises(ValidationError) as exc:
            AppSettings(**{name: bad}).validated()  # type: ignore[arg-type]
        [f] = exc.value.fields
        label = name.replace("_", " ").capitalize()
        assert (f.field, f.message) == (name, f"{label} must be 0.1 to 3600 seconds")
    # a stored connect timeout of 30 minutes is kept (it fell back to 10 s at 600 s max)
    assert AppSettings.from_mapping({"connect_timeout": "1800"}).connect_timeout == 1800.0
    assert AppSettings.from_mapping({name: "3601"}) == AppSettings()


def test_a_ca_bundle_that_is_not_pem_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.pem"
    text.write_text("just some text\n")
    with pytest.raises(ValidationError) as exc:
        AppSettings(ca_bundle=str(text)).validated()
    [f] = exc.value.fields
    assert f.field == "ca_bundle" and f.message == ca_bundle_problem(str(text))
    assert "is not a PEM certificate file" in f.message


def _finished(store: HistoryStore, rid: str, t: float) -> int:
    e = store.add(AsyncRequest("http://127.0.0.1:9/s", "POST", "/", "{}"), now=t)
    store.mark_sent(e.row_id, Submission(rid, 201, 0.1), now=t)
    store.record_output(e.row_id, OutputStatus("completed", 200, "1", "1"), now=t)
    return e.row_id


def test_prune_by_age_and_count_keeps_unfinished(tmp_path: Path) -> None:
    day = 86400.0
    now = 100 * day
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        for i in range(10):
            _finished(store, f"r{i}", now - (10 - i) * day)  # r0 oldest ... r9 newest
        pending = store.add(AsyncRequest("http://127.0.0.1:9/s", "POST", "/", "{}"), now=0.0)
        store.mark_sent(pending.row_id, Submission("p0", 201, 0.1), now=0.0)
        assert store.prune(max_age_days=5, now=now) == 5  # r0..r4 are older than 5 days
        ids = {s.request_id for s in store.page(0, 100)}
        assert ids == {"r5", "r6", "r7", "r8", "r9", "p0"}
        assert store.prune(max_rows=3, now=now) == 2  # keeps the newest 3: r9, r8, r7
        assert {s.request_id for s in store.page(0, 100)} == {"r7", "r8", "r9", "p0"}
        assert store.prune(now=now) == 0  # no policy: nothing goes
