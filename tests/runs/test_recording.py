"""Recording runs as a user does: ``with toolkit.runs.start(...) as run: run.log(...)``."""

from __future__ import annotations

import json
import math
import os
import subprocess
from pathlib import Path

import pytest

import toolkit.runs as tr
from toolkit.errors import UsageError
from toolkit.runs import metadata
from toolkit.runs.store import RunStore


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git project with one commit; the current folder is inside it."""
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "config", "user.email", "t@example.invalid")
    _git(tmp_path, "config", "user.name", "t")
    (tmp_path / "train.py").write_text("print('hi')\n")
    (tmp_path / "pyproject.toml").write_text("[project]\nname='p'\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "init")
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    monkeypatch.delenv("TOOLKIT_RUNS_DIR", raising=False)
    return tmp_path


def test_a_run_records_everything_a_reproduction_needs(project: Path) -> None:
    data = project / "train.csv"
    data.write_text("a,b\n1,2\n")
    with tr.start("baseline", params={"lr": 0.1, "seed": 7}, data=[data]) as run:
        for step in range(5):
            run.log("loss", 1 / (step + 1), step=step)
        run.log("val_acc", 0.9)
    # runs/ lands in the project root (found from notebooks/), and git ignores it.
    record = RunStore(project / "runs").find("baseline")
    meta = record.meta
    assert record.status == "finished" and meta["ended"] >= meta["started"]
    assert meta["params"] == {"lr": 0.1, "seed": 7} and meta["seed"] == 7
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=project, capture_output=True, text=True
    ).stdout.strip()
    assert meta["git"]["commit"] == head
    assert meta["git"]["dirty"] is True  # train.csv is new and not ignored
    assert meta["data"][str(data)]["method"] == "blake2b"
    assert meta["python"] and meta["host"] and "compound-toolkit" in meta["packages"]
    assert record.summary()["loss"] == {
        "last": 0.2,
        "step": 4,
        "min": 0.2,
        "max": 1.0,
        "count": 5,
        "nonfinite": 0,
    }
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True
    ).stdout
    assert "runs" not in status


def test_uncommitted_changes_change_the_diff_hash(project: Path) -> None:
    clean = metadata.git_state(project)
    assert clean is not None and clean["dirty"] is False and clean["diff_hash"] is None
    (project / "train.py").write_text("print('changed')\n")
    first = metadata.git_state(project)
    (project / "train.py").write_text("print('changed again')\n")
    second = metadata.git_state(project)
    assert first and second and first["diff_hash"] != second["diff_hash"]


def test_outside_git_the_run_still_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with tr.start("nogit", root=tmp_path / "runs") as run:
        run.log("x", 1)
    assert RunStore(tmp_path / "runs").find("nogit").meta["git"] is None


def test_large_files_are_fingerprinted_by_samples_and_edits_are_seen(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    size = metadata.FULL_HASH_LIMIT + 5 * 1024 * 1024
    with open(big, "wb") as handle:
        handle.truncate(size)
    sampled = metadata.fingerprint(big)
    assert sampled["method"] == "blake2b-sampled" and sampled["size"] == size
    assert metadata.fingerprint(big, full=True)["method"] == "blake2b"
    with open(big, "r+b") as handle:  # an edit in the last MiB
        handle.seek(size - 100)
        handle.write(b"x")
    assert metadata.fingerprint(big)["hash"] != sampled["hash"]
    folder = tmp_path / "table.parquet"
    folder.mkdir()
    (folder / "part-0.parquet").write_bytes(b"abc")
    one = metadata.fingerprint(folder)
    (folder / "part-1.parquet").write_bytes(b"def")
    assert metadata.fingerprint(folder)["hash"] != one["hash"]
    with pytest.raises(UsageError, match=r"missing\.csv"):
        tr.start("x", data=[tmp_path / "missing.csv"], root=tmp_path).__enter__()


def test_nan_and_inf_are_recorded_and_flagged_not_dropped(tmp_path: Path) -> None:
    with tr.start("diverged", root=tmp_path, git=False) as run:
        run.log("loss", 1.0)
        run.log("loss", float("nan"))
        run.log("loss", float("inf"))
    record = RunStore(tmp_path).find("diverged")
    values = [p.value for p in record.points()]
    assert values[0] == 1.0 and math.isnan(values[1]) and values[2] == math.inf
    assert record.summary()["loss"]["nonfinite"] == 2
    # Every line is strict JSON (no bare NaN).
    for line in (record.path / "metrics.jsonl").read_text().splitlines():
        json.loads(line, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    json.loads((record.path / "run.json").read_text(), parse_constant=pytest.fail)


def test_runs_written_one_line_per_point_still_read(tmp_path: Path) -> None:
    """Format 1 stores (one line per point, times in seconds) read as before, also when a
    resumed run appended format 2 batches after them."""
    with tr.start("old", root=tmp_path, git=False) as run:
        pass
    old_lines = '{"m":"loss","v":0.5,"s":0,"t":1.250}\n{"m":"loss","v":"nan","s":1,"t":2.000}\n'
    (run.dir / "metrics.jsonl").write_text(old_lines)
    with tr.resume(run.id, root=tmp_path) as again:
        again.log("loss", 0.25)
    points = RunStore(tmp_path).find(run.id).points()
    assert [(p.step, p.time) for p in points[:2]] == [(0, 1.25), (1, 2.0)]
    assert math.isnan(points[1].value) and (points[2].step, points[2].value) == (2, 0.25)
    assert RunStore(tmp_path).find(run.id).summary()["loss"]["count"] == 3


def test_a_non_json_parameter_is_one_error_naming_it(tmp_path: Path) -> None:
    bad = {"model": {"est": object()}}
    with (
        pytest.raises(UsageError, match=r"params\['model'\]\['est'\]: object is not JSON"),
        tr.start("bad", params=bad, root=tmp_path),
    ):
        pass
    assert not any(tmp_path.iterdir())  # nothing was created
    import numpy as np

    with tr.start("ok", params={"n": np.int64(3), "p": Path("a/b")}, root=tmp_path, git=False):
        pass
    assert RunStore(tmp_path).find("ok").params == {"n": 3, "p": "a/b"}
    with tr.start("text", root=tmp_path, git=False) as run, pytest.raises(UsageError, match="acc"):
        run.log("acc", "high")


def test_an_exception_marks_the_run_failed_with_the_reason(tmp_path: Path) -> None:
    with pytest.raises(ZeroDivisionError), tr.start("boom", root=tmp_path, git=False) as run:
        run.log("loss", 0.5)
        1 / 0  # noqa: B018
    record = RunStore(tmp_path).find("boom")
    assert record.status == "failed" and "ZeroDivisionError" in (record.error or "")
    assert record.summary()["loss"]["last"] == 0.5
    assert not (record.path / "writer.lock").exists()


def test_artifacts_and_late_params(tmp_path: Path) -> None:
    model = tmp_path / "model.bin"
    model.write_bytes(b"weights")
    with tr.start("art", root=tmp_path / "runs", git=False) as run:
        run.log_params({"best_epoch": 3})
        run.artifact(model)
    meta = RunStore(tmp_path / "runs").find("art").meta
    assert meta["params"] == {"best_epoch": 3}
    assert meta["artifacts"][0]["path"] == str(model) and meta["artifacts"][0]["size"] == 7


def test_resume_continues_steps(tmp_path: Path) -> None:
    with tr.start("long", root=tmp_path, git=False) as run:
        run.log("loss", 1.0)
    with tr.resume(run.id, root=tmp_path) as again:
        again.log("loss", 0.5)
    record = RunStore(tmp_path).find(run.id)
    assert [p.step for p in record.points()] == [0, 1]
    assert record.summary()["loss"]["count"] == 2 and len(record.meta["resumed"]) == 1


def test_runs_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOOLKIT_RUNS_DIR", os.fspath(tmp_path / "elsewhere"))
    with tr.start("env", git=False):
        pass
    assert RunStore(tmp_path / "elsewhere").find("env").name == "env"
