"""The test-set guard: how many variants were tried on each test set, and what that explains.

``run.evaluate("test", y_true, y_pred, metric=...)`` logs the score and keeps the labels and
predictions (``evals/*.npz`` in the run folder). ``audit(runs)`` then reports, per test set and
metric:

* how many variants were evaluated on it, the first baseline and the best score;
* **selection**: how much of the best's lead over the baseline picking the best of that many
  variants on a test set of that size gives by chance. This is White's *reality check*
  (White 2000, "A reality check for data snooping"): the test rows are resampled (the same
  resamples for every variant, :func:`toolkit.checks.reliability.bootstrap_scores`), each
  variant's lead over the baseline is centred on its observed lead (so no variant is truly
  better), and the maximum over the variants is taken on every resample. Its 95% quantile is the
  lead that selection alone produces; the p-value is the share of resamples whose maximum
  reaches the observed lead. The naive paired bootstrap of best against baseline
  (:func:`toolkit.checks.reliability.paired_bootstrap`) is shown beside it;
* **jumps**: a step from one evaluation to the next far beyond the run-to-run spread -- more
  than ``JUMP_FACTOR`` times the robust spread of the other steps (never taken below the
  test-set noise of that step), or more than ``GAP_FACTOR`` times it while removing at least
  half of the remaining errors of a [0, 1] metric at once. "90% -> 99%" is more often a bug or
  label leakage than a better model.

Example:
    >>> import tempfile, numpy as np
    >>> from toolkit.runs.recording import start
    >>> from toolkit.runs.store import RunStore
    >>> root, y = tempfile.mkdtemp(), np.array([0, 1] * 100)
    >>> for name, wrong in [("baseline", 40), ("tuned", 38)]:
    ...     with start(name, root=root, git=False) as run:
    ...         _ = run.evaluate("test", y, np.where(np.arange(200) < wrong, 1 - y, y))
    >>> report = audit(RunStore(root).load().runs)
    >>> report.sets[0].n_variants, report.flagged
    (2, True)
"""

from __future__ import annotations

import hashlib
import importlib
import io
import itertools
import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit._io import atomic_write_bytes
from toolkit._metrics import lower_is_better
from toolkit.errors import UsageError
from toolkit.runs.comparison import labels as run_labels
from toolkit.runs.store import EVALS_DIR, RunRecord, slug

JUMP_FACTOR = 5.0  # a step this many spreads above the usual step is flagged
GAP_CLOSED = 0.5  # ... and so is one that removes half the remaining errors at once
GAP_FACTOR = 3.0  # ... when it is also this many spreads above the usual step
ALPHA = 0.05


def _metric_ref(metric: Any) -> tuple[str, str]:
    """(display name, how to find the metric again): an sklearn name or ``module:qualname``."""
    from toolkit.checks.reliability import resolve_metric

    name, fn = resolve_metric(metric)
    if isinstance(metric, str):
        return name, metric
    return name, f"{fn.__module__}:{fn.__qualname__}"


def _load_metric(ref: str) -> Any:
    if ":" not in ref:
        return ref
    module, _, qualname = ref.partition(":")
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    return target


def record_evaluation(
    run_dir: Path,
    test_set: str,
    y_true: Any,
    y_pred: Any,
    metric: Any,
    greater_is_better: bool | None,
) -> dict[str, Any]:
    """Score one evaluation, store its labels and predictions, return its ``run.json`` entry."""
    import numpy as np

    from toolkit.checks.reliability import resolve_metric

    if not isinstance(test_set, str) or not test_set.strip():
        raise UsageError(f"test_set: expected a name such as 'test', got {test_set!r}")
    yt, yp = np.asarray(y_true), np.asarray(y_pred)
    if yt.ndim == 0 or len(yt) == 0:
        raise UsageError("y_true: empty; need at least one test row")
    if len(yp) != len(yt):
        raise UsageError(f"y_pred: {len(yp)} rows but y_true has {len(yt)}")
    if yt.dtype == object or yp.dtype == object:
        yt, yp = yt.astype(str), yp.astype(str)
    name, ref = _metric_ref(metric)
    _, fn = resolve_metric(metric)
    try:
        score = float(fn(yt, yp))
    except ValueError as exc:
        raise UsageError(f"metric={name!r} on test set {test_set!r}: {exc}") from None
    if not math.isfinite(score):
        raise UsageError(f"metric={name!r} on test set {test_set!r}: score is {score}")
    buffer = io.BytesIO()
    np.savez_compressed(buffer, y_true=yt, y_pred=yp)
    file = f"{EVALS_DIR}/{slug(test_set)}-{os.urandom(4).hex()}.npz"
    atomic_write_bytes(run_dir / file, buffer.getvalue())
    return {
        "test_set": test_set,
        "metric": name,
        "metric_ref": ref,
        "score": score,
        "n": len(yt),
        "greater_is_better": (
            not lower_is_better(name) if greater_is_better is None else bool(greater_is_better)
        ),
        "labels_hash": labels_hash(yt),
        "file": file,
        "time": time.time(),
    }


def labels_hash(y_true: Any) -> str:
    """A hash of the test labels: two evaluations with equal hashes scored the same rows."""
    import numpy as np

    array = np.ascontiguousarray(y_true)
    digest = hashlib.blake2b(f"{array.dtype.str}{array.shape}".encode(), digest_size=12)
    digest.update(array.tobytes())
    return digest.hexdigest()


@dataclass
class Evaluation:
    """One logged evaluation, with the run it belongs to."""

    run: RunRecord
    label: str
    entry: dict[str, Any]

    @property
    def score(self) -> float:
        return float(self.entry["score"])

    def arrays(self) -> tuple[Any, Any]:
        """The stored labels and predictions."""
        import numpy as np

        with np.load(self.run.path / self.entry["file"], allow_pickle=False) as data:
            return data["y_true"], data["y_pred"]


@dataclass
class Jump:
    """A step between consecutive evaluations far beyond the usual run-to-run change."""

    before: str
    after: str
    score_before: float
    score_after: float
    spread: float

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class TestSetAudit:
    """The audit of one (test set, metric)."""

    test_set: str
    metric: str
    n_variants: int
    n_rows: int
    greater_is_better: bool
    baseline: tuple[str, float]
    best: tuple[str, float]
    lead: float
    selection_mean: float | None = None
    selection_q95: float | None = None
    selection_p: float | None = None
    naive_p: float | None = None
    jumps: list[Jump] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "jumps"}
        out["baseline"] = {"run": self.baseline[0], "score": self.baseline[1]}
        out["best"] = {"run": self.best[0], "score": self.best[1]}
        out["jumps"] = [j.to_dict() for j in self.jumps]
        return out

    def lines(self) -> list[str]:
        """The human-readable report of this test set."""
        arrow = "higher" if self.greater_is_better else "lower"
        out = [
            f"test set {self.test_set!r}, {self.metric} ({arrow} is better): "
            f"{self.n_variants} variant(s) evaluated on {self.n_rows:,} rows",
            f"  baseline {self.baseline[1]:.4f} ({self.baseline[0]}); "
            f"best {self.best[1]:.4f} ({self.best[0]}); lead {self.lead:+.4f}",
        ]
        if self.selection_q95 is not None:
            out.append(
                f"  selecting the best of {self.n_variants - 1} variant(s) on {self.n_rows:,} rows "
                f"gives a lead of {self.selection_mean:+.4f} on average and up to "
                f"{self.selection_q95:+.4f} (95%) by chance alone; "
                f"corrected p={self.selection_p:.3f}"
                + (
                    f" (naive paired bootstrap p={self.naive_p:.3f})"
                    if self.naive_p is not None
                    else ""
                )
            )
        out += [f"  ! {flag}" for flag in self.flags]
        out += [f"  note: {note}" for note in self.notes]
        return out


@dataclass
class AuditReport:
    """Per test set audits; ``flagged`` is True when any of them flags something."""

    sets: list[TestSetAudit]

    @property
    def flagged(self) -> bool:
        return any(s.flags for s in self.sets)

    def to_dict(self) -> dict[str, Any]:
        return {"flagged": self.flagged, "test_sets": [s.to_dict() for s in self.sets]}

    def __str__(self) -> str:
        if not self.sets:
            return "no test-set evaluations logged (use run.evaluate(...))"
        return "\n".join(line for s in self.sets for line in [*s.lines(), ""]).rstrip()


def _resamples(n_rows: int) -> int:
    # The resample index matrix is n_resamples x n_rows: stay near 20 million entries.
    return max(200, min(1000, 20_000_000 // max(n_rows, 1)))


def _robust_spread(steps: list[float]) -> float:
    import numpy as np

    return float(1.4826 * np.median(np.abs(steps))) if steps else 0.0


def _audit_group(group: list[Evaluation], leakage_hint: str) -> TestSetAudit:
    import numpy as np

    from toolkit.checks.reliability import bootstrap_scores, paired_bootstrap

    first = group[0].entry
    sign = 1.0 if first.get("greater_is_better", True) else -1.0
    base_index = next((i for i, e in enumerate(group) if "baseline" in e.run.name.lower()), 0)
    scores = [e.score for e in group]
    best_index = int(np.argmax([sign * s for s in scores]))
    base, best = group[base_index], group[best_index]
    result = TestSetAudit(
        test_set=str(first["test_set"]),
        metric=str(first["metric"]),
        n_variants=len(group),
        n_rows=int(first["n"]),
        greater_is_better=sign > 0,
        baseline=(base.label, base.score),
        best=(best.label, best.score),
        lead=sign * (best.score - base.score),
    )
    try:
        arrays = [e.arrays() for e in group]
    except (OSError, ValueError, KeyError) as exc:
        result.notes.append(f"stored predictions unreadable ({exc}); selection not analysed")
        return result
    y_true = arrays[0][0]
    metric = _load_metric(str(first.get("metric_ref", first["metric"])))
    boot = bootstrap_scores(
        y_true, [a[1] for a in arrays], metric, n_resamples=_resamples(len(y_true))
    )
    observed = np.array(scores)
    if len(group) > 1:
        # Reality check: leads centred on their observed values, the max over all variants.
        others = [i for i in range(len(group)) if i != base_index]
        centred = (
            sign * (boot[others] - boot[base_index])
            - sign * (observed[others] - observed[base_index])[:, None]
        )
        maxima = np.nanmax(centred, axis=0)
        maxima = maxima[np.isfinite(maxima)]
        if len(maxima):
            result.selection_mean = float(maxima.mean())
            result.selection_q95 = float(np.quantile(maxima, 0.95))
            result.selection_p = float((np.sum(maxima >= result.lead) + 1) / (len(maxima) + 1))
        if best_index != base_index:
            naive = paired_bootstrap(
                y_true,
                arrays[base_index][1],
                arrays[best_index][1],
                metric,
                greater_is_better=sign > 0,
                n_resamples=_resamples(len(y_true)),
            )
            result.naive_p = naive.p_value
        if result.lead > 0 and result.selection_p is not None and result.selection_p > ALPHA:
            result.flags.append(
                f"the best's lead {result.lead:+.4f} over the baseline is within what picking the "
                f"best of {len(group) - 1} variant(s) on {result.n_rows:,} rows gives by chance "
                f"(p={result.selection_p:.2f}): it is not evidence of a better model -- "
                "confirm on data no variant was chosen on"
            )
    result.jumps = _jumps(group, boot, sign)
    for jump in result.jumps:
        result.flags.append(
            f"jump {jump.score_before:.4f} -> {jump.score_after:.4f} from {jump.before} to "
            f"{jump.after}: {abs(jump.score_after - jump.score_before) / jump.spread:.0f}x the "
            f"run-to-run spread ({jump.spread:.4f}); more often a bug or label leakage than a "
            f"better model -- {leakage_hint}"
        )
    return result


def _jumps(group: list[Evaluation], boot: Any, sign: float) -> list[Jump]:
    import numpy as np

    scores = [e.score for e in group]
    steps = [sign * (b - a) for a, b in itertools.pairwise(scores)]
    bounded = all(0 <= s <= 1 for s in scores)
    ideal = (1.0 if sign > 0 else 0.0) if bounded else None
    out = []
    for k, step in enumerate(steps):
        if step <= 0:
            continue
        noise = float(np.nanstd(boot[k + 1] - boot[k]))
        others = steps[:k] + steps[k + 1 :]
        history = len(others) >= 2
        spread = max(_robust_spread(others) if history else 0.0, noise, 1e-12)
        gap = abs(ideal - scores[k]) if ideal is not None else 0.0
        closes_gap = bool(gap) and step >= GAP_CLOSED * gap
        far = step > JUMP_FACTOR * spread and history
        if not (far or (closes_gap and step > GAP_FACTOR * spread)):
            continue
        out.append(Jump(group[k].label, group[k + 1].label, scores[k], scores[k + 1], spread))
    return out


def _leakage_hint(runs: list[RunRecord]) -> str:
    paths: list[str] = []
    for run in runs:
        paths.extend(p for p in (run.meta.get("data") or {}) if p not in paths)
    if len(paths) >= 2:
        return f"check for leakage: toolkit check data {paths[0]} --test {paths[1]}"
    return "check for leakage: toolkit check data TRAIN --test TEST"


def audit(runs: list[RunRecord], *, test_set: str | None = None) -> AuditReport:
    """Audit every test set evaluated in ``runs`` (or only ``test_set``)."""
    names = run_labels(runs)
    evaluations = [
        Evaluation(run, label, entry)
        for run, label in zip(runs, names, strict=True)
        for entry in run.meta.get("evaluations") or []
        if isinstance(entry, dict) and "score" in entry
    ]
    evaluations.sort(key=lambda e: float(e.entry.get("time", e.run.started)))
    if test_set is not None and not any(e.entry["test_set"] == test_set for e in evaluations):
        raise UsageError(f"--test-set {test_set!r}: no evaluation on it was logged")
    groups: dict[tuple[str, str], list[Evaluation]] = {}
    for e in evaluations:
        if test_set is None or e.entry["test_set"] == test_set:
            groups.setdefault((e.entry["test_set"], e.entry["metric"]), []).append(e)
    hint = _leakage_hint(runs)
    sets = []
    for group in groups.values():
        latest = group[-1].entry.get("labels_hash")
        same = [e for e in group if e.entry.get("labels_hash") == latest]
        result = _audit_group(same, hint)
        if len(same) < len(group):
            result.flags.append(
                f"the labels of test set {result.test_set!r} changed: {len(group) - len(same)} "
                "earlier evaluation(s) scored other rows and are left out; scores on different "
                "rows are not comparable"
            )
        sets.append(result)
    return AuditReport(sets)
