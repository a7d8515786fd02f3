#!/usr/bin/env bash
# Runs a command on a private X display with two monitors side by side, under a real window
# manager (openbox): a till with a customer display, for the end-to-end test of the customer
# window.
#
#   scripts/with-two-monitors.sh <command> [args...]     (DISPLAY is set for the command)
#
# The display is Xorg with the dummy video driver (xserver-xorg-video-dummy 0.4), which has real
# RandR outputs: DUMMY0 (1280x800, primary) and DUMMY1 (1024x768, right of it), both connected,
# each on its own CRTC, as two monitors on a graphics card. Xvfb cannot stand in: it has one
# output, and GTK (GDK) ignores RandR 1.5 monitors made with `xrandr --setmonitor` that have
# no output of their own, so an app under Xvfb always sees one monitor.
# openbox, Xorg's log and config live in a temporary directory, removed at the end.
# Needs: xserver-xorg-core, xserver-xorg-video-dummy, openbox, x11-xserver-utils (xrandr),
# x11-utils (xprop).
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 <command> [args...]" >&2
    exit 2
fi
for tool in Xorg openbox xrandr xprop; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$0: $tool not found; install the apt packages xserver-xorg-core, xserver-xorg-video-dummy, openbox, x11-xserver-utils and x11-utils (scripts/install-deps.sh apt)" >&2
        exit 127
    fi
done

work="$(mktemp -d "${TMPDIR:-/tmp}/ottu-pos-two-monitors.XXXXXX")"
xorg_pid="" wm_pid=""
cleanup() {
    for pid in $wm_pid $xorg_pid; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# No input devices (nothing to read here), no VT switching: a server for tests only.
cat > "$work/xorg.conf" <<'EOF'
Section "ServerFlags"
  Option "AutoAddDevices" "false"
  Option "AutoEnableDevices" "false"
  Option "DontVTSwitch" "true"
EndSection
Section "Device"
  Identifier "card"
  Driver "dummy"
  VideoRam 65536
EndSection
Section "Monitor"
  Identifier "monitor"
  HorizSync 5.0 - 1000.0
  VertRefresh 5.0 - 200.0
EndSection
Section "Screen"
  Identifier "screen"
  Device "card"
  Monitor "monitor"
  DefaultDepth 24
  SubSection "Display"
    Depth 24
    Virtual 2304 800
  EndSubSection
EndSection
EOF
mkdir -p "$work/xorg.conf.d"

# -displayfd: Xorg picks a free display number and writes it once it accepts clients.
Xorg -displayfd 3 -config "$work/xorg.conf" -configdir "$work/xorg.conf.d" \
    -logfile "$work/xorg.log" -nolisten tcp -noreset -novtswitch -sharevts \
    3> "$work/display" > "$work/xorg.out" 2>&1 &
xorg_pid=$!
for _ in $(seq 100); do
    [ -s "$work/display" ] && break
    if ! kill -0 "$xorg_pid" 2>/dev/null; then
        echo "$0: Xorg exited:" >&2
        tail -n 20 "$work/xorg.out" "$work/xorg.log" >&2 2>/dev/null || true
        exit 1
    fi
    sleep 0.1
done
[ -s "$work/display" ] || { echo "$0: Xorg did not start within 10 s" >&2; exit 1; }
export DISPLAY=":$(tr -d '[:space:]' < "$work/display")"

# The dummy card's second output starts disconnected; a mode makes it a monitor right of the first.
xrandr --addmode DUMMY1 1024x768
xrandr --output DUMMY0 --mode 1280x800 --pos 0x0 --primary \
    --output DUMMY1 --mode 1024x768 --right-of DUMMY0
count="$(xrandr --listmonitors | awk 'NR == 1 { print $2 }')"
if [ "$count" != 2 ]; then
    echo "$0: the X server has $count monitors, not 2:" >&2
    xrandr --listmonitors >&2
    exit 1
fi

HOME="$work" XDG_CONFIG_HOME="$work/.config" XDG_CACHE_HOME="$work/.cache" \
    XDG_DATA_HOME="$work/.local/share" openbox --sm-disable > "$work/openbox.log" 2>&1 &
wm_pid=$!
# Ready once it has announced itself on the root window (EWMH _NET_SUPPORTING_WM_CHECK).
for _ in $(seq 100); do
    xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q 'window id' && break
    if ! kill -0 "$wm_pid" 2>/dev/null; then
        echo "$0: openbox exited: $(cat "$work/openbox.log")" >&2
        exit 1
    fi
    sleep 0.1
done
xprop -root _NET_SUPPORTING_WM_CHECK | grep -q 'window id' \
    || { echo "$0: openbox did not start within 10 s" >&2; exit 1; }

status=0
"$@" || status=$?
exit "$status"
