"""Export to and import from a real MLflow sqlite store, read back with MlflowClient."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

import toolkit.runs as tr
from toolkit.cli.main import main
from toolkit.runs.store import RunStore

mlflow = pytest.importorskip("mlflow", reason="the [mlflow] extra is not installed")
pytestmark = pytest.mark.slow


def test_export_then_import_round_trips(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from mlflow.tracking import MlflowClient

    monkeypatch.chdir(tmp_path)  # MLflow puts its default artifact folder in the current one
    root = tmp_path / "runs"
    with tr.start(
        "baseline", params={"lr": 0.1, "opt": {"name": "adam"}}, root=root, git=False
    ) as run:
        for step in range(2500):  # more than one log_batch
            run.log("loss", 1 / (step + 1), step=step)
        run.log("loss", float("nan"))
        run.evaluate("test", np.array([0, 1, 1, 0]), np.array([0, 1, 0, 0]))
    with pytest.raises(RuntimeError), tr.start("broken", params={"lr": 1.0}, root=root, git=False):
        raise RuntimeError("diverged")
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    first = tr.export_mlflow(RunStore(root).load().runs, uri, experiment="demo")
    assert len(first.copied) == 2 and not first.skipped

    client = MlflowClient(tracking_uri=uri)
    experiment = client.get_experiment_by_name("demo")
    found = {r.info.run_name: r for r in client.search_runs([experiment.experiment_id])}
    assert set(found) == {"baseline", "broken"}
    base = found["baseline"]
    assert base.info.status == "FINISHED" and found["broken"].info.status == "FAILED"
    assert base.data.params == {"lr": "0.1", "opt.name": "adam"}
    history = client.get_metric_history(base.info.run_id, "loss")
    assert len(history) == 2501 and math.isnan(history[-1].value)
    assert base.data.metrics["test/accuracy"] == 0.75
    assert "diverged" in found["broken"].data.tags["toolkit.error"]

    # Again from the command line: nothing new to copy.
    main(["runs", "--dir", str(root), "export", "--mlflow", uri, "--experiment", "demo", "--json"])
    again = json.loads(capsys.readouterr().out)
    assert not again["copied"] and len(again["skipped"]) == 2

    other = tmp_path / "other-runs"
    imported = tr.import_mlflow(uri, experiment="demo", root=other)
    assert len(imported.copied) == 2
    back = RunStore(other).find("baseline")
    assert back.params == {"lr": 0.1, "opt.name": "adam"} and back.status == "finished"
    points = back.points()
    assert sum(p.metric == "loss" for p in points) == 2501
    assert back.summary()["loss"]["nonfinite"] == 1
    assert RunStore(other).find("broken").status == "failed"
    assert not tr.import_mlflow(uri, experiment="demo", root=other).copied


def test_a_bad_uri_is_one_usage_error(tmp_path: Path) -> None:
    from toolkit.errors import UsageError

    with pytest.raises(UsageError, match="tracking URI"):
        tr.export_mlflow([], "mlflow.db")
    with pytest.raises(UsageError, match="no such experiment"):
        tr.import_mlflow(f"sqlite:///{tmp_path / 'm.db'}", experiment="nope", root=tmp_path)
