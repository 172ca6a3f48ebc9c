"""Experiment tracking: toolkit.runs against MLflow's MlflowClient on a local sqlite:/// store.

Measured in one run, paired (the two sides alternate; the ratio is the median of the pairwise
ratios):

1. logging 100,000 metric points in one run, start to finish (MLflow: ``log_batch`` in chunks
   of 1,000, its fastest path; its one-call-per-point ``log_metric`` is timed on 1,000 points
   and shown per point);
2. comparing 1,000 runs with 50 parameters each: read every run, find the parameters that
   differ, collect the last metric values (MLflow: ``search_runs`` plus the same diff in
   Python), and the whole ``toolkit runs compare --last 1000 --json`` command in a fresh process.

Targets (issue 19): (1) under 1 s, (2) under 2 s. Needs the [mlflow] extra (in [dev]). Run:
``.venv/bin/python benchmarks/runs.py [--repeats 3]``. The load average is printed before and
after: on a shared machine wall times grow with it, CPU times much less.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import toolkit.runs as tr
from toolkit.runs.store import RunStore

POINTS = 100_000
RUNS = 1_000
PARAMS = 50


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} cores"


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _paired(
    ours: Callable[[], object], theirs: Callable[[], object], repeats: int
) -> tuple[list[float], list[float]]:
    a, b = [], []
    for i in range(repeats):
        if i % 2:  # alternate who goes first
            b.append(_timed(theirs))
            a.append(_timed(ours))
        else:
            a.append(_timed(ours))
            b.append(_timed(theirs))
    return a, b


def _report(what: str, ours: list[float], theirs: list[float], target: float | None) -> None:
    ratio = statistics.median(t / o for o, t in zip(ours, theirs, strict=True))
    med = statistics.median(ours)
    verdict = (
        ""
        if target is None
        else f" (target < {target:.0f} s: {'met' if med < target else 'MISSED'})"
    )
    print(
        f"{what}: toolkit {med:.3f} s, MLflow {statistics.median(theirs):.3f} s "
        f"-> toolkit is {ratio:.1f}x faster{verdict}",
        flush=True,
    )


def bench_logging(work: Path, client: object, experiment_id: str, repeats: int) -> None:
    from mlflow.entities import Metric

    def ours() -> None:
        with tr.start("bench-log", root=work / "log-runs", git=False) as run:
            for i in range(POINTS):
                run.log("loss", 1.0 / (i + 1), step=i)

    def theirs() -> None:
        run = client.create_run(experiment_id, run_name="bench-log")  # type: ignore[attr-defined]
        now = int(time.time() * 1000)
        for start in range(0, POINTS, 1000):
            batch = [Metric("loss", 1.0 / (i + 1), now, i) for i in range(start, start + 1000)]
            client.log_batch(run.info.run_id, metrics=batch)  # type: ignore[attr-defined]
        client.set_terminated(run.info.run_id)  # type: ignore[attr-defined]

    a, b = _paired(ours, theirs, repeats)
    _report(f"log {POINTS:,} points in one run", a, b, 1.0)
    walls, cpus = [], []
    for _ in range(max(repeats, 5)):
        cpu, wall = time.process_time(), time.perf_counter()
        ours()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    print(
        f"  toolkit alone, {len(walls)} runs: wall median {statistics.median(walls):.3f} s, "
        f"max {max(walls):.3f} s; CPU median {statistics.median(cpus):.3f} s ({_load()})",
        flush=True,
    )
    run = client.create_run(experiment_id, run_name="per-call")  # type: ignore[attr-defined]
    per_call = _timed(
        lambda: [
            client.log_metric(run.info.run_id, "loss", 1.0 / (i + 1), step=i)  # type: ignore[attr-defined]
            for i in range(1000)
        ]
    )
    print(
        f"  MLflow log_metric, one call per point: {per_call / 1000 * 1e3:.2f} ms/point "
        f"(= {per_call / 1000 * POINTS:.0f} s for {POINTS:,}); "
        f"toolkit {statistics.median(a) / POINTS * 1e6:.1f} µs/point",
        flush=True,
    )


def _params(i: int) -> dict[str, object]:
    params: dict[str, object] = {f"p{k:02d}": k for k in range(PARAMS - 3)}
    params.update(lr=10 ** -(i % 5), seed=i, model=f"m{i % 7}")
    return params


def bench_compare(work: Path, client: object, experiment_id: str, repeats: int) -> None:
    from mlflow.entities import Metric, Param

    root = work / "compare-runs"
    print(f"  setting up {RUNS:,} runs x {PARAMS} params on both sides ...", flush=True)
    for i in range(RUNS):
        params = _params(i)
        with tr.start(f"r{i}", params=params, root=root, git=False) as run:
            run.log("val_acc", 0.5 + i / 10_000)
            run.log("loss", 1.0 / (i + 1))
        mrun = client.create_run(experiment_id, run_name=f"r{i}")  # type: ignore[attr-defined]
        now = int(time.time() * 1000)
        client.log_batch(  # type: ignore[attr-defined]
            mrun.info.run_id,
            metrics=[
                Metric("val_acc", 0.5 + i / 10_000, now, 0),
                Metric("loss", 1.0 / (i + 1), now, 0),
            ],
            params=[Param(k, str(v)) for k, v in params.items()],
        )
        client.set_terminated(mrun.info.run_id)  # type: ignore[attr-defined]

    def ours() -> None:
        comparison = tr.compare(RunStore(root).load().runs[-RUNS:])
        assert len(comparison.differing) == 3
        comparison.to_dict()

    def theirs() -> None:
        found = []
        token = None
        while True:
            page = client.search_runs([experiment_id], max_results=1000, page_token=token)  # type: ignore[attr-defined]
            found.extend(page)
            token = page.token
            if not token:
                break
        found = [r for r in found if r.info.run_name.startswith("r")][:RUNS]
        params = [r.data.params for r in found]
        keys = {k for p in params for k in p}
        differing = [k for k in keys if len({p.get(k) for p in params}) > 1]
        assert len(differing) == 3
        {r.info.run_name: dict(r.data.metrics) for r in found}

    a, b = _paired(ours, theirs, repeats)
    _report(f"compare {RUNS:,} runs x {PARAMS} params (library)", a, b, 2.0)
    command = [
        sys.executable,
        "-m",
        "toolkit",
        "runs",
        "--dir",
        str(root),
        "compare",
        "--last",
        str(RUNS),
        "--json",
    ]
    cli = [
        _timed(lambda: subprocess.run(command, check=True, capture_output=True))
        for _ in range(repeats)
    ]
    print(
        f"  `toolkit runs compare --last {RUNS} --json`, fresh process: "
        f"{statistics.median(cli):.3f} s",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    try:
        from mlflow.tracking import MlflowClient
    except ModuleNotFoundError:
        print('skipped: needs mlflow (pip install "compound-toolkit[mlflow]")')
        return 0
    print(f"$ {' '.join([Path(sys.executable).name, *sys.argv])}  ({_load()})", flush=True)
    with tempfile.TemporaryDirectory(prefix="runs-bench-") as tmp:
        work = Path(tmp)
        os.chdir(work)  # MLflow's default artifact folder lands here, not in the checkout
        client = MlflowClient(tracking_uri=f"sqlite:///{work / 'mlflow.db'}")
        experiment_id = client.create_experiment("bench")
        bench_logging(work, client, experiment_id, args.repeats)
        bench_compare(work, client, experiment_id, args.repeats)
    print(f"done ({_load()})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
