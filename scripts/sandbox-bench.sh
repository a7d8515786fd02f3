#!/usr/bin/env bash
# Create throughput of ottu-sandbox: wrk at 64 connections against a release build on a fresh
# SQLite file, once per durability mode (normal: commit in the WAL before the 201; full: commit
# fsynced before the 201), then checks that every 201 is a stored row (no lost writes).
# Writes bench/results/sandbox.md. Usage: scripts/sandbox-bench.sh [duration_seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-${SANDBOX_BENCH_SECONDS:-10}}"
CONNECTIONS="${SANDBOX_BENCH_CONNECTIONS:-64}"
THREADS="${SANDBOX_BENCH_THREADS:-2}"
source scripts/env.sh
TARGET_DIR="$CARGO_TARGET_DIR"
OUT=bench/results/sandbox.md

command -v wrk >/dev/null || { echo "sandbox-bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "sandbox-bench: python3 is needed to count rows" >&2; exit 1; }
cargo build --release -p ottu-sandbox --quiet
BIN="$TARGET_DIR/release/ottu-sandbox"
export SANDBOX_API_KEY="demo1234.sandboxdemoapikey0000000000000"

TMP="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -INT "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

count_rows() {
  python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from transactions').fetchone()[0])" "$1"
}

ROWS_MD=""
FAILED=0
TARGET_MET="no"
COMMANDS=""
run_mode() {
  local mode="$1" db="$TMP/bench-$1.sqlite3"
  : >"$TMP/url"
  "$BIN" serve --port 0 --db "$db" --durability "$mode" --print-url >"$TMP/url" 2>"$TMP/server-$mode.log" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do [ -s "$TMP/url" ] && break; sleep 0.1; done
  local base_url; base_url="$(head -n1 "$TMP/url")"
  [ -n "$base_url" ] || { echo "sandbox-bench: the server did not start" >&2; cat "$TMP/server-$mode.log" >&2; exit 1; }
  # Warm-up (not measured).
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -s scripts/sandbox-bench.lua "$base_url/b/checkout/v1/pymt-txn/" >/dev/null
  local before; before="$(count_rows "$db")"
  local cmd="wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency -s scripts/sandbox-bench.lua <base>/b/checkout/v1/pymt-txn/"
  local out; out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s scripts/sandbox-bench.lua "$base_url/b/checkout/v1/pymt-txn/")"
  echo "== durability $mode"; echo "$out"
  kill -INT "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
  local result; result="$(echo "$out" | grep '^RESULT')"
  field() { echo "$result" | tr ' ' '\n' | grep "^$1=" | cut -d= -f2; }
  local created other secs p50 p99 max rows rate lost uncounted verdict
  created="$(field created)"; other="$(field other)"; secs="$(field duration_s)"
  p50="$(field p50_ms)"; p99="$(field p99_ms)"; max="$(field max_ms)"
  rows=$(( $(count_rows "$db") - before ))
  rate="$(python3 -c "print(f'{$created / $secs:.0f}')")"
  # A create cut off by wrk's deadline may be stored without its 201 being counted (at most one
  # per connection). A counted 201 without a row would be a lost write.
  lost=$(( created > rows ? created - rows : 0 ))
  uncounted=$(( rows - created ))
  verdict="pass"
  if [ "$lost" -ne 0 ] || [ "$uncounted" -gt "$CONNECTIONS" ] || [ "$uncounted" -lt 0 ] || [ "$other" -ne 0 ]; then verdict="FAIL"; FAILED=1; fi
  if python3 -c "import sys; sys.exit(0 if $rate >= 5000 and $p99 < 20 else 1)"; then [ "$mode" = normal ] && TARGET_MET="yes"; fi
  ROWS_MD="$ROWS_MD| $mode | **$rate** | $p50 | **$p99** | $max | $created | $other | $rows | **$lost** | $uncounted | $verdict |
"
  COMMANDS="$cmd"
}

START=$(date +%s)
run_mode normal
run_mode full
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"

mkdir -p bench/results
cat >"$OUT" <<MD
## ottu-sandbox: create throughput

\`POST /b/checkout/v1/pymt-txn/\` (JSON, API key, QR code and short link requested), release
build, a fresh SQLite file (WAL) per run, $CONNECTIONS connections for ${DURATION} s after a 2 s
warm-up, server and wrk on the same $(nproc)-core machine (load average before the runs'
end: $LOAD). Every 201 is sent after its transaction is committed; concurrent creates share
one group commit. *normal*: \`synchronous=NORMAL\` (in the WAL before the answer; survives a
crash of the sandbox). *full*: \`synchronous=FULL\` (fsynced before the answer; survives power
loss; bound by the disk's fsync time).

| durability | creates/s | p50 ms | p99 ms | max ms | 201s | non-201 | rows stored | 201s without a row (lost) | rows without a counted 201 (cut off at the deadline, ≤ $CONNECTIONS) | check |
|---|---|---|---|---|---|---|---|---|---|---|
$ROWS_MD
Target (≥ 5,000 creates/s and p99 < 20 ms, default durability): **$TARGET_MET**.

Command: \`scripts/sandbox-bench.sh $DURATION\` (about $(( $(date +%s) - START )) s), which for each mode
starts \`ottu-sandbox serve --port 0 --db <temp> --durability <mode>\`, runs
\`$COMMANDS\` (Lua script \`scripts/sandbox-bench.lua\` counts the 201s) and counts the rows
with SQLite afterwards.
MD
echo "sandbox-bench: wrote $OUT"
[ "$FAILED" -eq 0 ]
