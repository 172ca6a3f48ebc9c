"""Notebook stripping: toolkit against nbstripout, paired, with the floor beside both.

Every comparison alternates the two commands on fresh copies of the same files and reports the
median of the pairwise ratios (so a load spike hits both sides of a pair), plus the median wall
time and the peak memory (max RSS of the child, from ``os.wait4``). The floor is a process that
does only what any stripper must: start Python, read every file, parse it (``json.loads``) and
write it back atomically (temporary file, fsync, rename) — no stripping; a second floor only
validates with msgspec (``type=msgspec.Raw``) instead of parsing, the limit of our approach;
per file, ``python -c pass`` shows what the interpreter's start-up alone costs.

Corpora: ``../shared/notebooks`` (``--copies`` times) and a generated one with large outputs
(base64 PNGs and long text streams, as a training notebook has). Runs:

1. one process for all files: ``toolkit-strip-notebook FILES`` and ``toolkit nb strip FILES``
   against ``nbstripout FILES``, on both corpora;
2. one process per file (pre-commit batches of one);
3. the merge driver on two edited copies of the largest corpus notebook (goal < 100 ms): in
   process, and as git runs it (one process) paired with ``git merge-file`` on the raw JSON
   and nbdime's ``nbmerge`` (installed from PyPI into ``benchmarks/_work/nbdime-venv``, which
   git ignores; ``--no-nbdime`` skips it);
4. the hook environment: a fresh ``PRE_COMMIT_HOME``, first ``pre-commit run`` of our hook
   (this checkout's HEAD as ``repo:``) and of nbstripout's (``language: python`` with
   ``additional_dependencies: [nbstripout]``): wall time and size (``--env-pairs``, 0 skips).

The machine may be shared: the load average is printed with every figure, and the ratios (not
the wall times) are the figures to compare across runs.

Run: ``.venv/bin/python benchmarks/strip_vs_nbstripout.py [--copies 2] [--pairs 5]``.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "_work"  # git-ignored: the nbdime virtualenv
CORPUS = ROOT.parent / "shared" / "notebooks"
BIN = Path(sys.executable).parent
HOOK = [str(BIN / "toolkit-strip-notebook")]
CLI = [str(BIN / "toolkit"), "nb", "strip"]
THEIRS = [str(BIN / "nbstripout")]
FLOOR_CODE = """
import json, os, sys
for name in sys.argv[1:]:
    with open(name, "rb") as f:
        data = f.read()
    json.loads(data)
    tmp = name + ".floor.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    os.write(fd, data)
    os.fsync(fd)
    os.close(fd)
    os.replace(tmp, name)
"""
FLOOR = [sys.executable, "-c", FLOOR_CODE]
# The limit the issue names for our approach: read, *validate* with msgspec (type=Raw: every
# byte checked as JSON, nothing turned into Python objects) and write back atomically.
VALIDATE_CODE = FLOOR_CODE.replace("import json, os, sys", "import msgspec, os, sys").replace(
    "json.loads(data)", "msgspec.json.decode(data, type=msgspec.Raw)"
)
VALIDATE_FLOOR = [sys.executable, "-c", VALIDATE_CODE]
# The same without the fsync: what durability costs (the toolkit keeps it; nbstripout writes in
# place, without temporary file or fsync).
NO_FSYNC_FLOOR = [sys.executable, "-c", VALIDATE_CODE.replace("    os.fsync(fd)\n", "")]
STARTUP = [sys.executable, "-c", "pass"]  # what any Python tool pays per process
# Bytecode caching on for every tool, as after a pip install; the cache lives outside the repo.
PYCACHE = tempfile.mkdtemp(prefix="strip-bench-pycache-")
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPYCACHEPREFIX": PYCACHE,
}


def load() -> str:
    """The 1-minute load average, to print beside each figure (2 cores shared by many)."""
    return f"load {os.getloadavg()[0]:.1f}"


def run(
    cmd: list[str], env: dict[str, str] | None = None, ok: tuple[int, ...] = (0, 1)
) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of one process (its CPU seconds go to ``CPU[-1]``)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or ENV
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in ok:  # 1 = "files were changed"
        raise SystemExit(f"{cmd[:3]} failed with exit code {status}")
    CPU.append(usage.ru_utime + usage.ru_stime)
    return elapsed, usage.ru_maxrss


# CPU seconds of each process run, in order: under load, CPU time moves less than wall time.
CPU: list[float] = []


def copies_of(sources: list[Path], target: Path) -> list[Path]:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    files = []
    for index, source in enumerate(sources):
        path = target / f"{index:04d}-{source.name}"
        shutil.copyfile(source, path)
        files.append(path)
    return files


def large_output_corpus(folder: Path, notebooks: int = 12, cells: int = 25) -> list[Path]:
    """Notebooks with big outputs: a 120 KB PNG and a 20 KB log per code cell (~4 MB each)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    files = []
    for n in range(notebooks):
        nb_cells = []
        for c in range(cells):
            png = base64.b64encode(rng.randbytes(90_000)).decode()
            log = "".join(f"epoch {i}: loss={rng.random():.6f}\n" for i in range(800))
            nb_cells.append(
                {
                    "cell_type": "code",
                    "execution_count": c + 1,
                    "id": f"c{c}",
                    "metadata": {"scrolled": True},
                    "outputs": [
                        {"name": "stdout", "output_type": "stream", "text": log.splitlines(True)},
                        {
                            "data": {"image/png": png, "text/plain": ["<Figure>"]},
                            "metadata": {},
                            "output_type": "display_data",
                        },
                    ],
                    "source": [f"train(epoch={c})\n", "plot()"],
                }
            )
        nb = {"cells": nb_cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        path = folder / f"large{n:02d}.ipynb"
        path.write_text(json.dumps(nb, indent=1) + "\n")
        files.append(path)
    return files


def paired(
    label: str,
    commands: dict[str, list[str]],
    sources: list[Path],
    base: Path,
    pairs: int,
    per_file: bool = False,
) -> None:
    """Alternate the commands on fresh copies; print medians and ratios to nbstripout.

    Per file, the commands alternate on every file (not corpus by corpus), so a change of load
    during a pair hits every command alike; each pair's figure is the sum over the files."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, int] = dict.fromkeys(commands, 0)
    for _ in range(pairs):
        if per_file:
            copies = {name: copies_of(sources, base / name) for name in commands}
            for name in commands:
                times[name].append(0.0)
                cpus[name].append(0.0)
            for index in range(len(sources)):
                for name, cmd in commands.items():
                    elapsed, peak = run([*cmd, str(copies[name][index])])
                    times[name][-1] += elapsed
                    cpus[name][-1] += CPU[-1]
                    peaks[name] = max(peaks[name], peak)
            continue
        for name, cmd in commands.items():
            files = copies_of(sources, base / name)
            elapsed, peak = run([*cmd, *map(str, files)])
            times[name].append(elapsed)
            cpus[name].append(CPU[-1])
            peaks[name] = max(peaks[name], peak)
    n = len(sources)
    print(
        f"\n{label} ({n} files, {sum(p.stat().st_size for p in sources) / 1e6:.1f} MB, "
        f"{pairs} pairs, {load()})"
    )
    for name in commands:
        median = statistics.median(times[name])
        ratios = [t / o for t, o in zip(times["nbstripout"], times[name], strict=True)]
        cpu_ratios = [t / o for t, o in zip(cpus["nbstripout"], cpus[name], strict=True)]
        unit = f"{median / n * 1000:6.1f} ms/file" if per_file else f"{median:6.3f} s"
        print(
            f"  {name:<26} {unit}  peak {peaks[name] / 1024:5.0f} MB  "
            f"nbstripout/this {statistics.median(ratios):5.1f}x wall, "
            f"{statistics.median(cpu_ratios):5.1f}x CPU"
        )


def _write_files(folder: Path, contents: list[bytes], sync: str, threads: int) -> None:
    """Write ``contents`` atomically into ``folder`` (temporary file, then rename): ``sync``
    is none, fsync or fdatasync; with ``threads``, files are shared out to that many threads
    (each writes, syncs and renames its files, as ``strip_files`` does); ``batch`` writes
    every temporary file first, syncs them all from 4 threads, then renames them."""
    import threading

    flush = {"none": None, "fsync": os.fsync, "fdatasync": os.fdatasync, "batch": os.fsync}[sync]

    def temporary(index: int) -> int:
        fd = os.open(folder / f".{index}.tmp", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, contents[index])
        return fd

    def finish(index: int, fd: int, synced: bool) -> None:
        if flush is not None and not synced:
            flush(fd)
        os.close(fd)
        os.replace(folder / f".{index}.tmp", folder / f"{index}.ipynb")

    def share(job: Callable[[int], None]) -> None:
        def every_fourth(first: int) -> None:
            for index in range(first, len(contents), 4):
                job(index)

        workers = [threading.Thread(target=every_fourth, args=(k,)) for k in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    if sync == "batch":
        fds = [temporary(index) for index in range(len(contents))]
        share(lambda index: os.fsync(fds[index]))
        for index, fd in enumerate(fds):
            finish(index, fd, True)
    elif threads > 1:
        share(lambda index: finish(index, temporary(index), False))
    else:
        for index in range(len(contents)):
            finish(index, temporary(index), False)


def fsync_costs(corpus: list[Path], base: Path, pairs: int) -> None:
    """What durability costs: the stripped real corpus written atomically in each way."""
    sys.path.insert(0, str(ROOT))
    from toolkit.notebooks.splice import strip_bytes

    contents = [strip_bytes(path.read_bytes())[0] for path in corpus]
    ways = {
        "no fsync, one by one": ("none", 1),
        "fsync, one by one": ("fsync", 1),
        "fdatasync, one by one": ("fdatasync", 1),
        "fsync, 4 threads (hook)": ("fsync", 4),
        "all written, then fsync x4": ("batch", 4),
    }
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(pairs):
        for name, (sync, threads) in ways.items():
            folder = base / "fsync"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            start = time.perf_counter()
            _write_files(folder, contents, sync, threads)
            times[name].append(time.perf_counter() - start)
    size = sum(map(len, contents)) / 1e6
    print(f"\nwriting the stripped corpus ({len(contents)} files, {size:.1f} MB), {load()}:")
    for name, values in times.items():
        median = statistics.median(values)
        per_file = median / len(contents) * 1e6
        print(f"  {name:<27} {median * 1000:6.1f} ms  ({per_file:5.0f} us/file)")


def hook_environment(config: str, home: Path, cwd: Path) -> tuple[float, float]:
    """First `pre-commit run` on a fresh PRE_COMMIT_HOME: seconds, and the env's size (MB)."""
    if home.exists():
        shutil.rmtree(home)
    config_path = home.parent / f"{home.name}.yaml"
    config_path.write_text(config)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "-c", str(config_path)],
        cwd=cwd,
        env={**os.environ, "PRE_COMMIT_HOME": str(home)},
        capture_output=True,
    )
    elapsed = time.perf_counter() - start
    env = next(home.glob("repo*/py_env-*"))
    size = sum(f.stat().st_size for f in env.rglob("*") if f.is_file()) / 1e6
    return elapsed, size


def environments(base: Path, pairs: int) -> None:
    repo = base / "env-repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    shutil.copyfile(sorted(CORPUS.glob("*.ipynb"))[0], repo / "nb.ipynb")
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    ours = f"repos:\n- repo: {ROOT}\n  rev: {head}\n  hooks:\n  - id: strip-notebook-outputs\n"
    theirs = (
        "repos:\n- repo: local\n  hooks:\n  - id: nbstripout\n    name: nbstripout\n"
        "    entry: nbstripout\n    language: python\n    additional_dependencies: [nbstripout]\n"
        "    types: [jupyter]\n"
    )
    results: dict[str, list[tuple[float, float]]] = {"toolkit": [], "nbstripout": []}
    for _ in range(pairs):
        results["toolkit"].append(hook_environment(ours, base / "home-ours", repo))
        results["nbstripout"].append(hook_environment(theirs, base / "home-theirs", repo))
        subprocess.run(["git", "checkout", "-q", "."], cwd=repo)
    print(f"\nhook environment, fresh PRE_COMMIT_HOME, first pre-commit run ({pairs} pairs)")
    for name, rows in results.items():
        print(
            f"  {name:<11} {statistics.median(t for t, _ in rows):5.1f} s  "
            f"{statistics.median(s for _, s in rows):5.1f} MB"
        )


def nbdime_merge() -> list[str] | None:
    """nbdime's ``nbmerge``, from its own virtualenv under benchmarks/_work (made on first use
    from PyPI); None when it cannot be installed."""
    venv = WORK / "nbdime-venv"
    nbmerge = venv / "bin" / "nbmerge"
    if not nbmerge.exists():
        print("installing nbdime into benchmarks/_work/nbdime-venv (first run only) ...")
        WORK.mkdir(parents=True, exist_ok=True)
        made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "nbdime"]
        if made.returncode or subprocess.run(pip, capture_output=True).returncode:
            print("  nbdime could not be installed: skipped")
            return None
    return [str(nbmerge)]


def _merge_sides() -> tuple[Path, dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The largest corpus notebook, and two edited copies: on ours one cell edited and one
    added, on theirs another cell edited and one deleted."""
    largest = max(CORPUS.glob("*.ipynb"), key=lambda p: p.stat().st_size)
    nb = json.loads(largest.read_text(encoding="utf-8"))
    for index, cell in enumerate(nb["cells"]):
        cell.setdefault("id", f"cell-{index}")
    ours, theirs = json.loads(json.dumps(nb)), json.loads(json.dumps(nb))
    ours["cells"][1]["source"] = ["# ours\n", *ours["cells"][1]["source"]]
    ours["cells"].insert(2, {**ours["cells"][0], "id": "new", "source": "added = 1\n"})
    theirs["cells"][-1]["source"] = ["# theirs\n", *theirs["cells"][-1]["source"]]
    del theirs["cells"][3]
    return largest, nb, ours, theirs


def merge_speed(base: Path, pairs: int, with_nbdime: bool) -> None:
    """The merge driver on two edited copies of the largest corpus notebook. Goal: < 100 ms."""
    sys.path.insert(0, str(ROOT))
    from toolkit.notebooks.merge import merge_files

    largest, nb, ours, theirs = _merge_sides()
    texts = {
        name: json.dumps(value, indent=1, ensure_ascii=False) + "\n"
        for name, value in (("base", nb), ("ours", ours), ("theirs", theirs))
    }

    def sides(tag: str) -> list[str]:
        paths = []
        for name, text in texts.items():
            path = base / f"merge-{tag}-{name}.ipynb"
            path.write_text(text, encoding="utf-8")
            paths.append(str(path))
        return paths

    times, cpu = [], []
    for _ in range(max(7, pairs)):
        paths = sides("in-process")
        start, start_cpu = time.perf_counter(), time.process_time()
        conflicts = merge_files(*paths)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert conflicts == 0
    print(
        f"\nmerge of two edited copies of {largest.name} ({largest.stat().st_size / 1e6:.1f} MB,"
        f" {len(nb['cells'])} cells), {load()}:\n"
        f"  toolkit merge, in process     median {statistics.median(times) * 1000:6.1f} ms wall, "
        f"{statistics.median(cpu) * 1000:.1f} ms CPU (goal < 100 ms)"
    )
    commands: dict[str, Callable[[list[str]], list[str]]] = {
        "toolkit nb merge-driver": lambda p: [*CLI[:-1], "merge-driver", p[0], p[1], p[2]],
        "git merge-file (raw JSON)": lambda p: ["git", "merge-file", p[1], p[0], p[2]],
    }
    nbmerge = nbdime_merge() if with_nbdime else None
    if nbmerge is not None:
        commands["nbdime nbmerge"] = lambda p: [*nbmerge, p[0], p[1], p[2], "--out", p[1]]
    walls: dict[str, list[float]] = {name: [] for name in commands}
    valid: dict[str, bool] = {}
    for _ in range(pairs):
        for name, command in commands.items():
            paths = sides(name.split()[0])
            elapsed, _ = run(command(paths), ok=tuple(range(128)))
            walls[name].append(elapsed)
            try:
                json.loads(Path(paths[1]).read_text(encoding="utf-8"))
                valid[name] = valid.get(name, True)
            except ValueError:
                valid[name] = False
    print(f"  as git runs it, one process per merge ({pairs} pairs, {load()}):")
    ours_times = walls["toolkit nb merge-driver"]
    for name in commands:
        ratio = statistics.median(t / o for t, o in zip(walls[name], ours_times, strict=True))
        print(
            f"  {name:<29} median {statistics.median(walls[name]) * 1000:6.1f} ms  "
            f"this/toolkit {ratio:5.2f}x  result {'valid JSON' if valid[name] else 'INVALID JSON'}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=2, help="copies of the corpus (default 2)")
    parser.add_argument("--pairs", type=int, default=5, help="alternating pairs per comparison")
    parser.add_argument("--env-pairs", type=int, default=1, help="hook environment builds")
    parser.add_argument("--no-nbdime", action="store_true", help="skip nbdime in the merge")
    parser.add_argument(
        "--only", choices=["strip", "fsync", "merge", "env"], help="run one part (default: all)"
    )
    args = parser.parse_args()
    parts = {args.only} if args.only else {"strip", "fsync", "merge", "env"}
    if not CORPUS.is_dir() or not Path(THEIRS[0]).exists():
        print(f"skipped: needs {CORPUS} and nbstripout in {BIN}", file=sys.stderr)
        return 0
    commands = {
        "nbstripout": THEIRS,
        "toolkit hook": HOOK,
        "toolkit nb strip": CLI,
        "floor (read+parse+write)": FLOOR,
        "floor (msgspec validate)": VALIDATE_FLOOR,
        "floor (msgspec, no fsync)": NO_FSYNC_FLOOR,
    }
    with tempfile.TemporaryDirectory(prefix="strip-bench-") as tmp:
        base = Path(tmp)
        corpus = sorted(CORPUS.glob("*.ipynb")) * args.copies
        for cmd in commands.values():  # fill the bytecode caches
            run([*cmd, str(copies_of(corpus[:1], base / "warm")[0])])
        if "strip" in parts:
            large = large_output_corpus(base / "large-source")
            paired("one process, real corpus", commands, corpus, base, args.pairs)
            paired("one process, large outputs", commands, large, base, args.pairs)
            paired(
                "one process per file, real corpus",
                {**commands, "python -c pass (start-up)": STARTUP},
                corpus[: len(corpus) // args.copies],
                base,
                max(1, args.pairs // 2),
                per_file=True,
            )
        if "fsync" in parts:
            fsync_costs(corpus, base, max(3, args.pairs))
        if "merge" in parts:
            merge_speed(base, args.pairs, not args.no_nbdime)
        if "env" in parts and args.env_pairs:
            environments(base, args.env_pairs)
    shutil.rmtree(PYCACHE, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
