"""The API page's own examples (seed/create-async-request.md) run against the emulator.

Token and base URL travel in the environment, never in the test's argv.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

CURL = "/usr/bin/curl"

# Exactly the page's shell example, without its "$ " prompt.
CURL_EXAMPLE = """\
echo '
{
    "method": "POST",
    "path": "/predictions/my-model",
    "data": {
        "question": "How are you?"
    }
}' | curl \\
    -H "Authorization: Bearer ${TOKEN}" \\
    "${BASE_URL}/async" \\
    --json @-
"""

# The page's Python example with its missing comma fixed, requests swapped for httpx
# and the placeholders read from the environment.
PYTHON_EXAMPLE = """\
import os

import httpx

base_url = os.environ["BASE_URL"]
token = os.environ["TOKEN"]

r = httpx.post(
    f"{base_url}/async",
    headers={"Authorization": f"Bearer {token}"},
    json={
        "data": {"question": "How are you?"},
        "method": "POST",
        "path": "/predictions/my-model",
    }
)
request_id = r.json()["id"]
print(request_id) # prints: 98nlux8b0eu6
"""

# As published: it does not even compile (no comma after the "data" entry).
PUBLISHED_PYTHON_BODY = """\
r = requests.post(
    f"{base_url}/async",
    headers={"Authorization": f"Bearer {token}"},
    json={
        "data": {"question": "How are you?"}
        "method": "POST",
        "path": "/predictions/my-model",
    }
)
"""

EXPECTED_OUTPUT = {
    "echo": {"question": "How are you?"},
    "method": "POST",
    "path": "/predictions/my-model",
}


def _curl_version() -> tuple[int, ...] | None:
    if not os.access(CURL, os.X_OK):
        return None
    out = subprocess.run([CURL, "--version"], capture_output=True, text=True, timeout=10).stdout
    match = re.match(r"curl (\d+)\.(\d+)\.(\d+)", out)
    return tuple(int(x) for x in match.groups()) if match else None


def _env(emulator, token: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TOKEN", "BASE_URL")}
    env.update(TOKEN=token, BASE_URL=emulator.base_url, PATH="/usr/bin:/bin")
    env.pop("http_proxy", None)
    env.pop("HTTP_PROXY", None)
    env.pop("ALL_PROXY", None)
    env.pop("all_proxy", None)
    return env


def test_curl_example_from_the_api_page(emulator, api, token):
    version = _curl_version()
    if version is None:
        pytest.skip(f"{CURL} is missing")
    if version < (7, 82, 0):
        pytest.skip(f"curl {'.'.join(map(str, version))} is older than 7.82: it has no --json")
    assert shutil.which("curl", path="/usr/bin:/bin") == CURL
    result = subprocess.run(
        ["bash", "-c", CURL_EXAMPLE],
        env=_env(emulator, token),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    # curl prints the body as is: the page's shape, {"id": "98nlux8b0eu6"}
    assert re.fullmatch(r'\{"id": "[a-z0-9]{1,16}"\}', result.stdout), result.stdout
    rid = json.loads(result.stdout)["id"]

    rec = emulator.received()[-1]
    assert rec.method == "POST" and rec.path == "/api/v1/services/demo/async"
    assert rec.header("Authorization") == f"Bearer {token}"
    assert rec.header("Content-Type") == "application/json"  # what --json sets
    assert rec.header("Accept") == "application/json"
    assert rec.header("User-Agent").startswith("curl/")
    assert rec.json() == {
        "method": "POST",
        "path": "/predictions/my-model",
        "data": {"question": "How are you?"},
    }
    body, _ = api.wait_for(rid, "completed")
    assert body["output"] == EXPECTED_OUTPUT


def test_python_example_from_the_api_page(emulator, api, token, tmp_path):
    script = tmp_path / "example.py"
    script.write_text(PYTHON_EXAMPLE)
    env = _env(emulator, token)
    env["PATH"] = os.environ.get("PATH", "")
    result = subprocess.run(
        [sys.executable, "-W", "error", str(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    rid = result.stdout.strip()
    assert re.fullmatch(r"[a-z0-9]{1,16}", rid)
    assert emulator.received()[-1].header("User-Agent").startswith("python-httpx/")
    body, _ = api.wait_for(rid, "completed")
    assert body["output"] == EXPECTED_OUTPUT


def test_the_published_python_example_has_a_syntax_error():
    with pytest.raises(SyntaxError):
        compile(PUBLISHED_PYTHON_BODY, "example.py", "exec")
    fixed = PUBLISHED_PYTHON_BODY.replace(
        '"data": {"question": "How are you?"}\n', '"data": {"question": "How are you?"},\n'
    )
    compile(fixed, "example.py", "exec")
