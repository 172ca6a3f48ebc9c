"""Notebook stripping: toolkit vs nbstripout on the real corpus, in one run.

Installs nothing: expects nbstripout in this environment (it is in the [dev] extra) and the
corpus in ../shared/notebooks. Measures, on fresh copies of the corpus each time:
  1. one process for all files (pre-commit's usual batch),
  2. one process per file (the worst case of a batch of one),
  3. `git add` of every notebook with each tool installed as a git clean filter,
and prints wall times, ratios and the peak memory (max RSS) of the single-process runs.

Run: .venv/bin/python benchmarks/strip_vs_nbstripout.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "notebooks"
BIN = Path(sys.executable).parent
OURS = [str(BIN / "toolkit-strip-notebook")]
THEIRS = [str(BIN / "nbstripout")]
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "b",
    "GIT_AUTHOR_EMAIL": "b@x",
    "GIT_COMMITTER_NAME": "b",
    "GIT_COMMITTER_EMAIL": "b@x",
}


def fresh_copy(base: Path, name: str) -> list[Path]:
    target = base / name
    shutil.copytree(CORPUS, target)
    return sorted(target.glob("*.ipynb"))


_MEASURE = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def timed(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak memory (max RSS, MB) of ``cmd``, measured by a fresh parent."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    return elapsed, int(out.stdout.strip() or 0) // 1024


def per_file(cmd: list[str], files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        subprocess.run([*cmd, str(path)], capture_output=True, check=False)
    return time.perf_counter() - start


def git_add(base: Path, name: str, filter_cmd: str) -> float:
    repo = base / name
    shutil.copytree(CORPUS, repo)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    (repo / ".gitattributes").write_text("*.ipynb filter=bench\n")
    for key, value in filter_cmd.items() if isinstance(filter_cmd, dict) else []:
        subprocess.run(["git", "config", f"filter.bench.{key}", value], cwd=repo, check=True)
    start = time.perf_counter()
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=GIT_ENV)
    return time.perf_counter() - start


def main() -> int:
    if not CORPUS.is_dir():
        print(f"corpus not found: {CORPUS}", file=sys.stderr)
        return 1
    if not Path(THEIRS[0]).exists():
        print(
            "nbstripout is not installed in this environment (pip install -e '.[dev]')",
            file=sys.stderr,
        )
        return 1
    n = len(list(CORPUS.glob("*.ipynb")))
    size = sum(p.stat().st_size for p in CORPUS.glob("*.ipynb")) / 1e6
    print(f"corpus: {n} notebooks, {size:.1f} MB ({CORPUS})")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        ours_batch, ours_mem = timed([*OURS, *map(str, fresh_copy(base, "a"))])
        theirs_batch, theirs_mem = timed([*THEIRS, *map(str, fresh_copy(base, "b"))])
        ours_each = per_file(OURS, fresh_copy(base, "c"))
        theirs_each = per_file(THEIRS, fresh_copy(base, "d"))
        py = sys.executable
        ours_git = git_add(
            base,
            "e",
            {
                "process": f"{py} -m toolkit.hooks.git_filter process",
                "clean": f"{py} -m toolkit.hooks.git_filter clean",
            },
        )
        theirs_git = git_add(base, "f", {"clean": f"{THEIRS[0]}", "smudge": "cat"})
        plain_git = git_add(base, "g", {})
    rows = [
        ("one process, all files", ours_batch, theirs_batch),
        ("one process per file", ours_each, theirs_each),
        ("git add with clean filter", ours_git, theirs_git),
    ]
    print(f"{'':28} {'toolkit':>9} {'nbstripout':>11} {'ratio':>7}")
    for label, ours, theirs in rows:
        print(f"{label:28} {ours:8.2f}s {theirs:10.2f}s {theirs / ours:6.1f}x")
    print(
        f"per file (one process each):  toolkit {1000 * ours_each / n:.0f} ms, "
        f"nbstripout {1000 * theirs_each / n:.0f} ms"
    )
    print(f"git add without any filter: {plain_git:.2f}s")
    print(
        f"peak memory (max RSS of the batch run): toolkit {ours_mem} MB, "
        f"nbstripout {theirs_mem} MB (children's high-water mark, so an upper bound)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
