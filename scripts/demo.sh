#!/usr/bin/env bash
# `make demo`: what a new user meets. Creates ./demo-project from the ML template without
# prompts, runs that project's own checks and tests, then the later demo steps when present.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
section() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

section "1. toolkit new: a project that is ready on day one"
rm -rf demo-project   # the demo's own output from a previous run (git-ignored)
toolkit new ml-project --no-input --git -o . "project_name=demo project"

section "2. the generated project's own make test (ruff, pre-commit hooks, pytest)"
# The demo project reuses this environment's packages (no second download of the stack).
make -C demo-project test \
  PYTHON="$root/.venv/bin/python" \
  SITE_PACKAGES="$("$root/.venv/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')" \
  PIP_ARGS=--no-build-isolation

for step in scripts/demo_health.sh scripts/demo_report.sh; do
  if [ -f "$step" ]; then bash "$step"; fi
done

section "what was made"
echo "project:        $root/demo-project  (git repository, first commit made)"
echo "  package:      demo-project/src/demo_project/  (config, data, features, models/train, predict, plots)"
echo "  tests:        demo-project/tests/  -- run: make -C demo-project test"
echo "  notebook:     demo-project/notebooks/01-starter-baseline.ipynb"
for f in demo-output/health/report.html demo-output/report/index.html; do
  [ -f "$f" ] && echo "report:         $root/$f"
done
exit 0
