"""The store under real processes: crashes, kills, many writers, two writers on one run."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from toolkit.runs.store import RunStore


def _python(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


TRAINER = """
import sys, time
import toolkit.runs as tr
with tr.start("victim", root=sys.argv[1], git=False) as run:
    step = 0
    while True:
        run.log("loss", 1.0 / (step + 1), step=step)
        step += 1
        if step == 5000:
            run.flush()
            print(run.id, flush=True)
        time.sleep(0.0001 if step < 5000 else 0.01)
"""


def _wait_for_id(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    assert line, proc.stderr.read() if proc.stderr else "no output"
    return line


def test_a_killed_process_leaves_a_failed_run_and_a_readable_store(tmp_path: Path) -> None:
    with_other = RunStore(tmp_path)
    proc = _python(TRAINER, str(tmp_path))
    run_id = _wait_for_id(proc)
    assert with_other.find(run_id).status == "running"
    proc.kill()  # SIGKILL: nothing in the process gets to clean up
    proc.wait()
    contents = with_other.load()
    assert not contents.damaged
    record = with_other.find(run_id)
    assert record.status == "failed" and "killed or crashed" in (record.error or "")
    assert record.summary()["loss"]["count"] >= 5000
    assert not record.problems  # whole lines only, even when killed mid-run


def test_sigterm_marks_the_run_failed_with_the_reason(tmp_path: Path) -> None:
    proc = _python(TRAINER, str(tmp_path))
    run_id = _wait_for_id(proc)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 128 + signal.SIGTERM
    record = RunStore(tmp_path).find(run_id)
    assert record.meta["status"] == "failed" and record.error == "terminated (SIGTERM)"


def test_many_concurrent_writers_never_clash(tmp_path: Path) -> None:
    code = """
    import sys
    import toolkit.runs as tr
    for i in range(10):
        params = {"i": i, "w": sys.argv[2]}
        with tr.start("same-name", params=params, root=sys.argv[1], git=False) as run:
            for s in range(300):
                run.log("loss", s * 0.5, step=s)
    """
    procs = [_python(code, str(tmp_path), str(w)) for w in range(4)]
    for proc in procs:
        _, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
    contents = RunStore(tmp_path).load()
    assert not contents.damaged and len(contents.runs) == 40
    assert len({r.id for r in contents.runs}) == 40
    for record in contents.runs:
        assert record.status == "finished" and record.summary()["loss"]["count"] == 300


def test_two_processes_resuming_one_run_the_second_is_refused(tmp_path: Path) -> None:
    resume = """
    import sys, time
    import toolkit.runs as tr
    with tr.resume(sys.argv[2], root=sys.argv[1]) as run:
        print("writing", flush=True)
        for s in range(200):
            run.log("loss", 0.1)
            time.sleep(0.01)
    """
    import toolkit.runs as tr

    with tr.start("shared", root=tmp_path, git=False) as run:
        run.log("loss", 1.0)
    first = _python(resume, str(tmp_path), run.id)
    assert first.stdout is not None and first.stdout.readline().strip() == "writing"
    second = _python(resume, str(tmp_path), run.id)
    _, err = second.communicate(timeout=120)
    assert second.returncode != 0 and "already being written by process" in err
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    record = RunStore(tmp_path).find(run.id)
    assert record.summary()["loss"]["count"] == 201 and not record.problems


def test_forked_writers_to_one_run_merge_whole_lines(tmp_path: Path) -> None:
    code = """
    import os, sys
    import toolkit.runs as tr
    with tr.start("forked", root=sys.argv[1], git=False) as run:
        children = []
        for worker in range(4):
            pid = os.fork()
            if pid == 0:
                for s in range(5000):
                    run.log(f"worker{worker}", float(s), step=s)
                run.flush()
                os._exit(0)
            children.append(pid)
        for pid in children:
            os.waitpid(pid, 0)
    """
    proc = _python(code, str(tmp_path))
    _, err = proc.communicate(timeout=240)
    assert proc.returncode == 0, err
    record = RunStore(tmp_path).find("forked")
    lines = (record.path / "metrics.jsonl").read_text().splitlines()
    rows = [json.loads(line) for line in lines]  # every line whole: none interleaved
    assert sum(len(row["s"]) for row in rows) == 20_000
    summary = record.summary()  # recomputed: the file grew after the parent's summary
    assert {m: s["count"] for m, s in summary.items()} == {f"worker{w}": 5000 for w in range(4)}


def test_a_stale_lock_of_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    import toolkit.runs as tr

    with tr.start("stale", root=tmp_path, git=False) as run:
        pass
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    lock = {"pid": int(dead.stdout), "host": socket.gethostname(), "time": time.time()}
    (run.dir / "writer.lock").write_text(json.dumps(lock))
    with tr.resume(run.id, root=tmp_path) as again:
        again.log("x", 1)
    assert RunStore(tmp_path).find(run.id).status == "finished"
