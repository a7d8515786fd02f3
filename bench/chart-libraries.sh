#!/usr/bin/env bash
# The dashboard's charting library: the same three charts (24 hourly bars, 5 method bars, 7 days
# this week against last) drawn with uPlot and with Chart.js (bar controller only, tree-shaken),
# each page built on its own by the UI's Vite, minified. Measures the gzipped bytes of each page's
# JavaScript and CSS, and in WebKitGTK's MiniBrowser (the engine of the app's webview) under Xvfb:
# script start → all three charts painted (cold, a new browser each run) and the median of 30
# redraws with new data. Writes bench/results/chart-libraries.md. Numbers only; never a test.
#
#   bench/chart-libraries.sh          RUNS=9 by default
#
# The libraries are installed into a temporary folder with npm, at the versions below; only the
# chosen one (uPlot) is a dependency of ui/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=../scripts/env.sh
source scripts/env.sh
RUNS="${RUNS:-9}"
UPLOT=1.6.32
CHARTJS=4.6.1
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"
scripts/install-deps.sh apt npm

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp bench/chart-libraries/* "$work/"
(
  cd "$work"
  echo '{ "private": true, "type": "module" }' > package.json
  npm install --no-audit --no-fund --silent "uplot@$UPLOT" "chart.js@$CHARTJS"
  for lib in uplot chartjs; do
    CHART_BENCH_INPUT="$lib.html" CHART_BENCH_OUT="dist-$lib" \
      "$ROOT/ui/node_modules/.bin/vite" build --config vite.config.mjs
  done
)

gz_bytes() { # the gzip -9 size of every .js and .css under $1, summed
  find "$1" -name '*.js' -o -name '*.css' | while read -r f; do gzip -9c "$f" | wc -c; done |
    awk '{ s += $1 } END { print s }'
}
raw_bytes() {
  find "$1" -name '*.js' -o -name '*.css' | xargs cat | wc -c
}

export WEBKIT_DISABLE_DMABUF_RENDERER=1
# uPlot formats numbers with `new Intl.NumberFormat(navigator.language)` when its module loads;
# under LANG=C (or unset) WebKitGTK's navigator.language is "C", which Intl refuses, and the
# import throws. The comparison runs both under an English UTF-8 locale.
export LANG=en_US.UTF-8 LC_ALL=en_US.UTF-8
xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" bash -c '
  for run in $(seq "$1"); do
    for lib in uplot chartjs; do
      python3 "$2/serve.py" "$2/dist-$lib" "$lib.html" 60 >> "$2/$lib.jsonl"
    done
  done
' _ "$RUNS" "$work"

summary() { # lib → "first p50, redraw p50" over the runs
  python3 - "$1" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
first = statistics.median(r["first_ms"] for r in rows)
navigation = statistics.median(r["navigation_ms"] for r in rows)
redraw = statistics.median(r["redraw_median_ms"] for r in rows)
print(f"{navigation:.1f} | {first:.1f} | {redraw:.1f} | {len(rows)}")
PY
}

{
  echo "## Dashboard charts: uPlot against Chart.js"
  echo
  echo "Command: \`RUNS=$RUNS bench/chart-libraries.sh\`. The dashboard's three charts (24 hourly bars, 5"
  echo "method bars, 7 days this week against last) with each library, each page built alone by the UI's"
  echo "Vite (minified); drawn in WebKitGTK 4.1's MiniBrowser (the app's webview engine) under Xvfb,"
  echo "a new browser per run. *Page load → painted*: navigation start → the three charts painted (loading,"
  echo "parsing and running the library included); *script start → painted*: the charts' own code →"
  echo "painted; both wait two animation frames (about 33 ms at 60 Hz), medians of the runs. *Redraw*: new"
  echo "data into all three → painted (also two frames), median of 30 per run, median of the runs."
  echo "Both under \`LANG=en_US.UTF-8\`: under \`LANG=C\` or \`C.UTF-8\` uPlot's import throws (WebKitGTK's"
  echo "\`navigator.language\` is \"C\"; docs/architecture.md, \"Dashboard\"), which decided for Chart.js."
  echo
  echo "| library | version | licence | JS+CSS bytes | gzipped | page load → painted ms | script start → painted ms | redraw ms | runs |"
  echo "|---|---|---|---|---|---|---|---|---|"
  echo "| uPlot | $UPLOT | MIT | $(raw_bytes "$work/dist-uplot") | $(gz_bytes "$work/dist-uplot") | $(summary "$work/uplot.jsonl") |"
  echo "| Chart.js (bar only) | $CHARTJS | MIT | $(raw_bytes "$work/dist-chartjs") | $(gz_bytes "$work/dist-chartjs") | $(summary "$work/chartjs.jsonl") |"
  echo
  echo "Recorded $(date -u '+%Y-%m-%d') at commit $(git rev-parse --short HEAD); the machine was shared with other builds."
} > "$RESULTS/chart-libraries.md"
cat "$RESULTS/chart-libraries.md"
