#!/usr/bin/env bash
# pos-core: time from a sandbox payment to the tracker reporting `paid`.
# Writes bench/results/core-paid.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release --quiet -p pos-core --example bench_paid_latency -- "${CORE_PAID_BENCH_SALES:-30}"
