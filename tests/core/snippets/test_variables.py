"""Copy as curl / Python of a request with {{name}} variables: the text, and the REAL curl
(sh, bash, zsh) and Python run against the emulator with the variables in the environment.

The body the emulator receives is compared byte for byte with what the app sends:
``resolve_request(...).wire.body()``.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.snippets.test_code import TOKEN, needs_curl
from vessl_gui.core.models import AsyncRequest
from vessl_gui.core.snippets.code import body_parts, curl_create, python_create
from vessl_gui.core.validation import validate_request
from vessl_gui.core.variables import Variable, json_fragment, resolve, resolve_request
from vessl_gui.emulator import Emulator

PATH = "/v1/{{model}}/infer"
DATA = (
    '{\n  "prompt": "Q: {{question}}\\nA:",\n  "key": "Bearer {{api_key}}",'
    '\n  "{{model}}": [1.0, 1e400, 123456789012345678901234567890, "\\u00e9 {{model}}"]\n}'
)
# What a shell could mangle: $, `, ', !, %, spaces, globs, non-ASCII; no " \ or control chars.
SHELLISH = "it's $HOME ${HOME} $(id) `id` !! %s %d * ? [a] ~ é 日本 🎉"


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(token=TOKEN, queue_delay=0.05, run_time=0.05) as e:
        yield e
    assert e.internal_errors == []


def _run(
    command: list[str], tmp_path: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    full = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LC_ALL": "C.UTF-8", "TOKEN": TOKEN}
    return subprocess.run(
        command, env={**full, **env}, capture_output=True, text=True, timeout=60, check=False
    )


def _script(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _sent(emu: Emulator, request: AsyncRequest, variables: list[Variable]) -> bytes:
    """What the app itself sends for ``request`` with ``variables``."""
    return resolve_request(request, variables).wire.body()


# ----------------------------------------------------------------- the text


def test_curl_text() -> None:
    r = AsyncRequest("https://h.io/s", "POST", "/v/{{model}}", '{"k": "{{api_key}}", "n": 1}')
    assert curl_create(r) == (
        "# Variables: model, api_key. Set model, api_key before running: "
        "export model='<value>' api_key='<value>'\n"
        '# (the shell inserts a value as it is: write a " or \\ in it as \\" or \\\\, '
        "as in JSON).\n"
        "BASE_URL='https://h.io/s'\n"
        ': "${model?}" "${api_key?}" &&\n'
        "printf '%s' "
        """'{"method": "POST", "path": "/v/'"${model}"'", "data": {"k": "'"${api_key}"'", """
        """"n": 1}}' | curl \\\n"""
        '    -H "Authorization: Bearer ${TOKEN}" \\\n'
        '    "${BASE_URL}/async" \\\n'
        "    --json @-\n"
    )


def test_plain_values_are_written_json_escaped_and_secrets_never() -> None:
    r = AsyncRequest("https://h.io/s", "POST", "/", '["{{a}}", "{{k}}"]')
    variables = [
        Variable("a", 'say "hi"\n'),
        Variable("k", "SECRET-VALUE", True),
        Variable("z", ""),
    ]
    script = curl_create(r, variables=variables)
    assert "a='say \\\"hi\\\"\\n'\n" in script  # JSON-escaped, then shell-quoted
    assert "SECRET-VALUE" not in script and "z=" not in script
    assert "Set k before running: export k='<value>'" in script
    code = python_create(r, variables=variables)
    assert "SECRET-VALUE" not in code
    assert '"a": \'say "hi"\\n\',' in code and '"k": os.environ["k"],' in code
    assert "from the environment (export k=<value>), or set here." in code
    both = [Variable("a", "x"), Variable("k", "y")]
    assert "# Variables: a, k (set below, JSON-escaped).\n" in curl_create(r, variables=both)
    assert "# Variables ({{name}} in vessl-gui): set here.\n" in python_create(r, variables=both)


def test_names_no_variable_may_have_stay_text() -> None:
    r = AsyncRequest(
        "https://h.io/s", "POST", "/{{PATH}}", '["{{TOKEN}}", "{{BASE_URL}}", "{{ok}}"]'
    )
    script = curl_create(r)
    assert "${TOKEN}" not in script.split("-H")[0] and "{{TOKEN}}" in script
    assert "{{PATH}}" in script and "{{BASE_URL}}" in script and '"${ok}"' in script
    assert 'os.environ["TOKEN"]  #' in python_create(r)  # only the token line reads it
    assert 'variables["TOKEN"]' not in python_create(r)


def test_without_references_nothing_changes() -> None:
    r = AsyncRequest("https://h.io/s", "POST", "/", '{"a": "{{ not }}", "{{k}}": 1}')
    assert body_parts(r) == [r.body().decode()]
    assert "Variables" not in curl_create(r) and "import json" not in python_create(r)


def test_python_code_compiles() -> None:
    r = AsyncRequest("https://h.io/s", "POST", PATH, DATA)
    code = python_create(r, variables=[Variable("model", "m")])
    ast.parse(code)
    compile(code, "snippet.py", "exec")


_PIECES = st.lists(
    st.one_of(
        st.text(max_size=5),
        st.sampled_from(["{{a}}", "{{b_2}}", "{{TOKEN}}", "{{", "}}", '"', "\\"]),
    ),
    max_size=6,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(
    path=_PIECES,
    doc=st.recursive(
        _PIECES | st.integers(),
        lambda c: st.lists(c, max_size=3) | st.dictionaries(_PIECES, c, max_size=3),
    ),
    a=st.text(),
    b=st.text(),
)
def test_body_parts_are_what_resolve_sends(path: str, doc: object, a: str, b: str) -> None:
    r = AsyncRequest("https://h.io/s", "POST", "/" + path, json.dumps(doc, ensure_ascii=False))
    values = {"a": json_fragment(a), "b_2": json_fragment(b)}
    joined = "".join(
        values.get(p[0], "{{" + p[0] + "}}") if isinstance(p, tuple) else p for p in body_parts(r)
    )
    sent = resolve(r.path, r.data, [Variable("a", a), Variable("b_2", b, True)])  # errors aside
    assert joined.encode() == AsyncRequest(r.base_url, r.method, sent.path, sent.data).body()


# ------------------------------------------------------ real curl, real Python


@needs_curl
@pytest.mark.parametrize("shell", ["sh", "bash", "zsh"])
def test_real_curl_with_the_variables_in_the_environment(emu, tmp_path, shell) -> None:
    if shutil.which(shell, path="/usr/bin:/bin") is None:
        pytest.skip(f"{shell} is not installed")
    r = validate_request(emu.base_url, "POST", PATH, DATA)
    env = {"model": "my-model", "question": SHELLISH, "api_key": "sk-'$x'"}
    result = _run([shell, _script(tmp_path, "s.sh", curl_create(r))], tmp_path, env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"]
    rec = emu.received()[-1]
    expected = _sent(emu, r, [Variable(k, v, k == "api_key") for k, v in env.items()])
    assert rec.body == expected
    assert rec.path == "/api/v1/services/demo/async"
    assert json.loads(rec.body)["path"] == "/v1/my-model/infer"


@needs_curl
def test_real_curl_sends_a_json_escaped_environment_value_exactly(emu, tmp_path) -> None:
    r = validate_request(emu.base_url, "POST", "/", '{"q": "{{question}}"}')
    value = 'quote " backslash \\ line\nbreak tab\t'
    env = {"question": json_fragment(value)}  # the shell inserts it as it is
    result = _run(["bash", _script(tmp_path, "s.sh", curl_create(r))], tmp_path, env)
    assert result.returncode == 0, result.stderr
    assert emu.received()[-1].body == _sent(emu, r, [Variable("question", value)])


@needs_curl
def test_real_curl_with_plain_values_in_the_script_and_a_secret_outside(emu, tmp_path) -> None:
    r = validate_request(emu.base_url, "POST", PATH, DATA)
    variables = [
        Variable("model", "m-1"),
        Variable("question", 'any "text" \\ with\nlines ' + SHELLISH),
        Variable("api_key", "from-env", secret=True),
    ]
    script = curl_create(r, variables=variables)
    assert "from-env" not in script
    result = _run(["sh", _script(tmp_path, "s.sh", script)], tmp_path, {"api_key": "from-env"})
    assert result.returncode == 0, result.stderr
    assert emu.received()[-1].body == _sent(emu, r, variables)


@needs_curl
def test_real_curl_stops_before_sending_when_a_variable_is_not_set(emu, tmp_path) -> None:
    r = validate_request(emu.base_url, "POST", PATH, DATA)
    before = len(emu.received())
    for shell in ("sh", "bash"):
        result = _run([shell, _script(tmp_path, "s.sh", curl_create(r))], tmp_path, {"model": "m"})
        assert result.returncode != 0
        assert "question" in result.stderr and "parameter not set" in result.stderr
    assert len(emu.received()) == before  # nothing was sent


def test_real_python_with_any_value_in_the_environment(emu, tmp_path) -> None:
    r = validate_request(emu.base_url, "POST", PATH, DATA)
    env = {
        "model": "my-model",
        "question": 'quote " backslash \\ line\nbreak \t \x01 \x7f é 日本 🎉 \u2028 ' + SHELLISH,
        "api_key": "sk-secret",
    }
    result = _run(
        [sys.executable, "-W", "error", _script(tmp_path, "s.py", python_create(r))], tmp_path, env
    )
    assert result.returncode == 0, result.stderr
    rec = emu.received()[-1]
    assert rec.body == _sent(emu, r, [Variable(k, v, k == "api_key") for k, v in env.items()])
    assert rec.header("User-Agent").startswith("python-httpx/")


def test_real_python_with_plain_values_written_in(emu, tmp_path) -> None:
    r = validate_request(emu.base_url, "POST", PATH, DATA)
    variables = [
        Variable("model", "m"),
        Variable("question", '"\\\n'),
        Variable("api_key", "k", True),
    ]
    code = python_create(r, variables=variables)
    result = _run(
        [sys.executable, "-W", "error", _script(tmp_path, "s.py", code)], tmp_path, {"api_key": "k"}
    )
    assert result.returncode == 0, result.stderr
    assert emu.received()[-1].body == _sent(emu, r, variables)


def test_real_python_stops_before_sending_when_a_variable_is_not_set(emu, tmp_path) -> None:
    r = validate_request(emu.base_url, "POST", "/", '["{{absent}}"]')
    before = len(emu.received())
    env = {k: v for k, v in os.environ.items() if k == "absent"}
    result = _run([sys.executable, _script(tmp_path, "s.py", python_create(r))], tmp_path, env)
    assert result.returncode != 0 and "KeyError: 'absent'" in result.stderr
    assert len(emu.received()) == before
