#!/usr/bin/env bash
# The whole test suite: lint, format, types, import contracts, then pytest with Qt offscreen and
# (where gnome-keyring and D-Bus exist) the real Secret Service keyring.
# Usage: bash tests/run.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/system-deps.sh
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
if [ ! -f .venv/.dev-installed ] || [ pyproject.toml -nt .venv/.dev-installed ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
  touch .venv/.dev-installed
fi
echo "== ruff check"; .venv/bin/ruff check .
echo "== ruff format --check"; .venv/bin/ruff format --check .
echo "== mypy"; .venv/bin/mypy
# import-linter lives in a venv of its own: it brings click and rich, and with those
# installed httpx imports its command-line module (rich, pygments: ~6 MB and ~40 ms)
# into the app, which the benchmarks and the tests would then measure.
if [ ! -x .venv-tools/bin/lint-imports ]; then
  "$PY" -m venv .venv-tools
  .venv-tools/bin/python -m pip install -q --upgrade pip
  .venv-tools/bin/python -m pip install -q 'import-linter>=2.2'
fi
echo "== lint-imports"; PYTHONPATH=. .venv-tools/bin/lint-imports
export QT_QPA_PLATFORM=offscreen
echo "== pytest"
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  exec bash tests/with-keyring.sh .venv/bin/python -m pytest "$@"
fi
echo "note: dbus-run-session or gnome-keyring-daemon missing: the real keyring tests will skip"
exec .venv/bin/python -m pytest "$@"
