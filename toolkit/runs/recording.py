"""Recording a run: ``with start(name, params=...) as run: run.log("loss", v, step=s)``.

``start`` creates the run folder and writes ``run.json`` (status ``running``, parameters, git
commit and a hash of uncommitted changes, data-file hashes, Python and package versions, seed,
host) before your code runs. Leaving the ``with`` block marks the run ``finished``; an
exception, Ctrl-C or ``SIGTERM`` marks it ``failed`` with the reason; a process killed outright
leaves ``running`` with its pid, which readers report as ``failed`` once that process is gone.

Metric points are buffered and appended as whole lines in one ``write`` (at most 1 s or 2,000
points behind; :meth:`Run.flush` forces it): one line per metric per flush, formatted by the
JSON encoder in C, so logging costs about a microsecond per point. NaN and inf are recorded
(as ``"nan"``/``"inf"``) and flagged, never dropped.

Example:
    >>> import tempfile
    >>> with start("demo", params={"lr": 0.1}, root=tempfile.mkdtemp(), git=False) as run:
    ...     for step in range(3):
    ...         run.log("loss", 1.0 / (step + 1), step=step)
    >>> run.status, run.summary()["loss"]["last"]
    ('finished', 0.3333333333333333)
"""

from __future__ import annotations

import math
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from toolkit.errors import UsageError
from toolkit.runs import metadata
from toolkit.runs.store import (
    EVALS_DIR,
    FORMAT,
    METRICS_FILE,
    Point,
    RunStore,
    acquire_writer_lock,
    batches,
    format_batch,
    new_tally,
    read_points,
    release_writer_lock,
    summarize,
    tally_batch,
    tally_points,
    tally_summary,
    write_meta,
)

_FLUSH_POINTS = 2000
_FLUSH_SECONDS = 1.0
_SEED_KEYS = ("seed", "random_state", "random_seed")


def check_params(params: Mapping[str, Any], where: str = "params") -> dict[str, Any]:
    """Parameters as plain JSON: numpy scalars become numbers, paths and tuples become strings
    and lists; anything else is one ``UsageError`` naming the parameter.

    Example:
        >>> check_params({"lr": 0.1, "layers": (64, 32)})
        {'lr': 0.1, 'layers': [64, 32]}
        >>> try:
        ...     check_params({"model": object()})
        ... except UsageError as exc:
        ...     print(exc)
        params['model']: object is not JSON (use str, number, bool, None, list or dict)
    """
    if not isinstance(params, Mapping):
        raise UsageError(f"{where}: expected a dict, got {type(params).__name__}")
    return {str(key): _plain(value, f"{where}[{key!r}]") for key, value in params.items()}


def _plain(value: Any, where: str) -> Any:
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise UsageError(f"{where}: {value} is not JSON; pass a finite number or a string")
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, Mapping):
        return check_params(value, where)
    if isinstance(value, (list, tuple)):
        return [_plain(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if hasattr(value, "dtype") and hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        return _plain(value.item(), where)  # a numpy scalar
    raise UsageError(
        f"{where}: {type(value).__name__} is not JSON (use str, number, bool, None, list or dict)"
    )


class Run:
    """A run being recorded. Create it with :func:`start`."""

    def __init__(self, run_dir: Path, meta: dict[str, Any]) -> None:
        self.dir = run_dir
        self.id = run_dir.name
        self.meta = meta
        self._pending: deque[tuple[str, float, int, float]] = deque()
        self._last_flush = time.monotonic()
        self._last_step: dict[str, int] = {}
        self._tally: dict[str, list[Any]] = {}  # per metric, see store.new_tally
        self._lock = threading.Lock()
        self._previous_sigterm: Any = None  # the SIGTERM handler a ``with`` block replaced
        self._fd: int | None = os.open(
            run_dir / METRICS_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644
        )
        # Bytes the file should hold if only this process appends (forked children may too).
        self._expected_bytes = os.fstat(self._fd).st_size

    def __enter__(self) -> Run:
        # While the block runs, `kill PID` (SIGTERM, e.g. a batch-queue time limit) ends the run
        # as failed instead of silently; a handler the program set itself is left alone.
        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
        ):
            self._previous_sigterm = signal.signal(signal.SIGTERM, _sigterm_as_exit)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Finish the run as finished or failed (with the reason) however the block ended."""
        if self._previous_sigterm is not None:
            signal.signal(signal.SIGTERM, self._previous_sigterm)
            self._previous_sigterm = None
        if exc is None:
            self.finish()
        elif isinstance(exc, KeyboardInterrupt):
            self.finish("failed", "interrupted (Ctrl-C)")
        elif isinstance(exc, SystemExit):
            code = exc.code
            if code in (0, None):
                self.finish()
            else:
                reason = "terminated (SIGTERM)" if code == 128 + signal.SIGTERM else f"exit {code}"
                self.finish("failed", reason)
        else:
            self.finish("failed", f"{type(exc).__name__}: {exc}"[:2000])

    @property
    def status(self) -> str:
        """``running``, ``finished`` or ``failed``."""
        return str(self.meta["status"])

    @property
    def params(self) -> dict[str, Any]:
        """The parameters recorded so far."""
        params: dict[str, Any] = self.meta["params"]
        return params

    def log(self, metric: str, value: Any, step: int | None = None) -> None:
        """Record ``metric`` = ``value`` at ``step`` (default: one more than its last step).

        NaN/inf are recorded and flagged in ``toolkit runs list``/``show``, not dropped.
        """
        last = self._last_step.get(metric)
        if last is None:
            if not isinstance(metric, str) or not metric:
                raise UsageError(f"metric: expected a non-empty name, got {metric!r}")
            last = -1
        if type(value) is not float:  # the common case skips the conversion
            try:
                value = float(value)
            except (TypeError, ValueError):
                raise UsageError(
                    f"{metric}: value {value!r} is not a number (log numbers; text goes in params)"
                ) from None
        if step is None:
            step = last + 1
        elif type(step) is not int:
            if isinstance(step, bool):
                raise UsageError(f"{metric}: step {step!r} is not an integer")
            try:
                step = int(step)  # numpy integers
            except (TypeError, ValueError):
                raise UsageError(f"{metric}: step {step!r} is not an integer") from None
        self._last_step[metric] = step
        # deque.append is atomic: threads may log at once; flush() formats in bulk.
        pending = self._pending
        pending.append((metric, value, step, time.time()))
        if len(pending) >= _FLUSH_POINTS or (
            len(pending) & 63 == 0 and time.monotonic() - self._last_flush > _FLUSH_SECONDS
        ):
            self.flush()

    def log_many(self, values: Mapping[str, Any], step: int | None = None) -> None:
        """Several metrics at the same step: ``run.log_many({"loss": l, "acc": a}, step=s)``."""
        for metric, value in values.items():
            self.log(metric, value, step=step)

    def log_params(self, params: Mapping[str, Any]) -> None:
        """Add or change parameters after the start (written to ``run.json`` right away)."""
        self.meta["params"].update(check_params(params))
        self._write_meta()

    def artifact(self, path: str | os.PathLike[str]) -> None:
        """Record a file the run produced (a model, a figure): its path, size and hash."""
        p = Path(path)
        entry = {"path": os.fspath(path), **metadata.fingerprint(p)}
        self.meta["artifacts"] = [a for a in self.meta["artifacts"] if a["path"] != entry["path"]]
        self.meta["artifacts"].append(entry)
        self._write_meta()

    def evaluate(
        self,
        test_set: str,
        y_true: Any,
        y_pred: Any,
        *,
        metric: Any = "accuracy",
        greater_is_better: bool | None = None,
    ) -> float:
        """Score ``y_pred`` (labels, or scores for metrics such as ``roc_auc``) on the named
        test set, log it, and keep labels and predictions for ``toolkit runs audit``.

        Every call counts as one variant evaluated on ``test_set``: the audit uses them to say
        how much of the best score could come from picking the best of many tries.
        """
        from toolkit.runs.guard import record_evaluation

        entry = record_evaluation(self.dir, test_set, y_true, y_pred, metric, greater_is_better)
        self.meta["evaluations"].append(entry)
        self.log(f"{test_set}/{entry['metric']}", entry["score"])
        self._write_meta()
        return float(entry["score"])

    def flush(self) -> None:
        """Append the buffered points to ``metrics.jsonl`` now."""
        with self._lock:
            self._flush_locked()

    def _flush_locked(self) -> None:
        pending = self._pending
        points = [pending.popleft() for _ in range(len(pending))]
        self._last_flush = time.monotonic()
        if not points:
            return
        lines = []
        for metric, values, steps, times in batches(points):
            tally_batch(self._tally.setdefault(metric, new_tally()), values, steps[-1])
            lines.append(format_batch(metric, values, steps, times))
        data = "".join(lines).encode("utf-8")
        if self._fd is not None:
            self._expected_bytes += len(data)
            view = memoryview(data)
            while view:  # one write of whole lines; the loop only continues on a short write
                view = view[os.write(self._fd, view) :]

    def summary(self) -> dict[str, dict[str, Any]]:
        """Per-metric last value, min, max, count and non-finite count."""
        self.flush()
        with self._lock:
            return {metric: tally_summary(tally) for metric, tally in self._tally.items()}

    def seed_tally(self, points: Iterable[Point]) -> None:
        """Count points already in the run (on resume), so steps and the summary go on."""
        rows = [(p.metric, p.value, p.step, p.time) for p in points]
        tally_points(self._tally, rows)
        for metric, _, step, _ in rows:
            self._last_step[metric] = max(self._last_step.get(metric, -1), step)

    def _write_meta(self) -> None:
        write_meta(self.dir, self.meta)

    def finish(self, status: str = "finished", error: str | None = None) -> None:
        """End the run (``start``'s ``with`` block calls this for you)."""
        if self._fd is None:
            return
        self.flush()
        fd, self._fd = self._fd, None
        ended = time.time()
        self.meta.update(
            status=status,
            error=error,
            ended=ended,
            duration_s=round(ended - float(self.meta["started"]), 3),
            summary=self.summary()
            if os.fstat(fd).st_size == self._expected_bytes
            else summarize(read_points(self.dir / METRICS_FILE, [])),  # others appended too
            metrics_bytes=os.fstat(fd).st_size,
        )
        os.close(fd)
        self._write_meta()
        release_writer_lock(self.dir)


def _seed(params: Mapping[str, Any], seed: int | None) -> int | None:
    if seed is not None:
        return seed
    for key in _SEED_KEYS:
        value = params.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def start(
    name: str,
    *,
    params: Mapping[str, Any] | None = None,
    data: list[str | os.PathLike[str]] | None = None,
    seed: int | None = None,
    tags: Mapping[str, str] | None = None,
    root: str | os.PathLike[str] | None = None,
    git: bool = True,
    full_hash: bool = False,
) -> Run:
    """Record a run named ``name``: ``with start(...) as run:`` (see the module docstring), or
    ``run = start(...)`` and ``run.finish()`` (``finish("failed", reason)``) without a block.

    ``data`` lists the data files or folders the run reads (hashed, see
    :mod:`toolkit.runs.metadata`); ``seed`` defaults to ``params["seed"]`` or
    ``params["random_state"]``; ``root`` defaults to ``runs/`` in the project.
    """
    if not isinstance(name, str) or not name.strip():
        raise UsageError(f"name: expected a non-empty run name, got {name!r}")
    clean = check_params(params or {})
    clean_tags = check_params(tags or {}, "tags")
    fingerprints = {os.fspath(p): metadata.fingerprint(p, full=full_hash) for p in (data or [])}
    started = time.time()
    store = RunStore(root)
    run_dir = store.create_run_dir(name, started)
    acquire_writer_lock(run_dir)
    (run_dir / EVALS_DIR).mkdir()
    meta: dict[str, Any] = {
        "format": FORMAT,
        "id": run_dir.name,
        "name": name,
        "status": "running",
        "error": None,
        "started": started,
        "ended": None,
        "duration_s": None,
        "params": clean,
        "seed": _seed(clean, seed),
        "tags": clean_tags,
        "git": metadata.git_state() if git else None,
        "data": fingerprints,
        "packages": metadata.package_versions(),
        **metadata.environment(),
        "artifacts": [],
        "evaluations": [],
        "summary": None,
    }
    write_meta(run_dir, meta)
    return Run(run_dir, meta)


begin = start  # the name for use without a ``with`` block


def _sigterm_as_exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def resume(run_id: str, *, root: str | os.PathLike[str] | None = None) -> Run:
    """Continue recording an existing run (after a preempted or crashed job): its steps go on
    from the last logged ones. Refused with ``RunLockedError`` while another live process is
    writing the run, so two jobs never write one run at the same time.

    Example:
        >>> import tempfile
        >>> root = tempfile.mkdtemp()
        >>> with start("long", root=root, git=False) as run:
        ...     run.log("loss", 1.0)
        >>> with resume(run.id, root=root) as again:
        ...     again.log("loss", 0.5)
        >>> [p.step for p in RunStore(root).find(run.id).points()]
        [0, 1]
    """
    store = RunStore(root)
    record = store.find(run_id)
    acquire_writer_lock(record.path)
    try:
        meta = store.read(record.path).meta
        history = meta.setdefault("resumed", [])
        history.append({"time": time.time(), "previous_status": meta.get("status")})
        meta.update(status="running", error=None, **metadata.environment())
        write_meta(record.path, meta)
        run = Run(record.path, meta)
        run.seed_tally(read_points(record.path / METRICS_FILE, []))
    except BaseException:
        release_writer_lock(record.path)
        raise
    return run
