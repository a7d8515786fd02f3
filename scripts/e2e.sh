#!/usr/bin/env bash
# End-to-end tests of the real app: runs tests/e2e one test at a time under a private Xvfb display
# and a private D-Bus session with an unlocked gnome-keyring (the app's keychain), against the
# debug `ottu-pos` that `cargo test --workspace` builds (unless OTTU_POS_BIN names a binary).
# Screenshots land in artifacts/screenshots/.
#
#   scripts/e2e.sh                 all end-to-end tests
#   scripts/e2e.sh paid            only tests whose name contains "paid" (cargo test filter)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=env.sh
source scripts/env.sh

scripts/install-deps.sh apt tools

# The workspace build of `make test`: the same selection and flags as its `cargo test` step, so
# after that step this builds nothing (a `cargo build -p ottu-pos` would resolve other features
# and rebuild most of the tree). src-tauri's integration test makes it build the app binary.
cargo test --workspace --locked --no-run --quiet
if [ -z "${OTTU_POS_BIN:-}" ]; then
  export OTTU_POS_BIN="$CARGO_TARGET_DIR/debug/ottu-pos"
fi
[ -x "$OTTU_POS_BIN" ] || { echo "e2e: $OTTU_POS_BIN is missing" >&2; exit 1; }

rm -rf artifacts/screenshots artifacts/e2e
mkdir -p artifacts/screenshots artifacts/e2e artifacts/screenshots/accessibility

run_tests=(cargo test --workspace --locked --test accessibility --test cart --test catalog --test dashboard --test reconcile --test sale --test settle --test shell --test shift --test staff -- --ignored --test-threads=1 "$@")
# Screen as large as the app's default window; no window manager, so it sits at 0,0.
xvfb=(xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp")
status=0
"${xvfb[@]}" scripts/with-keyring.sh "${run_tests[@]}" || status=$?

# A till with a customer display: its own X server with two monitors (Xorg's dummy driver,
# 1280x800 and 1024x768 side by side) under openbox (scripts/with-two-monitors.sh).
scripts/with-two-monitors.sh scripts/with-keyring.sh \
  cargo test --workspace --locked --test two_displays -- --ignored --test-threads=1 "$@" || status=$?
echo "screenshots: $ROOT/artifacts/screenshots/"
echo "accessibility report: $ROOT/artifacts/screenshots/accessibility/"
exit "$status"
