"""Leakage between train and test: duplicated rows, shared groups, time overlap, ID-like columns
and single features that give the target away.

Example:
    >>> import pandas as pd
    >>> train = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [0, 1, 0, 1]})
    >>> test = pd.DataFrame({"x": [1.0, 9.0], "y": [0, 1]})
    >>> r = leakage(train, test, target="y")
    >>> [f.check for f in r.findings]
    ['duplicates']
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from toolkit.checks._frames import Table, codes, missing_mask, require_column, sample_rows, to_table
from toolkit.checks.result import CheckResult, Finding

# Single-feature checks look at a fixed-seed sample: ranks and bin means are stable at this size.
_SAMPLE = 200_000
_ID_NAME = re.compile(r"(^|_)(id|uuid|guid|key|index)$|^id", re.IGNORECASE)


def leakage(
    train: Any,
    test: Any,
    *,
    target: str,
    group: str | None = None,
    time: str | None = None,
) -> CheckResult:
    """Look for train/test leakage and return the findings.

    Checks: exact and near-duplicate rows across the splits, group values present in both,
    test rows earlier than the end of train, ID-like columns, and features that alone predict
    ``target`` almost perfectly (copies or transforms of the target). ``test`` may be ``None``
    for the within-train checks only.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"a": [1.0, 2, 3, 4, 5, 6], "y": [0, 0, 0, 1, 1, 1]})
        >>> leakage(df, None, target="y").findings[0].columns
        ['a']
    """
    tr = to_table(train, "train")
    te = to_table(test, "test") if test is not None else None
    for tab in (tr, te):
        if tab is not None:
            require_column(tab, target, "target")
            require_column(tab, group, "group")
            require_column(tab, time, "time")
    id_like = id_like_columns(tr, exclude=(target, group, time))
    findings: list[Finding] = [
        Finding(
            "medium",
            "id_like",
            [col],
            f"'{col}' looks like an identifier ({why}); drop it from the features",
            {"unique_ratio": ratio},
        )
        for col, (ratio, why) in id_like.items()
    ]
    features = [c for c in tr.columns if c not in {target, group, time, *id_like}]
    findings += target_predictors(tr, te, target, features)
    summary: dict[str, Any] = {"features": len(features), "id_like": list(id_like)}
    if te is not None:
        missing = sorted(set(features) - set(te.columns))
        if missing:
            findings.append(
                Finding(
                    "high",
                    "columns",
                    missing,
                    f"{len(missing)} train column(s) missing from test: {', '.join(missing[:5])}",
                    {"missing": missing},
                )
            )
        shared = [c for c in features if c in te.columns]
        dup_findings, dup_summary = duplicates(tr, te, shared)
        findings += dup_findings
        summary.update(dup_summary)
        if group is not None:
            findings += shared_groups(tr, te, group)
        if time is not None:
            findings += time_overlap(tr, te, time)
    return CheckResult("leakage", findings, summary)


def id_like_columns(
    table: Table, exclude: tuple[str | None, ...] = ()
) -> dict[str, tuple[float, str]]:
    """Columns that identify rows: (almost) all values unique and integer/string, or named like an
    ID with mostly unique values. Returns ``{column: (unique_ratio, reason)}``."""
    found: dict[str, tuple[float, str]] = {}
    if table.n_rows < 20:
        return found
    rows = sample_rows(table.n_rows, _SAMPLE)
    for col, values in table.columns.items():
        if col in exclude:
            continue
        v = values[rows]
        v = v[~missing_mask(v)]
        if len(v) == 0:
            continue
        if table.kinds[col] == "numeric" and not np.all(np.mod(v, 1) == 0):
            continue  # continuous measurements are unique without being identifiers
        import pandas as pd

        ratio = float(len(pd.unique(v)) / len(v))
        if ratio >= 0.95:
            found[col] = (ratio, f"{ratio:.0%} unique values")
        elif ratio >= 0.5 and _ID_NAME.search(col):
            found[col] = (ratio, f"named like an ID, {ratio:.0%} unique")
    return found


def row_hashes(
    table: Table, columns: list[str], scale: dict[str, tuple[float, float]] | None
) -> np.ndarray[Any, Any]:
    """64-bit hash per row over ``columns``; with ``scale`` numerics are z-scored and rounded
    (to 2 decimals of a standard deviation) first so near-identical rows collide."""
    import pandas as pd

    h = np.zeros(table.n_rows, dtype=np.uint64)
    for col in columns:
        values = table.columns[col]
        if table.kinds[col] == "numeric":
            if scale is not None:
                mean, std = scale[col]
                values = np.round((values - mean) / std, 2) + 0.0  # +0.0 folds -0.0 into 0.0
            part = pd.util.hash_array(np.nan_to_num(values, nan=np.inf))
        else:
            part = pd.util.hash_array(np.where(missing_mask(values), "\0NA", values))
        h = h * np.uint64(1_000_003) ^ part.astype(np.uint64)
    return h


def duplicates(tr: Table, te: Table, columns: list[str]) -> tuple[list[Finding], dict[str, Any]]:
    """Exact and near-duplicate feature rows shared by train and test.

    Discrete data repeats rows even in a clean split, so the cross-split rate is compared with
    the within-train rate before calling it leakage.
    """
    findings: list[Finding] = []
    if not columns:
        return findings, {}
    exact_tr, exact_te = row_hashes(tr, columns, None), row_hashes(te, columns, None)
    in_train = np.isin(exact_te, exact_tr)
    _, counts = np.unique(exact_tr, return_counts=True)
    within = float(counts[counts > 1].sum() / tr.n_rows)
    rate = float(in_train.mean())
    scale = {}
    for col in columns:
        if tr.kinds[col] == "numeric":
            v = tr.columns[col]
            std = float(np.nanstd(v)) if np.isfinite(v).any() else 0.0
            scale[col] = (float(np.nanmean(v)) if std > 0 else 0.0, std if std > 0 else 1.0)
    near_tr, near_te = row_hashes(tr, columns, scale), row_hashes(te, columns, scale)
    near = np.isin(near_te, near_tr) & ~in_train
    near_rate = float(near.mean())
    _, near_counts = np.unique(near_tr, return_counts=True)
    within_near = float(near_counts[near_counts > 1].sum() / tr.n_rows)
    summary = {
        "duplicate_test_rows": int(in_train.sum()),
        "near_duplicate_test_rows": int(near.sum()),
        "within_train_duplicate_rate": within,
    }
    for kind, mask, r, base in (
        ("exact", in_train, rate, within),
        ("near", near, near_rate, within_near),
    ):
        if not mask.any():
            continue
        expected = 2 * base + 0.001  # what an i.i.d. split of this data would show
        severity = "high" if r > max(0.01, expected) else "medium" if r > expected else "low"
        examples = np.flatnonzero(mask)[:10]
        findings.append(
            Finding(
                severity,
                "duplicates" if kind == "exact" else "near_duplicates",
                ["*"],
                f"{int(mask.sum())} test rows ({r:.2%}) are {kind} duplicates of train rows"
                + (f" (train itself repeats {base:.1%} of rows)" if base else ""),
                {"rate": r, "count": int(mask.sum()), "test_rows": examples},
            )
        )
    return findings, summary


def shared_groups(tr: Table, te: Table, group: str) -> list[Finding]:
    """Group values (patients, users, sessions...) that appear in both train and test."""
    import pandas as pd

    a, b = tr.columns[group], te.columns[group]
    shared = np.intersect1d(pd.unique(a[~missing_mask(a)]), pd.unique(b[~missing_mask(b)]))
    if len(shared) == 0:
        return []
    rows = float(np.isin(b, shared).mean())
    return [
        Finding(
            "high",
            "shared_groups",
            [group],
            f"{len(shared)} '{group}' values appear in both train and test ({rows:.1%} of test"
            " rows); split by group",
            {"shared": len(shared), "test_row_rate": rows, "examples": shared[:10]},
        )
    ]


def _as_seconds(table: Table, column: str) -> np.ndarray[Any, Any]:
    values = table.columns[column]
    if table.kinds[column] == "numeric":
        return values
    import pandas as pd

    from toolkit.errors import UsageError

    try:
        stamps = pd.to_datetime(pd.Series(values), errors="raise", format="mixed")
    except (ValueError, TypeError) as exc:
        raise UsageError(f"time={column!r}: values in {table.name} are not dates") from exc
    out = stamps.to_numpy(dtype="datetime64[ns]").astype(np.int64).astype(np.float64) / 1e9
    out[stamps.isna().to_numpy()] = np.nan
    return np.asarray(out)


def time_overlap(tr: Table, te: Table, time: str) -> list[Finding]:
    """Test rows that are not later than the latest training row (the model saw the future)."""
    t_tr, t_te = _as_seconds(tr, time), _as_seconds(te, time)
    if not np.isfinite(t_tr).any() or not np.isfinite(t_te).any():
        return []
    end = float(np.nanmax(t_tr))
    early = np.nan_to_num(t_te, nan=np.inf) <= end
    if not early.any():
        return []
    rate = float(early.mean())
    return [
        Finding(
            "high" if rate > 0.01 else "medium",
            "time_overlap",
            [time],
            f"{int(early.sum())} test rows ({rate:.1%}) are not after the last train '{time}';"
            " split by time",
            {"rate": rate, "count": int(early.sum()), "train_max": end},
        )
    ]


def _target_info(tr: Table, target: str) -> tuple[str, np.ndarray[Any, Any]]:
    """("classification", class codes) or ("regression", float values) for the target."""
    values = tr.columns[target]
    if tr.kinds[target] == "numeric":
        finite = values[np.isfinite(values)]
        if len(np.unique(finite[:50_000])) > 20 or not np.all(np.mod(finite, 1) == 0):
            return "regression", values
    return "classification", codes(values)[0]


def _bins(train_values: np.ndarray[Any, Any], kind: str) -> Any:
    """A function mapping a column to bin codes learnt on train (quantiles or categories)."""
    if kind == "numeric":
        finite = train_values[np.isfinite(train_values)]
        edges: np.ndarray[Any, Any] = (
            np.unique(np.quantile(finite, np.linspace(0, 1, 51)[1:-1]))
            if len(finite)
            else np.zeros(0)
        )

        def numeric_bins(v: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
            out = np.searchsorted(edges, v, side="right")
            return np.where(np.isnan(v), len(edges) + 1, out)

        return numeric_bins
    import pandas as pd

    _, labels = codes(train_values)
    index = pd.Index(labels)

    def category_bins(v: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        filled = np.where(missing_mask(v), "<missing>", v)
        return np.asarray(index.get_indexer(filled)) + 1  # unseen categories -> bin 0

    return category_bins


def _score(task: str, y: np.ndarray[Any, Any], pred: np.ndarray[Any, Any]) -> float:
    """AUC (binary), accuracy (multiclass) or R^2 (regression) of a one-feature prediction."""
    from sklearn.metrics import accuracy_score, r2_score, roc_auc_score

    if task == "regression":
        return float(r2_score(y, pred))
    if pred.ndim == 1:
        return float(roc_auc_score(y, pred))
    return float(accuracy_score(y, pred.argmax(axis=1)))


def target_predictors(
    tr: Table, te: Table | None, target: str, features: list[str]
) -> list[Finding]:
    """Features that alone predict the target almost perfectly, and numeric copies of it.

    Each feature is binned on train (50 quantile bins or its categories); the per-bin target
    mean predicts the held-out rows (test, or the other half of train without a test set).
    """
    task, y_all = _target_info(tr, target)
    rows = sample_rows(tr.n_rows, _SAMPLE)
    keep = rows[~np.isnan(y_all[rows].astype(float))]
    if te is not None and target in te.columns:
        fit_rows, y_fit = keep, y_all[keep]
        ev_rows = sample_rows(te.n_rows, _SAMPLE, seed=1)
        if task == "classification":
            _, tr_labels = codes(tr.columns[target])
            lookup = {lab: i for i, lab in enumerate(tr_labels)}
            te_codes = codes(te.columns[target])
            y_ev = np.asarray([lookup.get(lab, -1) for lab in te_codes[1]])[te_codes[0][ev_rows]]
        else:
            y_ev = te.columns[target][ev_rows]
        ev_table: Table = te
    else:
        half = len(keep) // 2
        fit_rows, ev_rows = keep[:half], keep[half:]
        y_fit, y_ev = y_all[fit_rows], y_all[ev_rows]
        ev_table = tr
    valid = ~np.isnan(y_ev.astype(float)) & (
        y_ev.astype(float) >= 0 if task != "regression" else True
    )
    if len(y_fit) < 10 or valid.sum() < 10:
        return []
    n_classes = int(y_all[keep].max()) + 1 if task == "classification" else 0
    if task == "classification" and len(np.unique(y_ev[valid])) < 2:
        return []
    findings: list[Finding] = []
    for col in features:
        if col not in ev_table.columns:
            continue
        binner = _bins(tr.columns[col][fit_rows], tr.kinds[col])
        b_fit, b_ev = binner(tr.columns[col][fit_rows]), binner(ev_table.columns[col][ev_rows])
        size = int(max(b_fit.max(), b_ev.max())) + 1
        counts = np.bincount(b_fit, minlength=size).astype(float)
        if task == "regression":
            sums = np.bincount(b_fit, weights=y_fit.astype(float), minlength=size)
            means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nanmean(y_fit))
            pred = means[b_ev]
        else:
            prior = np.bincount(y_fit, minlength=n_classes) / len(y_fit)
            table = np.zeros((size, n_classes))
            np.add.at(table, (b_fit, y_fit), 1.0)
            probs = np.where(counts[:, None] > 0, table / np.maximum(counts, 1)[:, None], prior)
            pred = probs[b_ev][:, 1] if n_classes == 2 else probs[b_ev]
        score = _score(task, y_ev[valid], pred[valid])
        metric = "R^2" if task == "regression" else "AUC" if n_classes == 2 else "accuracy"
        if task == "classification" and metric == "accuracy":
            baseline = float(np.bincount(y_ev[valid]).max() / valid.sum())
            if baseline > 0.95:
                continue
        if score >= 0.99:
            findings.append(
                Finding(
                    "high",
                    "target_leak",
                    [col],
                    f"'{col}' alone predicts '{target}' almost perfectly ({metric} {score:.3f})"
                    " -- a copy or transform of the target?",
                    {metric: score},
                )
            )
        elif score >= 0.95:
            findings.append(
                Finding(
                    "low",
                    "strong_feature",
                    [col],
                    f"'{col}' alone predicts '{target}' very well ({metric} {score:.3f});"
                    " make sure it is known at prediction time",
                    {metric: score},
                )
            )
    return findings
