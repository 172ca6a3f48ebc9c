"""The run store: plain files under ``runs/`` in the project, one folder per run.

Layout (every file parses on its own; nothing is shared between runs)::

    runs/.gitignore              "*": the store ignores itself in git
    runs/<id>/run.json           metadata: params, git, data hashes, status, summary (atomic)
    runs/<id>/metrics.jsonl      logged points, one line per metric and flush, appended (O_APPEND)
    runs/<id>/evals/<n>.npz      the labels and predictions of each test-set evaluation
    runs/<id>/writer.lock        held while a process writes the run (pid, host)

Why it is safe for many concurrent writers without a server or a database lock: each run gets
its own folder, created with an exclusive ``mkdir``; ``run.json`` is only replaced whole
(``toolkit._io``), and metric lines are appended in single ``write`` calls of whole lines on an
``O_APPEND`` descriptor, so a reader sees complete lines only. A second process that tries to
write the same run is refused by ``writer.lock``. Copying the folder (rsync) is a complete copy.

Example:
    >>> import tempfile
    >>> store = RunStore(tempfile.mkdtemp())
    >>> store.load().runs
    []
"""

from __future__ import annotations

import json
import math
import os
import re
import socket
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

from toolkit._io import atomic_write_text
from toolkit.errors import ToolkitError, UsageError

FORMAT = 2  # 2: metrics.jsonl holds one line per metric and flush (see format_points)
META_FILE = "run.json"
METRICS_FILE = "metrics.jsonl"
EVALS_DIR = "evals"
LOCK_FILE = "writer.lock"
ENV_RUNS_DIR = "TOOLKIT_RUNS_DIR"
# Non-finite numbers are not JSON: they are stored as these strings, so every line parses.
NONFINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


class RunLockedError(ToolkitError):
    """Another live process is writing this run; a second writer is refused."""


class RunNotFoundError(UsageError):
    """No run matches the id or name the user gave."""


def default_root(start: str | os.PathLike[str] | None = None) -> Path:
    """``$TOOLKIT_RUNS_DIR``, else ``runs/`` in the project holding the current folder (the
    nearest parent with ``.git`` or ``pyproject.toml``), else ``./runs``.

    Example:
        >>> os.environ[ENV_RUNS_DIR] = "/tmp/elsewhere"
        >>> str(default_root())
        '/tmp/elsewhere'
        >>> del os.environ[ENV_RUNS_DIR]
    """
    env = os.environ.get(ENV_RUNS_DIR)
    if env:
        return Path(env)
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists() or (folder / "pyproject.toml").is_file():
            return folder / "runs"
    return here / "runs"


def encode_number(value: float) -> str:
    """A metric value as JSON text; NaN/inf become the strings ``"nan"``/``"inf"``/``"-inf"``.

    Example:
        >>> encode_number(0.5), encode_number(float("nan")), encode_number(float("-inf"))
        ('0.5', '"nan"', '"-inf"')
    """
    if math.isfinite(value):
        return repr(value)
    return '"nan"' if math.isnan(value) else ('"inf"' if value > 0 else '"-inf"')


def decode_number(value: Any) -> float:
    """The inverse of :func:`encode_number` (a JSON number or one of the non-finite strings)."""
    if isinstance(value, str):
        return NONFINITE[value]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"not a number: {value!r}")
    return float(value)


def slug(name: str) -> str:
    """A run name as a file-name-safe piece of its id (letters, CJK, digits, ``-_.`` kept).

    Example:
        >>> slug("lr=0.1 基线/v2")
        'lr-0.1-基线-v2'
    """
    cleaned = re.sub(r"[^\w.-]+", "-", name, flags=re.UNICODE).strip("-.")
    return cleaned[:40] or "run"


@dataclass(slots=True)
class Point:
    """One logged metric value."""

    metric: str
    value: float
    step: int
    time: float


@dataclass
class RunRecord:
    """One run as read from disk: its metadata, derived status and read problems."""

    id: str
    path: Path
    meta: dict[str, Any]
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The name given to ``start()``."""
        return str(self.meta.get("name", ""))

    @property
    def params(self) -> dict[str, Any]:
        """The run's parameters as logged."""
        params = self.meta.get("params")
        return params if isinstance(params, dict) else {}

    @property
    def started(self) -> float:
        """Start time (seconds since the epoch)."""
        value = self.meta.get("started")
        return float(value) if isinstance(value, (int, float)) else 0.0

    @property
    def status(self) -> str:
        """``finished``, ``failed`` or ``running``; a run whose writer died is ``failed``."""
        status = str(self.meta.get("status", "running"))
        if status == "running" and writer_is_dead(self.meta.get("host"), self.meta.get("pid")):
            return "failed"
        return status

    @property
    def error(self) -> str | None:
        """Why the run failed, when it did."""
        if self.meta.get("status", "running") == "running" and self.status == "failed":
            return (
                f"process {self.meta.get('pid')} on {self.meta.get('host')} ended without "
                "finishing the run (killed or crashed)"
            )
        error = self.meta.get("error")
        return str(error) if error else None

    def points(self) -> list[Point]:
        """Every logged point, in logging order (unreadable lines are reported in problems)."""
        return list(read_points(self.path / METRICS_FILE, self.problems))

    def summary(self) -> dict[str, dict[str, Any]]:
        """Per metric: last value and step, min, max, count, non-finite count."""
        stored = self.meta.get("summary")
        if isinstance(stored, dict) and self.meta.get("status") in {"finished", "failed"}:
            try:
                size = (self.path / METRICS_FILE).stat().st_size
            except OSError:
                size = 0
            if size == self.meta.get("metrics_bytes"):  # nothing appended since it was stored
                return stored
        return summarize(self.points())


def new_tally() -> list[Any]:
    """A metric's running summary: count, non-finite count, min, max, last value, last step."""
    return [0, 0, math.inf, -math.inf, math.nan, -1]


Row = tuple[str, float, int, float]  # (metric, value, step, time) as Run.log buffers them
_ENCODE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


def _json_values(values: tuple[float, ...]) -> list[Any] | tuple[float, ...]:
    """Values as JSON can hold them: NaN/inf as their strings (see :data:`NONFINITE`)."""
    if all(map(math.isfinite, values)):  # C-speed check; the usual case
        return values
    return [v if math.isfinite(v) else json.loads(encode_number(v)) for v in values]


def batches(
    rows: list[Row],
) -> Iterator[tuple[str, tuple[float, ...], tuple[int, ...], tuple[float, ...]]]:
    """``rows`` grouped by metric (logging order kept within each): ``(metric, values, steps,
    times)``. Sorting and transposing run in C: this is the hot path of logging many points.

    Example:
        >>> list(batches([("loss", 0.5, 0, 1.0), ("acc", 0.7, 0, 1.0), ("loss", 0.4, 1, 2.0)]))
        [('acc', (0.7,), (0,), (1.0,)), ('loss', (0.5, 0.4), (0, 1), (1.0, 2.0))]
    """
    for metric, group in groupby(sorted(rows, key=itemgetter(0)), key=itemgetter(0)):
        _, values, steps, times = zip(*group, strict=True)
        yield metric, values, steps, times


def format_points(rows: list[Row]) -> str:
    """``metrics.jsonl`` text for ``(metric, value, step, time)`` rows: one JSON line per metric,
    ``{"m": name, "s": [steps], "v": [values], "ms": [times in milliseconds]}``. Whole numbers
    for the times, because formatting floats is most of the cost of logging (the values keep
    every digit). Format 1 wrote a line per point, ``{"m": name, "v": value, "s": step, "t":
    seconds}``; :func:`read_points` reads both.

    Example:
        >>> format_points([("loss", 0.5, 0, 1.0), ("loss", float("nan"), 1, 2.5)])
        '{"m":"loss","s":[0,1],"v":[0.5,"nan"],"ms":[1000,2500]}\\n'
    """
    return "".join(format_batch(*batch) for batch in batches(rows))


def format_batch(
    metric: str, values: tuple[float, ...], steps: tuple[int, ...], times: tuple[float, ...]
) -> str:
    """One line of ``metrics.jsonl`` (see :func:`format_points`), newline included."""
    stamps = [int(t * 1000) for t in times]
    return _ENCODE({"m": metric, "s": steps, "v": _json_values(values), "ms": stamps}) + "\n"


def tally_batch(tally: list[Any], values: tuple[float, ...], last_step: int) -> None:
    """Count one metric's ``values`` (in logging order) into its tally (see :func:`new_tally`)."""
    if all(map(math.isfinite, values)):
        finite: tuple[float, ...] | list[float] = values
    else:
        finite = [v for v in values if math.isfinite(v)]
    tally[0] += len(values)
    tally[1] += len(values) - len(finite)
    if finite:
        tally[2] = min(tally[2], min(finite))
        tally[3] = max(tally[3], max(finite))
    tally[4] = values[-1]
    tally[5] = last_step


def tally_points(tallies: dict[str, list[Any]], rows: list[Row]) -> None:
    """Count ``(metric, value, step, time)`` rows into per-metric tallies, in bulk."""
    for metric, values, steps, _ in batches(rows):
        tally_batch(tallies.setdefault(metric, new_tally()), values, steps[-1])


def tally_summary(tally: list[Any]) -> dict[str, Any]:
    """A tally as its JSON summary entry (non-finite values as strings, no min/max if none)."""
    count, nonfinite, low, high, last, step = tally
    finite = count > nonfinite
    return {
        "last": last if math.isfinite(last) else json.loads(encode_number(last)),
        "step": step,
        "min": low if finite else None,
        "max": high if finite else None,
        "count": count,
        "nonfinite": nonfinite,
    }


def summarize(points: Iterable[Point]) -> dict[str, dict[str, Any]]:
    """Per-metric summary of ``points`` (what ``run.json`` stores when a run ends).

    Example:
        >>> summarize([Point("loss", 1.0, 0, 0.0), Point("loss", float("nan"), 1, 0.0)])["loss"]
        {'last': 'nan', 'step': 1, 'min': 1.0, 'max': 1.0, 'count': 2, 'nonfinite': 1}
    """
    tallies: dict[str, list[Any]] = {}
    tally_points(tallies, [(p.metric, p.value, p.step, p.time) for p in points])
    return {metric: tally_summary(tally) for metric, tally in tallies.items()}


def _row_points(row: Any) -> list[Point]:
    """The points of one parsed line (a batch of format 2, or one point of format 1)."""
    metric = row["m"]
    if not isinstance(metric, str):
        raise TypeError("metric name is not text")
    steps, values = row["s"], row["v"]
    if type(steps) is list:  # format 2: a batch, times in milliseconds
        times = [ms / 1000 for ms in row["ms"]]
    else:  # format 1: one point
        steps, values, times = [steps], [values], [row["t"]]
    if not len(steps) == len(values) == len(times):
        raise ValueError("steps, values and times differ in length")
    if not all(type(s) is int for s in steps):
        raise TypeError("a step is not an integer")
    if not all(type(v) is float for v in values):  # ints, or the strings of NaN/inf
        values = [decode_number(v) for v in values]
    return [Point(metric, v, s, float(t)) for s, v, t in zip(steps, values, times, strict=True)]


def read_points(path: Path, problems: list[str]) -> Iterator[Point]:
    """Points of one ``metrics.jsonl``; a damaged line is skipped and named in ``problems``."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return
    try:  # fast path: the whole file as one JSON array (10x faster than line by line)
        rows = json.loads(b"[" + data.rstrip(b"\n").replace(b"\n", b",") + b"]") if data else []
        points = [point for row in rows for point in _row_points(row)]
    except (ValueError, KeyError, TypeError):
        pass
    else:
        yield from points
        return
    bad: list[int] = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            parsed = _row_points(json.loads(line))
        except (ValueError, KeyError, TypeError):
            bad.append(number)
            continue
        yield from parsed
    if bad:
        where = ", ".join(map(str, bad[:5])) + (" …" if len(bad) > 5 else "")
        problems.append(f"{METRICS_FILE}: {len(bad)} unreadable line(s) skipped (line {where})")


def writer_is_dead(host: Any, pid: Any) -> bool:
    """True when ``pid`` on ``host`` is this machine's and no longer runs. A run written on
    another machine cannot be checked from here, so it is not declared dead."""
    if host != socket.gethostname() or not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, owned by someone else
        return False
    return _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    # A killed child not yet reaped by its parent still answers kill(0); /proc says it is dead.
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except (OSError, IndexError):
        return False


def acquire_writer_lock(run_dir: Path) -> None:
    """Take ``writer.lock`` for this process, or raise :class:`RunLockedError` naming the
    holder. A lock left by a dead process on this machine is taken over."""
    lock = run_dir / LOCK_FILE
    me = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "time": time.time()})
    for _ in range(3):
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            try:
                holder = json.loads(lock.read_text(encoding="utf-8") or "{}")
            except (OSError, ValueError):
                holder = {}
            if writer_is_dead(holder.get("host"), holder.get("pid")):
                lock.unlink(missing_ok=True)  # stale: its writer is gone
                continue
            raise RunLockedError(
                f"run {run_dir.name}: already being written by process {holder.get('pid', '?')} "
                f"on {holder.get('host', '?')}; one writer per run (start a new run instead)"
            ) from None
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(me)
        return
    raise RunLockedError(f"run {run_dir.name}: could not take {LOCK_FILE}")


def release_writer_lock(run_dir: Path) -> None:
    """Drop this process's ``writer.lock`` (only its own)."""
    lock = run_dir / LOCK_FILE
    try:
        holder = json.loads(lock.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if holder.get("pid") == os.getpid() and holder.get("host") == socket.gethostname():
        lock.unlink(missing_ok=True)


def write_meta(run_dir: Path, meta: dict[str, Any]) -> None:
    """Replace ``run.json`` atomically (strict JSON: no NaN)."""
    text = json.dumps(meta, indent=2, ensure_ascii=False, allow_nan=False, sort_keys=False)
    atomic_write_text(run_dir / META_FILE, text + "\n")


@dataclass
class StoreContents:
    """The readable runs (oldest first) and the folders that could not be read."""

    runs: list[RunRecord]
    damaged: dict[str, str]


class RunStore:
    """The ``runs/`` folder of a project: create run folders, read and find runs."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root) if root is not None else default_root()

    def create_run_dir(self, name: str, started: float) -> Path:
        """A new, empty, exclusively created run folder; its name is the run id."""
        if self.root.exists() and not self.root.is_dir():
            raise UsageError(f"{self.root}: exists and is not a folder; cannot store runs there")
        self.root.mkdir(parents=True, exist_ok=True)
        ignore = self.root / ".gitignore"
        if not ignore.exists():
            atomic_write_text(ignore, "# toolkit runs: local experiment records, not source\n*\n")
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(started))
        for _ in range(100):
            run_id = f"{stamp}-{slug(name)}-{os.urandom(3).hex()}"
            try:
                (self.root / run_id).mkdir()
            except FileExistsError:
                continue
            return self.root / run_id
        raise ToolkitError(f"{self.root}: no free run id")  # pragma: no cover - 2^24 clashes

    def read(self, run_dir: Path) -> RunRecord:
        """One run folder; raises ``ValueError`` with the reason when it cannot be read."""
        meta_path = run_dir / META_FILE
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ValueError(f"no {META_FILE}") from None
        except UnicodeDecodeError:
            raise ValueError(f"{META_FILE} is not UTF-8 text") from None
        except json.JSONDecodeError as exc:
            raise ValueError(
                f"{META_FILE} is not valid JSON ({exc.msg} at line {exc.lineno})"
            ) from None
        if not isinstance(meta, dict) or not isinstance(meta.get("params", {}), dict):
            raise ValueError(f"{META_FILE} does not hold a run record")
        return RunRecord(run_dir.name, run_dir, meta)

    def load(self) -> StoreContents:
        """Every run in the store; a damaged folder is reported by id, the others still load."""
        runs: list[RunRecord] = []
        damaged: dict[str, str] = {}
        if not self.root.is_dir():
            return StoreContents(runs, damaged)
        for entry in sorted(os.scandir(self.root), key=lambda e: e.name):
            if not entry.is_dir() or entry.name.startswith("."):
                continue
            try:
                runs.append(self.read(Path(entry.path)))
            except (ValueError, OSError) as exc:
                damaged[entry.name] = str(exc)
        runs.sort(key=lambda r: (r.started, r.id))
        return StoreContents(runs, damaged)

    def find(self, key: str, runs: list[RunRecord] | None = None) -> RunRecord:
        """A run by id, unique id prefix, or name (the latest run of that name)."""
        runs = self.load().runs if runs is None else runs
        exact = [r for r in runs if r.id == key]
        if exact:
            return exact[0]
        prefixed = [r for r in runs if r.id.startswith(key)]
        if len(prefixed) == 1:
            return prefixed[0]
        named = [r for r in runs if r.name == key]
        if named:
            return named[-1]
        if len(prefixed) > 1:
            ids = ", ".join(r.id for r in prefixed[:5])
            raise UsageError(f"run {key!r}: ambiguous, matches {len(prefixed)} runs ({ids})")
        raise RunNotFoundError(
            f"run {key!r}: no run with that id or name in {self.root} (see `toolkit runs list`)"
        )
