#!/usr/bin/env bash
# Desktop app benchmarks against a plain Tauri "hello world" window built the same way, in the same
# run: start-up (warm, and cold with the page cache dropped), idle memory, stripped binary size,
# then press Enter -> QR painted and sandbox paid -> "Paid" painted through WebDriver.
# Writes bench/results/app-startup.md and bench/results/app-payment-flow.md.
#
#   bench/app-bench.sh                RUNS=15 by default
#   RUNS=20 bench/app-bench.sh
#
# Builds release binaries of ottu-pos and bench/hello-window in one cargo run (same profile, same
# flags), then measures both on a private Xvfb display with a throwaway keyring. Numbers only;
# never a pass/fail test.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=../scripts/env.sh
source scripts/env.sh
RUNS="${RUNS:-15}"
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"

scripts/install-deps.sh apt tools
cargo build --locked --release -p ottu-pos -p hello-window
cargo build --locked -p ottu-pos-e2e --bin ui-bench
APP="$CARGO_TARGET_DIR/release/ottu-pos"
HELLO="$CARGO_TARGET_DIR/release/hello-window"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

xvfb=(xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp")

# Both binaries on one display, their runs interleaved: warm, then cold.
"${xvfb[@]}" scripts/with-keyring.sh bash -c '
  set -e
  for mode in warm cold; do
    flag=""; [ "$mode" = cold ] && flag="--cold"
    python3 scripts/bench-app-startup.py --runs "$1" $flag --out-dir "$2/$mode" \
      --app hello-window="$3" --app ottu-pos="$4"
  done
' bench "$RUNS" "$work" "$HELLO" "$APP"

python3 - "$work" "$RESULTS/app-startup.md" "$RUNS" <<'PY'
import json, sys
work, out, runs = sys.argv[1], sys.argv[2], sys.argv[3]
load = lambda mode, label: json.load(open(f"{work}/{mode}/{label}.json"))
hello, app = load("warm", "hello-window"), load("warm", "ottu-pos")
hello_cold, app_cold = load("cold", "hello-window"), load("cold", "ottu-pos")
cold_label = "cold" if app_cold["cold"] and hello_cold["cold"] else "second series (page cache could not be dropped: not root)"

def met(ok):
    return "yes" if ok else "**no**"

ratio = app_cold["median_exec_to_ready_ms"] / hello_cold["median_exec_to_ready_ms"]
warm_ratio = app["median_exec_to_ready_ms"] / hello["median_exec_to_ready_ms"]
extra_pss = app["median_pss_mib"] - hello["median_pss_mib"]
binary_mb = app["binary_bytes"] / 1e6
procs = sorted(set(app["median_pss_mib_by_process"]) | set(hello["median_pss_mib_by_process"]))
lines = [
    "## Desktop app: start-up, idle memory, binary size",
    "",
    f"Release builds of `ottu-pos` (demo mode: it also starts its embedded sandbox) and the "
    f"`bench/hello-window` baseline (a Tauri 2 window with one static page; same profile, same "
    f"renderer setting), each started {runs} times per series on Xvfb 1280x800 with a fresh HOME "
    "and data dir, the two binaries' runs interleaved (A B, B A, ...). *Start-up* is the median "
    "time from exec to the first interactive paint: "
    "ottu-pos's home screen calling `ui_ready` two animation frames after it is usable; "
    "hello-window's page calling `ready` two frames after load. *Cold*: the page cache dropped "
    "before every start. *Memory*: median PSS of the app plus its WebKit processes, 2 s after that "
    "paint, idle on the home screen.",
    "",
    "| measure | ottu-pos | hello-window | ottu-pos vs hello | target | met |",
    "|---|---|---|---|---|---|",
    f"| start-up, {cold_label}, exec to interactive (ms, median) | {app_cold['median_exec_to_ready_ms']:.0f} | {hello_cold['median_exec_to_ready_ms']:.0f} | ×{ratio:.2f} | ≤ ×1.2 | {met(ratio <= 1.2)} |",
    f"| start-up, warm, exec to interactive (ms, median) | {app['median_exec_to_ready_ms']:.0f} | {hello['median_exec_to_ready_ms']:.0f} | ×{warm_ratio:.2f} | | |",
    f"| start-up, warm, main() to interactive (ms, median) | {app['median_in_process_ms']:.0f} | {hello['median_in_process_ms']:.0f} | {app['median_in_process_ms'] - hello['median_in_process_ms']:+.0f} | | |",
    f"| memory, PSS of app + WebKit processes (MiB, median) | {app['median_pss_mib']:.0f} | {hello['median_pss_mib']:.0f} | {extra_pss:+.0f} | ≤ +40 | {met(extra_pss <= 40)} |",
    f"| release binary, stripped (MB) | {binary_mb:.1f} | {hello['binary_bytes'] / 1e6:.1f} | {binary_mb - hello['binary_bytes'] / 1e6:+.1f} | ≤ 20 | {met(binary_mb <= 20)} |",
    "",
    f"Exec to interactive, cold: ottu-pos min {min(app_cold['exec_to_ready_ms']):.0f} / max {max(app_cold['exec_to_ready_ms']):.0f} ms; "
    f"hello-window min {min(hello_cold['exec_to_ready_ms']):.0f} / max {max(hello_cold['exec_to_ready_ms']):.0f} ms. "
    f"Warm: ottu-pos min {min(app['exec_to_ready_ms']):.0f} / max {max(app['exec_to_ready_ms']):.0f} ms; "
    f"hello-window min {min(hello['exec_to_ready_ms']):.0f} / max {max(hello['exec_to_ready_ms']):.0f} ms.",
    "",
    "Every run, exec to interactive (ms, sorted): "
    + "; ".join(
        f"{name} {label}: " + ", ".join(f"{ms:.0f}" for ms in sorted(series["exec_to_ready_ms"]))
        for name, label, series in [
            ("cold", "ottu-pos", app_cold), ("cold", "hello-window", hello_cold),
            ("warm", "ottu-pos", app), ("warm", "hello-window", hello),
        ]
    )
    + ". Some starts of either binary take ~500 ms longer before WebKit's web process loads "
    "the page; interleaving spreads those over both.",
    "",
    "PSS by process, warm (MiB, median, ottu-pos vs hello-window): " + "; ".join(
        f"{p} {app['median_pss_mib_by_process'].get(p, 0):.0f} vs {hello['median_pss_mib_by_process'].get(p, 0):.0f}"
        for p in procs) + ".",
    "",
    f"Command: `RUNS={runs} bench/app-bench.sh` (via `make bench`), which runs "
    f"`scripts/bench-app-startup.py [--cold] --runs {runs} --app hello-window=... --app ottu-pos=...`.",
    "",
]
open(out, "w").write("\n".join(lines))
print("\n".join(lines))
PY

# At the counter: Enter -> QR painted, paid -> "Paid" painted (tests/e2e/src/bin/ui-bench.rs).
OTTU_POS_BIN="$APP" "${xvfb[@]}" scripts/with-keyring.sh \
  "$CARGO_TARGET_DIR/debug/ui-bench" --runs "$((RUNS * 2))" --out "$RESULTS/app-payment-flow.md"
