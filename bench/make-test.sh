#!/usr/bin/env bash
# How long `make test` takes for a newcomer and for CI: from a fresh clone with an empty cache
# (no build, no cargo tools, no npm packages: what a new machine has), then from a second fresh
# clone of the same commit sharing that cache. Writes bench/results/make-test.md with each step's
# time from test-all.sh's summary. Targets (issue: a brand-new machine): cold <= 30 min, warm
# <= 5 min, on 2 cores.
#
#   bench/make-test.sh            both runs (about 30 minutes)
#
# Takes the committed HEAD (uncommitted changes are not in a clone). The cargo registry
# (~/.cargo/registry) is kept: crates are downloaded, not built, and downloading is not what the
# targets are about. apt packages the machine lacks are installed by the cold run and counted.
set -Eeuo pipefail
trap 'echo "make-test bench: line $LINENO: \`$BASH_COMMAND\` failed" >&2' ERR

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ottu-pos-make-test.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
CACHE="$WORK/cache"
commit="$(git rev-parse --short HEAD)"   # both clones check out this commit, whatever lands meanwhile
# --check exits 1 when something is missing, which is the case this wants to record.
apt_missing="$({ scripts/install-deps.sh --check apt 2>&1 || true; } \
  | sed -n 's/.*MISSING apt packages not installed: \([^.]*\)\..*/\1/p')"

run() { # run <name>: fresh clone, make test, the summary kept in $WORK/<name>.summary
  local name="$1" clone="$WORK/$1" start status=0
  git clone -q "$ROOT" "$clone"
  git -C "$clone" checkout -q --detach "$commit"
  start=$(date +%s)
  (cd "$clone" && env -u CARGO_TARGET_DIR OTTU_POS_CACHE_DIR="$CACHE" make test) \
    > "$WORK/$name.log" 2>&1 || status=$?
  echo $(( $(date +%s) - start )) > "$WORK/$name.seconds"
  sed -n '/^==== summary/,$p' "$WORK/$name.log" > "$WORK/$name.summary"
  mkdir -p "$ROOT/artifacts" && cp "$WORK/$name.log" "$ROOT/artifacts/make-test-$name.log"
  if [ "$status" -ne 0 ]; then
    echo "make-test bench: the $name run failed (exit $status); log: artifacts/make-test-$name.log" >&2
    tail -40 "$WORK/$name.log" >&2
    exit 1
  fi
  rm -rf "$clone"
}

run cold
run warm

mmss() { printf '%d min %02d s' $(($1 / 60)) $(($1 % 60)); }
cold=$(cat "$WORK/cold.seconds") warm=$(cat "$WORK/warm.seconds")
met() { [ "$1" -le "$2" ] && echo yes || echo NO; }
{
  echo "## \`make test\`: a new machine, and a second clone"
  echo
  echo "\`make test\` from a fresh clone of $commit with an empty cache (\`OTTU_POS_CACHE_DIR\` pointing at an empty directory: no build, no cargo tools, no npm packages), then from a second fresh clone sharing that cache, on $(nproc) cores. apt packages missing at the start and installed by the cold run: ${apt_missing:-none}. The cargo registry's downloaded crates were kept."
  echo
  echo "| run | wall clock | target | met |"
  echo "|---|---|---|---|"
  echo "| cold: fresh clone, empty cache | $(mmss "$cold") | ≤ 30 min | $(met "$cold" 1800) |"
  echo "| warm: second fresh clone, same cache | $(mmss "$warm") | ≤ 5 min | $(met "$warm" 300) |"
  echo
  echo "The cold run's wall clock includes installing the missing apt packages, \`npm ci\`, building tauri-driver and cargo-deny, and the UI bundle (before test-all.sh's first step). Each run's steps, from test-all.sh's summary:"
  for name in cold warm; do
    echo
    echo "$name:"
    echo
    echo '```'
    cat "$WORK/$name.summary"
    echo '```'
  done
  echo
  echo "Command: \`bench/make-test.sh\` (via \`make bench\`)."
} > "$RESULTS/make-test.md"
echo "wrote $RESULTS/make-test.md (cold $(mmss "$cold"), warm $(mmss "$warm"))"
