"""Start-up cost of `import toolkit` and `toolkit --help`, medians of 10 runs.

Budget (issue "Foundation"): `import toolkit` under 50 ms, `toolkit --help` within 150 ms of
`python -c pass`. Run: `.venv/bin/python benchmarks/startup.py`.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 10


def median_ms(cmd: list[str]) -> float:
    subprocess.run(cmd, capture_output=True, check=True)  # warm the file cache
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    py = sys.executable
    script = shutil.which("toolkit", path=str(Path(py).parent)) or "toolkit"
    bare = median_ms([py, "-c", "pass"])
    imported = median_ms([py, "-c", "import toolkit"])
    helped = median_ms([script, "--help"])
    print(f"python -c pass        {bare:7.1f} ms (median of {RUNS})")
    print(f"import toolkit        {imported:7.1f} ms  -> +{imported - bare:.1f} ms (budget 50)")
    print(f"toolkit --help        {helped:7.1f} ms  -> +{helped - bare:.1f} ms (budget 150)")


if __name__ == "__main__":
    main()
