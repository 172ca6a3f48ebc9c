"""MLflow interop: write runs into an MLflow tracking store, and read MLflow runs back.

``export_mlflow(runs, "sqlite:///mlflow.db")`` creates one MLflow run per toolkit run (name,
start and end time, status, flattened parameters, every metric point with its step and time,
git commit and host as tags), so ``mlflow ui --backend-store-uri sqlite:///mlflow.db`` shows
them. Each exported run carries the tag ``toolkit.run_id``; exporting again skips runs already
there. ``import_mlflow`` does the reverse into the local store, remembering the MLflow run id so
a second import adds only new runs. Needs the ``[mlflow]`` extra.

Example:
    $ toolkit runs export --mlflow sqlite:///mlflow.db --experiment churn
    $ toolkit runs import --mlflow sqlite:///mlflow.db --experiment churn
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from toolkit._io import atomic_write_text
from toolkit.errors import UsageError
from toolkit.runs.comparison import flatten
from toolkit.runs.store import (
    FORMAT,
    METRICS_FILE,
    RunRecord,
    RunStore,
    format_points,
    summarize,
    write_meta,
)

TAG_RUN_ID = "toolkit.run_id"
DEFAULT_EXPERIMENT = "toolkit-runs"
_STATUS_TO_MLFLOW = {"finished": "FINISHED", "failed": "FAILED", "running": "RUNNING"}
_STATUS_FROM_MLFLOW = {"FINISHED": "finished", "FAILED": "failed", "KILLED": "failed"}
_BATCH = 1000  # MLflow's log_batch limit on metrics per call
_PARAM_BATCH = 100
_MAX_PARAM = 6000  # MLflow's smallest limit on a parameter value across versions


@dataclass
class Transfer:
    """What an export or import did: ``(source id, destination id)`` pairs and skipped ids."""

    copied: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"copied": [list(p) for p in self.copied], "skipped": self.skipped}


def _client(tracking_uri: str) -> Any:
    if not isinstance(tracking_uri, str) or "://" not in tracking_uri:
        raise UsageError(
            f"--mlflow {tracking_uri!r}: expected a tracking URI such as sqlite:///mlflow.db"
        )
    from mlflow.tracking import MlflowClient

    return MlflowClient(tracking_uri=tracking_uri)


def _experiment_id(client: Any, name: str, *, create: bool) -> str | None:
    experiment = client.get_experiment_by_name(name)
    if experiment is not None:
        return str(experiment.experiment_id)
    if not create:
        return None
    return str(client.create_experiment(name))


def _all_runs(client: Any, experiment_ids: list[str]) -> Iterator[Any]:
    token = None
    while True:
        page = client.search_runs(experiment_ids, max_results=1000, page_token=token)
        yield from page
        token = page.token
        if not token:
            return


def _param_text(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text[:_MAX_PARAM]


def _tags(run: RunRecord) -> dict[str, str]:
    meta = run.meta
    git = meta.get("git") or {}
    tags = {
        TAG_RUN_ID: run.id,
        "mlflow.runName": run.name,
        "mlflow.user": str(meta.get("user") or ""),
        "mlflow.source.name": " ".join(meta.get("command") or []),
        "toolkit.host": str(meta.get("host") or ""),
        "toolkit.python": str(meta.get("python") or ""),
    }
    if git.get("commit"):
        tags["mlflow.source.git.commit"] = git["commit"]
    if git.get("dirty"):
        tags["toolkit.git.diff_hash"] = str(git.get("diff_hash"))
    if meta.get("seed") is not None:
        tags["toolkit.seed"] = str(meta["seed"])
    if run.error:
        tags["toolkit.error"] = run.error[:5000]
    for key, value in (meta.get("tags") or {}).items():
        tags[str(key)] = _param_text(value)
    return {k: v for k, v in tags.items() if v}


def export_mlflow(
    runs: Sequence[RunRecord], tracking_uri: str, *, experiment: str = DEFAULT_EXPERIMENT
) -> Transfer:
    """Write ``runs`` into the MLflow store at ``tracking_uri`` (see the module doc)."""
    from mlflow.entities import Metric, Param, RunTag

    client = _client(tracking_uri)
    experiment_id = _experiment_id(client, experiment, create=True)
    assert experiment_id is not None
    done = {r.data.tags.get(TAG_RUN_ID) for r in _all_runs(client, [experiment_id])} - {None}
    result = Transfer()
    for run in runs:
        if run.id in done:
            result.skipped.append(run.id)
            continue
        created = client.create_run(
            experiment_id, start_time=int(run.started * 1000), tags=_tags(run), run_name=run.name
        )
        mlflow_id = created.info.run_id
        params = [Param(k, _param_text(v)) for k, v in flatten(run.params).items()]
        for i in range(0, len(params), _PARAM_BATCH):
            client.log_batch(mlflow_id, params=params[i : i + _PARAM_BATCH])
        batch: list[Any] = []
        for point in run.points():
            batch.append(Metric(point.metric, point.value, int(point.time * 1000), point.step))
            if len(batch) == _BATCH:
                client.log_batch(mlflow_id, metrics=batch)
                batch = []
        if batch:
            client.log_batch(mlflow_id, metrics=batch)
        evaluations = run.meta.get("evaluations") or []
        if evaluations:
            client.log_batch(
                mlflow_id, tags=[RunTag("toolkit.evaluations", json.dumps(evaluations)[:5000])]
            )
        ended = run.meta.get("ended")
        client.set_terminated(
            mlflow_id,
            status=_STATUS_TO_MLFLOW.get(run.status, "FAILED"),
            end_time=int(ended * 1000) if isinstance(ended, (int, float)) else None,
        )
        result.copied.append((run.id, mlflow_id))
    return result


def _param_value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def import_mlflow(
    tracking_uri: str,
    *,
    experiment: str | None = None,
    root: str | os.PathLike[str] | None = None,
) -> Transfer:
    """Copy MLflow runs (of ``experiment``, default all) into the local store at ``root``."""
    client = _client(tracking_uri)
    if experiment is not None:
        experiment_id = _experiment_id(client, experiment, create=False)
        if experiment_id is None:
            raise UsageError(f"--experiment {experiment!r}: no such experiment in {tracking_uri}")
        experiment_ids = [experiment_id]
    else:
        experiment_ids = [str(e.experiment_id) for e in client.search_experiments()]
    store = RunStore(root)
    local = store.load().runs
    known = {r.id for r in local} | {
        ((r.meta.get("source") or {}).get("mlflow") or {}).get("run_id") for r in local
    }
    result = Transfer()
    for mlflow_run in _all_runs(client, experiment_ids):
        info, data = mlflow_run.info, mlflow_run.data
        if info.run_id in known or data.tags.get(TAG_RUN_ID) in known:
            result.skipped.append(info.run_id)
            continue
        result.copied.append((info.run_id, _import_one(client, store, mlflow_run, tracking_uri)))
    return result


def _import_one(client: Any, store: RunStore, mlflow_run: Any, tracking_uri: str) -> str:
    info, data = mlflow_run.info, mlflow_run.data
    name = info.run_name or data.tags.get("mlflow.runName") or info.run_id
    started = (info.start_time or time.time() * 1000) / 1000
    run_dir = store.create_run_dir(name, started)
    points = [
        (key, float(m.value), int(m.step), m.timestamp / 1000)
        for key in sorted(data.metrics)
        for m in client.get_metric_history(info.run_id, key)
    ]
    points.sort(key=lambda p: p[3])
    atomic_write_text(run_dir / METRICS_FILE, format_points(points))
    record = RunRecord(run_dir.name, run_dir, {})
    ended = info.end_time / 1000 if info.end_time else None
    commit = data.tags.get("mlflow.source.git.commit")
    meta: dict[str, Any] = {
        "format": FORMAT,
        "id": run_dir.name,
        "name": name,
        "status": _STATUS_FROM_MLFLOW.get(info.status, "failed"),
        "error": None if info.status == "FINISHED" else f"MLflow status {info.status}",
        "started": started,
        "ended": ended,
        "duration_s": round(ended - started, 3) if ended else None,
        "params": {k: _param_value(v) for k, v in data.params.items()},
        "seed": None,
        "tags": {k: v for k, v in data.tags.items() if not k.startswith("mlflow.")},
        "git": {"commit": commit, "branch": None, "dirty": None, "diff_hash": None}
        if commit
        else None,
        "data": {},
        "packages": {},
        "host": None,
        "user": data.tags.get("mlflow.user"),
        "artifacts": [],
        "evaluations": [],
        "source": {"mlflow": {"tracking_uri": tracking_uri, "run_id": info.run_id}},
    }
    meta["summary"] = summarize(record.points())
    meta["metrics_bytes"] = (run_dir / METRICS_FILE).stat().st_size
    write_meta(run_dir, meta)
    return run_dir.name
