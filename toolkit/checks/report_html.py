"""The health report as a page: what a person reads, built from the results and rendered by Jinja2.

Nothing here runs a check: it turns a :class:`~toolkit.checks.report.HealthReport` into plain
values -- findings with their evidence as small tables, a one-line meaning of each measure, a
per-column profile (the kind ``toolkit.columns`` decided, missing, distinct, top values, a small
histogram, the findings naming the column) and the figures -- and hands them to the template
``toolkit/html_templates/health_report.html.j2`` through :func:`toolkit._html.render`.

Example:
    >>> import pandas as pd
    >>> from toolkit.checks import health_report
    >>> df = pd.DataFrame({"x": [0.5, 1.5] * 50, "y": [0, 1] * 50})
    >>> "<h2>Columns</h2>" in render_page(health_report(df, target="y"), with_figures=False)
    True
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from toolkit.checks._frames import Table, category_codes, labels, missing_mask, sample_rows
from toolkit.checks.result import Finding

if TYPE_CHECKING:
    from toolkit.checks.report import HealthReport

__all__ = ["MEASURES", "render_page"]

# One line per measure a finding quotes: what it is and where the cut-offs sit.
MEASURES = {
    "PSI": "population stability index: how far the share of rows in each of 10 train-quantile "
    "bins moved in test (below 0.1 stable, 0.1-0.25 a moderate shift, above 0.25 a large one)",
    "KS": "Kolmogorov-Smirnov statistic: the largest gap between the train and test cumulative "
    "distributions (0 identical, 1 disjoint); its p-value says whether the gap is chance",
    "JS": "Jensen-Shannon distance between the train and test category shares (0 the same "
    "shares, 1 no category in common; 0.1 moderate, 0.25 large)",
    "chi-square": "chi-square test of the category counts in train vs test; a p-value below "
    "0.01 means the difference is not chance",
    "Gini": "how well an out-of-fold model ranks the given labels, 2 AUC - 1 (0 chance, "
    "1 perfect): below 0.1 the label is not predictable, below 0.5 flags may be hard cases",
    "AUC": "area under the ROC curve: the chance that a random positive row scores above a "
    "random negative one (0.5 chance, 1 perfect)",
    "R^2": "share of the target's variance explained (1 perfectly, 0 no better than the mean)",
    "accuracy": "share of held-out rows whose class is predicted right",
}
# Evidence keys that quote each measure.
_QUOTES = {
    "psi": "PSI",
    "ks": "KS",
    "js": "JS",
    "chi2": "chi-square",
    "skill": "Gini",
    "auc": "AUC",
    "AUC": "AUC",
    "R^2": "R^2",
    "accuracy": "accuracy",
}
_SHOWN_FEATURES = 6  # feature values beside a duplicated or suspect row
_BARS = 20


@dataclass(frozen=True)
class EvidenceTable:
    """A small table of a finding's evidence: what a person reads instead of raw JSON."""

    headers: list[str]
    rows: list[list[str]]
    note: str = ""


@dataclass(frozen=True)
class FindingView:
    """A finding as the page shows it."""

    severity: str
    check: str
    columns: str
    message: str
    evidence: EvidenceTable | None
    measures: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ColumnView:
    """One row of the per-column profile."""

    name: str
    role: str
    kind: str
    reason: str
    dtype: str
    missing: str
    distinct: str
    summary: str
    bars: list[tuple[float, str]]
    findings: list[tuple[str, str]]


def render_page(report: HealthReport, *, with_figures: bool = True) -> str:
    """The whole HTML page of ``report``."""
    from toolkit._html import render
    from toolkit.checks.report_figures import figures

    views = [_finding_view(f, report) for f in report.findings]
    quoted = sorted({m for v in views for m in v.measures}, key=list(MEASURES).index)
    m = report.meta
    return render(
        "health_report.html.j2",
        title=f"Data health: {m['target']}",
        meta=m,
        counts=report.counts(),
        has_high=report.has_high,
        findings=views,
        measures=[(name, MEASURES[name]) for name in quoted],
        columns=[_column_view(report, c) for c in report.train.columns],
        profile_rows=report.train.total_rows,
        figures=figures(report) if with_figures else [],
        checks=[
            (r.name, r.counts(), report.timings.get(step, 0.0))
            for r, step in zip(report.results, report.timings, strict=False)
        ],
        raw_json=json.dumps(report.to_dict(), indent=1, ensure_ascii=False, default=str),
    )


# ------------------------------------------------------------------------------------ findings


def _finding_view(f: Finding, report: HealthReport) -> FindingView:
    measures = [_QUOTES[k] for k in f.evidence if k in _QUOTES]
    return FindingView(
        f.severity,
        f.check,
        ", ".join(f.columns),
        f.message,
        _evidence(f, report),
        list(dict.fromkeys(measures)),
    )


def _evidence(f: Finding, report: HealthReport) -> EvidenceTable | None:
    ev = f.evidence
    if f.check in ("duplicates", "near_duplicates") and "examples" in ev:
        return _example_rows(ev["examples"])
    if f.check in ("duplicates", "near_duplicates") and report.test is not None:
        return _duplicate_rows(ev, report.train, report.test, report.meta["target"])
    if f.check == "label_issues" and "top" in ev:
        return _suspect_labels(ev["top"], report.train, report.meta["target"])
    if f.check == "adversarial_validation" and ev.get("importance"):
        rows = [[c, _fmt(v)] for c, v in ev["importance"].items()]
        return EvidenceTable(["feature", "importance (AUC drop when shuffled)"], rows)
    if f.check == "class_balance" and "share" in ev:
        return EvidenceTable(
            ["class", "share of train"], [[k, f"{v:.2%}"] for k, v in ev["share"].items()]
        )
    if f.check in ("new_categories", "new_labels"):
        shown = ", ".join(repr(c) for c in ev.get("categories", [])[:20])
        return EvidenceTable(["unseen in train", "test rows"], [[shown, f"{ev.get('rows', 0):,}"]])
    if f.check == "shared_groups":
        shown = ", ".join(str(_plain(v)) for v in ev.get("examples", []))
        return EvidenceTable(["shared values (first 10)", "groups"], [[shown, f"{ev['shared']:,}"]])
    if f.check == "time_overlap" and report.meta["time"] is not None:
        return _time_overlap(ev, report.train, report.meta["time"])
    scalars = [[k, _fmt(v)] for k, v in ev.items() if np.isscalar(v) or v is None]
    return EvidenceTable(["measure", "value"], scalars) if scalars else None


def _duplicate_rows(ev: dict[str, Any], tr: Table, te: Table, target: str) -> EvidenceTable:
    features = [c for c in tr.columns if c != target and c in te.columns][:_SHOWN_FEATURES]
    test_rows = [int(r) for r in ev.get("test_rows", [])]
    train_rows = list(ev.get("train_rows", [None] * len(test_rows)))
    values = {c: labels(te, c, np.asarray(test_rows, dtype=np.int64)) for c in features}
    rows = [
        [str(t), "" if r is None else str(r), *(_fmt(values[c][i]) for c in features)]
        for i, (t, r) in enumerate(zip(test_rows, train_rows, strict=False))
    ]
    more = len(tr.columns) - 1 - len(features)
    note = f"first {len(rows)} rows; {more} more column(s) not shown" if more > 0 else ""
    return EvidenceTable(["test row", "same as train row", *features], rows, note)


def _example_rows(examples: list[dict[str, Any]]) -> EvidenceTable:
    """Duplicated test rows as the engine path gives them: their values (a lazy engine has no
    row positions to point at)."""
    headers = list(examples[0]) if examples else []
    rows = [[_fmt(row[c]) for c in headers] for row in examples]
    return EvidenceTable(headers, rows, f"first {len(rows)} duplicated test rows, as found")


def _suspect_labels(top: list[dict[str, Any]], tr: Table, target: str) -> EvidenceTable:
    features = [c for c in tr.columns if c != target][: _SHOWN_FEATURES - 2]
    picked = np.asarray([int(item["row"]) for item in top], dtype=np.int64)
    values = {c: labels(tr, c, picked) for c in features}
    rows = [
        [
            str(item["row"]),
            _fmt(item["label"]),
            _fmt(item["suggested"]),
            f"{item['p_label']:.2f}",
            *(_fmt(values[c][i]) for c in features),
        ]
        for i, item in enumerate(top)
    ]
    headers = ["row", f"given '{target}'", "suggested", "p(given label)", *features]
    where = "train" if tr.population is None else f"the {tr.n_rows:,}-row sample of train"
    return EvidenceTable(headers, rows, f"most suspect first; rows are positions in {where}")


def _time_overlap(ev: dict[str, Any], tr: Table, time: str) -> EvidenceTable:
    end = ev.get("train_max")
    if end is not None and tr.profile[time].kind == "datetime":
        import pandas as pd

        end = str(pd.Timestamp(float(end), unit="s"))
    rows = [
        ["test rows not after train", f"{ev.get('count', 0):,} ({ev.get('rate', 0):.1%})"],
        [f"last train '{time}'", str(end)],
    ]
    return EvidenceTable(["", ""], rows)


# ------------------------------------------------------------------------------------- columns


def _column_view(report: HealthReport, name: str) -> ColumnView:
    tr, meta = report.train, report.meta
    col = tr.profile[name]
    role = next((r for r in ("target", "group", "time") if meta.get(r) == name), "")
    summary, bars = _distribution(tr, name)
    named = [(f.severity, f.check) for f in report.findings if name in f.columns]
    return ColumnView(
        name=name,
        role=role,
        kind=col.kind,
        reason=col.reason,
        dtype=col.dtype,
        missing=f"{col.missing:,} ({col.missing / max(col.rows, 1):.1%})" if col.missing else "0",
        distinct=_distinct(tr, name),
        summary=summary,
        bars=bars,
        findings=named,
    )


def _distinct(tr: Table, name: str) -> str:
    """Distinct values as the profile counted them; for floats with fractions (which the profile
    does not count: a hash pass that decides nothing) counted in the 100,000-row sample."""
    col = tr.profile[name]
    if col.distinct is not None:
        return f"{col.distinct:,}" + (f" ({col.unique_ratio:.0%})" if col.present else "")
    import polars as pl

    rows = sample_rows(tr.n_rows, 100_000)
    counted = pl.Series(tr.columns[name][rows]).fill_nan(None).drop_nulls().n_unique()
    sampled = len(rows) < tr.total_rows
    return f"{counted:,}" + (f" of a {len(rows):,}-row sample" if sampled else "")


def _distribution(tr: Table, name: str) -> tuple[str, list[tuple[float, str]]]:
    """A one-line summary and the bars of a small histogram (heights 0..1, hover labels):
    20 bins of a numeric column's 100,000-row sample, or the shares of the top categories."""
    col = tr.profile[name]
    values = tr.columns[name]
    if col.kind == "empty":
        return "", []
    if tr.kinds[name] == "numeric":
        sample = values[sample_rows(tr.n_rows, 100_000)]
        finite = sample[np.isfinite(sample)]
        if col.kind == "datetime":
            import pandas as pd

            lo, hi = (str(pd.Timestamp(float(v), unit="s")) for v in (finite.min(), finite.max()))
            summary = f"{lo} ... {hi}"
        else:
            q = np.quantile(finite, [0.0, 0.5, 1.0])
            summary = f"min {_fmt(q[0])}, median {_fmt(q[1])}, max {_fmt(q[2])}"
        counts, edges = np.histogram(finite, bins=_BARS)
        peak = max(int(counts.max()), 1)
        bars = [
            (c / peak, f"{_fmt(edges[i])} to {_fmt(edges[i + 1])}: {c:,}")
            for i, c in enumerate(counts)
        ]
        return summary, bars
    codes, names = category_codes(tr, name)
    counts = np.bincount(codes[~missing_mask(codes)], minlength=len(names))
    order = np.argsort(-counts, kind="stable")[: _BARS // 2]
    total = max(int(counts.sum()), 1)
    top = ", ".join(f"{names[i]} {counts[i] / total:.0%}" for i in order[:3])
    peak = max(int(counts[order[0]]), 1) if len(order) else 1
    bars = [(counts[i] / peak, f"{names[i]}: {counts[i]:,}") for i in order]
    return top, bars


# -------------------------------------------------------------------------------------- format


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _fmt(value: Any) -> str:
    """A cell as a person reads it: 4 significant digits, whole numbers without ``.0``."""
    value = _plain(value)
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.4g}"
    return str(value)
