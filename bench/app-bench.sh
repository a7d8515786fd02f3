#!/usr/bin/env bash
# Desktop app benchmarks: start-up, idle memory, binary size, and (once the sales engine is
# wired) Enter -> QR painted and sandbox paid -> "Paid" painted. Writes bench/results/app-*.md.
#
#   bench/app-bench.sh                RUNS=10 by default
#   RUNS=20 bench/app-bench.sh
#
# Builds release binaries of ottu-pos and the hello-window baseline in one cargo run (same
# profile, same flags), then measures both on a private Xvfb display. Never a pass/fail test.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/.tools/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ottu-pos/target}"
RUNS="${RUNS:-10}"
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"

cargo build --locked --release -p ottu-pos -p hello-window
APP="$CARGO_TARGET_DIR/release/ottu-pos"
HELLO="$CARGO_TARGET_DIR/release/hello-window"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Both binaries on one Xvfb, one after the other.
xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" bash -c '
  set -e
  python3 scripts/bench-app-startup.py --label hello-window --runs "$1" --out "$2/hello.json" "$3"
  python3 scripts/bench-app-startup.py --label ottu-pos --runs "$1" --out "$2/app.json" "$4"
' bench "$RUNS" "$work" "$HELLO" "$APP"

python3 - "$work/hello.json" "$work/app.json" "$RESULTS/app-startup.md" "$RUNS" <<'PY'
import json, sys
hello, app = (json.load(open(p)) for p in sys.argv[1:3])
out, runs = sys.argv[3], sys.argv[4]
def row(name, key, fmt="{:.0f}"):
    return f"| {name} | {fmt.format(app[key])} | {fmt.format(hello[key])} | {app[key] - hello[key]:+.0f} |"
procs = sorted(set(app["median_pss_mib_by_process"]) | set(hello["median_pss_mib_by_process"]))
lines = [
    "## Desktop app: start-up, idle memory, binary size",
    "",
    f"Release builds of `ottu-pos` and the `bench/hello-window` baseline (same profile), each started "
    f"{runs} times on Xvfb 1280x800 with a fresh HOME and data dir, file cache warm. Start-up is the "
    "median time to the first interactive paint (`ui_ready` / `ready` after two animation frames). "
    "Memory is the median PSS of the app plus its WebKit processes, 2 s after that paint, idle on "
    "the home screen.",
    "",
    "| measure | ottu-pos | hello-window | difference |",
    "|---|---|---|---|",
    row("start-up, main() to interactive (ms, median)", "median_in_process_ms"),
    row("start-up, exec to interactive (ms, median)", "median_exec_to_ready_ms"),
    row("memory, PSS of app + WebKit processes (MiB, median)", "median_pss_mib"),
    f"| release binary, stripped (MB) | {app['binary_bytes'] / 1e6:.1f} | {hello['binary_bytes'] / 1e6:.1f} | {(app['binary_bytes'] - hello['binary_bytes']) / 1e6:+.1f} |",
    "",
    f"Exec to interactive, ottu-pos: min {app['min_exec_to_ready_ms']:.0f} ms, max {app['max_exec_to_ready_ms']:.0f} ms; "
    f"hello-window: min {hello['min_exec_to_ready_ms']:.0f} ms, max {hello['max_exec_to_ready_ms']:.0f} ms.",
    "",
    "PSS by process (MiB, median): " + "; ".join(
        f"{p} {app['median_pss_mib_by_process'].get(p, 0):.0f} vs {hello['median_pss_mib_by_process'].get(p, 0):.0f}"
        for p in procs),
    "",
    f"Command: `RUNS={runs} bench/app-bench.sh` (via `make bench`).",
    "",
]
open(out, "w").write("\n".join(lines))
print("\n".join(lines))
PY

# Enter -> QR painted and paid -> "Paid" painted, through WebDriver (needs the sales engine).
if [ -f tests/e2e/src/bin/ui-bench.rs ]; then
  cargo build --locked -p ottu-pos-e2e --bin ui-bench
  OTTU_POS_BIN="$APP" xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
    "$CARGO_TARGET_DIR/debug/ui-bench" --runs "$RUNS" --out bench/results/app-payment-flow.md
fi
