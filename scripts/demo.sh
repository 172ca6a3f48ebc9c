#!/usr/bin/env bash
# `make demo`: what a new user meets. Creates ./demo-project from the ML template without
# prompts, runs that project's own style checks and tests, then the later demo steps when present.
# Run by `make demo`, which puts .venv/bin first on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
python="$root/.venv/bin/python"
section() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

for command in toolkit toolkit-strip-notebook toolkit-forbid-data-files; do
  if ! command -v "$command" >/dev/null; then
    echo "demo: '$command' is not on PATH; run 'make demo' (it installs the toolkit into .venv)" >&2
    exit 1
  fi
done

section "1. toolkit new: a project that is ready on day one"
rm -rf demo-project   # the demo's own output from a previous run (git-ignored)
toolkit new ml-project --no-input --git -o . "project_name=demo project"

section "2. the generated project's own make test (ruff, pre-commit hooks, pytest)"
# The demo project gets its own .venv but reuses this environment's packages (SITE_PACKAGES,
# pip included: VENV_ARGS=--without-pip), so the stack is not downloaded a second time.
started=$(date +%s)
make -C demo-project test \
  PYTHON="$python" \
  SITE_PACKAGES="$("$python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')" \
  VENV_ARGS=--without-pip \
  PIP_ARGS=--no-build-isolation
echo "demo-project: make test passed in $(( $(date +%s) - started ))s"

# Later steps (data health report, notebook report) are added by their owners. They run with this
# environment's toolkit, so the notebook kernel gets the demo project's package from its src/.
export DEMO_PROJECT="$root/demo-project"
export PYTHONPATH="$root/demo-project/src${PYTHONPATH:+:$PYTHONPATH}"
for step in scripts/demo_health.sh scripts/demo_report.sh; do
  if [ -f "$step" ]; then bash "$step"; fi
done

section "what was made"
echo "project:   $root/demo-project  (git repository with a first commit)"
echo "  package  demo-project/src/demo_project/  config, data, features, models/train, predict, plots"
echo "  tests    demo-project/tests/            run again: make -C demo-project test"
echo "  notebook demo-project/notebooks/01-starter-baseline.ipynb  (parameters cell, no outputs)"
echo "  hooks    demo-project/.pre-commit-config.yaml  ruff + notebook hygiene + no data in git"
echo "  files:"
(cd demo-project && git ls-files | sed 's/^/    /')
for f in demo-output/health/report.html demo-output/report/index.html; do
  if [ -f "$f" ]; then echo "report:    $root/$f"; fi
done
exit 0
