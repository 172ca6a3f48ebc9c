"""Clone detection: `toolkit reuse scan` against jscpd on real code plus planted clones, one run.

Corpus (built in a temporary folder, nothing is written to the checkout):
- real code nobody here wrote: the installed sources of scikit-learn, pandas, matplotlib and
  seaborn (copied from this environment's site-packages) and ``../shared/notebooks`` when it is
  there: well over a million lines;
- four planted projects made by this script from real functions of that code: for each case a
  function is copied into another project exactly, with its names changed (every parameter and
  local renamed, one number changed), with one line added or removed (near miss), or into a
  notebook code cell. The locations are known, so recall is exact.

Measured, alternating the two tools and who goes first (``--rounds``, default 3), each run's
wall and CPU seconds (user + system, child processes and threads included), the median of the
pairwise ratios: a full scan with an empty cache, beside jscpd with its strongest settings for
the same job (``--ignore-identifiers --ignore-literals --max-gap-lines 2``, Python, ≥ 6 lines);
then our unchanged rescan. The load average is printed: the machine may be shared.

Recall: a planted copy counts as found when one reported clone covers at least half of both the
original and the copy. Precision, over the reported pairs whose two sides both lie in the
planted projects, two ways: *planted pairs only* (anything but a planted pair is wrong) and
*verified clones* (a pair is also right when an independent check confirms it is a clone:
Python's ``tokenize``, names, numbers and strings blind, lines aligned by ``difflib``, at least 5
matching lines and 70% of the longer side, not a stretch overlapping itself). The planted and
filler functions are real library code, and real code repeats itself (blocks repeated inside one
function, sibling functions sharing boilerplate), so the strict figure counts true clones as
wrong for both tools; the verified one counts only what is not a clone at all.

jscpd comes from the npm registry (installed once into ``benchmarks/.cache/``, git-ignored);
it reads no notebooks, so the notebook cases count against it as it would for a user. Run:
``.venv/bin/python benchmarks/reuse.py [--rounds 3] [--cases 40]``.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import io
import json
import keyword
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tokenize
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"
JSCPD_VERSION = "5.3.3"  # its platform package (the Rust binary) exists up to 5.3.3
PACKAGES = ("sklearn", "pandas", "matplotlib", "seaborn")
KINDS = ("exact", "renamed", "near-miss", "notebook")


@dataclass(frozen=True)
class Place:
    path: str  # relative to the corpus root
    first: int  # 1-based lines, inclusive
    last: int


@dataclass(frozen=True)
class Case:
    kind: str
    original: Place
    copy: Place


def jscpd() -> Path:
    """The jscpd binary, installed from the npm registry into benchmarks/.cache on first use."""
    binary = CACHE / "node_modules" / ".bin" / "jscpd"
    if not binary.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--silent",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(CACHE),
                f"jscpd@{JSCPD_VERSION}",
                f"jscpd-linux-x64-gnu@{JSCPD_VERSION}",
            ],
            check=True,
        )
    return binary


def copy_real_code(dest: Path) -> int:
    import site

    site_dir = Path(site.getsitepackages()[0])
    for name in PACKAGES:
        shutil.copytree(
            site_dir / name,
            dest / "real" / name,
            ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyc"),
        )
    shared = ROOT.parent / "shared" / "notebooks"
    if shared.is_dir():
        shutil.copytree(shared, dest / "real" / "notebooks")
    else:
        print("(../shared/notebooks not found: the corpus has no real notebooks)")
    return sum(p.read_bytes().count(b"\n") for p in (dest / "real").rglob("*.py"))


def _code_lines(node: ast.FunctionDef) -> int:
    """Lines holding code (the docstring's lines not counted): what both tools compare."""
    body = node.body[1:] if ast.get_docstring(node) is not None else node.body
    lines: set[int] = set()
    for stmt in body:
        for sub in ast.walk(stmt):
            if hasattr(sub, "lineno"):
                lines.add(sub.lineno)
    return len(lines)


def candidate_functions(real: Path, rng: random.Random, n: int) -> list[tuple[Path, str]]:
    """Distinct real functions with 10-40 lines of code, not tests, each from a different file."""
    files = sorted(
        p for pkg in PACKAGES for p in (real / pkg).rglob("*.py") if "tests" not in p.parts
    )
    rng.shuffle(files)
    out = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
            tree = ast.parse(text)
        except (SyntaxError, UnicodeDecodeError):
            continue
        lines = text.split("\n")
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and 10 <= _code_lines(node) <= 40:
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                out.append((path, "\n".join(lines[start - 1 : node.end_lineno]) + "\n"))
                break
        if len(out) >= n:
            break
    return out


def rename(source: str, rng: random.Random) -> str:
    """Every parameter and local name changed consistently, and the first number changed."""
    tree = ast.parse(source)
    fn = tree.body[0]
    assert isinstance(fn, ast.FunctionDef)
    names = {a.arg for a in [*fn.args.args, *fn.args.kwonlyargs]} - {"self", "cls"}
    names |= {
        n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }
    mapping = {name: f"{name}_{rng.randrange(10, 99)}x" for name in names}
    out = re.sub(r"\b[A-Za-z_]\w*\b", lambda m: mapping.get(m.group(0), m.group(0)), source)
    return re.sub(r"(?<![\w.])(\d+)(?![\w.])", lambda m: str(int(m.group(1)) + 7), out, count=1)


def near_miss(source: str, rng: random.Random) -> str:
    lines = source.rstrip("\n").split("\n")
    body = [
        i
        for i, line in enumerate(lines)
        if i > 2 and line.strip() and not line.strip().startswith(("#", '"', "'"))
    ]
    i = body[len(body) // 2]
    indent = re.match(r"\s*", lines[i]).group(0)  # type: ignore[union-attr]
    if rng.random() < 0.5:
        lines.insert(i, f"{indent}_checked = len(locals())  # added line")
    else:
        del lines[i]
    return "\n".join(lines) + "\n"


def notebook(cells: list[str]) -> str:
    return json.dumps(
        {
            "cells": [
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "id": f"c{i}",
                    "metadata": {},
                    "outputs": [],
                    "source": c.splitlines(keepends=True),
                }
                for i, c in enumerate(cells)
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        },
        indent=1,
    )


def plant(dest: Path, real: Path, cases_wanted: int, rng: random.Random) -> list[Case]:
    """Four projects; each case's original and copy land in different projects, among filler."""
    # Each filler function is used once, so filler never forms clones of its own.
    functions = candidate_functions(real, rng, cases_wanted * 5)
    planted, filler = functions[:cases_wanted], iter(functions[cases_wanted:])
    projects = [dest / "planted" / f"project_{i}" for i in range(4)]
    for p in projects:
        (p / "src").mkdir(parents=True)
        (p / "pyproject.toml").write_text(f'[project]\nname = "{p.name}"\n')
    cases: list[Case] = []
    for n, (_, source) in enumerate(planted):
        kind = KINDS[n % len(KINDS)]
        a, b = rng.sample(projects, 2)
        orig = _write_module(a / "src" / f"mod_{n}.py", source, next(filler)[1], next(filler)[1])
        if kind == "notebook":
            copy_text = source
            path = b / f"explore_{n}.ipynb"
            path.write_text(notebook(["import numpy as np\n", copy_text]))
            copy = Place(str(path.relative_to(dest)), -1, -1)  # a whole cell
        else:
            copy_text = {
                "exact": source,
                "renamed": rename(source, rng),
                "near-miss": near_miss(source, rng),
            }[kind]
            copy = _write_module(
                b / "src" / f"copy_{n}.py", copy_text, next(filler)[1], next(filler)[1]
            )
        cases.append(
            Case(
                kind,
                Place(str(orig[0].relative_to(dest)), *orig[1:]),
                copy if kind == "notebook" else Place(str(copy[0].relative_to(dest)), *copy[1:]),
            )
        )
    return cases


def _write_module(path: Path, source: str, before: str, after: str) -> tuple[Path, int, int]:
    head = "import numpy as np\n\n\n" + before + "\n\n"
    path.write_text(head + source + "\n\n" + after)
    first = head.count("\n") + 1
    return path, first, first + source.rstrip("\n").count("\n")


Pair = tuple[tuple[str, int, int, int | None], tuple[str, int, int, int | None]]


def _covers(place: Place, path: str, first: int, last: int, _cell: int | None = None) -> bool:
    if place.path != path:
        return False
    if place.first < 0:  # a notebook cell: any hit in that notebook
        return True
    overlap = min(place.last, last) - max(place.first, first) + 1
    return overlap * 2 >= place.last - place.first + 1


def _planted_pair(cases: list[Case], x: tuple, y: tuple) -> bool:
    return any(
        (_covers(c.original, *x) and _covers(c.copy, *y))
        or (_covers(c.original, *y) and _covers(c.copy, *x))
        for c in cases
    )


class Verifier:
    """An independent check that a reported pair is a clone: Python's own ``tokenize`` (names,
    numbers and strings blind, comments and blank lines out), lines aligned with ``difflib``.
    A pair is a verified clone when at least 5 lines match and they make up 70% of the longer
    side, and the two sides are not one stretch of code overlapping itself."""

    def __init__(self, corpus: Path) -> None:
        self.corpus = corpus
        self.cache: dict[tuple[str, int | None], dict[int, tuple[str, ...]]] = {}

    def _lines(self, path: str, cell: int | None) -> dict[int, tuple[str, ...]]:
        key = (path, cell)
        if key not in self.cache:
            text = (self.corpus / path).read_text(encoding="utf-8", errors="replace")
            if cell is not None:
                source = json.loads(text)["cells"][cell]["source"]
                text = "".join(source) if isinstance(source, list) else source
            self.cache[key] = _token_lines(text)
        return self.cache[key]

    def __call__(self, x: tuple, y: tuple) -> bool:
        if x[0] == y[0] and x[3] == y[3] and min(x[2], y[2]) >= max(x[1], y[1]):
            return False  # overlapping itself
        a, b = (
            [t for n, t in self._lines(p[0], p[3]).items() if p[1] <= n <= p[2]] for p in (x, y)
        )
        if not a or not b:
            return False
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        same = sum(block.size for block in matcher.get_matching_blocks())
        return same >= 5 and same >= 0.7 * max(len(a), len(b))


def _token_lines(text: str) -> dict[int, tuple[str, ...]]:
    lines: dict[int, list[str]] = {}
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type in skip or tok.type == tokenize.ENDMARKER:
                continue
            if tok.type == tokenize.NAME and not keyword.iskeyword(tok.string):
                word = "I"
            elif tok.type == tokenize.NUMBER:
                word = "0"
            elif tok.type == tokenize.STRING:
                word = '""'
            else:
                word = tok.string
            lines.setdefault(tok.start[0], []).append(word)
    except (tokenize.TokenError, SyntaxError):
        pass
    return {n: tuple(words) for n, words in lines.items()}


def score(
    cases: list[Case], pairs: list[Pair], verify: Verifier
) -> tuple[dict[str, float], float, float]:
    """Recall per kind; precision in the planted projects, strict (only planted pairs count as
    right) and verified (a pair the independent check confirms counts as right too)."""
    found = {k: [0, 0] for k in KINDS}
    for case in cases:
        found[case.kind][1] += 1
        if any(_planted_pair([case], x, y) for x, y in pairs):
            found[case.kind][0] += 1
    recall = {k: hit / total for k, (hit, total) in found.items() if total}
    recall["all"] = sum(h for h, _ in found.values()) / max(1, sum(t for _, t in found.values()))
    planted = [
        (x, y) for x, y in pairs if x[0].startswith("planted/") and y[0].startswith("planted/")
    ]
    if not planted:
        return recall, float("nan"), float("nan")
    right = [_planted_pair(cases, x, y) for x, y in planted]
    verified = [r or verify(x, y) for r, (x, y) in zip(right, planted, strict=True)]
    return recall, sum(right) / len(planted), sum(verified) / len(planted)


def _timed(command: list[str], **kwargs: object) -> tuple[float, float]:
    """Run ``command``; its wall seconds and CPU seconds (user + system, its child processes
    and threads included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, **kwargs)  # type: ignore[call-overload]
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def run_ours(corpus: Path, cache_home: Path, out: Path) -> tuple[float, float, list[Pair]]:
    """A scan as a user runs it: ``toolkit reuse scan CORPUS --json`` (the cache in
    ``cache_home``; remove it first for a cold scan)."""
    toolkit = Path(sys.executable).parent / "toolkit"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    with out.open("w") as stdout:
        wall, cpu = _timed(
            [str(toolkit), "reuse", "scan", str(corpus), "--json", "--quiet"],
            stdout=stdout,
            env=env,
        )
    payload = json.loads(out.read_text())
    pairs: list[Pair] = []
    for cls in payload["classes"]:
        places = [  # the snippet library's own files are not part of the corpus
            (str(Path(m["path"]).relative_to(corpus)), m["first_line"], m["last_line"], m["cell"])
            for m in cls["members"]
            if Path(m["path"]).is_relative_to(corpus)
        ]
        pairs += [
            (places[i], places[j]) for i in range(len(places)) for j in range(i + 1, len(places))
        ]
    return wall, cpu, pairs


def run_jscpd(corpus: Path, out: Path) -> tuple[float, float, list[Pair]]:
    shutil.rmtree(out, ignore_errors=True)
    wall, cpu = _timed(
        [
            str(jscpd()),
            "--format",
            "python",
            "--min-lines",
            "6",
            "--ignore-identifiers",
            "--ignore-literals",
            "--max-gap-lines",
            "2",
            "--reporters",
            "json",
            "--output",
            str(out),
            "--silent",
            str(corpus),
        ],
        cwd=corpus,
        capture_output=True,
    )
    report = json.loads((out / "jscpd-report.json").read_text())
    pairs: list[Pair] = []
    for d in report["duplicates"]:

        def place(f: dict) -> tuple[str, int, int, None]:
            name = f["name"]
            rel = str(Path(name).relative_to(corpus)) if os.path.isabs(name) else name
            return (rel, f["startLoc"]["line"], f["endLoc"]["line"], None)

        pairs.append((place(d["firstFile"]), place(d["secondFile"])))
    return wall, cpu, pairs


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cases", type=int, default=40)
    args = parser.parse_args()
    rng = random.Random(7)
    print(f"load average at start: {_load()} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory(prefix="reuse-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        lines = copy_real_code(corpus)
        cases = plant(corpus, corpus / "real", args.cases, rng)
        total = sum(p.read_bytes().count(b"\n") for p in corpus.rglob("*.py"))
        print(f"corpus: {total:,} lines of .py ({lines:,} real), notebooks; {len(cases)} planted")
        cache, out = Path(tmp) / "cache", Path(tmp) / "ours.json"
        ours, theirs = [], []
        for n in range(args.rounds):  # alternate who goes first, so neither always runs warm
            order = ("ours", "jscpd") if n % 2 == 0 else ("jscpd", "ours")
            for who in order:
                if who == "ours":
                    shutil.rmtree(cache, ignore_errors=True)
                    wall, cpu, ours_pairs = run_ours(corpus, cache, out)
                    ours.append((wall, cpu))
                else:
                    wall, cpu, theirs_pairs = run_jscpd(corpus, Path(tmp) / "jscpd-out")
                    theirs.append((wall, cpu))
        rescan = [run_ours(corpus, cache, out)[:2] for _ in range(3)]
        verify = Verifier(corpus)
        ours_recall, ours_strict, ours_verified = score(cases, ours_pairs, verify)
        theirs_recall, theirs_strict, theirs_verified = score(cases, theirs_pairs, verify)

    def row(label: str, ours: str, theirs: str) -> None:
        print(f"{label:34}{ours:>16}{theirs:>16}")

    def median(values: list[tuple[float, float]], i: int) -> float:
        return statistics.median(v[i] for v in values)

    print()
    row("", "toolkit reuse", f"jscpd {JSCPD_VERSION}")
    row("full scan, wall s (median)", f"{median(ours, 0):.1f}", f"{median(theirs, 0):.1f}")
    row("full scan, CPU s (median)", f"{median(ours, 1):.1f}", f"{median(theirs, 1):.1f}")
    row(
        "unchanged rescan, wall / CPU s",
        f"{median(rescan, 0):.2f} / {median(rescan, 1):.2f}",
        "(no cache)",
    )
    for kind in (*KINDS, "all"):
        row(f"recall {kind}", f"{ours_recall[kind]:.0%}", f"{theirs_recall[kind]:.0%}")
    row("precision, planted pairs only", f"{ours_strict:.0%}", f"{theirs_strict:.0%}")
    row("precision, verified clones", f"{ours_verified:.0%}", f"{theirs_verified:.0%}")
    for i, label in ((0, "wall"), (1, "CPU")):
        ratios = [b[i] / a[i] for a, b in zip(ours, theirs, strict=True)]
        pairs = ", ".join(f"{r:.2f}" for r in ratios)
        print(
            f"jscpd / toolkit {label} time, median of {args.rounds} paired runs: "
            f"{statistics.median(ratios):.2f}x ({pairs})"
        )
    print(f"load average at end: {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
