#!/usr/bin/env bash
# CLI benchmark: time from starting `ottu-pos-cli request ...` to the QR code being printed,
# against the embedded demo sandbox (started by the CLI itself, as on a fresh terminal).
# Writes bench/results/core-cli.md. Usage: bench/core-cli.sh [RUNS] (default 30).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUNS="${1:-30}"
# shellcheck source=../scripts/env.sh
source "$ROOT/scripts/env.sh"
cargo build --release --locked -p pos-core --bin ottu-pos-cli
BIN="$CARGO_TARGET_DIR/release/ottu-pos-cli"

python3 - "$BIN" "$RUNS" <<'PY'
import os, shutil, statistics, subprocess, sys, tempfile, time

binary, runs = sys.argv[1], int(sys.argv[2])
state = tempfile.mkdtemp(prefix="ottu-pos-cli-bench-")
env = dict(os.environ,
           OTTU_POS_CONFIG_DIR=os.path.join(state, "config"),
           OTTU_POS_DATA_DIR=os.path.join(state, "data"))
env.pop("OTTU_POS_PROFILE", None)
command = [binary, "request", "--amount", "12.500", "--currency", "KWD",
           "--phone", "+96550000000"]

def one_run():
    """(ms until the QR's last line was read, ms until the process exited)."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    qr_done = None
    seen_qr = False
    for raw in proc.stdout:
        line = raw.decode("utf-8", "replace")
        if "\u2588" in line or "\u2580" in line or "\u2584" in line:
            seen_qr = True
        elif seen_qr and qr_done is None:
            qr_done = time.perf_counter()   # first line after the QR block
    proc.wait()
    end = time.perf_counter()
    if proc.returncode != 0 or qr_done is None:
        sys.exit(f"run failed (exit {proc.returncode}): {proc.stderr.read().decode()}")
    return (qr_done - start) * 1000, (end - start) * 1000

first = one_run()          # first run: creates the demo (key, port, database) and caches gateways
runs_ms = [one_run() for _ in range(runs)]
qr = sorted(r[0] for r in runs_ms)
total = sorted(r[1] for r in runs_ms)

def pct(values, p):
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]

text = f"""## CLI: `request` to QR printed (demo sandbox)

Command: `bench/core-cli.sh {runs}` (release build), which runs {runs} times, after one first run,
`ottu-pos-cli request --amount 12.500 --currency KWD --phone +96550000000` with fresh config and
data dirs shared by all runs. Each run is a new process that starts the embedded demo sandbox
(SQLite file, stable loopback port), creates the payment request over HTTP, renders the QR code
and prints it. Measured from process start to the first line after the QR block on stdout.

| measurement | p50 ms | p95 ms | mean ms |
|---|---|---|---|
| start → QR printed | {pct(qr, 50):.1f} | {pct(qr, 95):.1f} | {statistics.mean(qr):.1f} |
| start → process exited (sandbox stopped) | {pct(total, 50):.1f} | {pct(total, 95):.1f} | {statistics.mean(total):.1f} |

First run on a fresh install (creates the demo's key, port and database, fetches the gateway
list): {first[0]:.1f} ms to the QR.

**`request` to QR printed: p50 {pct(qr, 50):.1f} ms, p95 {pct(qr, 95):.1f} ms.**
"""
shutil.rmtree(state, ignore_errors=True)
os.makedirs("bench/results", exist_ok=True)
with open("bench/results/core-cli.md", "w") as out:
    out.write(text)
print(text)
PY
