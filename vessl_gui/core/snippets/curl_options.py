"""What each curl option means to an import, and reading curl's argument list.

:func:`read_curl` turns curl's arguments (each already expanded by the shell:
``(text, unknown variables in it)``) into a :class:`Curl`: the URLs, ``-X``, the
data options, a literal Bearer token, and a problem for every option that
vessl-gui does not use or cannot honour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from vessl_gui.core.errors import ValidationError
from vessl_gui.core.validation import normalize_token

# Options: what they take and what they mean to us.
_ARG_OPTS: Final = {
    "-d": "data",
    "--data": "data",
    "--data-ascii": "data",
    "--data-binary": "binary",
    "--data-raw": "raw",
    "--json": "json",
    "-X": "request",
    "--request": "request",
    "-H": "header",
    "--header": "header",
    "--url": "url",
    "--oauth2-bearer": "bearer",
    "-u": "user",
    "--user": "user",
    "-F": "form",
    "--form": "form",
    "--form-string": "form",
    "--data-urlencode": "urlencode",
    "-T": "upload",
    "--upload-file": "upload",
    "-K": "config",
    "--config": "config",
    "-b": "cookie",
    "--cookie": "cookie",
    "--cacert": "cacert",
}
# fmt: off
_IGNORED_ARG_OPTS: Final = frozenset((
        "-o", "--output", "-w", "--write-out", "-m", "--max-time", "--connect-timeout",
        "--retry", "--retry-delay", "--retry-max-time", "-A", "--user-agent", "-e", "--referer",
        "--capath", "--cert", "-E", "--key", "--cert-type", "--key-type", "-x", "--proxy",
        "--noproxy", "-c", "--cookie-jar", "--resolve", "--connect-to", "--limit-rate",
        "--stderr", "--trace", "--trace-ascii", "--proto", "--proto-redir", "--interface",
        "--dns-servers", "--max-redirs", "--expect100-timeout", "--keepalive-time",
        "--trace-config", "-D", "--dump-header", "--output-dir", "--max-filesize",
        "--happy-eyeballs-timeout-ms", "--proxy-user", "-U",
))
# fmt: on
# fmt: off
_IGNORED_FLAGS: Final = frozenset((
        "-s", "--silent", "-S", "--show-error", "-v", "--verbose", "-i", "--include", "-L",
        "--location", "-f", "--fail", "--fail-with-body", "--compressed", "-g", "--globoff",
        "-#", "--progress-bar", "-N", "--no-buffer", "--http1.0", "--http1.1", "--http2",
        "--http2-prior-knowledge", "--http3", "-4", "-6", "--ipv4", "--ipv6",
        "--no-progress-meter", "--location-trusted", "--tr-encoding", "--raw", "--ssl-reqd",
        "--no-keepalive", "--retry-all-errors", "--retry-connrefused", "--create-dirs",
        "--no-sessionid", "--path-as-is", "-0", "-1", "-2", "-3", "--tlsv1.2", "--tlsv1.3",
        "--tcp-nodelay", "--fail-early", "-q", "--disable",
))
# fmt: on
_FLAG_PROBLEMS: Final = {
    "-k": "insecure",
    "--insecure": "insecure",
    "-G": "get",
    "--get": "get",
    "-I": "head",
    "--head": "head",
    "-n": "netrc",
    "--netrc": "netrc",
}
# fmt: off
_QUIET_HEADERS: Final = frozenset((
        "accept", "accept-encoding", "accept-language", "user-agent", "content-type",
        "content-length", "connection", "origin", "referer", "dnt", "priority", "cache-control",
        "pragma", "expect", "host", "te",
))
# fmt: on
PLACEHOLDER_RE: Final = re.compile(r"^(?:<.*>|\.\.\.|…|\[.*\]|\{.*\})$|\$\{?[A-Za-z_]")


@dataclass
class Curl:
    urls: list[tuple[str, list[str]]] = field(default_factory=list)
    method: str | None = None
    data: list[tuple[str, str, list[str]]] = field(default_factory=list)
    """(option kind, value, unknown variables in it)"""
    token: str | None = None
    problems: list[str] = field(default_factory=list)


def read_curl(args: list[tuple[str, list[str]]]) -> Curl:
    cur = Curl()
    i = 0

    def take(name: str) -> tuple[str, list[str]] | None:
        nonlocal i
        if i < len(args):
            i += 1
            return args[i - 1]
        cur.problems.append(f"curl option {name} is missing its value")
        return None

    def apply(name: str, value: tuple[str, list[str]] | None) -> None:
        kind = _ARG_OPTS.get(name)
        if value is None:
            return
        text, unknown = value
        if kind in ("data", "binary", "raw", "json"):
            cur.data.append((kind, text, unknown))
        elif kind == "request":
            cur.method = text
        elif kind == "url":
            cur.urls.append(value)
        elif kind == "header":
            _read_header(cur, text, unknown)
        elif kind == "bearer":
            _offer_token(cur, text, unknown)
        elif kind == "cacert":
            cur.problems.append(
                f"curl {name}: set the CA bundle in the service's settings (not imported)"
            )
        elif kind is not None:
            what = {
                "user": "user name and password (-u) are not used: the API takes a Bearer token",
                "form": "form fields (-F) are not supported: the API takes a JSON body",
                "urlencode": "--data-urlencode is not supported: the API takes a JSON body",
                "upload": "uploading a file (-T) is not supported",
                "config": "a curl config file (-K) cannot be read",
                "cookie": "cookies (-b) are not used by the API (ignored)",
            }[kind]
            cur.problems.append(f"curl {name}: {what}")

    def flag(name: str) -> None:
        if name in _FLAG_PROBLEMS:
            what = {
                "insecure": "turns off TLS certificate checks; vessl-gui keeps them on "
                "(change it in the service's settings)",
                "get": "sends the data in the URL query, which the API does not read",
                "head": "asks for headers only (HEAD), which the API does not use",
                "netrc": "reads credentials from ~/.netrc, which vessl-gui does not",
            }[_FLAG_PROBLEMS[name]]
            cur.problems.append(f"curl {name} {what}")
        elif name not in _IGNORED_FLAGS:
            cur.problems.append(f"unknown curl option {name} (ignored)")

    while i < len(args):
        text, unknown = args[i]
        i += 1
        if text == "--":
            cur.urls.extend(args[i:])
            break
        if text.startswith("--"):
            if text in _ARG_OPTS:
                apply(text, take(text))
            elif text in _IGNORED_ARG_OPTS:
                take(text)
            else:
                flag(text)
        elif text.startswith("-") and len(text) > 1:
            j = 1
            while j < len(text):
                name = "-" + text[j]
                j += 1
                if name in _ARG_OPTS or name in _IGNORED_ARG_OPTS:
                    rest = text[j:]
                    value = (rest, unknown) if rest else take(name)
                    if name in _ARG_OPTS:
                        apply(name, value)
                    break
                flag(name)
        else:
            cur.urls.append((text, unknown))
    return cur


def _offer_token(cur: Curl, text: str, unknown: list[str]) -> None:
    if unknown or PLACEHOLDER_RE.match(text.strip()):
        return  # a placeholder such as ${TOKEN}: not a token
    try:
        cur.token = normalize_token(text)
    except ValidationError:
        cur.problems.append("the Bearer token in the command is not a valid token (not imported)")


def _read_header(cur: Curl, text: str, unknown: list[str]) -> None:
    if text.startswith("@"):
        cur.problems.append("headers read from a file (-H @file) cannot be imported")
        return
    name, colon, value = text.partition(":")
    name = name.strip()
    if not colon or not name:
        cur.problems.append("a -H header without 'Name: value' was ignored")
        return
    low = name.lower()
    if low == "authorization":
        scheme, _, credentials = value.strip().partition(" ")
        if scheme.lower() != "bearer":
            cur.problems.append("the Authorization header is not a Bearer token (ignored)")
            return
        _offer_token(cur, credentials, unknown)
    elif low == "content-type":
        if "json" not in value.lower() and not unknown:
            cur.problems.append(
                f"Content-Type {value.strip()!r} is not JSON; vessl-gui always sends JSON"
            )
    elif low not in _QUIET_HEADERS and not low.startswith("sec-"):
        cur.problems.append(f"header {name!r} is not sent by vessl-gui (ignored)")
