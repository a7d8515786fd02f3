#!/usr/bin/env bash
# Installs what building, running and testing Ottu POS needs on Debian 12, and nothing twice.
#
#   scripts/install-deps.sh [apt|node|npm|tools|python|all]...   (default: all)
#
# Every step checks first (dpkg -s, command -v, stamp files) and only acts when something is
# missing, so a second run on a ready machine takes well under a second. Cargo tools go to the
# project-local .tools/ (their own build dir, so they never share a target with the app), Python
# tools to .tools/venv. apt needs root (or sudo); `apt-get update` runs only when a package is
# actually missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"

# --- What we need --------------------------------------------------------------------------
APT_PACKAGES=(
  # Build the Tauri shell (WebKitGTK 4.1 pulls GTK 3, libsoup 3, JavaScriptCore, libdbus).
  libwebkit2gtk-4.1-dev build-essential pkg-config
  # SQLite headers for any crate that links the system library (rusqlite itself is bundled).
  libsqlite3-dev
  # Headless runs, screenshots and WebDriver (WebKitWebDriver) for end-to-end tests.
  xvfb xauth imagemagick webkit2gtk-driver
  # Keychain tests: a real Secret Service (gnome-keyring) on a private D-Bus, and keyutils.
  gnome-keyring dbus dbus-x11 keyutils
  # Fonts the UI renders with, including Arabic glyphs.
  fonts-dejavu-core fonts-noto-core
  # HTTP load generator for the sandbox benchmark.
  wrk
  # Python venv for the API fuzzing tool.
  python3-venv
)
NODE_MIN="20.19.0"                # Vite 8 needs ^20.19 || >=22.12
TAURI_DRIVER_VERSION="2.1.0"      # WebDriver bridge for the end-to-end tests
# Python tools, installed only when a script that uses them is present.
PYTHON_TOOLS=()

say() { printf 'install-deps: %s\n' "$*"; }
die() { printf 'install-deps: error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root (or sudo) to run: $*"
  fi
}

apt_updated=0
apt_install() {
  [ "$#" -gt 0 ] || return 0
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install by hand: $*"
  if [ "$apt_updated" -eq 0 ]; then
    say "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  say "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# --- apt -----------------------------------------------------------------------------------
install_apt() {
  # One dpkg-query for the whole list (as fast as `dpkg -s`, without a process per package).
  local installed missing=() pkg
  installed="$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${APT_PACKAGES[@]}" 2>/dev/null \
    | awk '$2 == "ii" { print $1 }' | sed 's/:.*//')"
  for pkg in "${APT_PACKAGES[@]}"; do
    grep -qxF "$pkg" <<<"$installed" || missing+=("$pkg")
  done
  apt_install "${missing[@]}"
}

# --- Node.js and npm -----------------------------------------------------------------------
version_at_least() { # $1 >= $2, dotted versions
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

install_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    say "node or npm missing: installing Debian's nodejs and npm"
    apt_install nodejs npm
  fi
  local have
  have="$(node --version 2>/dev/null | sed 's/^v//')"
  version_at_least "$have" "$NODE_MIN" \
    || die "node $have is too old: the UI build (Vite 8) needs node >= $NODE_MIN. Install a newer Node.js (e.g. from nodejs.org or NodeSource) and run again."
}

# --- npm packages of the UI, from the lockfile ---------------------------------------------
install_npm() {
  local ui="$ROOT/ui" stamp="$ROOT/ui/node_modules/.ottu-pos-npm-ci"
  [ -f "$ui/package-lock.json" ] || die "ui/package-lock.json is missing"
  if [ -f "$stamp" ] && [ "$stamp" -nt "$ui/package-lock.json" ] && [ "$stamp" -nt "$ui/package.json" ]; then
    return 0
  fi
  say "npm ci in ui/"
  (cd "$ui" && npm ci --no-audit --no-fund --loglevel=error)
  touch "$stamp"
}

# --- cargo tools into .tools/ --------------------------------------------------------------
install_tools() {
  # cargo's own install record says which version is there.
  if [ -x "$TOOLS/bin/tauri-driver" ] && grep -qs "tauri-driver $TAURI_DRIVER_VERSION " "$TOOLS/.crates.toml"; then
    return 0
  fi
  command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust (https://rustup.rs) first"
  say "cargo install tauri-driver $TAURI_DRIVER_VERSION into .tools/"
  mkdir -p "$TOOLS"
  CARGO_TARGET_DIR="$TOOLS/build" cargo install tauri-driver --version "$TAURI_DRIVER_VERSION" \
    --locked --root "$TOOLS" --quiet
  rm -rf "$TOOLS/build"
}

# --- Python tools into .tools/venv ---------------------------------------------------------
install_python() {
  [ "${#PYTHON_TOOLS[@]}" -gt 0 ] || return 0
  local venv="$TOOLS/venv" stamp="$TOOLS/venv/.ottu-pos-tools"
  local wanted="${PYTHON_TOOLS[*]}"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && [ -x "$venv/bin/python" ]; then
    return 0
  fi
  command -v python3 >/dev/null 2>&1 || apt_install python3 python3-venv
  say "python tools into .tools/venv: $wanted"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${PYTHON_TOOLS[@]}"
  printf '%s' "$wanted" > "$stamp"
}

steps=("$@")
[ "${#steps[@]}" -gt 0 ] || steps=(all)
for step in "${steps[@]}"; do
  case "$step" in
    apt) install_apt ;;
    node) install_node ;;
    npm) install_node; install_npm ;;
    tools) install_tools ;;
    python) install_python ;;
    all) install_apt; install_node; install_npm; install_tools; install_python ;;
    *) die "unknown step '$step' (apt, node, npm, tools, python, all)" ;;
  esac
done
