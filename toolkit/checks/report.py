"""The data health report: every applicable check in one call, as text, JSON and HTML.

This module runs the checks and holds their results (:class:`HealthReport`); the page is built
by :mod:`toolkit.checks.report_html` (Jinja2) with figures from
:mod:`toolkit.checks.report_figures`.

Example:
    >>> from sklearn.datasets import load_wine
    >>> df = load_wine(as_frame=True).frame
    >>> report = health_report(df.iloc[::2], df.iloc[1::2], target="target")
    >>> report.has_high
    False
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from toolkit.checks._frames import (
    Table,
    category_codes,
    feature_columns,
    is_classification,
    labels,
    missing_mask,
    model_matrix,
    sample_rows,
    to_table,
)
from toolkit.checks.result import CheckResult, Finding, by_severity, severity_counts
from toolkit.columns import FrameProfile
from toolkit.errors import UsageError

_LABEL_SAMPLE = 10_000  # label issues cross-validate a model: a fixed-seed sample keeps it fast

STEPS = (
    "data quality",
    "leakage",
    "drift",
    "new labels",
    "adversarial validation",
    "label issues",
)


@dataclass
class HealthReport:
    """The results of :func:`health_report`: one :class:`CheckResult` per check."""

    results: list[CheckResult]
    meta: dict[str, Any]
    train: Table
    test: Table | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def findings(self) -> list[Finding]:
        """Every finding of every check, high severity first."""
        return by_severity([f for r in self.results for f in r.findings])

    @property
    def has_high(self) -> bool:
        """True when any check found a high-severity problem."""
        return any(r.has_high for r in self.results)

    def counts(self) -> dict[str, int]:
        """Number of findings per severity over all checks."""
        return severity_counts(self.findings)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form: meta, counts, timings, every check's result, and the train
        columns' profile (kind, missing, distinct ... as ``toolkit.columns`` decided)."""
        return {
            "meta": self.meta,
            "counts": self.counts(),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "checks": [r.to_dict() for r in self.results],
            "columns": self.train.profile.to_dict()["columns"],
        }

    def __str__(self) -> str:
        c = self.counts()
        m = self.meta
        lines = [
            f"data health: train {m['train_rows']:,} rows x {m['columns']} columns"
            + (f", test {m['test_rows']:,} rows" if m.get("test_rows") else "")
            + f", target '{m['target']}'",
            f"{c['high']} high, {c['medium']} medium, {c['low']} low",
        ]
        lines += [f"  {f}" for f in self.findings]
        if not self.findings:
            lines.append("  no problems found")
        return "\n".join(lines)

    def to_html(self, path: str | Path | None = None) -> str:
        """Self-contained HTML (figures embedded as PNG); written atomically when ``path`` given."""
        from toolkit.checks.report_html import render_page

        page = render_page(self)
        if path is not None:
            from toolkit._io import atomic_write_text

            atomic_write_text(Path(path), page)
        return page


def health_report(
    train: Any,
    test: Any = None,
    *,
    target: str,
    group: str | None = None,
    time: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> HealthReport:
    """Run every applicable check on ``train`` (and ``test``) and return a :class:`HealthReport`.

    Checks: data quality (empty/constant columns, infinities, missing target, class balance),
    leakage, drift and adversarial validation (with ``test``), and label issues (classification).
    ``progress`` is called with each step's name before it runs.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"x": range(100), "y": [0, 1] * 50})
        >>> print(str(health_report(df, target="y")).splitlines()[0])
        data health: train 100 rows x 2 columns, target 'y'
    """
    from toolkit.checks.engine import as_lazy, engine_report

    if as_lazy(train) is not None or (test is not None and as_lazy(test) is not None):
        return engine_report(  # type: ignore[no-any-return]
            train, test, target=target, group=group, time=time, progress=progress
        )
    tick = progress or (lambda step: None)
    tr = to_table(train, "train")
    te = to_table(test, "test") if test is not None else None
    check_roles(list(tr.columns), None if te is None else list(te.columns), target, group, time)
    timings: dict[str, float] = {}
    results: list[CheckResult] = []

    def run(step: str, fn: Callable[[], CheckResult]) -> None:
        tick(step)
        start = _time.perf_counter()
        results.append(fn())
        timings[step] = _time.perf_counter() - start

    from toolkit.checks.train_test_drift import adversarial_validation, drift, new_labels
    from toolkit.checks.train_test_leakage import leakage

    run("data quality", lambda: data_quality(tr, te, target))
    run("leakage", lambda: leakage(tr, te, target=target, group=group, time=time))
    features = feature_columns(tr, exclude=(target, group, time))
    classes = is_classification(tr, target)
    if te is not None:
        drift_cols = [*features, target] if target in te.columns else features
        drifted = target if classes else None  # unseen classes: new_labels says it, as high
        run("drift", lambda: drift(tr, te, columns=drift_cols, target=drifted))
        if target in te.columns and classes:
            run("new labels", lambda: new_labels(tr, te, target=target))
        run("adversarial validation", lambda: adversarial_validation(tr, te, columns=features))
    if classes and features:
        run("label issues", lambda: label_step(tr, target, features))
    meta = {
        "train_rows": tr.n_rows,
        "test_rows": te.n_rows if te is not None else None,
        "columns": len(tr.columns),
        "target": target,
        "group": group,
        "time": time,
    }
    return HealthReport(results, meta, tr, te, timings)


def check_roles(
    train: list[str],
    test: list[str] | None,
    target: str,
    group: str | None,
    time: str | None,
) -> None:
    """A :class:`UsageError` when a role column is missing or the splits' columns differ
    (the target may be missing from test only when nothing else differs)."""
    for argument, column in (("target", target), ("group", group), ("time", time)):
        if column is not None and column not in train:
            raise UsageError(
                f"{argument}={column!r}: no such column in train (columns: {', '.join(train[:12])})"
            )
    if test is None:
        return
    missing = [c for c in train if c not in test and c != target]
    extra = [c for c in test if c not in train]
    if missing or extra:
        raise UsageError(
            "test: columns differ from train"
            + (f"; missing {', '.join(missing[:5])}" if missing else "")
            + (f"; extra {', '.join(extra[:5])}" if extra else "")
        )
    if target not in test:
        raise UsageError(f"target={target!r}: no such column in test")


def data_quality(tr: Table, te: Table | None, target: str) -> CheckResult:
    """Empty and constant columns, infinities, missing target values and class balance."""
    y = tr.columns[target]
    n_missing = int(missing_mask(y).sum())
    classes = is_classification(tr, target) and n_missing < tr.n_rows
    test_counts = None
    if te is not None and is_classification(tr, target) and target in te.columns:
        test_counts = _value_counts(te, target)
    return quality_findings(
        QualityStats(
            profile=tr.profile,
            target=target,
            infinite={t.name: t.infinite for t in (tr, te) if t is not None},
            target_missing=n_missing,
            train_rows=tr.n_rows,
            class_counts=_value_counts(tr, target) if classes else None,
            test_class_counts=test_counts,
        )
    )


@dataclass(frozen=True)
class QualityStats:
    """What the data-quality finish needs, from either path: the train profile, infinite
    values per frame and column, missing targets, and class counts (sorted labels, counts)."""

    profile: FrameProfile
    target: str
    infinite: dict[str, dict[str, int]]
    target_missing: int
    train_rows: int
    class_counts: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]] | None
    test_class_counts: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]] | None


def quality_findings(stats: QualityStats) -> CheckResult:
    """The finish of the data-quality check, shared by the in-memory and the engine path."""
    findings: list[Finding] = []
    target = stats.target
    for frame, infinite in stats.infinite.items():
        for col, n in infinite.items():
            findings.append(
                Finding(
                    "high",
                    "infinite",
                    [col],
                    f"'{col}' has {n} infinite values in {frame}; replace or drop them",
                    {"count": n, "frame": frame},
                )
            )
    for col in stats.profile.of_kind("empty"):
        findings.append(
            Finding("medium", "empty_column", [col], f"'{col}' is empty (all missing)", {})
        )
    for col in stats.profile.of_kind("constant", exclude=[target]):
        findings.append(Finding("low", "constant_column", [col], f"'{col}' has a single value", {}))
    n_missing = stats.target_missing
    if n_missing:
        findings.append(
            Finding(
                "high" if n_missing == stats.train_rows else "medium",
                "missing_target",
                [target],
                f"target '{target}' is missing in {n_missing} train rows",
                {"count": n_missing},
            )
        )
    summary: dict[str, Any] = {}
    if stats.class_counts is not None:
        labels, counts = stats.class_counts
        share = counts / counts.sum()
        summary["class_counts"] = dict(zip(labels.tolist(), counts.tolist(), strict=True))
        if len(labels) < 2:
            findings.append(
                Finding("high", "class_balance", [target], f"'{target}' has a single class", {})
            )
        elif share.min() < 0.05:
            rare = labels[share.argmin()]
            findings.append(
                Finding(
                    "medium" if share.min() < 0.01 else "low",
                    "class_balance",
                    [target],
                    f"class '{rare}' is {share.min():.1%} of train; use class weights and a"
                    " metric that sees it (balanced accuracy, PR AUC)",
                    {"share": dict(zip(labels.tolist(), share.tolist(), strict=True))},
                )
            )
    if stats.test_class_counts is not None:
        findings += _test_size(*stats.test_class_counts, target)
    return CheckResult("data_quality", findings, summary)


def _test_size(
    labels: np.ndarray[Any, Any], counts: np.ndarray[Any, Any], target: str
) -> list[Finding]:
    """How precisely the test set can measure a model: the 95% interval of an accuracy
    (normal approximation) and of each class's recall, which rests on that class's test rows.
    """
    n = int(counts.sum())
    if n == 0:
        return []
    findings = []
    at90, at50 = (100 * 1.96 * np.sqrt(p * (1 - p) / n) for p in (0.9, 0.5))
    if at90 > 2:
        findings.append(
            Finding(
                "medium" if at90 > 5 else "low",
                "test_size",
                [target],
                f"test has {n:,} rows: an accuracy near 90% is known only to ±{at90:.1f} points "
                f"(95% interval; ±{at50:.1f} near 50%); smaller differences between models are "
                "noise, so compare them with paired_bootstrap",
                {"rows": n, "accuracy_ci_points_at_90": at90, "accuracy_ci_points_at_50": at50},
            )
        )
    few = [(str(label), int(c)) for label, c in zip(labels, counts, strict=True) if c < 30]
    if few:
        shown = ", ".join(f"'{label}' ({c} rows)" for label, c in few[:5])
        findings.append(
            Finding(
                "medium",
                "test_size",
                [target],
                f"classes with fewer than 30 test rows: {shown}; their recall and precision "
                "move by several points per row",
                {"classes": dict(few)},
            )
        )
    return findings


def _value_counts(table: Table, column: str) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Distinct non-missing values of ``column`` as strings (sorted) and their counts."""
    idx, labels = category_codes(table, column)
    counts = np.bincount(idx[idx >= 0], minlength=len(labels))
    names = np.asarray([str(v) for v in labels], dtype=str)
    present = counts > 0
    names, counts = names[present], counts[present]
    order = np.argsort(names, kind="stable")
    return names[order], counts[order]


def label_step(tr: Table, target: str, features: list[str]) -> CheckResult:
    """Label issues on a fixed-seed sample of at most 10,000 train rows (of ``tr``, itself a
    sample on the engine path), with smaller trees stopped early."""
    from toolkit.checks.labels import label_issues, out_of_fold_proba

    y_all = tr.columns[target]
    rows = sample_rows(tr.n_rows, _LABEL_SAMPLE, seed=2)
    rows = rows[~missing_mask(y_all[rows])]
    y = y_all[rows] if tr.kinds[target] == "numeric" else labels(tr, target, rows)
    _, y_codes, counts = np.unique(y, return_inverse=True, return_counts=True)
    if len(counts) < 2 or counts.min() < 3:
        return CheckResult("label_issues", [], {"skipped": "a class has fewer than 3 rows"})
    # Smaller trees than label_issues' default, stopped early on a validation split: measured
    # on the 1M-row benchmark table with 5 % planted flips, the same recall and precision as the
    # default model on 20k rows, in half the time. Early stopping needs a few thousand rows to
    # hold out. Columns follow the sorted labels, as label_issues expects.
    X = model_matrix(tr, features, rows)
    stop = True if len(rows) >= 5_000 else "auto"
    proba = out_of_fold_proba(X, y_codes, cv=3, max_leaf_nodes=15, early_stopping=stop)
    # Rows are named by their position in the whole frame, not in the sample.
    result = label_issues(None, y, pred_proba=proba, index=rows, sample_of=tr.total_rows)
    result.summary["sampled_rows"] = len(rows)
    result.summary["rows_flagged"] = result.index[:100]
    return result
