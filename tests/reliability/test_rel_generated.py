"""Bad input, generated (Hypothesis): the form, the server's answers, the curl importer.

* Any text in the five form fields gives a valid request or a ``ValidationError``
  that names each bad field with a message, in the core and through the real
  composer widgets (fewer examples there; sending goes to ``httpx.MockTransport``).
* Any status, headers and bytes from the service (or a transport failure) give a
  typed outcome: ``Submission`` / ``OutputStatus`` or a ``VesslGuiError``, which
  the history store can record, and which never quotes the token.
* The curl importer never raises on any text, and reads back what the app's own
  "copy as curl" writes.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from tests.reliability.conftest import WindowFactory
from vessl_gui.core import errors
from vessl_gui.core.client import ServeClient
from vessl_gui.core.history import HistoryStore
from vessl_gui.core.models import (
    OUTPUT_STATUSES,
    REQUEST_ID_RE,
    AsyncRequest,
    OutputStatus,
    RequestDraft,
    Submission,
)
from vessl_gui.core.validation import validate_draft

FIELDS = ("base_url", "method", "path", "data", "token")
TOKEN = "tok3nGzQ8mW1xYpL"
BASE = "https://serve.example.test/api/v1/services/svc"

# Any Unicode, lone surrogates and control characters included.
any_text = st.text(st.characters(exclude_categories=()), max_size=60)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | any_text.filter(lambda s: _utf8(s)),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=12,
)


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@st.composite
def json_texts(draw: st.DrawFn) -> str:
    """JSON text as a person might type it: valid, or damaged by one edit."""
    text = json.dumps(draw(json_values), indent=draw(st.sampled_from([None, 2])))
    edit = draw(st.sampled_from(["none", "none", "cut", "insert", "nan", "dup"]))
    if edit == "cut" and text:
        i = draw(st.integers(0, len(text) - 1))
        text = text[:i] + text[i + 1 :]
    elif edit == "insert":
        i = draw(st.integers(0, len(text)))
        text = text[:i] + draw(st.sampled_from([*",:{}[]\"'\\ \n", "NaN", "1e999"])) + text[i:]
    elif edit == "nan":
        text = f'{{"x": {draw(st.sampled_from(["NaN", "Infinity", "-Infinity"]))}}}'
    elif edit == "dup":
        text = '{"a": 1, "a": 2}'
    return text


urls = st.one_of(
    any_text,
    st.builds(
        lambda scheme, host, path, tail: f"{scheme}{host}{path}{tail}",
        st.sampled_from(["https://", "http://", "ftp://", "", "HTTPS://", " https://"]),
        st.sampled_from(["serve-api.vessl.ai", "127.0.0.1:8765", "[::1]", "", "a b", "ü.example"]),
        st.sampled_from(["/api/v1/services/x", "", "/", "/api/v1/services/x/", "//"]),
        st.sampled_from(["", "?q=1", "#f", "/", "\n", ":99999"]) | any_text,
    ),
)
methods = st.one_of(
    st.sampled_from(["POST", "get", "", " PUT ", "PATCH", "GE T", "DELETE\n"]), any_text
)
paths = st.one_of(st.sampled_from(["/", "", "predict", "/a b", "/v1/x?y=1", "/\t"]), any_text)
tokens = st.one_of(
    st.sampled_from([TOKEN, f"Bearer {TOKEN}\n", "", "bearer", "a b", "tök"]), any_text
)
drafts = st.builds(RequestDraft, urls, methods, paths, json_texts() | any_text, tokens)


def check_draft(draft: RequestDraft) -> AsyncRequest | errors.ValidationError:
    """Validate; assert the result is a usable request or a clear error. Never anything else."""
    try:
        valid = validate_draft(draft)
    except errors.ValidationError as exc:
        assert exc.fields, "an error must name at least one field"
        names = [f.field for f in exc.fields]
        assert set(names) <= set(FIELDS) and len(names) == len(set(names)), names
        for f in exc.fields:
            assert f.message.strip(), f
            if f.line is not None:
                text = getattr(draft, f.field)
                assert (
                    1 <= f.line <= text.count("\n") + 1 and f.column is not None and f.column >= 1
                )
        token = draft.token.strip()
        if len(token) >= 12 and all(token not in getattr(draft, n) for n in FIELDS[:4]):
            assert token not in exc.message, "an error message quoted the token"
        return exc
    r = valid.request
    assert r.base_url.startswith(("http://", "https://")) and not r.base_url.endswith("/")
    assert r.path.startswith("/") and r.method and r.method == r.method.upper()
    assert r.data == draft.data.strip()
    body = json.loads(r.body().decode("utf-8"))  # the create body is valid UTF-8 JSON
    assert body["method"] == r.method and body["path"] == r.path
    assert valid.token and valid.token.isprintable() and " " not in valid.token
    return r


@settings(max_examples=600, deadline=None)
@given(drafts)
@example(RequestDraft(BASE, "POST", "/", '{"a": 1}', TOKEN))
@example(RequestDraft("", "", "", "", ""))
@example(RequestDraft(BASE, "POST", "/", '"\ud800"', TOKEN))
@example(RequestDraft(BASE + "\ud800", "P\x00ST", "/\udfff", "[" * 5000, "\ud800"))
def test_any_form_text_gives_a_request_or_field_errors(draft: RequestDraft) -> None:
    check_draft(draft)


def _mock_factory() -> Any:
    ids = itertools.count(1)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(201, json={"id": f"gen{next(ids)}"})
        return httpx.Response(200, json={"status": "completed", "status_code": 200})

    return lambda *_: ServeClient(transport=httpx.MockTransport(handler))


def test_any_form_text_through_the_real_composer(qtbot: QtBot, make_window: WindowFactory) -> None:
    w = make_window(client_factory=_mock_factory())
    w.confirm = lambda *_: True  # plain http to another host: say yes (no modal dialog)
    c = w.composer
    seen = {"sent": 0, "refused": 0}

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(drafts)
    @example(RequestDraft(BASE, "post", "predict", ' {"a": [1, 2.50]}\n', f"Bearer {TOKEN}"))
    @example(RequestDraft("http://10.0.0.1/api/v1/services/x", "", "", "null", TOKEN))
    def run(draft: RequestDraft) -> None:
        c.base_url_edit.setText(draft.base_url)
        c.token_edit.setText(draft.token)
        c.method_combo.setCurrentText(draft.method)
        c.path_edit.setText(draft.path)
        c.data_editor.setPlainText(draft.data)
        held = c.to_draft()  # what the widgets really hold (they may drop some characters)
        rows = w.ctx.store.count()
        outcome = check_draft(held)
        w.send()
        assert c.to_draft() == held, "the composer lost what was typed"
        if isinstance(outcome, errors.ValidationError):
            seen["refused"] += 1
            assert w.ctx.store.count() == rows
            assert w.statusBar().currentMessage().startswith("Not sent: please fix")
            for f in outcome.fields:
                assert c.error_text(f.field), f"no message next to {f.field}"
        else:
            seen["sent"] += 1
            assert w.ctx.store.count() == rows + 1
            newest = w.ctx.store.page(0, 1)[0]
            entry = w.ctx.store.get(newest.row_id)
            assert entry is not None and entry.data == outcome.data
            assert not any(c.error_text(f) for f in FIELDS)

    run()
    assert seen["refused"] > 0 and seen["sent"] > 0, seen
    qtbot.waitUntil(lambda: w.workers is not None and w.workers.in_flight() == 0, timeout=10000)


# --------------------------------------------------------------------------- the server


header_values = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=40)
bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {}, optional={"id": json_values | st.from_regex(r"[a-z0-9]{1,20}", fullmatch=True)}
    ).map(lambda d: json.dumps(d).encode()),
    st.fixed_dictionaries(
        {"status": st.sampled_from([*OUTPUT_STATUSES, "exploded", ""]) | json_values},
        optional={
            "status_code": json_values,
            "raw_output": json_values,
            "output": json_values,
            "fail_reason": json_values,
            "message": json_values,
        },
    ).map(lambda d: json.dumps(d).encode()),
    st.just(b"[" * 3000 + b"]" * 3000),  # nested too deep for json (RecursionError)
    st.just(b'{"status": "completed", "raw_output": "\\ud83d", "fail_reason": "\\udfff"}'),
    st.just(f'{{"message": "bad token {TOKEN}"}}'.encode()),
)
RETRY_AFTERS = ["5", "²", "9" * 400, "Wed, 21 Oct 2015 07:28:00 GMT", "Mon, 01 Jan 99999 0:0:0 GMT"]
answers = st.fixed_dictionaries(
    {"status": st.integers(100, 599), "body": bodies},
    optional={
        "content-type": header_values,
        "retry-after": header_values | st.sampled_from(RETRY_AFTERS),
        "location": header_values,
    },
)
TRANSPORT_ERRORS = [
    httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadTimeout, httpx.WriteTimeout,
    httpx.PoolTimeout, httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError,
    httpx.LocalProtocolError, httpx.ProxyError, httpx.UnsupportedProtocol, httpx.DecodingError,
    httpx.TooManyRedirects,
]  # fmt: skip
failures = st.tuples(st.sampled_from(TRANSPORT_ERRORS), any_text)


def _client(answer: dict[str, Any] | tuple[type[Exception], str]) -> ServeClient:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(answer, tuple):
            cls, text = answer
            raise cls(text, request=request) if cls is not httpx.DecodingError else cls(text)
        headers = {k: v.encode("latin-1") for k, v in answer.items() if k not in ("status", "body")}
        return httpx.Response(answer["status"], headers=headers, content=answer["body"])

    return ServeClient(transport=httpx.MockTransport(handler))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with HistoryStore(Path(tmp_path_factory.mktemp("gen")) / "history.sqlite3") as s:
        yield s


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answer=answers | failures)
@example(
    answer={"status": 200, "body": b'{"status": "completed", "status_code": 1' + b"0" * 30 + b"}"}
)
@example(answer={"status": 500, "body": b'{"message": "\\ud83d half an emoji \\u0000"}'})
@example(answer=(httpx.UnsupportedProtocol, "\ud800"))  # once: a message sqlite refused
def test_any_answer_gives_a_typed_outcome_that_history_can_keep(
    store: HistoryStore, answer: Any
) -> None:
    request = AsyncRequest(BASE, "POST", "/", '{"a": 1}')
    with _client(answer) as client:
        row = store.add(request).row_id
        try:
            created = client.create(request, TOKEN)
        except errors.VesslGuiError as exc:
            assert isinstance(exc, errors.ServeError) and exc.message.strip()
            assert TOKEN not in exc.message
            store.mark_send_failed(row, exc)
        else:
            assert isinstance(created, Submission) and REQUEST_ID_RE.match(created.request_id)
            store.mark_sent(row, created)
        try:
            output = client.fetch_output(BASE, "abc123", TOKEN)
        except errors.VesslGuiError as exc:
            assert isinstance(exc, errors.ServeError) and exc.message.strip()
            assert TOKEN not in exc.message
            store.record_poll_error(row, exc)
        else:
            assert isinstance(output, OutputStatus) and output.status in OUTPUT_STATUSES
            store.record_output(row, output)
    entry = store.get(row)
    assert entry is not None and TOKEN not in entry.message


# --------------------------------------------------------------------------- curl import


shell_bits = st.sampled_from(
    ["curl", "-X", "POST", "-H", "'Authorization: Bearer x'", "-d", "--data-raw", "--json", "@-",
     "\\\n", "|", "echo", "printf", "'%s'", '"', "'", "$'a\\'b'", "${BASE_URL}", "$TOKEN", "<<EOF",
     "EOF", "\n", ";", "&&", "`", "$(", ")", "#", "--url", "https://x.example/api/v1/services/s/async",
     '{"method": "POST", "path": "/", "data": {"a": 1}}', "cat", "-", "=", "BASE_URL=", "\t", " "]
)  # fmt: skip
curl_texts = st.one_of(any_text, st.lists(shell_bits | any_text, max_size=25).map(" ".join))


@settings(max_examples=500, deadline=None)
@given(curl_texts)
@example("curl " + "'" * 10001)
@example("curl $'\\x" + "\\" * 3000)
def test_the_curl_importer_never_raises(text: str) -> None:
    from vessl_gui.core.snippets import CurlImport, parse_curl

    got = parse_curl(text)
    assert isinstance(got, CurlImport)
    assert got.kind in ("create", "output", "url", "unknown")
    if got.kind == "unknown":
        assert got.problems, "an unusable command must say why"


valid_requests = st.builds(
    AsyncRequest,
    st.sampled_from([BASE, "http://127.0.0.1:8765/api/v1/services/demo", "https://h.example"]),
    st.sampled_from(["POST", "GET", "PUT", "X-CUSTOM"]),
    st.sampled_from(["/", "/predictions/m", "/v1/x?y='1'&z=\"2\"", "/%20"]),
    json_values.map(lambda v: json.dumps(v, ensure_ascii=False)).filter(_utf8),
)


@settings(max_examples=300, deadline=None)
@given(valid_requests)
def test_copy_as_curl_reads_back_the_same_request(request: AsyncRequest) -> None:
    from vessl_gui.core.snippets import curl_create, parse_curl

    got = parse_curl(curl_create(request))
    assert (got.kind, got.base_url, got.method, got.path, got.data) == (
        "create",
        request.base_url,
        request.method,
        request.path,
        request.data,
    ), got.problems
    assume(True)
