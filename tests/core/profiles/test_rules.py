"""What a service's fields may hold: names, timeouts, the CA bundle."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.profiles.conftest import URL, field_messages
from vessl_gui.core.errors import ValidationError
from vessl_gui.core.profiles import Profile
from vessl_gui.core.settings import AppSettings
from vessl_gui.core.validation import MAX_TIMEOUT, MIN_TIMEOUT


def test_profile_validation_names_every_bad_field(store, tmp_path):
    with pytest.raises(ValidationError) as exc:
        store.add_profile("", "ftp://x", connect_timeout=0, read_timeout=float("nan"),
                          ca_bundle=str(tmp_path / "missing.pem"))  # fmt: skip
    msgs = field_messages(exc)
    assert set(msgs) == {"name", "base_url", "connect_timeout", "read_timeout", "ca_bundle"}
    assert msgs["name"] == "Service name is required"
    assert "https://" in msgs["base_url"]
    assert msgs["connect_timeout"] == "Connect timeout must be 0.1 to 3600 seconds"
    assert msgs["ca_bundle"] == f"CA bundle {tmp_path / 'missing.pem'} is not a file"
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
    import certifi

    pem = tmp_path / "ca.pem"
    pem.write_bytes(Path(certifi.where()).read_bytes())
    p = store.add_profile("p", URL, ca_bundle=f" {pem} ")
    assert p.ca_bundle == str(pem)
    assert store.add_profile("q", URL, ca_bundle="  ").ca_bundle is None
    pem.unlink()  # gone later: renaming or copying the service still works
    assert store.rename_profile(p.id, "p2").ca_bundle == str(pem)
    assert store.duplicate_profile(p.id).ca_bundle == str(pem)
    with pytest.raises(ValidationError) as exc:
        store.update_profile(Profile(p.id, "p2", URL, str(tmp_path / "other.pem")))
    assert field_messages(exc)["ca_bundle"].endswith("other.pem is not a file")


# ------------------------------------------- the rules a service shares with the settings


@pytest.mark.parametrize("name", ["connect_timeout", "read_timeout"])
def test_a_service_and_the_settings_share_one_timeout_limit(store, name):
    for i, good in enumerate((MIN_TIMEOUT, 90.0, MAX_TIMEOUT)):
        p = store.add_profile(f"p{i}", URL, **{name: good})
        assert getattr(p, name) == good
        assert AppSettings(**{name: good}).problems() == []
    for bad in (0.05, MAX_TIMEOUT + 0.5, 99999):
        with pytest.raises(ValidationError) as exc:
            store.add_profile("bad", URL, **{name: bad})
        [settings_problem] = AppSettings(**{name: bad}).problems()
        assert field_messages(exc) == {name: settings_problem.message}
        assert settings_problem.field == name
        assert settings_problem.message.endswith("must be 0.1 to 3600 seconds")


def test_a_ca_bundle_that_is_not_pem_is_refused_by_both(store, tmp_path):
    import certifi

    notes = tmp_path / "notes.pem"
    notes.write_text("-----BEGIN CERTIFICATE-----\n")  # only exists: no longer enough
    with pytest.raises(ValidationError) as exc:
        store.add_profile("p", URL, ca_bundle=str(notes))
    [settings_problem] = AppSettings(ca_bundle=str(notes)).problems()
    assert settings_problem.field == "ca_bundle"
    assert field_messages(exc) == {"ca_bundle": settings_problem.message}
    assert f"CA bundle {notes} is not a PEM certificate file (" in settings_problem.message
    good = certifi.where()
    assert store.add_profile("p", URL, ca_bundle=good).ca_bundle == good
    assert AppSettings(ca_bundle=good).problems() == []
    p = store.add_profile("q", URL)
    with pytest.raises(ValidationError) as exc:
        store.update_profile(Profile(p.id, "q", URL, str(notes)))
    assert "is not a PEM certificate file" in field_messages(exc)["ca_bundle"]
