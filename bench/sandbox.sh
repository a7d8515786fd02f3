#!/usr/bin/env bash
# ottu-sandbox create throughput under wrk at 64 connections, with the lost-write check.
# Writes bench/results/sandbox.md.
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/sandbox-bench.sh "${SANDBOX_BENCH_SECONDS:-10}"
