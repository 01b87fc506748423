"""Property tests: any JSON survives copy-as-curl -> import-from-curl, and the REAL curl
and Python send it byte-exact; parse_curl never raises on any text."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.core.snippets.test_code import TOKEN, needs_curl
from vessl_gui.core.errors import ValidationError
from vessl_gui.core.models import AsyncRequest
from vessl_gui.core.snippets.code import curl_create, python_create, shell_quote
from vessl_gui.core.snippets.curl_import import parse_curl
from vessl_gui.core.snippets.curl_options import PLACEHOLDER_RE
from vessl_gui.core.validation import (
    check_json,
    normalize_base_url,
    normalize_method,
    normalize_path,
    validate_request,
)
from vessl_gui.core.variables import references
from vessl_gui.emulator import Emulator

_WS = st.sampled_from(["", " ", "\n", "  ", "\t", "\r\n", "\n    ", " \r "])
_NUMBERS = st.one_of(
    st.sampled_from(["0", "-0", "1.0", "1e400", "-1E-400", "2E+7", "0.1", str(2**70), "-0.0"]),
    st.integers(min_value=-(2**100), max_value=2**100).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
)
_STRINGS = st.text().flatmap(
    lambda s: st.sampled_from([json.dumps(s), json.dumps(s, ensure_ascii=False)])
)
_LEAVES = st.one_of(st.sampled_from(["null", "true", "false"]), _NUMBERS, _STRINGS)


def _containers(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    arrays = st.lists(st.tuples(_WS, children, _WS), max_size=4).map(
        lambda items: "[" + ",".join(a + v + b for a, v, b in items) + "]"
    )
    objects = st.lists(
        st.tuples(_WS, st.text(max_size=6), _WS, _WS, children, _WS),
        max_size=4,
        unique_by=lambda t: t[1],
    ).map(
        lambda items: (
            "{"
            + ",".join(
                a + json.dumps(k, ensure_ascii=False) + b + ":" + c + v + d
                for a, k, b, c, v, d in items
            )
            + "}"
        )
    )
    return arrays | objects


#: Any JSON text (key order, number spelling and whitespace as written).
JSON_TEXT = st.recursive(_LEAVES, _containers, max_leaves=25).map(str.strip)

_URL_CHARS = st.text(
    alphabet=st.sampled_from("abcXYZ019-._~'$!&()*+,;=:@%`\"\\é"), min_size=1, max_size=12
)
BASE_URLS = st.builds(
    lambda scheme, host, slug: f"{scheme}://{host}/api/v1/services/{slug}",
    st.sampled_from(["http", "https"]),
    st.sampled_from(["127.0.0.1:8765", "serve-api.vessl.ai", "[::1]:80", "h.io"]),
    _URL_CHARS,
)
METHODS = st.text(alphabet=st.sampled_from("!#$%&'*+-.^_`|~0aZ9"), min_size=1, max_size=8)
PATHS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Cc", "Zl", "Zp")), max_size=20
)
TOKENS = st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1)


@st.composite
def requests(draw: st.DrawFn) -> AsyncRequest:
    data = draw(JSON_TEXT)
    assert check_json(data) is None, data
    try:
        request = AsyncRequest(
            normalize_base_url(draw(BASE_URLS)),
            normalize_method(draw(METHODS)),
            normalize_path(draw(PATHS)),
            data,
        )
    except ValidationError:
        assume(False)
        raise
    assume(not references(request.path, request.data))  # {{name}}: see test_variables.py
    return request


@settings(max_examples=300, deadline=None)
@given(requests(), st.none() | TOKENS)
def test_any_request_survives_copy_as_curl_then_import(request, token):
    # "$…", "...", "<…>" and the like read as placeholders, not tokens.
    assume(token is None or not PLACEHOLDER_RE.search(token.strip()))
    got = parse_curl(curl_create(request, token=token))
    assert got.problems == ()
    assert got.kind == "create"
    assert got.base_url == request.base_url
    assert got.method == request.method
    assert got.path == request.path
    assert got.data == request.data  # the text itself, not just an equal value
    assert got.token == token


@settings(max_examples=200, deadline=None)
@given(requests(), st.none() | TOKENS)
def test_copy_as_python_compiles_and_holds_the_exact_body(request, token):
    code = python_create(request, token=token)
    compile(code, "snippet.py", "exec")
    values = {
        n.targets[0].id: ast.literal_eval(n.value)
        for n in ast.parse(code).body
        if isinstance(n, ast.Assign)
        and isinstance(n.targets[0], ast.Name)
        and n.targets[0].id in ("body", "base_url", "token")
        and not isinstance(n.value, ast.Subscript)
    }
    assert values["body"].encode("utf-8") == request.body()
    assert values["base_url"] == request.base_url
    assert values.get("token") == token


@settings(max_examples=200, deadline=None)
@given(
    data=JSON_TEXT,
    ws=st.lists(_WS, min_size=12, max_size=12),
    order=st.permutations(["method", "path", "data"]),
    option=st.sampled_from(["-d", "--data-raw", "--data-binary", "--json"]),
)
def test_a_hand_written_body_keeps_data_exact(data, ws, order, option):
    values = {"method": '"PATCH"', "path": '"/x"', "data": data}
    members = [
        f'{ws[3 * i]}"{k}"{ws[3 * i + 1]}:{ws[3 * i + 2]}{values[k]}' for i, k in enumerate(order)
    ]
    body = ws[9] + "{" + ",".join(members) + ws[10] + "}" + ws[11]
    got = parse_curl(f"curl https://h.io/s/async {option} {shell_quote(body)}")
    assert got.problems == ()
    assert (got.method, got.path, got.data) == ("PATCH", "/x", data)


_SHELLISH = st.sampled_from(
    [
        "curl",
        " ",
        "\n",
        "\\\n",
        "'",
        '"',
        "$'",
        "$",
        "${",
        "}",
        "`",
        "$(",
        "|",
        "&&",
        ";",
        "<<",
        "<<'EOF'",
        "EOF",
        "<<<",
        "<",
        ">",
        "2>&1",
        "#",
        "-d",
        "--json",
        "@-",
        "-H",
        "Authorization: Bearer x",
        "-X",
        "--url",
        "https://h.io/async",
        "/async/abc/output",
        '{"data": 1}',
        "{",
        "echo",
        "printf",
        "%s",
        "cat",
        "TOKEN=",
        "export",
        "(",
        ")",
        "\r\n",
        "\\",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.text() | st.lists(_SHELLISH | st.text(max_size=5), max_size=30).map("".join))
def test_parse_curl_never_raises_and_never_hits_its_safety_net(text):
    got = parse_curl(text)
    assert got.kind in ("create", "output", "url", "unknown")
    assert all(isinstance(p, str) and p for p in got.problems)
    assert not any("internal error" in p for p in got.problems), got.problems


# --------------------------------------------------- real curl / Python, random data


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(token=TOKEN, queue_delay=0.05, run_time=0.05) as e:
        yield e
    assert e.internal_errors == []


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("snippets")


def _run(argv: list[str], workdir: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(workdir), "LC_ALL": "C.UTF-8", "TOKEN": TOKEN}
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, check=False)


# Big integers past Python's 4300-digit limit and deep nesting are refused by the
# emulator's json module, not by the snippets: the generated data stays small here.
@needs_curl
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=JSON_TEXT, path=PATHS)
def test_real_curl_sends_any_json_byte_exact(emu, workdir, data, path):
    request = validate_request(emu.base_url, "POST", path or "/", data)
    assume(not references(request.path, request.data))  # {{name}}: see test_variables.py
    script = workdir / "create.sh"
    script.write_text(curl_create(request), encoding="utf-8")
    result = _run(["bash", str(script)], workdir)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"]
    assert emu.received()[-1].body == request.body()


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=JSON_TEXT)
def test_real_python_sends_any_json_byte_exact(emu, workdir, data):
    request = validate_request(emu.base_url, "POST", "/", data)
    assume(not references(request.path, request.data))  # {{name}}: see test_variables.py
    script = workdir / "create.py"
    script.write_text(python_create(request), encoding="utf-8")
    result = _run([sys.executable, "-W", "error", str(script)], workdir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert emu.received()[-1].body == request.body()
