#!/usr/bin/env bash
# Everything `make test` (and so CI) checks, in order. Each step runs even when an earlier one
# failed, so one run shows every problem; the summary at the end lists each step with its time
# and budget (DEVELOPMENT.md), and the script exits non-zero when any step failed. Expects
# `make deps ui` to have run.
#
#   scripts/test-all.sh            all steps
#   SKIP_E2E=1 scripts/test-all.sh  everything except the end-to-end tests
#
# One build: every cargo command here selects the whole workspace with the same flags, so cargo
# resolves the same features each time and builds each crate once. `cargo test --workspace` also
# builds the `ottu-pos` binary (src-tauri has an integration test), which the end-to-end step
# runs; the tests that need a keyring, a fuzz server or a display are `#[ignore]`d there and run
# below with `--ignored`, in their environment.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=env.sh
source scripts/env.sh

names=() results=() seconds=() budgets=()
started_all=$SECONDS

step() { # step <name> <budget seconds, cold build> <command...>
  local name="$1" budget="$2"; shift 2
  printf '\n==== %s: %s\n' "$name" "$*"
  local start=$SECONDS status=0
  "$@" || status=$?
  names+=("$name"); seconds+=($((SECONDS - start))); budgets+=("$budget")
  if [ "$status" -eq 0 ]; then results+=("ok"); else results+=("FAILED (exit $status)"); fi
}

skip() { # skip <name> <reason>
  printf '\n==== %s: skipped (%s)\n' "$1" "$2"
  names+=("$1"); seconds+=(0); budgets+=(0); results+=("skipped: $2")
}

step "rustfmt" 10 cargo fmt --all -- --check
step "install script" 10 tests/install-deps/test.sh
step "clippy" 300 cargo clippy --workspace --all-targets --locked -- -D warnings
# Unit and integration tests of every crate, the shell's and the UI bindings' included.
step "cargo test" 720 cargo test --workspace --locked --no-fail-fast
# Licences, sources and duplicate versions (deny.toml). The advisory check needs a database
# fetched from outside the package registries, so it is not part of `make test`.
step "cargo deny" 20 cargo deny --locked check licenses bans sources
step "sandbox fuzz" 60 scripts/sandbox-fuzz.sh
# The keychain tests need a real Secret Service: a throwaway gnome-keyring on a private D-Bus.
step "keychain" 30 scripts/with-keyring.sh \
  cargo test --workspace --locked --test keychain -- --ignored
# The phone demo: a network namespace with a veth pair stands in for the shop's Wi-Fi (root).
if [ "$(id -u)" -eq 0 ]; then
  step "phone demo" 30 cargo test --workspace --locked --test phone_demo -- --ignored \
    --exact a_phone_on_the_wifi_pays_the_demo_qr_and_the_till_turns_paid
else
  step "phone demo" 30 sudo -E env "PATH=$PATH" cargo test --workspace --locked \
    --test phone_demo -- --ignored --exact a_phone_on_the_wifi_pays_the_demo_qr_and_the_till_turns_paid
fi
step "ui check" 60 npm --prefix ui run check
step "ui test" 60 npm --prefix ui test

if [ "${SKIP_E2E:-0}" = "1" ]; then
  skip "end-to-end" "SKIP_E2E=1"
else
  step "end-to-end" 240 scripts/e2e.sh
fi

failed=0
printf '\n==== summary (%ss in all)\n' "$((SECONDS - started_all))"
printf '  %-14s %6s %7s  %s\n' step took budget result
for i in "${!names[@]}"; do
  printf '  %-14s %5ss %6ss  %s\n' "${names[$i]}" "${seconds[$i]}" "${budgets[$i]}" "${results[$i]}"
  case "${results[$i]}" in FAILED*) failed=1 ;; esac
done
if [ "$failed" -ne 0 ]; then
  printf 'make test: FAILED\n'
  exit 1
fi
printf 'make test: all steps passed\n'
