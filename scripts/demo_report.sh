#!/usr/bin/env bash
# `make demo` step: turn the demo project's starter notebook(s) into results-only HTML reports.
# Run after scripts/demo.sh has created ./demo-project (needs `toolkit` on PATH: .venv/bin first).
# DEMO_PROJECT / DEMO_REPORT_DIR override where the notebooks are and where reports go.
set -euo pipefail
cd "$(dirname "$0")/.."
project=${DEMO_PROJECT:-demo-project}
out=${DEMO_REPORT_DIR:-demo-output/report}
printf '\n\033[1m== %s\033[0m\n' "toolkit report: the starter notebook as a results-only report"

shopt -s nullglob
notebooks=("$project"/notebooks/*.ipynb)
if [ ${#notebooks[@]} -eq 0 ]; then
  echo "demo_report: no notebooks in $project/notebooks/ (run scripts/demo.sh first)" >&2
  exit 1
fi

mkdir -p "$out"
# The starter notebook may import the project's own package (src layout): make it importable in
# the kernel even when the project is not pip-installed into this environment.
if [ -d "$project/src" ]; then
  export PYTHONPATH="$(cd "$project/src" && pwd)${PYTHONPATH:+:$PYTHONPATH}"
fi
echo "\$ toolkit report --execute -o $out ${notebooks[*]}"
status=0
toolkit report --execute -o "$out" "${notebooks[@]}" || status=$?
abs_out=$(cd "$out" && pwd)
first=""
for nb in "${notebooks[@]}"; do
  name=$(basename "$nb" .ipynb)
  if [ -f "$abs_out/$name.html" ]; then
    echo "report: $abs_out/$name.html"
    first=${first:-$abs_out/$name.html}
  fi
done
if [ -n "$first" ]; then
  echo "open it in a browser (self-contained, works offline), or screenshot it headless:"
  echo "  chromium --headless --no-sandbox --screenshot=/tmp/report.png --window-size=1280,1600 file://$first"
fi
exit "$status"
