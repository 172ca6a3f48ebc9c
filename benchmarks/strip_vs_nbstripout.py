"""Notebook stripping: toolkit against nbstripout on the real corpus, in one run.

Measures, on fresh copies of ``../shared/notebooks`` (``--copies`` times, default 2, to reach the
size of a real repository):

1. one process for all files (``toolkit-strip-notebook FILES`` vs ``nbstripout FILES``);
2. one process per file (the worst case of pre-commit handing over batches of one);
3. ``git add`` of all notebooks with each tool's git filter installed the way its docs say
   (``toolkit nb install-filter`` / ``nbstripout --install``), and without a filter.

Prints wall time, ratio and peak memory (max RSS of the tool's own process, from ``os.wait4``).
Installs nothing: it expects nbstripout in the same environment (the dev extra). Run:
``.venv/bin/python benchmarks/strip_vs_nbstripout.py [--copies 2]``.
"""

from __future__ import annotations

import argparse
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
# The console script is what pre-commit runs; `python -m` (a little slower: runpy) is the
# fallback when the editable install predates the script's declaration.
_SCRIPT = BIN / "toolkit-strip-notebook"
OURS = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "toolkit.hooks.strip"]
THEIRS = [str(BIN / "nbstripout")]
# Both tools run with bytecode caching on, as after a pip install (this machine may set
# PYTHONDONTWRITEBYTECODE, which would recompile every source file on every start). The cache
# goes to a temporary prefix so nothing is written into the checkout; warm-up runs fill it.
PYCACHE = tempfile.mkdtemp(prefix="strip-bench-pycache-")
GIT_ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPYCACHEPREFIX": PYCACHE,
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def run(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of one process (``os.wait4``: that child's own rusage)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=GIT_ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):  # 1 = "files were changed" for our hook
        raise SystemExit(f"{cmd[:3]} failed with exit code {proc.returncode}")
    return elapsed, usage.ru_maxrss


def fresh_copy(base: Path, name: str, copies: int) -> list[Path]:
    target = base / name
    if target.exists():
        shutil.rmtree(target)
    files = []
    for copy in range(copies):
        folder = target / f"copy{copy}"
        folder.mkdir(parents=True)
        for source in sorted(CORPUS.glob("*.ipynb")):
            shutil.copyfile(source, folder / source.name)
            files.append(folder / source.name)
    return files


def git_add_seconds(base: Path, name: str, copies: int, install: list[str] | None) -> float:
    files = fresh_copy(base, name, copies)
    repo = base / name
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    if install:
        subprocess.run(install, cwd=repo, check=True, capture_output=True, env=GIT_ENV)
    start = time.perf_counter()
    subprocess.run(
        ["git", "add", *[str(f.relative_to(repo)) for f in files]],
        cwd=repo,
        check=True,
        capture_output=True,
        env=GIT_ENV,
    )
    return time.perf_counter() - start


def report(label: str, ours: tuple[float, int], theirs: tuple[float, int], n: int) -> None:
    print(
        f"{label:<24} toolkit {ours[0]:6.2f} s ({ours[0] / n * 1000:5.1f} ms/file, "
        f"{ours[1] / 1024:3.0f} MB)  nbstripout {theirs[0]:6.2f} s "
        f"({theirs[0] / n * 1000:5.1f} ms/file, {theirs[1] / 1024:3.0f} MB)  "
        f"{theirs[0] / ours[0]:5.1f}x faster"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=2, help="copies of the corpus (default 2)")
    args = parser.parse_args()
    if not CORPUS.is_dir() or not Path(THEIRS[0]).exists():
        print(f"skipped: needs {CORPUS} and nbstripout in {BIN}", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory(prefix="strip-bench-") as tmp:
        base = Path(tmp)
        files = fresh_copy(base, "ours", args.copies)
        n = len(files)
        size_mb = sum(f.stat().st_size for f in files) / 1e6
        print(f"corpus: {n} notebooks ({args.copies} copies of {CORPUS}), {size_mb:.1f} MB")
        print(f"toolkit runs as: {' '.join(OURS)}")
        for warm_up in (OURS, THEIRS):  # fill the bytecode cache, as an installed package has it
            run([*warm_up, str(fresh_copy(base, "warm", 1)[0])])

        ours = run([*OURS, *map(str, files)])
        theirs = run([*THEIRS, *map(str, fresh_copy(base, "theirs", args.copies))])
        report("one process, all files", ours, theirs, n)

        per_ours = [run([*OURS, str(f)]) for f in fresh_copy(base, "ours", args.copies)]
        per_theirs = [run([*THEIRS, str(f)]) for f in fresh_copy(base, "theirs", args.copies)]
        report(
            "one process per file",
            (sum(t for t, _ in per_ours), max(m for _, m in per_ours)),
            (sum(t for t, _ in per_theirs), max(m for _, m in per_theirs)),
            n,
        )

        plain = git_add_seconds(base, "git-plain", args.copies, None)
        install_ours = [sys.executable, "-m", "toolkit", "nb", "install-filter"]
        ours_git = git_add_seconds(base, "git-ours", args.copies, install_ours)
        theirs_git = git_add_seconds(base, "git-theirs", args.copies, [*THEIRS, "--install"])
        print(
            f"git add of {n} notebooks: no filter {plain:.2f} s, toolkit filter {ours_git:.2f} s, "
            f"nbstripout filter {theirs_git:.2f} s ({theirs_git / ours_git:.1f}x faster)"
        )
    shutil.rmtree(PYCACHE, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
