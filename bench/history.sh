#!/usr/bin/env bash
# History at scale: generates a history through pos-core's store
# (crates/pos-core/examples/history_bench.rs), times its queries (search, filters, totals, a
# shift's Z report) and the CLI's start-up on it (`ottu-pos-cli history --today`: open, migrate,
# start the engine and its tracker, list, exit) with peak memory, against an empty history and
# against the same history with old open sales left in it.
#
#   bench/history.sh                          20,000 sales, 1,000 of them left open (make bench)
#   HISTORY_SALES=1000000 HISTORY_OPEN=30000 bench/history.sh       the full run (make bench-history)
#
# Writes bench/results/history.md (or history-<N>.md for another size). Needs about 2 GB of disk
# per million sales, twice (with and without open sales); the files are removed at the end.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=../scripts/env.sh
source scripts/env.sh
SALES="${HISTORY_SALES:-20000}"
OPEN="${HISTORY_OPEN:-1000}"
RUNS="${HISTORY_RUNS:-100}"
CLI_RUNS="${HISTORY_CLI_RUNS:-10}"
RESULT="bench/results/history.md"
[ "$SALES" = 20000 ] || RESULT="bench/results/history-$SALES.md"
mkdir -p bench/results

cargo build --release --locked -p pos-core --bin ottu-pos-cli --example history_bench
BENCH="$CARGO_TARGET_DIR/release/examples/history_bench"
CLI="$CARGO_TARGET_DIR/release/ottu-pos-cli"

work="$(mktemp -d "${TMPDIR:-/tmp}/ottu-pos-history-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/empty" "$work/closed" "$work/open"

# The demo profile's id is `demo`: the CLI on a fresh config dir reads these histories.
"$BENCH" generate --db "$work/closed/history.sqlite3" --sales "$SALES" --profile demo
"$BENCH" generate --db "$work/open/history.sqlite3" --sales "$SALES" --open "$OPEN" --profile demo
queries="$("$BENCH" measure --db "$work/closed/history.sqlite3" --runs "$RUNS")"

startup="$(python3 - "$CLI" "$work" "$CLI_RUNS" <<'PY'
import os, resource, statistics, subprocess, sys, time

cli, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])

def measure(data_dir):
    """(median ms, max peak RSS MB) of `history --today` on the history in data_dir."""
    env = dict(os.environ,
               OTTU_POS_CONFIG_DIR=os.path.join(work, "config-" + os.path.basename(data_dir)),
               OTTU_POS_DATA_DIR=data_dir)
    env.pop("OTTU_POS_PROFILE", None)
    times, peaks = [], []
    for run in range(runs + 1):
        start = time.perf_counter()
        proc = subprocess.Popen([cli, "history", "--today"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, _, usage = os.wait4(proc.pid, 0)
        elapsed = (time.perf_counter() - start) * 1000
        if run == 0:
            continue   # the first run creates the demo's config and sandbox
        times.append(elapsed)
        peaks.append(usage.ru_maxrss / 1024)
    return statistics.median(times), max(peaks)

rows = []
for name, label in [("empty", "empty history"), ("closed", "generated history"),
                    ("open", "generated history with old open sales")]:
    ms, mb = measure(os.path.join(work, name))
    rows.append(f"| {label} | {ms:.0f} | {mb:.1f} |")
print("\n".join(rows))
PY
)"

{
  echo "## History at scale ($SALES sales)"
  echo
  echo "Command: \`HISTORY_SALES=$SALES HISTORY_OPEN=$OPEN bench/history.sh\` (release build)."
  echo "\`history_bench generate\` writes $SALES sales over three years through pos-core's store"
  echo "(links and cash, every state, KWD/SAR/USD, eight staff, refunds, carts on 40%, notes on"
  echo "10%); \`history_bench measure\` times each query $RUNS times through the store on it, with"
  echo "search terms taken from the history. Targets: search and filters p95 ≤ 50 ms, totals"
  echo "≤ 20 ms, a shift's Z report ≤ 200 ms. The machine is shared (other builds ran beside it):"
  echo "p95s carry scheduling noise, p50s show the query's own cost."
  echo
  echo "$queries"
  echo
  echo "### CLI start-up on it"
  echo
  echo "\`ottu-pos-cli history --today\` (open the history, migrate, start the engine and its"
  echo "status tracker, list today's page and totals, exit), median of $CLI_RUNS runs after a"
  echo "first one; the open variant has $OPEN old sales left \`created\` (made over two days ago)."
  echo
  echo "| history | median ms | peak memory MB |"
  echo "|---|---:|---:|"
  echo "$startup"
} > "$RESULT"
cat "$RESULT"
