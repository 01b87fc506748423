"""The user's settings: timeouts, TLS, polling, notifications, history retention.

A frozen :class:`AppSettings`, read from and written to a plain mapping (the
UI keeps it in ``QSettings``).  Unknown or out-of-range values fall back to
the defaults, so a hand-edited settings file never stops the app.  No token
is ever part of the settings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from vessl_gui.core.errors import FieldError, ValidationError
from vessl_gui.core.models import ClientConfig, Timeouts
from vessl_gui.core.records import record
from vessl_gui.core.validation import ca_bundle_problem, normalize_timeout


@record
class AppSettings:
    """Every user setting, with the foundation issue's defaults."""

    connect_timeout: float = 10.0
    """Seconds to wait for a connection."""
    read_timeout: float = 30.0
    """Seconds to wait for an answer."""
    verify_tls: bool = True
    """Verify certificates (turn off only to test against a self-signed server)."""
    ca_bundle: str = ""
    """A PEM file of extra certificate authorities for a private CA ("" = system/certifi)."""
    poll_first: float = 1.0
    """First status check, seconds after the create; the interval then grows."""
    poll_max: float = 30.0
    """Longest interval between status checks."""
    notify: bool = True
    """Notify when a request finishes while the window is in the background."""
    retention_days: int = 0
    """Delete finished rows older than this many days at start (0 = keep everything)."""
    retention_rows: int = 0
    """Keep only this many newest rows (0 = keep everything)."""

    def client_config(self) -> ClientConfig:
        return ClientConfig(
            Timeouts(connect=self.connect_timeout, read=self.read_timeout),
            verify=self.verify_tls,
            ca_bundle=self.ca_bundle or None,
        )

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> AppSettings:
        """Settings from stored values; anything missing or unusable takes its default."""
        defaults = cls()
        kwargs: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            default = getattr(defaults, f.name)
            raw = values.get(f.name, default)
            kwargs[f.name] = _coerce(raw, default)
        candidate = cls(**kwargs)
        problems = {p.field for p in candidate.problems(check_files=False)}
        if problems:
            kwargs.update({name: getattr(defaults, name) for name in problems})
            candidate = cls(**kwargs)
        return candidate

    def problems(self, *, check_files: bool = True) -> list[FieldError]:
        """What is wrong with these settings, field by field (empty when fine)."""
        out: list[FieldError] = []
        for name, seconds in (
            ("connect_timeout", self.connect_timeout),
            ("read_timeout", self.read_timeout),
        ):
            try:
                normalize_timeout(name, seconds)
            except ValidationError as exc:
                out.extend(exc.fields)
        if not 0.2 <= self.poll_first <= 600:
            out.append(FieldError("poll_first", "First status check must be 0.2 to 600 s"))
        if not self.poll_first <= self.poll_max <= 3600:
            out.append(
                FieldError(
                    "poll_max", "Longest interval must be at least the first, at most 3600 s"
                )
            )
        if self.retention_days < 0:
            out.append(FieldError("retention_days", "Days must be 0 (keep all) or more"))
        if self.retention_rows < 0:
            out.append(FieldError("retention_rows", "Rows must be 0 (keep all) or more"))
        if check_files and self.ca_bundle:
            problem = ca_bundle_problem(self.ca_bundle)
            if problem:
                out.append(FieldError("ca_bundle", problem))
        return out

    def validated(self) -> AppSettings:
        """These settings, or a ValidationError naming every bad field."""
        problems = self.problems()
        if problems:
            raise ValidationError(problems)
        return self


def _coerce(raw: object, default: object) -> object:
    """Convert a stored value (QSettings gives strings) to the default's type."""
    try:
        if isinstance(default, bool):
            if isinstance(raw, str):
                return raw.strip().lower() in ("1", "true", "yes", "on")
            return bool(raw)
        if isinstance(default, int):
            return int(float(str(raw)))
        if isinstance(default, float):
            value = float(str(raw))
            return value if value == value else default  # NaN -> default
        return default if raw is None else str(raw)
    except (TypeError, ValueError):
        return default
