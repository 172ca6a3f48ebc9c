"""Data health report vs ydata-profiling (minimal mode) on a 1,000,000 x 20 mixed table.

Both sides run as separate child processes on the same Parquet file, so wall time and peak
memory (max RSS of the child, from wait4) are measured the same way and in one run:

* toolkit: read the Parquet with polars, 80/20 split, ``health_report`` (every check:
  data quality, leakage, drift, adversarial validation, label issues) and the HTML report.
* ydata-profiling: read the same Parquet with pandas, ``ProfileReport(minimal=True)``, HTML.
* floor: start Python, import what the report needs (polars, pandas, scikit-learn -- which pulls
  in scipy.stats -- and matplotlib), read the Parquet, exit. No check runs: this is the part of
  the toolkit's time that no optimisation of the checks can remove.

CPU seconds (user + system, from the same wait4 call) are printed too: on a 2-core machine that
other jobs share, they vary less than wall time. The 1-minute load average is printed before and
after, so a perturbed run is visible.

ydata-profiling does not install next to pandas 3 / numpy 2.4, so it lives in its own venv:

    python3 -m venv benchmarks/_work/ydata-venv
    benchmarks/_work/ydata-venv/bin/pip install ydata-profiling setuptools pyarrow

(benchmarks/_work/ is git-ignored). Without that venv the ydata row is skipped.

``--repeat N`` runs the commands N times, alternating them, and prints each one's median and
the median of the pairwise ratios (the load of the shared machine moves both sides of a pair
alike). ``--baseline DIR`` adds the same report run with another checkout's ``toolkit`` (made
with ``git archive REV toolkit | tar -x -C DIR``), to show whether a change made it slower;
every child runs in ``benchmarks/_work`` so that the baseline really is the other checkout
(checked before the first round: run from the repository root, ``python -c`` would import the
checkout's own ``toolkit/`` on both sides).

Run: .venv/bin/python benchmarks/health_vs_ydata.py [--rows 1000000] [--repeat 5]
         [--baseline /tmp/before]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
YDATA_PYTHON = WORK / "ydata-venv" / "bin" / "python"

TOOLKIT_RUN = """
import sys, polars as pl
from toolkit.checks import health_report
df = pl.read_parquet(sys.argv[1])
cut = int(df.height * 0.8)
report = health_report(df[:cut], df[cut:], target="target", group="customer_id", time="ts")
report.to_html(sys.argv[2])
print(report.counts())
"""

FLOOR_RUN = """
import sys, polars as pl
import pandas, scipy.stats, sklearn.ensemble, sklearn.model_selection, sklearn.metrics
import matplotlib.figure, matplotlib.backends.backend_agg, toolkit.plotting
df = pl.read_parquet(sys.argv[1])
"""

YDATA_RUN = """
import sys, warnings
warnings.filterwarnings("ignore")
import pandas as pd
from ydata_profiling import ProfileReport
df = pd.read_parquet(sys.argv[1])
ProfileReport(df, minimal=True, progress_bar=False).to_file(sys.argv[2])
"""


def build_table(path: Path, rows: int) -> None:
    """1,000,000 x 20: 11 numeric (some with NaN, skewed), 5 categorical, an int ID, a group
    ID, a timestamp and a binary target; rows sorted by time so the 80/20 split is clean."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(0)
    cols: dict[str, object] = {}
    for i in range(8):
        v = rng.normal(i, 1 + i, rows)
        if i % 3 == 0:
            v[rng.uniform(size=rows) < 0.05] = np.nan
        cols[f"num_{i}"] = v
    cols["amount"] = rng.lognormal(3, 1, rows)
    cols["count"] = rng.poisson(4, rows).astype(np.int64)
    cols["ratio"] = rng.uniform(size=rows)
    for i, k in enumerate((3, 8, 20, 200, 5)):
        cols[f"cat_{i}"] = np.asarray([f"c{j}" for j in range(k)])[rng.integers(0, k, rows)]
    cols["row_id"] = np.arange(rows, dtype=np.int64)
    # customers belong to one period only, so the time-ordered split shares no groups
    cols["customer_id"] = (np.arange(rows) // 10).astype(np.int64)
    start = np.datetime64("2023-01-01T00:00:00")
    cols["ts"] = (start + (np.arange(rows) * 30).astype("timedelta64[s]")).astype("datetime64[ms]")
    logit = 0.5 * cols["num_1"] - 0.3 * np.log(cols["amount"]) + rng.normal(size=rows)  # type: ignore[operator, arg-type]
    cols["target"] = (logit > np.nanmedian(logit)).astype(np.int64)
    pl.DataFrame(cols).write_parquet(path)


def measure(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int, float]:
    """Run ``argv``; return (wall seconds, peak RSS in GB, exit code, CPU seconds)."""
    start = time.perf_counter()
    # cwd=WORK: ``python -c`` puts the working directory first on sys.path, so run from the
    # repository root every child would import the checkout's toolkit/, --baseline's included.
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=WORK)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        print(f"  {argv[0]} failed ({code}):\n{err[-2000:]}", file=sys.stderr)
    elif out.strip():
        print(f"  output: {out.strip().splitlines()[-1]}")
    cpu = usage.ru_utime + usage.ru_stime
    return wall, usage.ru_maxrss / 1024**2, code, cpu  # ru_maxrss is KiB on Linux


def _commands(
    data: Path, baseline: Path | None
) -> dict[str, tuple[list[str], dict[str, str] | None]]:
    html = str(WORK / "health.html")
    commands: dict[str, tuple[list[str], dict[str, str] | None]] = {
        "floor": ([sys.executable, "-c", FLOOR_RUN, str(data)], None),
        "toolkit": ([sys.executable, "-c", TOOLKIT_RUN, str(data), html], None),
    }
    if baseline is not None:
        env = {**os.environ, "PYTHONPATH": str(baseline.resolve())}
        where = subprocess.run(
            [sys.executable, "-c", "import toolkit; print(toolkit.__file__)"],
            env=env, cwd=WORK, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        if not Path(where).is_relative_to(baseline.resolve()):
            sys.exit(f"--baseline {baseline}: its children import {where}, not {baseline}")
        print(f"baseline toolkit: {where}")
        commands["baseline"] = ([sys.executable, "-c", TOOLKIT_RUN, str(data), html], env)
    if YDATA_PYTHON.exists():
        ydata = [str(YDATA_PYTHON), "-c", YDATA_RUN, str(data), str(WORK / "ydata.html")]
        commands["ydata"] = (ydata, None)
    else:
        print(f"ydata-profiling skipped: no {YDATA_PYTHON} (see this file's docstring)")
    return commands


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1, help="alternating rounds")
    parser.add_argument("--baseline", type=Path, help="a folder holding another toolkit/")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    data = WORK / f"health_{args.rows}.parquet"
    if not data.exists():
        build_table(data, args.rows)
    print(f"table: {args.rows:,} rows x 20 columns ({data.stat().st_size / 1e6:.0f} MB parquet)")
    print(f"load average (1 min) before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    commands = _commands(data, args.baseline)
    runs: dict[str, list[tuple[float, float, int, float]]] = {name: [] for name in commands}
    for round_ in range(args.repeat):
        names = list(commands) if round_ % 2 == 0 else list(reversed(commands))
        for name in names:
            print(f"round {round_ + 1}/{args.repeat}: {name} ...", flush=True)
            runs[name].append(measure(*commands[name]))
    print(f"load average (1 min) after: {os.getloadavg()[0]:.2f}")
    labels = {
        "floor": "floor (imports + read only)",
        "toolkit": "toolkit health_report",
        "baseline": f"toolkit at {args.baseline}",
        "ydata": "ydata-profiling minimal",
    }
    head = f"tool (median of {args.repeat})"
    print(f"\n{head:<34}{'wall s':>9}{'CPU s':>9}{'peak GB':>9}")
    for name, measured in runs.items():
        wall, peak, cpu = (statistics.median(m[i] for m in measured) for i in (0, 1, 3))
        failed = any(m[2] != 0 for m in measured)
        print(
            f"{labels[name]:<34}{wall:>9.2f}{cpu:>9.2f}{peak:>9.2f}"
            + ("  FAILED" if failed else "")
        )

    def ratio(a: str, b: str, i: int) -> float:  # median over rounds of a's / b's measure
        return statistics.median(x[i] / y[i] for x, y in zip(runs[a], runs[b], strict=True))

    ok = {name for name, measured in runs.items() if all(m[2] == 0 for m in measured)}
    if {"ydata", "toolkit", "floor"} <= ok:
        print(
            f"\nspeed-up {ratio('ydata', 'toolkit', 0):.1f}x wall, "
            f"{ratio('ydata', 'toolkit', 3):.1f}x CPU (target >= 10x); memory "
            f"{ratio('toolkit', 'ydata', 1):.2f} of ydata (target <= 0.5); the floor alone is "
            f"{ratio('ydata', 'floor', 0):.1f}x faster than ydata"
        )
    if {"baseline", "toolkit"} <= ok:
        print(
            f"toolkit / baseline: CPU {ratio('toolkit', 'baseline', 3):.3f}, wall "
            f"{ratio('toolkit', 'baseline', 0):.3f}, peak memory "
            f"{ratio('toolkit', 'baseline', 1):.3f} (median of pairwise ratios)"
        )


if __name__ == "__main__":
    main()
