# Sourced by the release tests (test.sh, update.sh): their shared helpers. Set TEST_NAME first;
# it prefixes every line they print.

say() { printf '%s: %s\n' "$TEST_NAME" "$*"; }
die() { printf '%s: FAIL: %s\n' "$TEST_NAME" "$*" >&2; exit 1; }
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "installing a package needs root or sudo: $*"
  fi
}
installed_version() { dpkg-query -W -f='${db:Status-Abbrev} ${Version}' ottu-pos 2>/dev/null || true; }
