#!/usr/bin/env bash
# Tests scripts/install-deps.sh's apt decisions without touching the machine: fake dpkg-query,
# apt-cache, apt-get, id and sudo on PATH play a machine in a given state (installed packages,
# packages in the apt lists before and after `apt-get update`), and each case asserts what the
# real script would install, what it says, and how it exits. Run by `make test`.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SCRIPT="$ROOT/scripts/install-deps.sh"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/install-deps-test.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

mapfile -t ALL < <("$SCRIPT" --list apt)
[ "${#ALL[@]}" -gt 5 ] || { echo "install-deps test: --list apt gave ${#ALL[@]} packages" >&2; exit 1; }

# --- the fake machine ------------------------------------------------------------------
FAKE="$WORK/bin"
mkdir -p "$FAKE"
cat > "$FAKE/dpkg-query" <<'FAKE_EOF'
#!/usr/bin/env bash
# Like dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' PKG...: exit 1 when any is unknown.
status=0
for arg in "$@"; do
  case "$arg" in -*) continue ;; esac
  line="$(grep -E "^$arg " "$FAKE_STATE/dpkg" || true)"
  if [ -n "$line" ]; then echo "$line"; else echo "dpkg-query: no packages found matching $arg" >&2; status=1; fi
done
exit $status
FAKE_EOF
cat > "$FAKE/apt-cache" <<'FAKE_EOF'
#!/usr/bin/env bash
# Like apt-cache policy PKG: nothing for a package the lists do not have.
[ "$1" = policy ] || exit 100
if grep -qxF "$2" "$FAKE_STATE/lists"; then
  printf '%s:\n  Installed: (none)\n  Candidate: 1.0-1\n' "$2"
fi
FAKE_EOF
cat > "$FAKE/apt-get" <<'FAKE_EOF'
#!/usr/bin/env bash
echo "apt-get $*" >> "$FAKE_STATE/log"
for arg in "$@"; do
  case "$arg" in
    update) cat "$FAKE_STATE/lists-after-update" >> "$FAKE_STATE/lists" 2>/dev/null; exit 0 ;;
    install)
      [ -f "$FAKE_STATE/install-fails" ] && { echo "E: Unable to fetch some archives" >&2; exit 100; }
      if [ -f "$FAKE_STATE/install-fails-until-update" ] && ! grep -q "apt-get update" "$FAKE_STATE/log"; then
        echo "E: Unable to correct problems, you have held broken packages." >&2; exit 100
      fi
      exit 0 ;;
  esac
done
FAKE_EOF
cat > "$FAKE/id" <<'FAKE_EOF'
#!/usr/bin/env bash
echo "${FAKE_UID:-0}"
FAKE_EOF
cat > "$FAKE/sudo" <<'FAKE_EOF'
#!/usr/bin/env bash
echo "sudo $1" >> "$FAKE_STATE/log"
exec "$@"
FAKE_EOF
chmod +x "$FAKE"/*

failures=0 cases=0
fail() { echo "  FAIL: $*"; failures=$((failures + 1)); }

# machine <installed packages...> -- sets a fresh state: these installed, every package of the
# list in the apt lists. Cases then adjust the files.
machine() {
  export FAKE_STATE="$WORK/state-$cases"
  rm -rf "$FAKE_STATE"; mkdir -p "$FAKE_STATE"
  : > "$FAKE_STATE/dpkg"; : > "$FAKE_STATE/log"; : > "$FAKE_STATE/lists-after-update"
  printf '%s\n' "${ALL[@]}" > "$FAKE_STATE/lists"
  local pkg; for pkg in "$@"; do echo "$pkg ii " >> "$FAKE_STATE/dpkg"; done
}
all_but() { local p; for p in "${ALL[@]}"; do [[ " $* " == *" $p "* ]] || echo "$p"; done; }
drop_from_lists() { local p; for p in "$@"; do grep -vxF "$p" "$FAKE_STATE/lists" > "$FAKE_STATE/l" || true; mv "$FAKE_STATE/l" "$FAKE_STATE/lists"; done; }

run() { # run <args...>: runs the real script on the fake machine
  PATH="$FAKE:$PATH" OTTU_POS_CACHE_DIR="$WORK/cache" "$SCRIPT" "$@" >"$FAKE_STATE/out" 2>&1
  echo $? > "$FAKE_STATE/status"
}
status() { cat "$FAKE_STATE/status"; }
log() { cat "$FAKE_STATE/log"; }
out() { cat "$FAKE_STATE/out"; }
start() { cases=$((cases + 1)); echo "case $cases: $*"; }

# --- cases -------------------------------------------------------------------------------
start "everything installed: nothing runs, nothing is said"
machine "${ALL[@]}"
run apt
[ "$(status)" = 0 ] || fail "exit $(status): $(out)"
[ -z "$(log)" ] || fail "apt-get ran: $(log)"
[ -z "$(out)" ] || fail "said: $(out)"

start "one package not installed (an older one removed, dpkg says 'rc'): exactly it is installed, no update"
machine $(all_but wrk)
echo "wrk rc " >> "$FAKE_STATE/dpkg"
run apt
[ "$(status)" = 0 ] || fail "exit $(status): $(out)"
[ "$(log)" = "apt-get install -y -qq --no-install-recommends wrk" ] || fail "apt-get calls: $(log)"

start "two never-installed packages dpkg has never heard of (dpkg-query exits 1): both installed"
machine $(all_but wrk webkit2gtk-driver)
run apt
[ "$(status)" = 0 ] || fail "exit $(status): $(out)"
grep -qx "apt-get install -y -qq --no-install-recommends webkit2gtk-driver wrk" "$FAKE_STATE/log" \
  || fail "apt-get calls: $(log)"

start "a machine set up before the two-monitor test (no Xorg, dummy driver, window manager, xrandr): those installed"
machine $(all_but xserver-xorg-core xserver-xorg-video-dummy openbox x11-xserver-utils)
run apt
[ "$(status)" = 0 ] || fail "exit $(status): $(out)"
[ "$(log)" = "apt-get install -y -qq --no-install-recommends xserver-xorg-core xserver-xorg-video-dummy openbox x11-xserver-utils" ] || fail "apt-get calls: $(log)"

start "a machine set up before the receipt PDF test (no poppler-utils): just that installed"
machine $(all_but poppler-utils)
run apt
[ "$(status)" = 0 ] || fail "exit $(status): $(out)"
[ "$(log)" = "apt-get install -y -qq --no-install-recommends poppler-utils" ] || fail "apt-get calls: $(log)"

start "a bare machine with empty apt lists: one update, then the whole list"
machine
: > "$FAKE_STATE/lists"; printf '%s\n' "${ALL[@]}" > "$FAKE_STATE/lists-after-update"
run apt
[ "$(status)" = 0 ] || fail "exit $(status): $(out)"
[ "$(grep -c 'apt-get update' "$FAKE_STATE/log")" = 1 ] || fail "update calls: $(log)"
grep -qx "apt-get install -y -qq --no-install-recommends ${ALL[*]}" "$FAKE_STATE/log" \
  || fail "apt-get calls: $(log)"

start "a package that does not exist in any apt source: named, with a fix, nothing installed"
machine $(all_but wrk xvfb)
drop_from_lists wrk
run apt
[ "$(status)" != 0 ] || fail "exit 0"
out | grep -q "not found in any apt source: wrk" || fail "message: $(out)"
out | grep -q "Fix:" || fail "no fix given: $(out)"
log | grep -q "install" && fail "installed anyway: $(log)"

start "apt-get install fails: said, with a fix"
machine $(all_but wrk)
touch "$FAKE_STATE/install-fails"
run apt
[ "$(status)" != 0 ] || fail "exit 0"
out | grep -q "apt-get install failed for: wrk" || fail "message: $(out)"

start "stale apt lists (held broken packages): one update, then the install again"
machine $(all_but wrk)
touch "$FAKE_STATE/install-fails-until-update"
run apt
[ "$(status)" = 0 ] || fail "exit $(status): $(out)"
[ "$(log | tr '\n' '|')" = "apt-get install -y -qq --no-install-recommends wrk|apt-get update -qq|apt-get install -y -qq --no-install-recommends wrk|" ] \
  || fail "apt-get calls: $(log)"

start "not root: through sudo"
machine $(all_but wrk)
FAKE_UID=1000 run apt
[ "$(status)" = 0 ] || fail "exit $(status): $(out)"
log | grep -qx "sudo env" || fail "no sudo: $(log)"

start "--dry-run: says what it would install, installs nothing, exits 1"
machine $(all_but wrk webkit2gtk-driver)
drop_from_lists webkit2gtk-driver
run --dry-run apt
[ "$(status)" = 1 ] || fail "exit $(status)"
out | grep -qx "install-deps: would apt-get install: wrk" || fail "would-install line: $(out)"
out | grep -q "not in the apt lists: webkit2gtk-driver" || fail "unknown package not named: $(out)"
[ -z "$(log)" ] || fail "apt-get ran: $(log)"

start "--check with everything installed: exit 0"
machine "${ALL[@]}"
run --check apt
[ "$(status)" = 0 ] || fail "exit $(status): $(out)"
out | grep -q "everything is in place" || fail "message: $(out)"

start "--check lists a missing display with the fix"
machine "${ALL[@]}"
DISPLAY= WAYLAND_DISPLAY= run --check display
[ "$(status)" = 1 ] || fail "exit $(status)"
out | grep -q "xvfb-run -a make run" || fail "message: $(out)"

start "package step: only its own packages (desktop-file-utils, rpm), which the apt step never installs"
mapfile -t PKG < <("$SCRIPT" --list package)
[ "${#PKG[@]}" -ge 1 ] || fail "--list package is empty"
machine "${ALL[@]}"
printf '%s\n' "${PKG[@]}" >> "$FAKE_STATE/lists"
for p in "${PKG[@]}"; do [[ " ${ALL[*]} " == *" $p "* ]] && fail "$p is in the apt step (make test's) too"; done
run apt
log | grep -q "install" && fail "the apt step installed a package-only package: $(log)"
run package
[ "$(status)" = 0 ] || fail "exit $(status): $(out)"
[ "$(log)" = "apt-get install -y -qq --no-install-recommends ${PKG[*]}" ] || fail "apt-get calls: $(log)"
run --check package
out | grep -q "make package" || fail "--check package does not name make package: $(out)"

start "an unknown step is refused with the list of steps"
machine "${ALL[@]}"
run aptt
[ "$(status)" != 0 ] || fail "exit 0"
out | grep -q "unknown step 'aptt'" || fail "message: $(out)"

echo "install-deps test: $cases cases, $failures failed"
[ "$failures" -eq 0 ]
