#!/usr/bin/env bash
# Fuzz run of ottu-sandbox: starts the real binary on a random port with a temporary database,
# sends generated requests (the proptest run in crates/ottu-sandbox/tests/api/fuzz.rs) and
# fails on any 5xx, any dropped connection, or a panic in the server log.
# Usage: scripts/sandbox-fuzz.sh [cases]   (default 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
CASES="${1:-${SANDBOX_FUZZ_CASES:-2000}}"

# The workspace build of `make test` (same selection and flags, so nothing is built twice); it
# builds the ottu-sandbox binary too, because the crate has integration tests.
cargo test --workspace --locked --no-run --quiet
TMP="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -INT "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

"$CARGO_TARGET_DIR/debug/ottu-sandbox" serve --port 0 --db "$TMP/fuzz.sqlite3" --print-url >"$TMP/url" 2>"$TMP/server.log" &
SERVER_PID=$!
for _ in $(seq 1 100); do [ -s "$TMP/url" ] && break; sleep 0.1; done
BASE_URL="$(head -n1 "$TMP/url")"
[ -n "$BASE_URL" ] || { echo "sandbox-fuzz: the server did not start" >&2; cat "$TMP/server.log" >&2; exit 1; }

START=$(date +%s)
SANDBOX_FUZZ_BASE_URL="$BASE_URL" SANDBOX_FUZZ_CASES="$CASES" \
  cargo test --workspace --locked --test api --quiet fuzz -- --nocapture
kill -INT "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
if grep -qi "panicked" "$TMP/server.log"; then
  echo "sandbox-fuzz: the server logged a panic:" >&2
  grep -i -A3 "panicked" "$TMP/server.log" >&2
  exit 1
fi
echo "sandbox-fuzz: $CASES generated requests, no 5xx, no dropped connection, no panic ($(( $(date +%s) - START )) s)"
