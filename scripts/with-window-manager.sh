#!/usr/bin/env bash
# Runs a command on the current X display under a real window manager (openbox), after splitting
# the screen into side-by-side RandR 1.5 monitors when asked, as a till with a customer display.
#
#   scripts/with-window-manager.sh [--monitors 1280x800,1024x768] <command> [args...]
#
# The first monitor is the primary and takes the X screen's own output; the others have none,
# as `xrandr --setmonitor` allows. GTK (GDK) and openbox read the monitors from RandR 1.5 and its
# Xinerama view. The X server must not reset when its last client leaves (Xvfb -noreset):
# monitors are the server's state and a reset between xrandr and openbox would drop them.
# openbox keeps its files in a temporary HOME; it is stopped when the command ends.
# Needs: openbox, x11-xserver-utils (xrandr), x11-utils (xprop).
set -euo pipefail

monitors=""
if [ "${1:-}" = --monitors ]; then
    monitors="${2:?--monitors needs a list like 1280x800,1024x768}"
    shift 2
fi
if [ "$#" -eq 0 ]; then
    echo "usage: $0 [--monitors WxH,WxH...] <command> [args...]" >&2
    exit 2
fi
[ -n "${DISPLAY:-}" ] || { echo "$0: DISPLAY is not set (run it inside xvfb-run)" >&2; exit 1; }
for tool in openbox xrandr xprop; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$0: $tool not found; install the apt packages openbox, x11-xserver-utils and x11-utils (scripts/install-deps.sh apt)" >&2
        exit 127
    fi
done

if [ -n "$monitors" ]; then
    output="$(xrandr --query | awk '$2 == "connected" { print $1; exit }')"
    [ -n "$output" ] || { echo "$0: the X server reports no connected output" >&2; exit 1; }
    IFS=, read -ra sizes <<< "$monitors"
    x=0
    for i in "${!sizes[@]}"; do
        width="${sizes[$i]%x*}"
        height="${sizes[$i]#*x}"
        # Millimetres at 96 dpi, so GDK reports a scale of 1.
        geometry="$width/$((width * 254 / 960))x$height/$((height * 254 / 960))+$x+0"
        if [ "$i" -eq 0 ]; then
            xrandr --setmonitor "*monitor-1" "$geometry" "$output" > /dev/null
        else
            xrandr --setmonitor "monitor-$((i + 1))" "$geometry" none
        fi
        x=$((x + width))
    done
    count="$(xrandr --listmonitors | awk 'NR == 1 { print $2 }')"
    if [ "$count" != "${#sizes[@]}" ]; then
        echo "$0: asked for ${#sizes[@]} monitors, the X server has $count (is Xvfb running with -noreset?):" >&2
        xrandr --listmonitors >&2
        exit 1
    fi
fi

wm_home="$(mktemp -d "${TMPDIR:-/tmp}/ottu-pos-wm.XXXXXX")"
HOME="$wm_home" XDG_CONFIG_HOME="$wm_home/.config" XDG_CACHE_HOME="$wm_home/.cache" \
    XDG_DATA_HOME="$wm_home/.local/share" openbox --sm-disable > "$wm_home/openbox.log" 2>&1 &
wm_pid=$!
cleanup() {
    kill "$wm_pid" 2>/dev/null || true
    wait "$wm_pid" 2>/dev/null || true
    rm -rf "$wm_home"
}
trap cleanup EXIT

# Ready once it has announced itself on the root window (EWMH _NET_SUPPORTING_WM_CHECK).
for _ in $(seq 100); do
    if xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q 'window id'; then
        break
    fi
    if ! kill -0 "$wm_pid" 2>/dev/null; then
        echo "$0: openbox exited: $(cat "$wm_home/openbox.log")" >&2
        exit 1
    fi
    sleep 0.1
done
xprop -root _NET_SUPPORTING_WM_CHECK | grep -q 'window id' \
    || { echo "$0: openbox did not start within 10 s" >&2; exit 1; }

status=0
"$@" || status=$?
exit "$status"
