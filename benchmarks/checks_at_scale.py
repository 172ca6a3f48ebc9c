"""The health report at scale: DuckDB, Spark and pandas on a 10M-row planted Parquet table,
ydata-profiling minimal beside them, DuckDB on 100M rows.

Data: ``toolkit.checks.planted`` (20 columns, planted leak, duplicates across splits, shared
groups, time overlap, drift, an unseen category, flipped labels, infinities), 80 % train and
20 % test, streamed to Parquet folders of 1M-row files under ``benchmarks/_work/`` (git-ignored)
and reused by later runs. Every tool runs as a child process measured the same way: wall time,
CPU seconds and peak RSS from ``wait4`` (``ru_maxrss`` of that child), with the 1-minute load
average when it started (the machine has 2 cores shared with other work: read the load).

* duckdb: ``toolkit check data TRAIN_DIR --test TEST_DIR ... --engine duckdb --html --json-out``
  -- the whole report (all checks + HTML), as a user runs it.
* floor: DuckDB alone scanning every column of both folders once (min/max per column) --
  no engine path can beat one scan; the ratio says how far the report is from it.
* pandas: the same command with ``--engine pandas`` (in memory), under an address-space cap.
* ydata: ydata-profiling ``minimal=True`` + HTML on the same 10M rows (pandas), under the cap;
  it lives in its own venv (see benchmarks/health_vs_ydata.py), created here when missing.
* spark: the same command with ``--engine spark`` (``local[2]``): the same findings as DuckDB?
* 100M: the duckdb command on 100M rows (generated once and kept for later runs, ~9 GB;
  ``--drop-big`` deletes it afterwards): peak RSS, time.

DuckDB and its floor alternate ``--repeat`` times (default 3): the ratio is the median of the
pairwise ratios, the DuckDB figures are the median wall time and the highest peak RSS.

The capped children get ``RLIMIT_AS`` (``--cap-gb``, default 8): past it they fail with a
MemoryError instead of pushing a shared machine into swap or the OOM killer; that is reported
as the point where they fail.

Run: .venv/bin/python benchmarks/checks_at_scale.py [--rows 10000000] [--big-rows 100000000]
     [--skip ydata,pandas,spark,big] [--repeat 3] [--drop-big]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
YDATA_VENV = WORK / "ydata-venv"
TOOLKIT = Path(sys.executable).with_name("toolkit")
FILE_ROWS = 1_000_000
ROLES = ["--target", "target", "--group", "user_id", "--time", "event_time"]

FLOOR_RUN = """
import sys, duckdb
con = duckdb.connect()
for folder in sys.argv[1:]:
    rel = con.read_parquet(f"{folder}/*.parquet")
    exprs = ", ".join(f'min("{c}"), max("{c}")' for c in rel.columns)
    con.execute(f"SELECT count(*), {exprs} FROM read_parquet('{folder}/*.parquet')").fetchall()
"""

YDATA_RUN = """
import sys, warnings
warnings.filterwarnings("ignore")
import pandas as pd
from ydata_profiling import ProfileReport
df = pd.concat([pd.read_parquet(sys.argv[1]), pd.read_parquet(sys.argv[2])], ignore_index=True)
ProfileReport(df, minimal=True, progress_bar=False).to_file(sys.argv[3])
"""


@dataclass
class Measure:
    wall: float
    cpu: float
    peak_gb: float
    code: int
    load: float
    tail: str
    error: str = ""  # a failure's exception lines and root cause (the whole stderr is logged)
    tree_gb: float = 0.0  # peak of the summed RSS of the child and its children (Spark: + JVM)

    wrote: bool = True  # the output file the run must write exists

    @property
    def ok(self) -> bool:
        # 1: the report has high findings (it must, here) -- and it wrote its JSON
        return self.code in (0, 1) and self.wrote


def generate(root: Path, rows: int) -> tuple[Path, Path]:
    """train/ and test/ folders of 1M-row Parquet files (80/20), reused when complete."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from toolkit.checks.planted import planted_batches

    done = root / "_COMPLETE"
    folders = root / "train", root / "test"
    if done.exists():
        return folders
    shutil.rmtree(root, ignore_errors=True)
    start = time.perf_counter()
    n_train = rows * 4 // 5
    for folder, split, n in zip(folders, ("train", "test"), (n_train, rows - n_train), strict=True):
        folder.mkdir(parents=True)
        for i, batch in enumerate(planted_batches(n, split=split, batch_rows=FILE_ROWS)):
            pq.write_table(
                pa.Table.from_batches([batch]),
                folder / f"part-{i:05d}.parquet",
                row_group_size=FILE_ROWS // 4,
            )
    size = sum(p.stat().st_size for p in root.rglob("*.parquet"))
    done.write_text(f"{rows}\n", encoding="utf-8")
    print(f"  generated {rows:,} rows in {time.perf_counter() - start:.0f} s ({size / 1e9:.2f} GB)")
    return folders


def error_summary(err: str, keep: int = 4) -> str:
    """What a failed run's stderr says went wrong: the first exception line and the ``keep``
    lines after it (for a Java error: the message and the top of its stack), every distinct
    ``Caused by:`` (the root cause is the last one), and the last line."""
    lines = [line.rstrip() for line in err.splitlines() if line.strip()]
    marker = re.compile(r"(Exception|Error|Traceback)\b")
    first = next((i for i, line in enumerate(lines) if marker.search(line)), None)
    picked = [] if first is None else lines[first : first + 1 + keep]
    causes = list(dict.fromkeys(ln.strip() for ln in lines if ln.lstrip().startswith("Caused by:")))
    out = picked + [c for c in causes if c not in picked]
    if lines and lines[-1] not in out:
        out.append(lines[-1])
    return "\n".join(line[:300] for line in out)


def measure(argv: list[str], *, cap_gb: float | None = None, log: str | None = None) -> Measure:
    """Run ``argv`` as a child (under an address-space cap when given); its stderr goes to
    ``log`` when given."""

    def limit() -> None:
        if cap_gb is not None:
            cap = int(cap_gb * 1024**3)
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    load = os.getloadavg()[0]
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as stderr:
        proc = subprocess.Popen(
            argv, stdout=subprocess.DEVNULL, stderr=stderr, preexec_fn=limit, text=True
        )
        tree, ticks = 0, {}  # ticks: CPU of each descendant when last seen (a JVM is not reaped)
        while proc.poll() is None:
            rss, seen = tree_usage(proc.pid)
            tree = max(tree, rss)
            ticks.update({p: t for p, t in seen.items() if p != proc.pid})
            time.sleep(0.5)
        wall = time.perf_counter() - start
        stderr.seek(0)
        err = stderr.read()
    # This process (Children.run starts one per measurement) has this one child: exact.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    code = proc.returncode
    tail = (err.strip().splitlines() or [""])[-1][:200]
    if log is not None:
        Path(log).write_text(err, encoding="utf-8")
    error = error_summary(err) if code not in (0, 1) else ""
    # CPU: the child and what it reaped, plus descendants it never waited for (Spark's JVM)
    unreaped = sum(ticks.values()) / os.sysconf("SC_CLK_TCK")
    cpu = max(usage.ru_utime + usage.ru_stime, unreaped)
    peak = usage.ru_maxrss / 1024**2  # the largest single process of the tree
    return Measure(wall, cpu, peak, code, load, tail, error, max(tree / 1024**3, peak))


def gb(gib: float) -> float:
    """GiB (what the table prints: ``ru_maxrss`` is in KiB) as GB, the targets' unit."""
    return gib * 1024**3 / 1e9


def tree_usage(pid: int) -> tuple[int, dict[int, int]]:
    """Bytes resident in ``pid`` and all its descendants now, and each one's CPU clock ticks
    so far (from /proc; nothing elsewhere)."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text(encoding="ascii", errors="replace").rpartition(")")[2].split()
        except OSError:
            continue  # exited meanwhile
        member = int(stat.parent.name)
        parents[member] = int(fields[1])
        ticks[member] = int(fields[11]) + int(fields[12])  # utime + stime
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in tree:
                tree.add(child)
                frontier.append(child)
    total = 0
    for member in tree:
        try:
            pages = Path(f"/proc/{member}/statm").read_text(encoding="ascii").split()[1]
        except (OSError, IndexError):
            continue
        total += int(pages) * resource.getpagesize()
    return total, {m: ticks[m] for m in tree if m in ticks}


class Children:
    """Per-child figures: RUSAGE_CHILDREN is cumulative (CPU) and a running max (RSS), so each
    child runs in its own short-lived measuring process and reports its own usage."""

    @staticmethod
    def run(argv: list[str], cap_gb: float | None = None, expect: Path | None = None) -> Measure:
        log = None
        if expect is not None:
            expect.unlink(missing_ok=True)
            log = str(expect.with_suffix(".stderr.log"))
        probe = [sys.executable, __file__, "--measure-child", json.dumps([argv, cap_gb, log])]
        done = subprocess.run(probe, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-2000:])
        m = Measure(**json.loads(done.stdout.strip().splitlines()[-1]))
        m.wrote = expect is None or expect.exists()
        return m


def typical(measures: list[Measure]) -> Measure:
    """The run with the median wall time, carrying the highest peak RSS of all runs (a
    memory target must hold on every run) and the first failure, if any run failed."""
    ranked = sorted(measures, key=lambda m: m.wall)
    mid = ranked[(len(ranked) - 1) // 2]
    failed = next((m for m in measures if not m.ok), mid)
    peak = max(m.peak_gb for m in measures)
    return replace(mid, peak_gb=peak, code=failed.code, tail=failed.tail, wrote=failed.wrote)


def report_command(train: Path, test: Path, engine: str, out: Path) -> list[str]:
    return [
        str(TOOLKIT),
        "check",
        "data",
        str(train),
        "--test",
        str(test),
        *ROLES,
        "--engine",
        engine,
        "--html",
        str(out / f"{engine}.html"),
        "--json-out",
        str(out / f"{engine}.json"),
        "-q",
    ]


def findings(path: Path) -> set[tuple[str, str, tuple[str, ...]]]:
    """(check, severity, columns) of every finding in a --json-out file."""
    payload = json.loads(path.read_text(encoding="utf-8"))
    return {
        (f["check"], f["severity"], tuple(f["columns"]))
        for check in payload["checks"]
        for f in check["findings"]
    }


def ensure_ydata() -> Path | None:
    python = YDATA_VENV / "bin" / "python"
    if not python.exists():
        print("  creating the ydata-profiling venv (benchmarks/_work/ydata-venv) ...")
        subprocess.run([sys.executable, "-m", "venv", str(YDATA_VENV)], check=True)
        subprocess.run(
            [
                str(YDATA_VENV / "bin" / "pip"),
                "install",
                "-q",
                "ydata-profiling",
                "setuptools",
                "pyarrow",
            ],
            check=False,
        )
    return python if python.exists() else None


def row(name: str, m: Measure | None) -> str:
    if m is None:
        return f"{name:<40}{'skipped':>9}"
    status = "" if m.ok else f"  FAILED (exit {m.code}): {m.tail}"
    return (
        f"{name:<40}{m.wall:>9.1f}{m.cpu:>9.1f}{m.peak_gb:>9.2f}{m.tree_gb:>9.2f}{m.load:>7.1f}"
        f"{status}"
    )


def compare(label: str, a: Path, b: Path) -> bool:
    fa, fb = findings(a), findings(b)
    if fa == fb:
        print(f"  {label}: the same {len(fa)} findings (check, severity, columns)")
        return True
    print(
        f"  {label}: findings differ; only in {a.stem}: {sorted(fa - fb)[:6]}; "
        f"only in {b.stem}: {sorted(fb - fa)[:6]}"
    )
    return False


def side_by_side(a: Path, b: Path) -> None:
    """Every finding of two reports, one line each, marked where only one has it."""
    fa, fb = findings(a), findings(b)
    print(f"    {a.stem:>8} {b.stem:>8}  check / severity / columns")
    for check, severity, columns in sorted(fa | fb):
        key = (check, severity, columns)
        marks = ["yes" if key in f else "--" for f in (fa, fb)]
        print(f"    {marks[0]:>8} {marks[1]:>8}  {check} / {severity} / {', '.join(columns)}")


def planted_found(path: Path, label: str) -> None:
    """One line: how many of the planted problems the report ``path`` (run ``label``) found."""
    from toolkit.checks.planted import PLANTED

    found = findings(path)
    missed = [
        p
        for p in PLANTED
        if not any(
            c == p.check
            and s == p.severity
            and (p.columns == ("*",) or tuple(cols[: len(p.columns)]) == p.columns)
            for c, s, cols in found
        )
    ]
    print(
        f"  planted problems found by {label} ({path}): {len(PLANTED) - len(missed)}"
        f"/{len(PLANTED)}"
        + (f"; missed {[(p.check, p.severity, p.columns) for p in missed]}" if missed else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--big-rows", type=int, default=100_000_000)
    parser.add_argument("--skip", default="", help="comma-separated: ydata,pandas,spark,big")
    parser.add_argument("--cap-gb", type=float, default=8.0)
    parser.add_argument("--repeat", type=int, default=3, help="duckdb/floor pairs (median ratio)")
    parser.add_argument("--drop-big", action="store_true", help="delete the 100M folder after")
    parser.add_argument("--measure-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_child:
        argv, cap, log = json.loads(args.measure_child)
        print(json.dumps(measure(argv, cap_gb=cap, log=log).__dict__))
        return
    skip = set(filter(None, args.skip.split(",")))
    out = WORK / "scale_out"
    out.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} cores; load average (1 min) {os.getloadavg()[0]:.1f}")
    print(f"planted table: {args.rows:,} rows x 20 columns (80/20 train/test) ...")
    train, test = generate(WORK / f"planted_{args.rows}", args.rows)
    results: dict[str, Measure | None] = {}
    runs: dict[str, list[Measure]] = {"duckdb": [], "floor": []}
    for i in range(0 if "duckdb" in skip else args.repeat):  # alternating: paired ratios
        print(f"duckdb report (all checks + HTML), run {i + 1} ...")
        runs["duckdb"].append(
            Children.run(report_command(train, test, "duckdb", out), expect=out / "duckdb.json")
        )
        print("floor: DuckDB scanning every column once ...")
        runs["floor"].append(Children.run([sys.executable, "-c", FLOOR_RUN, str(train), str(test)]))
    pairs = [d.wall / f.wall for d, f in zip(runs["duckdb"], runs["floor"], strict=True)]
    for name, measures in runs.items():
        if measures:
            results[name] = typical(measures)
            print(f"  {name} wall s per run: {', '.join(f'{m.wall:.1f}' for m in measures)}")
    if "pandas" not in skip:
        print(f"pandas in memory (same command, --engine pandas, {args.cap_gb:g} GB cap) ...")
        results["pandas"] = Children.run(
            report_command(train, test, "pandas", out), args.cap_gb, out / "pandas.json"
        )
    if "ydata" not in skip and (python := ensure_ydata()) is not None:
        print(f"ydata-profiling minimal + HTML ({args.cap_gb:g} GB cap) ...")
        html = str(out / "ydata.html")
        results["ydata"] = Children.run(
            [str(python), "-c", YDATA_RUN, str(train), str(test), html], args.cap_gb, Path(html)
        )
    if "spark" not in skip:
        print("spark local[2] (same command, --engine spark) ...")
        results["spark"] = Children.run(
            report_command(train, test, "spark", out), expect=out / "spark.json"
        )
    big = None
    if "big" not in skip and args.big_rows:
        need = (
            1.3
            * args.big_rows
            / args.rows
            * sum(p.stat().st_size for p in (WORK / f"planted_{args.rows}").rglob("*.parquet"))
        )
        free = shutil.disk_usage(WORK).free
        if free < need + 5e9:
            print(f"100M skipped: {free / 1e9:.0f} GB free, {need / 1e9:.0f} GB needed (+5 GB)")
        else:
            print(
                f"{args.big_rows:,} rows (needs ~{need / 1e9:.0f} GB of {free / 1e9:.0f} free) ..."
            )
            root = WORK / f"planted_{args.big_rows}"
            big_train, big_test = generate(root, args.big_rows)
            (out / "big").mkdir(exist_ok=True)  # the child's stderr log goes there
            try:
                big = Children.run(
                    report_command(big_train, big_test, "duckdb", out / "big"),
                    expect=out / "big" / "duckdb.json",
                )
            finally:
                if args.drop_big:
                    shutil.rmtree(root, ignore_errors=True)
    labels = {
        "duckdb": f"toolkit report, duckdb ({args.rows / 1e6:g}M)",
        "floor": "floor: duckdb scan of every column",
        "pandas": "toolkit report, pandas in memory",
        "ydata": "ydata-profiling minimal",
        "spark": "toolkit report, spark local[2]",
    }
    print(f"\n{'':<40}{'wall s':>9}{'CPU s':>9}{'peak GiB':>9}{'tree GiB':>9}{'load':>7}")
    for name, label in labels.items():
        if name in results:
            print(row(label, results.get(name)))
    if big is not None:
        print(row(f"toolkit report, duckdb ({args.big_rows / 1e6:g}M)", big))
    print("(peak: the largest process; tree: the process and its children summed, sampled")
    print(" every 0.5 s -- for Spark the Python driver plus the JVM)")
    for name, m in [*results.items(), ("big", big)]:
        if m is not None and not m.ok and m.error:
            print(f"\n{name} failed (exit {m.code}); stderr in {out}/{name}.stderr.log:")
            print("  " + m.error.replace("\n", "\n  "))
    d = results.get("duckdb")
    if d is None:  # --skip duckdb: compare with the findings of its last run
        d = Measure(float("nan"), float("nan"), float("nan"), 0, float("nan"), "")
    else:
        print(
            f"\nduckdb targets: <= 60 s ({d.wall:.1f}), <= 2 GB peak ({gb(d.peak_gb):.2f} GB)"
            f"; {statistics.median(pairs):.1f}x its floor (median of {len(pairs)} paired)"
        )
    for name in ("pandas", "ydata"):
        m = results.get(name)
        if m is not None and m.ok and d.ok:
            print(
                f"{name}: {m.wall / d.wall:.1f}x the duckdb time, {m.peak_gb / d.peak_gb:.1f}x "
                "its peak memory"
            )
        elif m is not None:
            print(f"{name}: failed after {m.wall:.0f} s at {m.peak_gb:.2f} GiB peak: {m.tail}")
    if big is not None:
        print(
            f"{args.big_rows / 1e6:g}M duckdb: {big.wall:.0f} s, peak {big.peak_gb:.2f} GiB = "
            f"{gb(big.peak_gb):.2f} GB "
            "(target <= 4 GB)"
        )
        if big.ok:  # this run's own report (ok: it wrote it)
            planted_found(out / "big" / "duckdb.json", f"duckdb {args.big_rows / 1e6:g}M")
    same = True
    if d.ok:
        if "duckdb" in results:  # skipped: the 10M report on disk is an earlier run's
            planted_found(out / "duckdb.json", f"duckdb {args.rows / 1e6:g}M")
        for name in ("spark", "pandas"):
            m = results.get(name)
            if m is not None and m.ok and (out / f"{name}.json").exists():
                same &= compare(f"{name} vs duckdb", out / f"{name}.json", out / "duckdb.json")
    s = results.get("spark")
    if s is not None and s.ok and d.ok:
        print(
            f"spark local[2]: {s.wall:.0f} s wall, {s.cpu:.0f} s CPU, driver + JVM peak "
            f"{s.tree_gb:.2f} GB; its findings beside duckdb's:"
        )
        side_by_side(out / "spark.json", out / "duckdb.json")
    if not same:
        sys.exit("the engines' findings differ (see above)")


if __name__ == "__main__":
    main()
