"""Snippet search over 10,000 snippets: latency, cache, and ratios against grep and difflib.

Builds a synthetic library of 10,000 snippet files (code bodies taken from the real built-in
snippets, names and summaries from their vocabulary), then measures:

* query latency of ``SearchIndex.search`` (budget: under 50 ms with 10,000 snippets), over
  queries with one typo each, and whether the planted target ranks in the top 5;
* index build cold (parse every file) and warm (stat the files, load the marshalled index);
* ``toolkit snippet search`` end to end with warm caches;
* what users would otherwise pick: ``grep -ril`` over the files (no ranking, no typo tolerance)
  and ``difflib.get_close_matches`` over names and summaries (typo-tolerant, stdlib).

Run: ``.venv/bin/python benchmarks/snippets.py`` (about half a minute).
"""

from __future__ import annotations

import difflib
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

N_SNIPPETS = 10_000
N_QUERIES = 60
REPO = Path(__file__).resolve().parent.parent


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swap two letters


def build_library(root: Path, rng: random.Random) -> list[tuple[str, str]]:
    """Write N_SNIPPETS files; return (query, expected name) pairs for planted targets."""
    sources = [p.read_text(encoding="utf-8") for p in sorted((REPO / "snippets").rglob("*.py"))]
    if not sources:
        sources = ['"""Fallback."""\nimport os\n\n\ndef f(x):\n    return os.sep.join(x)\n']
    vocab = sorted({w.lower() for s in sources for w in re.findall(r"[A-Za-z]{4,12}", s)})
    topics = ["plotting", "preprocessing", "torch", "cv", "sklearn", "evaluation", "utils"]
    queries: list[tuple[str, str]] = []
    planted = set(rng.sample(range(N_SNIPPETS), N_QUERIES))
    for i in range(N_SNIPPETS):
        topic = rng.choice(topics)
        words = rng.sample(vocab, 3)
        name = f"{topic}/{words[0]}_{words[1]}_{i}"
        summary = " ".join(rng.sample(vocab, 6)).capitalize() + "."
        tags = ", ".join([topic, *rng.sample(vocab, 2)])
        body = re.sub(r'^\s*(""".*?""")', "", rng.choice(sources), count=1, flags=re.DOTALL)
        text = f'"""{summary}\n\ntags: {tags}\nrequires: none\nversion: 1\n"""\n{body}'
        path = root / topic / f"{words[0]}_{words[1]}_{i}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if i in planted:
            queries.append((f"{_typo(words[0], rng)} {words[1]} {i}", name))
    return queries


def timed(func, *args, repeat: int = 1):  # type: ignore[no-untyped-def]
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(*args)
        samples.append((time.perf_counter() - start) * 1000)
    return result, statistics.median(samples)


def main() -> None:
    rng = random.Random(7)
    work = Path(tempfile.mkdtemp(prefix="snippet-bench-"))
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    os.environ["XDG_CONFIG_HOME"] = str(work / "config")
    os.environ["TOOLKIT_SNIPPET_PATH"] = str(work / "lib")
    try:
        queries = build_library(work / "lib", rng)
        from toolkit.snippets.library import default_roots, load_library
        from toolkit.snippets.search import index_for_roots

        (_, _), cold = timed(index_for_roots, default_roots())
        (index, _), warm = timed(index_for_roots, default_roots(), repeat=3)
        lib, warm_lib = timed(load_library)
        print(f"library: {len(lib)} snippets ({len(lib) - N_SNIPPETS} built-in beside them)")
        print(f"search index cold (parse every file + build): {cold:7.0f} ms")
        print(f"search index warm (stat files + marshal load): {warm:7.0f} ms")
        print(f"full library warm (metadata + sources from the JSON cache): {warm_lib:7.0f} ms")

        latencies, found = [], 0
        for query, expected in queries:
            hits, ms = timed(index.search, query, repeat=3)
            latencies.append(ms)
            found += expected in [h.name for h in hits[:5]]
        latencies.sort()
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        ours = statistics.median(latencies)
        print(
            f"toolkit search: median {ours:.2f} ms, p95 {p95:.2f} ms per query "
            f"(budget 50 ms); typo queries with target in top 5: {found}/{len(queries)}"
        )

        # Baseline 1: difflib over "name summary" strings, typo-tolerant but stdlib-slow.
        choices = [f"{s.name} {s.summary}" for s in lib]
        sample = queries[:5]
        diff_found = 0
        diff_times = []
        for query, expected in sample:
            result, ms = timed(difflib.get_close_matches, query, choices, 5, 0.0)
            diff_times.append(ms)
            diff_found += any(r.startswith(expected + " ") for r in result)
        diff_ms = statistics.median(diff_times)
        print(
            f"difflib.get_close_matches: median {diff_ms:.0f} ms per query "
            f"({diff_ms / ours:.0f}x slower); target in top 5: {diff_found}/{len(sample)}"
        )

        # Baseline 2: grep -ril over the files (what people do): fast, no ranking, no typos.
        if shutil.which("grep"):
            grep_times, grep_found = [], 0
            for query, expected in sample:
                word = query.split()[0]
                start = time.perf_counter()
                out = subprocess.run(
                    ["grep", "-ril", word, str(work / "lib")], capture_output=True, text=True
                ).stdout
                grep_times.append((time.perf_counter() - start) * 1000)
                grep_found += expected.split("/")[1] in out
            grep_ms = statistics.median(grep_times)
            print(
                f"grep -ril (one word): median {grep_ms:.0f} ms per query "
                f"({grep_ms / ours:.0f}x slower); target found at all: {grep_found}/{len(sample)}"
            )

        # End to end: the CLI with warm caches, one process per query.
        script = shutil.which("toolkit", path=str(Path(sys.executable).parent))
        if script:
            cli_times = []
            for query, _ in queries[:5]:
                start = time.perf_counter()
                subprocess.run([script, "snippet", "search", query], capture_output=True)
                cli_times.append((time.perf_counter() - start) * 1000)
            print(
                f"`toolkit snippet search` end to end, warm caches: median "
                f"{statistics.median(cli_times):.0f} ms (process start + load + query)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
