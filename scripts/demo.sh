#!/usr/bin/env bash
# `make demo`: the daily loop as a new user meets it, on the path a user has. The toolkit is a
# wheel built from this checkout, installed into a fresh virtualenv (demo-output/toolkit-venv,
# nothing reused from .venv); `toolkit new` makes ./demo-project, whose own `make test` builds
# its own .venv from nothing. Then data -> train -> report, and the hooks refusing a notebook
# that was run out of order. Commands run with a PATH that holds no virtualenv (a plain shell).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
section() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# A plain shell: no virtualenv's bin on PATH (the Makefile puts .venv/bin first).
plain_path=$(printf '%s\n' "$PATH" | tr ':' '\n' | while read -r dir; do
  if [ -n "$dir" ] && [ ! -f "$dir/../pyvenv.cfg" ]; then printf '%s:' "$dir"; fi; done)
export PATH=${plain_path%:}
unset VIRTUAL_ENV PYTHONPATH
python=${PYTHON:-python3}

section "1. the toolkit as a user installs it: a wheel of this checkout, a fresh virtualenv"
out=demo-output
venv="$out/toolkit-venv"
mkdir -p "$out/wheel"
rm -f "$out"/wheel/*.whl
"$root/.venv/bin/python" -m pip wheel --no-deps --no-build-isolation -q -w "$out/wheel" .
wheel=$(ls "$out"/wheel/compound_toolkit-*.whl)
digest=$(sha256sum "$wheel" | cut -d' ' -f1)
if [ "$(cat "$venv/.wheel-sha256" 2>/dev/null)" != "$digest" ]; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
  echo "\$ pip install \"$(basename "$wheel")[all]\" pre-commit   (into $venv)"
  "$venv/bin/python" -m pip install -q "$wheel[all]" pre-commit
  echo "$digest" > "$venv/.wheel-sha256"
else
  echo "$venv already has $(basename "$wheel")"
fi
toolkit="$root/$venv/bin/toolkit"

section "2. toolkit new: a project that is ready on day one"
rm -rf demo-project   # the demo's own output from a previous run (git-ignored)
echo "\$ toolkit new --no-input --git \"project_name=demo project\""
"$toolkit" new ml-project --no-input --git -o . "project_name=demo project"
grep -m1 '"compound-toolkit' demo-project/pyproject.toml
git -C demo-project ls-files .toolkit | sed 's/^/  committed: /'

section "3. its own make test on a fresh machine (own .venv; ruff, pre-commit hooks, pytest)"
started=$(date +%s)
make -C demo-project test
echo "demo-project: make test passed in $(( $(date +%s) - started ))s"

section "4. data -> train (make train): metrics, model and figure, all git-ignored; recorded as a run"
make -C demo-project train
demo-project/.venv/bin/toolkit runs --dir demo-project/runs list

section "5. the hooks, from a plain shell: a notebook run out of order is refused"
python3 - demo-project/notebooks/02-scratch.ipynb <<'PY'
import json, sys
cells = [{"cell_type": "code", "execution_count": n, "id": f"c{n}", "metadata": {},
          "outputs": [], "source": f"x = {n}"} for n in (5, 2, 9)]
nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
open(sys.argv[1], "w").write(json.dumps(nb, indent=1) + "\n")
PY
git -C demo-project add notebooks/02-scratch.ipynb
echo "\$ git commit -m 'scratch run'   (a notebook whose cells ran 5, 2, 9)"
if refusal=$(git -C demo-project commit -q -m "scratch run" 2>&1); then
  echo "demo: the out-of-order notebook was committed; the hooks did not run" >&2
  exit 1
fi
printf '%s\n' "$refusal" | grep -E 'Failed|ran before' || true
echo "refused, as it should be (re-run the notebook top to bottom, then commit)"
git -C demo-project reset -q -- notebooks/02-scratch.ipynb  # the strip hook restaged it: unstage whatever is there
rm demo-project/notebooks/02-scratch.ipynb

# Later steps: the data health report (the user's toolkit) and the notebook report (the
# project's own environment, which has its package installed).
export DEMO_PROJECT="$root/demo-project"
PATH="$root/$venv/bin:$PATH" bash scripts/demo_health.sh
PATH="$root/demo-project/.venv/bin:$PATH" bash scripts/demo_report.sh

section "what was made"
echo "toolkit:   $root/$venv  (from $(basename "$wheel"))"
echo "project:   $root/demo-project  (git repository; hooks installed by its make setup)"
echo "  package  demo-project/src/demo_project/  config, data, features, models/train, predict, plots"
echo "  tests    make -C demo-project test      the loop: make -C demo-project data train report"
echo "  reports  demo-project/reports/  metrics.json, figures/confusion.png"
for f in demo-output/health/report.html demo-output/report/index.html; do
  if [ -f "$f" ]; then echo "report:    $root/$f"; fi
done
exit 0
