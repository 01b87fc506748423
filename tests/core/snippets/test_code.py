"""Copy as curl / Python: the text itself, and the REAL curl and Python run against the emulator.

The scripts are written to a file and run with ``bash``/``sh``; the token reaches them
through the environment (``TOKEN``), never through the test's argv.  ``HOME`` points
at an empty directory so no ``~/.curlrc`` changes what curl sends.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from vessl_gui.core.models import AsyncRequest
from vessl_gui.core.snippets.code import curl_create, curl_output, python_create, shell_quote
from vessl_gui.core.validation import validate_request
from vessl_gui.emulator import Emulator

CURL = "/usr/bin/curl"
TOKEN = "tok-'$`!\"\\x"  # every shell-special character a header-safe token can hold


def _curl_version() -> tuple[int, ...] | None:
    if not os.access(CURL, os.X_OK):
        return None
    out = subprocess.run([CURL, "--version"], capture_output=True, text=True, timeout=10).stdout
    match = re.match(r"curl (\d+)\.(\d+)\.(\d+)", out)
    return tuple(int(x) for x in match.groups()) if match else None


_VERSION = _curl_version()
needs_curl = pytest.mark.skipif(
    _VERSION is None or _VERSION < (7, 82, 0), reason="needs curl >= 7.82 (--json)"
)


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(token=TOKEN, queue_delay=0.05, run_time=0.05) as e:
        yield e
    assert e.internal_errors == []


def _env(home: Path, token: str | None) -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LC_ALL": "C.UTF-8"}
    if token is not None:
        env["TOKEN"] = token
    return env


def run_shell(shell: str, script: str, tmp_path: Path, token: str | None) -> str:
    path = tmp_path / "snippet.sh"
    path.write_text(script, encoding="utf-8")
    result = subprocess.run(
        [shell, str(path)],
        env=_env(tmp_path, token),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def run_python(code: str, tmp_path: Path, token: str | None) -> str:
    path = tmp_path / "snippet.py"
    path.write_text(code, encoding="utf-8")
    env = _env(tmp_path, token)
    result = subprocess.run(
        [sys.executable, "-W", "error", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


PAYLOADS = {
    "single quotes": ("/p", '{"q": "it\'s \'quoted\'", "\'": 1}'),
    "newlines": ("/", '{\n  "a": "x\\ny",\n  "b": [\n    1,\n    2\n  ]\n}'),
    "dollar": ("/$HOME/$(id)", '{"v": "$HOME ${HOME} $(id) $1 $$"}'),
    "backticks": ("/`id`", '{"v": "`id` `echo hi`"}'),
    "bang": ("/!!", '{"s": "!event !! !-1 ^x^y"}'),
    "unicode": ("/ünï/日本", '{"t": "héllo 🎉 \u2028 日本 \u0301", "é": "\\u00e9"}'),
    "backslashes": ("/", '{"p": "C:\\\\path\\\\to", "n": "\\n\\t\\"", "x": "\\\\x41 \\\\0"}'),
    "printf specials": ("/", '["%s %d %%", "\\\\n", "%b"]'),
    "numbers": ("/", "[1.0, 1e400, 123456789012345678901234567890, -0.0, 2E-7]"),
    "tabs and CR": ("/", '{"a":\t1,\r\n"b":\r\n2}'),
    "scalar": ("/", '"just a string"'),
    "null": ("/", "null"),
}


def _request(emu: Emulator, path: str, data: str) -> AsyncRequest:
    return validate_request(emu.base_url, "POST", path, data)


# ----------------------------------------------------------------- the text


def test_curl_create_is_the_api_page_style():
    r = AsyncRequest("https://h.io/api/v1/services/svc", "POST", "/x", '{"question": "hi"}')
    assert curl_create(r) == (
        "BASE_URL='https://h.io/api/v1/services/svc'\n"
        """printf '%s' '{"method": "POST", "path": "/x", "data": {"question": "hi"}}' | curl \\\n"""
        '    -H "Authorization: Bearer ${TOKEN}" \\\n'
        '    "${BASE_URL}/async" \\\n'
        "    --json @-\n"
    )


def test_the_token_appears_only_when_included():
    r = AsyncRequest("https://h.io/s", "POST", "/", "{}")
    secret = "sekrit-123"
    for text in (curl_create(r), curl_output(r.base_url, "abc"), python_create(r)):
        assert secret not in text
    assert curl_create(r, token=secret).startswith("TOKEN='sekrit-123'\n")
    assert curl_output(r.base_url, "abc", token=secret).startswith("TOKEN='sekrit-123'\n")
    assert "token = 'sekrit-123'" in python_create(r, token=secret)
    assert 'os.environ["TOKEN"]' in python_create(r)


def test_curl_output_text_and_odd_ids_are_encoded():
    assert curl_output("https://h.io/s/", "98nlux8b0eu6") == (
        "BASE_URL='https://h.io/s'\n"
        "curl \\\n"
        '    -H "Authorization: Bearer ${TOKEN}" \\\n'
        '    "${BASE_URL}/async/98nlux8b0eu6/output"\n'
    )
    odd = curl_output("https://h.io/s", 'x"$(rm -rf ~)`/')
    assert '"${BASE_URL}/async/x%22%24%28rm%20-rf%20~%29%60%2F/output"' in odd


def test_shell_quote():
    assert shell_quote("") == "''"
    assert shell_quote("it's") == "'it'\\''s'"


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_python_create_is_valid_python_with_the_exact_body(name):
    path, data = PAYLOADS[name]
    r = validate_request("https://h.io/s", "POST", path, data)
    code = python_create(r)
    tree = ast.parse(code)
    compile(code, "snippet.py", "exec")
    [body] = [
        n.value
        for n in tree.body
        if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name)
        if n.targets[0].id == "body"
    ]
    assert ast.literal_eval(body).encode("utf-8") == r.body()


# ------------------------------------------------------ real curl, real Python


@needs_curl
@pytest.mark.parametrize("name", list(PAYLOADS))
def test_real_curl_sends_the_exact_body(emu, tmp_path, name):
    path, data = PAYLOADS[name]
    r = _request(emu, path, data)
    out = run_shell("bash", curl_create(r), tmp_path, TOKEN)
    assert re.fullmatch(r'\{"id": "[a-z0-9]{1,16}"\}', out), out
    rec = emu.received()[-1]
    assert rec.method == "POST" and rec.path == "/api/v1/services/demo/async"
    assert rec.body == r.body()
    assert rec.header("Authorization") == f"Bearer {TOKEN}"
    assert rec.header("Content-Type") == "application/json"
    sent = json.loads(rec.body)
    assert sent["path"] == path and sent["method"] == "POST"
    assert emu.status_of(json.loads(out)["id"]) is not None


@needs_curl
@pytest.mark.parametrize("shell", ["sh", "bash", "zsh"])
def test_real_curl_in_other_shells(emu, tmp_path, shell):
    if shutil.which(shell, path="/usr/bin:/bin") is None:
        pytest.skip(f"{shell} is not installed")
    # Backslash escapes are what `echo` would break in zsh and dash.
    r = _request(emu, "/it's", '{"n": "a\\nb \\u00e9 \\\\ \\" $HOME `x`", "q": "\'"}')
    out = run_shell(shell, curl_create(r), tmp_path, TOKEN)
    assert json.loads(out)["id"]
    assert emu.received()[-1].body == r.body()


@needs_curl
def test_real_curl_with_the_token_included(emu, tmp_path):
    r = _request(emu, "/", '{"a": 1}')
    out = run_shell("bash", curl_create(r, token=TOKEN), tmp_path, token=None)
    assert json.loads(out)["id"]
    rec = emu.received()[-1]
    assert rec.header("Authorization") == f"Bearer {TOKEN}"
    assert rec.body == r.body()


@needs_curl
def test_real_curl_output(emu, tmp_path):
    r = _request(emu, "/echo", '{"x": "y"}')
    rid = json.loads(run_shell("bash", curl_create(r), tmp_path, TOKEN))["id"]
    out = json.loads(run_shell("bash", curl_output(emu.base_url, rid), tmp_path, TOKEN))
    assert out["status"] in ("pending", "in_progress", "completed")
    rec = emu.received()[-1]
    assert rec.method == "GET" and rec.path == f"/api/v1/services/demo/async/{rid}/output"
    assert rec.header("Authorization") == f"Bearer {TOKEN}"
    # and with the token included in the script instead of the environment
    out = json.loads(run_shell("bash", curl_output(emu.base_url, rid, TOKEN), tmp_path, None))
    assert out["status"] in ("pending", "in_progress", "completed")


@needs_curl
def test_real_curl_without_a_token_is_refused(emu, tmp_path):
    r = _request(emu, "/", "1")
    path = tmp_path / "snippet.sh"
    path.write_text(curl_create(r).replace("--json @-", "--json @- --fail"), encoding="utf-8")
    result = subprocess.run(
        ["bash", str(path)], env=_env(tmp_path, None), capture_output=True, timeout=60
    )
    assert result.returncode == 22  # curl --fail: HTTP 401
    assert emu.received()[-1].header("Authorization").strip() == "Bearer"  # ${TOKEN} unset


@pytest.mark.parametrize("name", ["single quotes", "unicode", "backslashes", "numbers", "null"])
def test_real_python_sends_the_exact_body(emu, tmp_path, name):
    path, data = PAYLOADS[name]
    r = _request(emu, path, data)
    out = run_python(python_create(r), tmp_path, TOKEN)
    assert re.fullmatch(r"[a-z0-9]{1,16}", out.strip()), out
    rec = emu.received()[-1]
    assert rec.body == r.body()
    assert rec.header("Authorization") == f"Bearer {TOKEN}"
    assert rec.header("User-Agent").startswith("python-httpx/")


def test_real_python_with_the_token_included(emu, tmp_path):
    r = _request(emu, "/", '{"multi": [\n  1,\n  2\n]}')
    out = run_python(python_create(r, token=TOKEN), tmp_path, token=None)
    assert re.fullmatch(r"[a-z0-9]{1,16}", out.strip())
    assert emu.received()[-1].body == r.body()
