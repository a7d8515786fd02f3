#!/usr/bin/env python3
"""Start-up time and idle memory of Tauri app binaries, for bench/app-bench.sh.

    python3 scripts/bench-app-startup.py --runs 10 [--cold] --out-dir DIR \
        --app hello-window=PATH --app ottu-pos=PATH

Runs of the binaries alternate (A B, B A, A B, ...), so whatever the machine is doing at a
given moment weighs on each alike. Each run launches a binary on the current DISPLAY with a
fresh HOME/XDG/OTTU_POS_* directory and `OTTU_POS_STARTUP_REPORT` pointing at a temp file. The
app writes the milliseconds from `main` to its first interactive paint there (`ui_ready`;
hello-window's `ready`). The script also records "exec to ready": from just before the process
was spawned to the report file's mtime (which includes exec and dynamic linking). After the
report appears it waits IDLE_SECONDS and sums PSS (`/proc/<pid>/smaps_rollup`) over the app and all its descendants (the WebKit web and
network processes), then stops the app with SIGTERM.

With --cold, the kernel's page cache is dropped before each run (needs root: writes
/proc/sys/vm/drop_caches), so the binary, WebKit's libraries and fonts are read from disk as on
the first start after boot. Without permission the runs are warm and the summary says so.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def descendants(root_pid):
    """The pid and all its descendants, from /proc/*/stat parent links."""
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Field 4 is the parent pid; the command name (field 2) may contain spaces, so split
        # after its closing parenthesis.
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, stack = [], [root_pid]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def pss_kib(pid):
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def process_name(pid):
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


def drop_page_cache():
    """Empties the page cache; False when this process may not."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def one_run(binary, idle_seconds, timeout, cold):
    cold = cold and drop_page_cache()
    # WebKit's helper processes may still be writing their caches for a moment after the app
    # exits; a leftover file must not end the benchmark.
    with tempfile.TemporaryDirectory(prefix="ottu-pos-bench-", ignore_cleanup_errors=True) as tmp:
        root = Path(tmp)
        env = dict(os.environ)
        for var, sub in [
            ("HOME", "home"),
            ("XDG_CONFIG_HOME", "home/.config"),
            ("XDG_DATA_HOME", "home/.local/share"),
            ("XDG_CACHE_HOME", "home/.cache"),
            ("OTTU_POS_CONFIG_DIR", "config"),
            ("OTTU_POS_DATA_DIR", "data"),
        ]:
            (root / sub).mkdir(parents=True, exist_ok=True)
            env[var] = str(root / sub)
        report = root / "startup-ms"
        env["OTTU_POS_STARTUP_REPORT"] = str(report)
        # Same WebKit setting for both binaries (ottu-pos sets it itself when unset).
        env.setdefault("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        spawned_ns = time.time_ns()
        proc = subprocess.Popen(
            [binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            deadline = time.monotonic() + timeout
            while not (report.exists() and report.read_text().endswith("\n")):
                if proc.poll() is not None:
                    raise RuntimeError(f"{binary} exited with {proc.returncode} before ready")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{binary} did not report ready within {timeout} s")
                time.sleep(0.005)
            in_process_ms = float(report.read_text())
            exec_to_ready_ms = (report.stat().st_mtime_ns - spawned_ns) / 1e6
            time.sleep(idle_seconds)
            tree = descendants(proc.pid)
            by_process = {}
            for pid in tree:
                name = process_name(pid)
                by_process[name] = by_process.get(name, 0) + pss_kib(pid)
            total_kib = sum(by_process.values())
        finally:
            helpers = [pid for pid in descendants(proc.pid) if pid != proc.pid]
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            # The next start must not share the machine with this one's WebKit processes.
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in helpers):
                time.sleep(0.02)
    return {
        "cold": cold,
        "in_process_ms": in_process_ms,
        "exec_to_ready_ms": exec_to_ready_ms,
        "pss_mib": total_kib / 1024,
        "pss_mib_by_process": {k: v / 1024 for k, v in sorted(by_process.items())},
    }


def summarise(label, binary, runs):
    def med(key):
        return statistics.median(r[key] for r in runs)

    names = sorted({n for r in runs for n in r["pss_mib_by_process"]})
    return {
        "label": label,
        "runs": len(runs),
        "cold": all(r["cold"] for r in runs),
        "exec_to_ready_ms": [r["exec_to_ready_ms"] for r in runs],
        "median_in_process_ms": med("in_process_ms"),
        "median_exec_to_ready_ms": med("exec_to_ready_ms"),
        "median_pss_mib": med("pss_mib"),
        "median_pss_mib_by_process": {
            n: statistics.median(r["pss_mib_by_process"].get(n, 0) for r in runs) for n in names
        },
        "binary_bytes": Path(binary).stat().st_size,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--app",
        action="append",
        required=True,
        metavar="LABEL=BINARY",
        help="a binary to start, under a label; give it once per binary",
    )
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--idle-seconds", type=float, default=2.0)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--cold", action="store_true", help="drop the page cache before each run")
    parser.add_argument("--out-dir", required=True, help="LABEL.json is written here per binary")
    args = parser.parse_args()

    apps = []
    for spec in args.app:
        label, sep, binary = spec.partition("=")
        if not sep or not label or not binary:
            parser.error(f"--app takes LABEL=BINARY, not {spec!r}")
        apps.append((label, binary))

    # Interleaved, and the order flipped every round, so a slow moment of the machine (or a
    # start-up cost one app leaves to the next) falls on every binary alike.
    runs = {label: [] for label, _ in apps}
    for i in range(args.runs):
        for label, binary in apps if i % 2 == 0 else reversed(apps):
            run = one_run(binary, args.idle_seconds, args.timeout, args.cold)
            print(
                f"{label} run {i + 1}/{args.runs}: ready {run['in_process_ms']:.0f} ms "
                f"(exec to ready {run['exec_to_ready_ms']:.0f} ms), PSS {run['pss_mib']:.0f} MiB",
                file=sys.stderr,
            )
            runs[label].append(run)

    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for label, binary in apps:
        summary = summarise(label, binary, runs[label])
        (out_dir / f"{label}.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
