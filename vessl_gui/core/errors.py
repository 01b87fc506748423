"""The one exception tree of vessl-gui's core.

Every failure the core can meet is one of these, with a ``message`` a person
can act on and a stable ``kind`` string (stored in history, used by the UI)::

    VesslGuiError                       kind
     ├── ValidationError                "invalid"        bad form input; .fields names each
     ├── CredentialError                "keyring"        the keyring answered with an error
     │    ├── KeyringUnavailableError   "no_keyring"     no usable keyring backend at all
     │    └── MissingSecretError        "missing_secret" a secret variable has no value there
     ├── StorageError                   "storage"        the history database failed
     └── ServeError                                      talking to the VESSL service failed
          ├── TransportError                             no HTTP answer was received
          │    ├── ConnectFailedError   "connect"        connection refused / unreachable
          │    ├── DNSError             "dns"            the host name does not resolve
          │    ├── TLSError             "tls"            certificate / TLS handshake failure
          │    ├── ConnectTimeoutError  "connect_timeout"
          │    ├── ReadTimeoutError     "read_timeout"   (fetch only; safe to retry)
          │    ├── ConnectionLostError  "connection_lost" (fetch only; safe to retry)
          │    └── OutcomeUnknownError  "unknown"        create was sent, no answer came:
          │                                              the request may or may not exist
          ├── HTTPStatusError                            the service answered non-2xx
          │    ├── RedirectError        "redirect"       3xx, never followed
          │    ├── AuthError            "auth"           401 / 403: token rejected
          │    ├── NotFoundError        "not_found"      404: no such service or id
          │    ├── PayloadTooLargeError "too_large"      413
          │    ├── RateLimitedError     "rate_limited"   429, with .retry_after
          │    ├── ClientError          "client_error"   any other 4xx
          │    └── ServerError          "server_error"   5xx
          └── ProtocolError             "protocol"       a 2xx answer we cannot use

Status codes are results inside the client; they become these exceptions at
the client's boundary.  No exception here ever carries the token: messages
are built from the method, the URL and the server's answer only.
"""

from __future__ import annotations

from collections.abc import Sequence

from vessl_gui.core.records import record


class VesslGuiError(Exception):
    """Base of every error the core raises on purpose."""

    kind: str = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@record
class FieldError:
    """One bad form field: its name, a message, and a 1-based position for JSON."""

    field: str
    message: str
    line: int | None = None
    column: int | None = None

    def describe(self) -> str:
        if self.line is not None and self.column is not None:
            return f"line {self.line}, column {self.column}: {self.message}"
        return self.message


class ValidationError(VesslGuiError):
    """The form's input is not a valid request; ``fields`` names every bad field."""

    kind = "invalid"

    def __init__(self, fields: Sequence[FieldError]) -> None:
        self.fields: tuple[FieldError, ...] = tuple(fields)
        text = "; ".join(f"{f.field}: {f.describe()}" for f in self.fields)
        super().__init__(f"Please fix: {text}" if text else "Invalid input")

    def for_field(self, name: str) -> FieldError | None:
        for f in self.fields:
            if f.field == name:
                return f
        return None


class CredentialError(VesslGuiError):
    """The keyring backend raised an error (locked, denied, D-Bus failure ...)."""

    kind = "keyring"


class KeyringUnavailableError(CredentialError):
    """No usable keyring backend: tokens can only be kept for this session."""

    kind = "no_keyring"


class MissingSecretError(CredentialError):
    """Secret variables of a service whose value is not in the keyring.

    It was removed outside the app, or kept for a session only when no keyring
    worked.  ``names`` lists them; the message never holds a value.
    """

    kind = "missing_secret"

    def __init__(self, message: str, names: Sequence[str]) -> None:
        super().__init__(message)
        self.names: tuple[str, ...] = tuple(names)


class StorageError(VesslGuiError):
    """The history database could not be opened, read or written."""

    kind = "storage"


class ServeError(VesslGuiError):
    """Talking to the VESSL service failed.

    ``method`` and ``url`` say which call; they never contain the token.
    """

    kind = "serve"

    def __init__(self, message: str, *, method: str = "", url: str = "") -> None:
        super().__init__(message)
        self.method = method
        self.url = url


class TransportError(ServeError):
    """No HTTP answer was received."""

    kind = "transport"


class ConnectFailedError(TransportError):
    kind = "connect"


class DNSError(TransportError):
    kind = "dns"


class TLSError(TransportError):
    kind = "tls"


class ConnectTimeoutError(TransportError):
    kind = "connect_timeout"


class ReadTimeoutError(TransportError):
    kind = "read_timeout"


class ConnectionLostError(TransportError):
    kind = "connection_lost"


class OutcomeUnknownError(TransportError):
    """A create was sent but no answer arrived: it may or may not have been created.

    Never retried automatically: create is not idempotent.
    """

    kind = "unknown"


class HTTPStatusError(ServeError):
    """The service answered with a non-2xx status."""

    kind = "http_status"

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        server_message: str = "",
        method: str = "",
        url: str = "",
    ) -> None:
        super().__init__(message, method=method, url=url)
        self.status_code = status_code
        self.server_message = server_message


class RedirectError(HTTPStatusError):
    kind = "redirect"

    def __init__(self, message: str, *, location: str = "", **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.location = location


class AuthError(HTTPStatusError):
    kind = "auth"


class NotFoundError(HTTPStatusError):
    kind = "not_found"


class PayloadTooLargeError(HTTPStatusError):
    kind = "too_large"


class RateLimitedError(HTTPStatusError):
    kind = "rate_limited"

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.retry_after = retry_after


class ClientError(HTTPStatusError):
    kind = "client_error"


class ServerError(HTTPStatusError):
    kind = "server_error"


class ProtocolError(ServeError):
    """A 2xx answer that is not what the API promises (bad JSON, no id, bad status)."""

    kind = "protocol"
