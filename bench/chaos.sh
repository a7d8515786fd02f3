#!/usr/bin/env bash
# Chaos run (issue 11, point 7): `crates/pos-core/tests/chaos` with many sales (in-process engines
# and parallel `ottu-pos-cli request` processes on one history file) against the sandbox with
# random faults of all six kinds, SIGKILLed processes and a driven clock; it fails unless the
# server and the history agree. Writes bench/results/chaos.md with its summary.
# Usage: bench/chaos.sh [SALES] (default 10000); CHAOS_SEED, CHAOS_CLI_SHARE, CHAOS_PARALLEL and
# CHAOS_TASKS are passed through. Debug build: the one `make test` already built.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SALES="${1:-${CHAOS_SALES:-10000}}"
# shellcheck source=../scripts/env.sh
source "$ROOT/scripts/env.sh"
cargo test --locked -p pos-core --test chaos --no-run
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
started=$SECONDS
CHAOS_SALES="$SALES" CHAOS_REPORT="$report" \
  cargo test --locked -p pos-core --test chaos -- --nocapture
took=$((SECONDS - started))

python3 - "$report" "$took" "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(git rev-parse --short HEAD 2>/dev/null || echo '?')" "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" <<'PY'
import json, os, sys
when, commit, machine = sys.argv[3], sys.argv[4], sys.argv[5]

r = json.load(open(sys.argv[1]))
took = int(sys.argv[2])
kinds = ["drop_after_commit", "delay", "status_500", "status_503_after_commit",
         "malformed_after_commit", "late_commit"]
faults = r["faults_injected"]
fault_row = " / ".join(str(faults.get(k, 0)) for k in kinds)
paid = ", ".join(f'{c} {v["server"]} / {v["history"]}' for c, v in r["paid_totals"].items())
states = ", ".join(f"{s} {n}" for s, n in r["states"].items())
k = r["kills"]
env = f'CHAOS_SALES={r["sales"]}' + (f' CHAOS_SEED={r["seed"]}' if os.environ.get("CHAOS_SEED") else "")
text = f"""## Chaos: sales under random faults, kills and a driven clock

Command: `make chaos` (`{env} bench/chaos.sh`), which runs
`CHAOS_SALES={r["sales"]} cargo test -p pos-core --test chaos -- --nocapture` (debug build, seed
{r["seed"]}): {r["engine_sales"]} sales through two in-process engines ({r["engine_tasks"]} tasks) and
{r["cli_sales"]} through `ottu-pos-cli request` processes ({r["cli_parallel"]} at a time), all on one history
file, against the sandbox with each of the six create faults at a 3 % rate; the sandbox's and
the engines' clocks move 30 s per real second meanwhile; a headless `ottu-pos-cli settle --watch`
killed with SIGKILL at random and restarted; `request` processes killed with SIGKILL while
their row is `sending` and the server holds their transaction; then the clock is driven past
the late-commit horizon and the status query's grace and spacing ({r["clock_advanced_seconds"]} s in all)
until nothing is left to settle. `make test` runs the same test with 200 sales.

| measure | value |
|---|---|
| sales (history rows incl. replacements and killed requests) | {r["sales"]} ({r["history_rows"]}) |
| server transactions | {r["server_transactions"]} |
| creates answered / ambiguous / refused | {r["created"]} / {r["ambiguous"]} / {r["refused"]} |
| faults injected: drop_after_commit / delay / status_500 / 503_after_commit / malformed / late_commit | {fault_row} |
| kills (SIGKILL): headless engine / `request` mid-flight; restarts | {k["headless_engine"]} / {k["request_mid_flight"]}; {k["restarts"]} |
| paid / late successes / paid while the till did not know the link / replaced | {r["paid"]} / {r["late_successes"]} / {r["paid_while_unknown"]} / {r["replaced"]} |
| **lost** (server transactions missing locally) | **{r["lost"]}** |
| **duplicated** (order numbers with two transactions or sent twice) | **{r["duplicated"]}** |
| two live links / rejected but on the server / wrong session / left unsettled | {r["two_live_links"]} / {r["rejected_but_on_server"]} / {r["wrong_session"]} / {r["unsettled"]} |
| paid totals, server / history | {paid} |
| final states | {states} |
| settle time of a lost answer, p50 / p95 / max (ms, {r["settle_ms"]["count"]} sales) | {r["settle_ms"]["p50"]} / {r["settle_ms"]["p95"]} / {r["settle_ms"]["max"]} |
| time: load / settle / whole test (s) | {r["seconds"]["load"]:.0f} / {r["seconds"]["settle"]:.0f} / {r["seconds"]["total"]:.0f} |

*Settle time*: real time from a sale first seen `unknown` (or `sending` for two looks 100 ms
apart) in the history until it left those states; the 10-minute windows pass on the driven
clock, so this is what the till's own backoff and claims cost, not Ottu's windows.
The whole `bench/chaos.sh` took {took} s. Recorded {when} at commit {commit} on {machine}.
"""
os.makedirs("bench/results", exist_ok=True)
open("bench/results/chaos.md", "w").write(text)
print(text)
PY
