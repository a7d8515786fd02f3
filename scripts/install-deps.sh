#!/usr/bin/env bash
# Installs what building, running and testing Ottu POS needs on Debian 12, and nothing twice.
#
#   scripts/install-deps.sh [--check | --dry-run] [STEP...]     (default step: all)
#   scripts/install-deps.sh --list apt|package                   the apt packages, one a line
#
#   STEP: apt, rust, node, npm, tools, display (display is checked only: `make run` needs one),
#         package (the apt packages only `make package` / `make test-release` use),
#         all (= apt rust node npm tools), doctor (= all display)
#   --check    list what is missing, install nothing, exit 1 when something is missing
#              (`make doctor`)
#   --dry-run  say what would be installed, install nothing (tests/install-deps runs it against
#              fake dpkg-query/apt-cache/apt-get)
#
# Every step checks first and only acts when something is missing, so a run on a ready machine
# takes well under a second. apt needs root (or sudo); `apt-get update` runs only when a missing
# package is not in the apt lists. Rust and Node.js are prerequisites no registry here provides:
# they are checked, with how to get them. Cargo tools and the UI's node_modules are cached outside
# the clone (scripts/env.sh), keyed by version, so every clone on a machine shares them.
# Every failure says what failed and how to fix it.
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=env.sh
source "$ROOT/scripts/env.sh"

# --- What we need --------------------------------------------------------------------------
APT_PACKAGES=(
  # Build the Tauri shell (WebKitGTK 4.1 pulls GTK 3, libsoup 3, JavaScriptCore, libdbus).
  libwebkit2gtk-4.1-dev build-essential pkg-config
  # SQLite headers for any crate that links the system library (rusqlite itself is bundled).
  libsqlite3-dev
  # Headless runs, screenshots and WebDriver (WebKitWebDriver) for end-to-end tests.
  xvfb xauth imagemagick webkit2gtk-driver
  # Reading back the PDFs the end-to-end receipt test saves (pdfinfo, pdftotext).
  poppler-utils
  # The two-monitor end-to-end test (scripts/with-two-monitors.sh): Xorg with the dummy driver
  # (two real RandR outputs), a window manager, xrandr, and xprop/xwininfo to see where windows go.
  xserver-xorg-core xserver-xorg-video-dummy openbox x11-xserver-utils x11-utils
  # Keychain tests: a real Secret Service (gnome-keyring) on a private D-Bus, and keyutils.
  gnome-keyring dbus dbus-x11 keyutils
  # The phone demo test: a network namespace and a veth pair standing in for the shop's Wi-Fi.
  iproute2
  # Fonts the UI renders with, including Arabic glyphs.
  fonts-dejavu-core fonts-noto-core
  # HTTP load generator for the sandbox benchmark.
  wrk
  # The updater test: a test CA and certificate (openssl), a local HTTPS server (python3).
  openssl python3
)
# Only for `make package` and `make test-release` (not `make test`): the Tauri bundler writes the
# .deb and .rpm itself (no dpkg-deb or rpmbuild needed); these check what it wrote.
APT_PACKAGES_PACKAGE=(
  # desktop-file-validate, for the desktop entry in the .deb.
  desktop-file-utils
  # rpm -qp, to read the .rpm's header (version, dependencies) on this Debian machine.
  rpm
  # The self-update test checks its HTTPS server answers before the app asks it.
  curl
)

MODE=install    # install | check | dry-run
APT_FIX="make deps"   # the make target that installs the apt step being checked
problems=0      # what --check and --dry-run found missing

say() { printf 'install-deps: %s\n' "$*"; }
die() { printf 'install-deps: error: %s\n' "$*" >&2; exit 1; }
# A command that fails without its own message still gets one (no silent exits under set -e).
trap 'status=$?; printf "install-deps: error: line %s: \`%s\` failed (exit %s); run scripts/install-deps.sh --check to see what is missing\n" "$LINENO" "$BASH_COMMAND" "$status" >&2' ERR

# Reports something missing: fatal when installing, listed under --check / --dry-run.
missing() { # missing <what> <how to fix>
  if [ "$MODE" = install ]; then die "$1. Fix: $2"; fi
  printf 'install-deps: MISSING %s. Fix: %s\n' "$1" "$2"
  problems=$((problems + 1))
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "installing needs root: run as root or install sudo, or run it yourself: $*"
  fi
}

version_at_least() { # $1 >= $2, dotted versions
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

# --- apt -----------------------------------------------------------------------------------
# Installed packages among the arguments, one a line. dpkg-query exits 1 when any argument is a
# package it has never heard of (every package on a bare machine), so its status is not an error.
apt_installed() {
  { dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null || true; } \
    | awk '$2 == "ii" { sub(/:.*/, "", $1); print $1 }'
}

# Whether apt knows a package it could install (has a candidate version).
apt_has_candidate() {
  local candidate
  candidate="$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }' || true)"
  [ -n "$candidate" ] && [ "$candidate" != "(none)" ]
}

apt_update() { # apt_update <why>
  say "apt-get update ($1)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
    || die "apt-get update failed (see apt's message above). Fix: check the network and /etc/apt/sources.list, then run again"
}

step_apt() { # step_apt <package...>
  command -v dpkg-query >/dev/null 2>&1 \
    || { missing "dpkg-query (this is not a Debian-based system)" \
           "install these packages with your system's package manager: $*"; return 0; }
  local installed pkg absent=()
  installed="$(apt_installed "$@")"
  for pkg in "$@"; do
    grep -qxF "$pkg" <<<"$installed" || absent+=("$pkg")
  done
  [ "${#absent[@]}" -gt 0 ] || return 0

  local unknown=()
  for pkg in "${absent[@]}"; do apt_has_candidate "$pkg" || unknown+=("$pkg"); done
  if [ "$MODE" != install ]; then
    local known=()
    for pkg in "${absent[@]}"; do
      [[ " ${unknown[*]} " == *" $pkg "* ]] || known+=("$pkg")
    done
    if [ "${#known[@]}" -gt 0 ]; then
      if [ "$MODE" = dry-run ]; then say "would apt-get install: ${known[*]}"; fi
      missing "apt packages not installed: ${known[*]}" "$APT_FIX (or: sudo apt-get install ${known[*]})"
    fi
    if [ "${#unknown[@]}" -gt 0 ]; then
      missing "apt packages not in the apt lists: ${unknown[*]}" \
        "sudo apt-get update; if still missing, add Debian 12 (bookworm) main to /etc/apt/sources.list"
    fi
    return 0
  fi

  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install by hand: ${absent[*]}"
  local updated=0
  if [ "${#unknown[@]}" -gt 0 ]; then
    # A bare machine has empty or stale lists: refresh once, then ask again.
    apt_update "not in the apt lists yet: ${unknown[*]}"
    updated=1
    local still=()
    for pkg in "${unknown[@]}"; do apt_has_candidate "$pkg" || still+=("$pkg"); done
    [ "${#still[@]}" -eq 0 ] \
      || die "apt packages not found in any apt source: ${still[*]}. Fix: this needs Debian 12 (bookworm) with its main component in /etc/apt/sources.list (or install them by hand), then run again"
  fi
  say "apt-get install ${absent[*]}"
  if as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${absent[@]}"; then
    return 0
  fi
  # Stale lists name versions the mirror no longer has, or that no longer fit the installed
  # libraries ("held broken packages", seen on this project's machine image): refresh and retry.
  if [ "$updated" -eq 0 ]; then
    apt_update "the install failed with the current apt lists"
    say "apt-get install ${absent[*]} (again, with fresh lists)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${absent[@]}" \
      && return 0
  fi
  die "apt-get install failed for: ${absent[*]} (see apt's message above). Fix: run 'sudo apt-get install ${absent[*]}' to see why, then run again"
}

# --- Rust and Node.js: prerequisites, checked --------------------------------------------
step_rust() {
  local need="$RUST_MIN" have
  [ "${1:-}" = tools ] && need="$RUST_MIN_TOOLS"
  if ! command -v cargo >/dev/null 2>&1 || ! command -v rustc >/dev/null 2>&1; then
    missing "Rust (cargo and rustc)" "install Rust >= $need with rustup: https://rustup.rs"
    return 0
  fi
  have="$(rustc --version | awk '{ print $2 }')"
  version_at_least "$have" "$need" \
    || missing "Rust >= $need (found $have)" "rustup update stable"
}

step_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    missing "Node.js >= $NODE_MIN with npm" \
      "Debian 12's nodejs is 18, too old: install Node.js 20.19+ or 22.12+ from https://nodejs.org (or NodeSource's Debian packages)"
    return 0
  fi
  local have
  have="$(node --version | sed 's/^v//')"
  version_at_least "$have" "$NODE_MIN" \
    || missing "Node.js >= $NODE_MIN (found $have; Vite 8 needs it)" \
         "install Node.js 20.19+ or 22.12+ from https://nodejs.org (or NodeSource's Debian packages)"
}

# --- npm packages of the UI: npm ci once per lockfile, shared by every clone -------------
step_npm() {
  local ui="$ROOT/ui" key cached stamp=".ottu-pos-npm-key"
  [ -f "$ui/package-lock.json" ] || die "ui/package-lock.json is missing: the clone is incomplete"
  command -v node >/dev/null 2>&1 || return 0   # step_node has said what to do
  key="$(sha256sum "$ui/package-lock.json" | cut -c1-16)-node$(node --version | sed 's/^v//; s/\..*//')"
  [ "$(cat "$ui/node_modules/$stamp" 2>/dev/null || true)" = "$key" ] && return 0
  cached="$OTTU_POS_CACHE_DIR/npm/$key/node_modules"
  if [ "$MODE" != install ]; then
    if [ -d "$cached" ]; then
      [ "$MODE" = dry-run ] && say "would link ui/node_modules from the cache ($cached)"
      missing "ui/node_modules (cached for this lockfile)" "make deps"
    else
      [ "$MODE" = dry-run ] && say "would npm ci in ui/"
      missing "ui/node_modules" "make deps (runs npm ci in ui/)"
    fi
    return 0
  fi
  rm -rf "$ui/node_modules"
  if [ -d "$cached" ]; then
    # Hard links: a second clone gets its node_modules in a second, without npm.
    cp -al "$cached" "$ui/node_modules" 2>/dev/null || cp -a "$cached" "$ui/node_modules"
    return 0
  fi
  say "npm ci in ui/"
  (cd "$ui" && npm ci --no-audit --no-fund --loglevel=error) \
    || die "npm ci in ui/ failed (see npm's message above). Fix: check access to the npm registry, then run again"
  printf '%s\n' "$key" > "$ui/node_modules/$stamp"
  mkdir -p "$OTTU_POS_CACHE_DIR/npm/$key"
  rm -rf "$cached.tmp"
  cp -al "$ui/node_modules" "$cached.tmp" 2>/dev/null || cp -a "$ui/node_modules" "$cached.tmp"
  mv "$cached.tmp" "$cached"
}

# --- cargo tools, each in a cache directory named after its version --------------------
cargo_tool() { # cargo_tool <crate> <binary> <version> <root>
  local crate="$1" bin="$2" version="$3" root="$4"
  [ -x "$root/bin/$bin" ] && return 0
  if [ "$MODE" != install ]; then
    [ "$MODE" = dry-run ] && say "would cargo install $crate $version into $root"
    missing "$crate $version" "make deps (cargo install, a few minutes once per machine)"
    return 0
  fi
  command -v cargo >/dev/null 2>&1 || die "cargo not found. Fix: install Rust with rustup: https://rustup.rs"
  say "cargo install $crate $version into $root"
  # --debug: these tools are test plumbing, never hot; an optimised build took twice as long
  # (tauri-driver and cargo-deny: about 5 minutes of a new machine's first `make test`).
  CARGO_TARGET_DIR="$root.build" cargo install "$crate" --version "$version" --locked --debug \
      --root "$root.tmp" --quiet \
    || die "cargo install $crate $version failed (see cargo's message above). Fix: check access to crates.io and that Rust is >= $RUST_MIN_TOOLS (rustup update stable), then run again"
  rm -rf "$root.build" "$root"
  mv "$root.tmp" "$root"
}

step_tools() {
  step_rust tools
  cargo_tool tauri-driver tauri-driver "$TAURI_DRIVER_VERSION" "$TAURI_DRIVER_ROOT"
  cargo_tool cargo-deny cargo-deny "$CARGO_DENY_VERSION" "$CARGO_DENY_ROOT"
}

# --- a display, for `make run` (checked only) ------------------------------------------
step_display() {
  [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && return 0
  # Never fatal: the tests bring their own display (Xvfb).
  printf 'install-deps: MISSING a display for make run (DISPLAY and WAYLAND_DISPLAY are unset). Fix: run it from a desktop session, or: xvfb-run -a make run\n'
  [ "$MODE" = install ] || problems=$((problems + 1))
}

steps=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --check) MODE=check ;;
    --dry-run) MODE=dry-run ;;
    --list)
      case "${2:-}" in
        apt) printf '%s\n' "${APT_PACKAGES[@]}" ;;
        package) printf '%s\n' "${APT_PACKAGES_PACKAGE[@]}" ;;
        *) die "--list takes: apt, package" ;;
      esac
      exit 0 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) die "unknown option '$1' (--check, --dry-run, --list apt|package)" ;;
    *) steps+=("$1") ;;
  esac
  shift
done
[ "${#steps[@]}" -gt 0 ] || steps=(all)
for step in "${steps[@]}"; do
  case "$step" in
    apt) step_apt "${APT_PACKAGES[@]}" ;;
    package) APT_FIX="make package"; step_apt "${APT_PACKAGES_PACKAGE[@]}"; APT_FIX="make deps" ;;
    rust) step_rust ;;
    node) step_node ;;
    npm) step_node; step_npm ;;
    tools) step_tools ;;
    display) step_display ;;
    all) step_apt "${APT_PACKAGES[@]}"; step_rust; step_node; step_npm; step_tools ;;
    doctor) step_apt "${APT_PACKAGES[@]}"; step_rust; step_node; step_npm; step_tools; step_display ;;
    *) die "unknown step '$step' (apt, rust, node, npm, tools, display, package, all, doctor)" ;;
  esac
done

if [ "$MODE" != install ]; then
  if [ "$problems" -gt 0 ]; then
    say "$problems thing(s) missing (listed above)"
    exit 1
  fi
  say "everything is in place"
fi
