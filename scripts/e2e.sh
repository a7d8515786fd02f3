#!/usr/bin/env bash
# End-to-end tests of the real app: builds ottu-pos (debug, unless OTTU_POS_BIN names a binary),
# then runs tests/e2e one test at a time under a private Xvfb display and a private D-Bus session
# with an unlocked gnome-keyring (the app's keychain). Screenshots land in artifacts/screenshots/.
#
#   scripts/e2e.sh                 all end-to-end tests
#   scripts/e2e.sh paid            only tests whose name contains "paid" (cargo test filter)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/.tools/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ottu-pos/target}"
# Pinned so cargo keeps its registry and toolchain if a keyring wrapper points HOME elsewhere.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"

scripts/install-deps.sh apt tools

if [ -z "${OTTU_POS_BIN:-}" ]; then
  cargo build --locked -p ottu-pos
  export OTTU_POS_BIN="$CARGO_TARGET_DIR/debug/ottu-pos"
fi
cargo test --locked -p ottu-pos-e2e --tests --no-run

rm -rf artifacts/screenshots artifacts/e2e
mkdir -p artifacts/screenshots artifacts/e2e

run_tests=(cargo test --locked -p ottu-pos-e2e --tests -- --ignored --test-threads=1 "$@")
# Screen as large as the app's default window; no window manager, so it sits at 0,0.
xvfb=(xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp")

if [ -x scripts/with-keyring.sh ]; then
  "${xvfb[@]}" scripts/with-keyring.sh "${run_tests[@]}"
else
  # Same idea as with-keyring.sh: a throw-away keyring file and its own session bus.
  keyring_home="$(mktemp -d)"
  trap 'rm -rf "$keyring_home"' EXIT
  mkdir -p "$keyring_home/run" && chmod 700 "$keyring_home/run"
  XDG_DATA_HOME="$keyring_home/share" XDG_RUNTIME_DIR="$keyring_home/run" \
    "${xvfb[@]}" dbus-run-session -- bash -c '
      eval "$(printf "e2e" | gnome-keyring-daemon --unlock --components=secrets)"
      export GNOME_KEYRING_CONTROL
      exec "$@"' e2e "${run_tests[@]}"
fi
echo "screenshots: $ROOT/artifacts/screenshots/"
