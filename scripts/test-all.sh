#!/usr/bin/env bash
# Everything `make test` (and so CI) checks, in order. Each step runs even when an earlier one
# failed, so one run shows every problem; the summary at the end lists each step with its time,
# and the script exits non-zero when any step failed. Expects `make deps ui` to have run.
#
#   scripts/test-all.sh            all steps
#   SKIP_E2E=1 scripts/test-all.sh  everything except the end-to-end tests
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/.tools/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ottu-pos/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

names=() results=() seconds=()
started_all=$SECONDS

step() { # step <name> <command...>
  local name="$1"; shift
  printf '\n==== %s: %s\n' "$name" "$*"
  local start=$SECONDS status=0
  "$@" || status=$?
  names+=("$name"); seconds+=($((SECONDS - start)))
  if [ "$status" -eq 0 ]; then results+=("ok"); else results+=("FAILED (exit $status)"); fi
}

skip() { # skip <name> <reason>
  printf '\n==== %s: skipped (%s)\n' "$1" "$2"
  names+=("$1"); seconds+=(0); results+=("skipped: $2")
}

step "rustfmt" cargo fmt --all -- --check
step "clippy" cargo clippy --workspace --all-targets --locked -- -D warnings
# Unit and integration tests of every crate, the shell's included (its tests need no display).
# The end-to-end tests are #[ignore]d here and run below under Xvfb.
step "cargo test" cargo test --workspace --locked
# ui/src/lib/api/bindings.ts is generated from pos-core's DTOs; this fails when it is stale
# (regenerate: UPDATE_BINDINGS=1 cargo test -p pos-core --features ts --test ui_bindings).
step "ui bindings" cargo test -p pos-core --locked --features ts --test ui_bindings

if [ -x scripts/sandbox-fuzz.sh ]; then
  step "sandbox fuzz" scripts/sandbox-fuzz.sh
else
  skip "sandbox fuzz" "scripts/sandbox-fuzz.sh not present"
fi

# The keychain tests need a real Secret Service: a throwaway gnome-keyring on a private D-Bus.
step "keychain" scripts/with-keyring.sh cargo test -p pos-core --locked --test keychain

step "ui check" npm --prefix ui run check
step "ui test" npm --prefix ui test

if [ "${SKIP_E2E:-0}" = "1" ]; then
  skip "end-to-end" "SKIP_E2E=1"
else
  step "end-to-end" scripts/e2e.sh
fi

failed=0
printf '\n==== summary (%ss in all)\n' "$((SECONDS - started_all))"
for i in "${!names[@]}"; do
  printf '  %-14s %5ss  %s\n' "${names[$i]}" "${seconds[$i]}" "${results[$i]}"
  case "${results[$i]}" in FAILED*) failed=1 ;; esac
done
if [ "$failed" -ne 0 ]; then
  printf 'make test: FAILED\n'
  exit 1
fi
printf 'make test: all steps passed\n'
