"""What a service's fields may hold: names, timeouts, the CA bundle."""

from __future__ import annotations

import pytest

from tests.core.profiles.conftest import URL, field_messages
from vessl_gui.core.errors import ValidationError
from vessl_gui.core.profiles import Profile


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
