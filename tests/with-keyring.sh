#!/usr/bin/env bash
# Run a command inside a private D-Bus session that has an unlocked
# gnome-keyring (the freedesktop Secret Service), e.g.
#
#     bash tests/with-keyring.sh .venv/bin/pytest tests/integration/test_real_keyring.py
#
# Headless and as root on Debian 12 (apt-get install dbus gnome-keyring).
# The command's exit status is passed through.
#
# How it works:
#  * dbus-run-session starts a throw-away session bus, runs the inner shell with
#    DBUS_SESSION_BUS_ADDRESS set, and stops the bus (and so the keyring
#    daemon) when the command ends.
#  * gnome-keyring-daemon --unlock reads a password on stdin, creates the
#    "login" collection with it, unlocks it and points the "default" alias at
#    it. The password must not be empty: with an empty one the daemon creates
#    no collection, and the first write asks gcr-prompter to create one, which
#    fails without a display ("Prompt dismissed" / keyring InitError).
#  * XDG_DATA_HOME and XDG_RUNTIME_DIR point into a temporary folder, so the
#    keyring file is a fresh one (never the user's ~/.local/share/keyrings) and
#    --unlock cannot reach an already running daemon of a desktop session
#    through its control socket. The folder is removed on exit.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null; then
        echo "with-keyring.sh: $tool not found (apt-get install dbus gnome-keyring)" >&2
        exit 127
    fi
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/vessl-keyring.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -m 700 "$scratch/data" "$scratch/runtime"
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/runtime"

# The inner script is in single quotes on purpose: it runs in the new session.
# shellcheck disable=SC2016
dbus-run-session -- bash -c '
    set -eu
    printf "%s" "vessl-gui-test-keyring" |
        gnome-keyring-daemon --unlock --components=secrets >/dev/null
    # Wait (at most 5 s) until the Secret Service owns its bus name.
    for _ in $(seq 50); do
        if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
            org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
            grep -q "boolean true"; then
            break
        fi
        sleep 0.1
    done
    exec "$@"
' with-keyring "$@"
