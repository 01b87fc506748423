#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the test suite needs, if any are missing:
# Qt's runtime libraries (offscreen and xcb), Xvfb for screenshots, D-Bus and
# gnome-keyring for the real Secret Service tests, curl for the API page's example,
# desktop-file-utils and appstream to validate the desktop entry, binutils for PyInstaller,
# zsh for the copied curl scripts (run in sh, bash and zsh).
# for tests/desktop (the real app under Xvfb): a window manager that gives focus (evilwm),
# real X key events and the clipboard (xdotool, xclip), xprop (x11-utils), and AT-SPI,
# what screen readers use (at-spi2-core, python3-pyatspi for Debian's python3).
set -euo pipefail
PKGS=(python3-venv xvfb xauth dbus dbus-x11 gnome-keyring curl
      libegl1 libgl1 libfontconfig1 libglib2.0-0 libdbus-1-3 libxkbcommon0
      libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
      libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
      libxcb-xfixes0 fonts-dejavu-core
      desktop-file-utils appstream binutils zsh
      evilwm xdotool xclip x11-utils at-spi2-core python3-pyatspi)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system packages: done"
