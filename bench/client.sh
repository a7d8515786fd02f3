#!/usr/bin/env bash
# ottu-checkout's own overhead per create call against a local responder.
# Writes bench/results/client.md.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release --quiet -p ottu-checkout --example bench_create -- --iterations "${CLIENT_BENCH_ITERATIONS:-2000}"
