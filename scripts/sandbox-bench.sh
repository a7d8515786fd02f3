#!/usr/bin/env bash
# Create throughput of ottu-sandbox: wrk at 64 connections against a release build on a fresh,
# durable SQLite file (WAL, synchronous=FULL), then checks that every 201 is a stored row.
# Writes bench/results/sandbox.md. Usage: scripts/sandbox-bench.sh [duration_seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-${SANDBOX_BENCH_SECONDS:-10}}"
CONNECTIONS="${SANDBOX_BENCH_CONNECTIONS:-64}"
THREADS="${SANDBOX_BENCH_THREADS:-2}"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
OUT=bench/results/sandbox.md

command -v wrk >/dev/null || { echo "sandbox-bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
cargo build --release -p ottu-sandbox --quiet
BIN="$TARGET_DIR/release/ottu-sandbox"

TMP="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -INT "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

DB="$TMP/bench.sqlite3"
"$BIN" serve --port 0 --db "$DB" --print-url >"$TMP/url" 2>"$TMP/server.log" &
SERVER_PID=$!
for _ in $(seq 1 100); do [ -s "$TMP/url" ] && break; sleep 0.1; done
BASE_URL="$(head -n1 "$TMP/url")"
[ -n "$BASE_URL" ] || { echo "sandbox-bench: the server did not start" >&2; cat "$TMP/server.log" >&2; exit 1; }

export SANDBOX_API_KEY="demo1234.sandboxdemoapikey0000000000000"
# Warm-up (not measured), then the measured run.
wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -s scripts/sandbox-bench.lua "$BASE_URL/b/checkout/v1/pymt-txn/" >/dev/null
ROWS_BEFORE="$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from transactions').fetchone()[0])" "$DB")"
CMD="wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency -s scripts/sandbox-bench.lua $BASE_URL/b/checkout/v1/pymt-txn/"
WRK_OUT="$($CMD)"
echo "$WRK_OUT"
kill -INT "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""

RESULT="$(echo "$WRK_OUT" | grep '^RESULT')"
field() { echo "$RESULT" | tr ' ' '\n' | grep "^$1=" | cut -d= -f2; }
CREATED="$(field created)"; OTHER="$(field other)"; SECS="$(field duration_s)"
P50="$(field p50_ms)"; P99="$(field p99_ms)"; MAX="$(field max_ms)"
ROWS_AFTER="$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from transactions').fetchone()[0])" "$DB")"
ROWS=$((ROWS_AFTER - ROWS_BEFORE))
RATE="$(python3 -c "print(f'{$CREATED / $SECS:.0f}')")"
# Requests cut off by wrk's deadline may be stored without their 201 being counted: at most one
# per connection. A row missing for a counted 201 would be a lost write.
LOST=$((CREATED > ROWS ? CREATED - ROWS : 0))
UNCOUNTED=$((ROWS - CREATED))
VERDICT="pass"
if [ "$LOST" -ne 0 ] || [ "$UNCOUNTED" -gt "$CONNECTIONS" ] || [ "$OTHER" -ne 0 ]; then VERDICT="FAIL (lost or failed writes)"; fi
TARGET="met"
python3 -c "import sys; sys.exit(0 if $RATE >= 5000 and $P99 < 20 else 1)" || TARGET="not met"

mkdir -p bench/results
cat >"$OUT" <<MD
## ottu-sandbox: create throughput

Release build, \`POST /b/checkout/v1/pymt-txn/\` (JSON, API key, QR + short link requested) on a
fresh SQLite file in WAL mode with \`synchronous=FULL\` (every 201 is sent after its commit is
fsynced; concurrent creates share one commit). $(nproc)-core machine, server and load tool on it together.

| metric | value |
|---|---|
| connections / wrk threads | $CONNECTIONS / $THREADS |
| duration | ${SECS} s |
| creates answered 201 | $CREATED |
| creates/s | **$RATE** |
| latency p50 / p99 / max | $P50 ms / **$P99 ms** / $MAX ms |
| non-201 answers | $OTHER |
| rows stored during the run | $ROWS |
| 201s without a row (lost writes) | **$LOST** |
| rows without a counted 201 (cut off at the deadline, ≤ connections) | $UNCOUNTED |
| durability check | $VERDICT |
| target (≥ 5,000 creates/s, p99 < 20 ms) | $TARGET |

Command: \`scripts/sandbox-bench.sh $DURATION\`, which runs
\`$CMD\` (after a 2 s warm-up) and counts the rows with SQLite afterwards.
MD
echo "sandbox-bench: wrote $OUT"
[ "$VERDICT" = "pass" ]
