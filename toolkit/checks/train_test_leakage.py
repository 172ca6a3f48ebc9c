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

from typing import Any

import numpy as np

from toolkit.checks._frames import (
    Table,
    aligned_codes,
    category_codes,
    feature_columns,
    missing_mask,
    require_column,
    sample_rows,
    target_values,
    to_table,
)
from toolkit.checks.result import CheckResult, Finding
from toolkit.columns import FrameProfile

# The single-feature scan fits on / scores a fixed-seed sample of this many train / test rows:
# an AUC's standard error there is ~0.002, far below the 0.99 vs 0.95 cut-offs.
_SCAN_SAMPLE = 100_000


def _test_rows(n: int) -> str:
    return f"{n} test row{'s' if n != 1 else ''}"


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
        >>> df = pd.DataFrame({"a": [0.5, 1.5, 2.5, 3.5] * 10, "y": [0, 0, 1, 1] * 10})
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
    roles = (target, group, time)
    findings = profile_findings(tr.profile, roles)
    features = feature_columns(tr, exclude=roles)
    findings += target_predictors(tr, te, target, features)
    summary: dict[str, Any] = {
        "features": len(features),
        "id_like": list(id_like_columns(tr, exclude=roles)),
    }
    if te is not None:
        findings += missing_columns_findings(features, list(te.columns))
        shared = [c for c in features if c in te.columns]
        dup_findings, dup_summary = duplicates(tr, te, shared)
        findings += dup_findings
        summary.update(dup_summary)
        if group is not None:
            findings += shared_groups(tr, te, group)
        if time is not None:
            findings += time_overlap(tr, te, time)
    return CheckResult("leakage", findings, summary)


def profile_findings(profile: FrameProfile, roles: tuple[str | None, ...]) -> list[Finding]:
    """Identifier and free-text columns, as the profile decided (the finish of both paths)."""
    findings = [
        Finding(
            "medium",
            "id_like",
            [c],
            f"'{c}' looks like an identifier ({profile[c].reason}); drop it from the features",
            {"unique_ratio": profile[c].unique_ratio},
        )
        for c in profile.of_kind("id", exclude=roles)
    ]
    findings += [
        Finding(
            "low",
            "free_text",
            [c],
            f"'{c}' is free text ({profile[c].reason}); the checks leave it out --"
            " encode it (e.g. TF-IDF) to use it as a feature",
            {"mean_chars": profile[c].mean_chars},
        )
        for c in profile.of_kind("text", exclude=roles)
    ]
    return findings


def missing_columns_findings(features: list[str], test_columns: list[str]) -> list[Finding]:
    """Train feature columns that test does not have (high)."""
    missing = sorted(set(features) - set(test_columns))
    if not missing:
        return []
    return [
        Finding(
            "high",
            "columns",
            missing,
            f"{len(missing)} train column(s) missing from test: {', '.join(missing[:5])}",
            {"missing": missing},
        )
    ]


def id_like_columns(
    table: Table, exclude: tuple[str | None, ...] = ()
) -> dict[str, tuple[float, str]]:
    """Columns that identify rows, as the frame's profile decided (almost every value unique,
    or named like an ID and mostly unique). Returns ``{column: (unique_ratio, reason)}``."""
    return {
        c: (table.profile[c].unique_ratio, table.profile[c].reason)
        for c in table.profile.of_kind("id", exclude=exclude)
    }


def row_hashes(
    tr: Table,
    te: Table,
    columns: list[str],
    *,
    near: bool,
    rows: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]] | None = None,
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """64-bit hashes of the rows of ``tr`` and ``te`` (all, or ``rows``) over ``columns``.

    With ``near`` numerics are z-scored (train mean/sd) and rounded to 0.01 sd first, so
    near-identical rows collide. Categories are hashed by codes shared by both tables (no
    strings). Each column is hashed by polars and folded into the row hash one at a time, so
    memory stays at a few columns whatever the width of the table.
    """
    import polars as pl

    scale = _mean_std(tr, columns) if near else {}
    out = [
        np.zeros(tr.n_rows if rows is None else len(rows[0]), dtype=np.uint64),
        np.zeros(te.n_rows if rows is None else len(rows[1]), dtype=np.uint64),
    ]
    for col in columns:
        numeric = tr.kinds[col] == te.kinds[col] == "numeric"
        pair = (tr.columns[col], te.columns[col]) if numeric else aligned_codes(tr, te, col)[:2]
        value = pl.col("v")
        if numeric:
            if near:
                mean, std = scale[col]
                if not std > 0:  # constant or empty column (std 0 or NaN)
                    mean, std = 0.0, 1.0
                value = ((value - mean) / std).round(2) + 0.0  # +0.0 folds -0.0 into 0.0
            value = value.fill_nan(np.inf)
        for k, values in enumerate(pair):
            # one polars query per column: transform and hash without intermediate series
            frame = pl.DataFrame({"v": values if rows is None else values[rows[k]]})
            out[k] *= np.uint64(1_000_003)
            out[k] ^= frame.select(value.hash(seed=0)).to_series().to_numpy()
    return out[0], out[1]


def _repeated(h: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Mask of the entries whose hash occurs more than once (hash table, no sort)."""
    import polars as pl

    return np.asarray(pl.Series(h, dtype=pl.UInt64).is_duplicated().to_numpy(), dtype=bool)


def _member(needles: np.ndarray[Any, Any], haystack: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """``np.isin`` through a hash table: O(n) instead of sorting both arrays."""
    import polars as pl

    found = pl.Series(needles, dtype=pl.UInt64).is_in(pl.Series(haystack, dtype=pl.UInt64))
    return np.asarray(found.to_numpy(), dtype=bool)


def _mean_std(table: Table, columns: list[str]) -> dict[str, tuple[float, float]]:
    """Mean and (population) standard deviation of the numeric ``columns``, ignoring NaN
    (NaN when a column has no value); polars reductions, one column at a time, no copies."""
    import polars as pl

    out = {}
    for col in columns:
        if table.kinds[col] == "numeric":
            series = pl.Series(table.columns[col]).fill_nan(None)
            mean, std = series.mean(), series.std(ddof=0)
            out[col] = (
                float("nan") if mean is None else float(mean),  # type: ignore[arg-type]
                float("nan") if std is None else float(std),  # type: ignore[arg-type]
            )
    return out


def _first_match(
    needles: np.ndarray[Any, Any], haystack: np.ndarray[Any, Any], rows: np.ndarray[Any, Any]
) -> list[int | None]:
    """For each hash in ``needles``, the row (from ``rows``) of its first match in
    ``haystack``: the train row a duplicated test row repeats (a hash join, no sort)."""
    import polars as pl

    lookup = pl.DataFrame({"h": pl.Series(haystack, dtype=pl.UInt64), "row": rows})
    lookup = lookup.unique("h", keep="first", maintain_order=True)
    found = pl.DataFrame({"h": pl.Series(needles, dtype=pl.UInt64)}).join(
        lookup, on="h", how="left", maintain_order="left"
    )
    return [None if v is None else int(v) for v in found["row"].to_list()]


def duplicates(tr: Table, te: Table, columns: list[str]) -> tuple[list[Finding], dict[str, Any]]:
    """Exact and near-duplicate feature rows shared by train and test.

    Discrete data repeats rows even in a clean split, so the cross-split rate is compared with
    the within-train rate before calling it leakage.
    """
    findings: list[Finding] = []
    if not columns:
        return findings, {}
    # Near duplicates first: every exact duplicate is also a near one, so exact hashes are only
    # needed for the few rows whose near hash repeats (in a clean split: almost none).
    near_tr, near_te = row_hashes(tr, te, columns, near=True)
    near_any = _member(near_te, near_tr)
    near_repeat = _repeated(near_tr)
    cand_te = np.flatnonzero(near_any)
    cand_tr = np.flatnonzero(near_repeat | _member(near_tr, near_te[cand_te]))
    exact_tr, exact_te = row_hashes(tr, te, columns, near=False, rows=(cand_tr, cand_te))
    in_train = np.zeros(te.n_rows, dtype=bool)
    in_train[cand_te] = _member(exact_te, exact_tr)
    within = float(_repeated(exact_tr).sum() / tr.n_rows)
    near = near_any & ~in_train
    within_near = float(near_repeat.mean())
    summary = {
        "duplicate_test_rows": int(in_train.sum()),
        "near_duplicate_test_rows": int(near.sum()),
        "within_train_duplicate_rate": within,
    }
    for kind, mask, base in (("exact", in_train, within), ("near", near, within_near)):
        if not mask.any():
            continue
        examples = np.flatnonzero(mask)[:10]
        if kind == "exact":  # exact hashes exist for the candidate rows only
            at = np.searchsorted(cand_te, examples)
            twins = _first_match(exact_te[at], exact_tr, cand_tr)
        else:
            twins = _first_match(near_te[examples], near_tr, np.arange(tr.n_rows))
        finding = duplicate_finding(
            kind, int(mask.sum()), te.n_rows, base, {"test_rows": examples, "train_rows": twins}
        )
        findings += [finding] if finding else []
    return findings, summary


def duplicate_finding(
    kind: str, count: int, test_rows: int, base: float, examples: dict[str, Any]
) -> Finding | None:
    """The finish of the duplicate check (both paths): ``count`` of ``test_rows`` test rows are
    ``kind`` ("exact" or "near") duplicates of train rows, while train itself repeats a share
    ``base`` of its rows; ``examples`` goes into the evidence.

    Discrete data repeats rows even in a clean split, so the cross-split rate is compared with
    twice the within-train rate (what an i.i.d. split of this data would show).

    Example:
        >>> duplicate_finding("exact", 30, 1000, 0.0, {}).severity
        'high'
    """
    if count == 0:
        return None
    rate = count / test_rows
    expected = 2 * base + 0.001
    severity = "high" if rate > max(0.01, expected) else "medium" if rate > expected else "low"
    return Finding(
        severity,
        "duplicates" if kind == "exact" else "near_duplicates",
        ["*"],
        f"{_test_rows(count)} ({rate:.2%}) "
        + (f"is a {kind} duplicate" if count == 1 else f"are {kind} duplicates")
        + " of train rows"
        + (f" (train itself repeats {base:.1%} of rows)" if base else ""),
        {"rate": rate, "count": count, **examples},
    )


def shared_groups(tr: Table, te: Table, group: str) -> list[Finding]:
    """Group values (patients, users, sessions...) that appear in both train and test."""
    import pandas as pd

    if tr.kinds[group] == te.kinds[group] == "numeric":
        a, b = tr.columns[group], te.columns[group]
        names = None
    else:  # categories: compare codes over one shared label list
        a, b, names = aligned_codes(tr, te, group)
    shared = np.intersect1d(pd.unique(a[~missing_mask(a)]), pd.unique(b[~missing_mask(b)]))
    rows = float(pd.Series(b).isin(pd.Series(shared)).mean()) if len(shared) else 0.0
    examples = shared[:10] if names is None else names[shared[:10]]
    return shared_groups_findings(group, len(shared), rows, list(examples))


def shared_groups_findings(
    group: str, shared: int, test_row_rate: float, examples: list[Any]
) -> list[Finding]:
    """The finish of the shared-group check (both paths): any shared value is high."""
    if shared == 0:
        return []
    return [
        Finding(
            "high",
            "shared_groups",
            [group],
            f"{shared} '{group}' values appear in both train and test ({test_row_rate:.1%} of"
            " test rows); split by group",
            {"shared": shared, "test_row_rate": test_row_rate, "examples": examples},
        )
    ]


def _as_seconds(table: Table, column: str) -> np.ndarray[Any, Any]:
    values = table.columns[column]
    if table.kinds[column] == "numeric":
        return values
    from toolkit.columns import parse_dates

    # Text dates: parse each distinct label once, then gather by code.
    stamps = parse_dates(table.categories[column], f"time={column!r} in {table.name}")
    seconds = np.asarray(stamps.as_unit("ns").asi8, dtype=np.float64) / 1e9
    seconds[np.asarray(stamps.isna())] = np.nan
    return np.asarray(np.append(seconds, np.nan)[values])  # code -1 (missing) -> NaN


def time_overlap(tr: Table, te: Table, time: str) -> list[Finding]:
    """Test rows that are not later than the latest training row (the model saw the future)."""
    t_tr, t_te = _as_seconds(tr, time), _as_seconds(te, time)
    if not np.isfinite(t_tr).any() or not np.isfinite(t_te).any():
        return []
    end = float(np.nanmax(t_tr))
    early = np.nan_to_num(t_te, nan=np.inf) <= end
    return time_overlap_findings(time, int(early.sum()), len(early), end)


def time_overlap_findings(time: str, count: int, test_rows: int, end: float) -> list[Finding]:
    """The finish of the time-overlap check (both paths): ``count`` test rows are not later
    than the last train time ``end`` (seconds since the epoch, or the column's numbers)."""
    if count == 0:
        return []
    rate = count / test_rows
    return [
        Finding(
            "high" if rate > 0.01 else "medium",
            "time_overlap",
            [time],
            f"{_test_rows(count)} ({rate:.1%}) "
            f"{'is' if count == 1 else 'are'} not after the last train '{time}';"
            " split by time",
            {"rate": rate, "count": count, "train_max": end},
        )
    ]


def _bin_codes(
    fit: Table, ev: Table, col: str, fit_rows: np.ndarray[Any, Any], ev_rows: np.ndarray[Any, Any]
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Bin codes of ``col`` for the fit rows and the evaluation rows, learnt on the fit rows:
    50 quantile bins (missing: a bin of its own) or one bin per category (missing: bin 0)."""
    if fit.kinds[col] == ev.kinds[col] == "numeric":
        a, b = fit.columns[col][fit_rows], ev.columns[col][ev_rows]
        finite = a[np.isfinite(a)]
        edges: np.ndarray[Any, Any] = (
            np.unique(np.quantile(finite, np.linspace(0, 1, 51)[1:-1]))
            if len(finite)
            else np.zeros(0)
        )
        missing = len(edges) + 1
        return (
            np.where(np.isnan(a), missing, np.searchsorted(edges, a, side="right")),
            np.where(np.isnan(b), missing, np.searchsorted(edges, b, side="right")),
        )
    if ev is fit:
        ca = cb = category_codes(fit, col)[0]
    else:
        ca, cb, _ = aligned_codes(fit, ev, col)
    # Categories never seen in the fit rows get an empty bin: they predict the prior.
    return ca[fit_rows].astype(np.int64) + 1, cb[ev_rows].astype(np.int64) + 1


def binned_auc(
    pred: np.ndarray[Any, Any], bins: np.ndarray[Any, Any], positive: np.ndarray[Any, Any]
) -> float:
    """ROC AUC of a score that is constant within each bin (``pred[bin]``), from per-bin
    positive/negative counts: exactly ``roc_auc_score`` (ties count one half), in O(n).

    Example:
        >>> binned_auc(np.array([0.2, 0.9]), np.array([0, 0, 1, 1]), np.array([0, 1, 1, 1.0]))
        0.8333333333333334
    """
    size = len(pred)
    pos = np.bincount(bins, weights=positive, minlength=size)
    neg = np.bincount(bins, minlength=size) - pos
    # Bins with the same score are one tie group.
    values, group = np.unique(pred, return_inverse=True)
    pos_g = np.bincount(group, weights=pos, minlength=len(values))
    neg_g = np.bincount(group, weights=neg, minlength=len(values))
    n_pos, n_neg = pos_g.sum(), neg_g.sum()
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    below = np.cumsum(neg_g) - neg_g  # negatives scored strictly lower
    return float(np.sum(pos_g * (below + 0.5 * neg_g)) / (n_pos * n_neg))


def target_predictors(
    tr: Table, te: Table | None, target: str, features: list[str]
) -> list[Finding]:
    """Features that alone predict the target almost perfectly, and numeric copies of it.

    Each feature is binned on train (50 quantile bins or its categories); the per-bin target
    mean predicts the held-out rows (test, or the other half of train without a test set).
    Both sides are fixed-seed samples of at most 100,000 rows (sizes stated in the evidence): a
    score of 0.99 vs 0.95 is far outside the sampling noise at that size.
    """
    task, y_all = target_values(tr, target)
    rows = sample_rows(tr.n_rows, _SCAN_SAMPLE)
    y_rows = y_all[rows]
    keep = rows[~np.isnan(y_rows)] if task == "regression" else rows[y_rows >= 0]
    if te is not None and target in te.columns:
        fit_rows, y_fit = keep, y_all[keep]
        ev_rows = sample_rows(te.n_rows, _SCAN_SAMPLE, seed=1)
        if task == "classification":
            # test labels coded over train's labels; classes unseen in train are left out
            y_ev = aligned_codes(tr, te, target)[1][ev_rows].astype(np.int64)
            n_train_labels = len(category_codes(tr, target)[1])
            y_ev[y_ev >= n_train_labels] = -1
        else:
            y_ev = te.columns[target][ev_rows]
        ev_table: Table = te
    else:
        half = len(keep) // 2
        fit_rows, ev_rows = keep[:half], keep[half:]
        y_fit, y_ev = y_all[fit_rows], y_all[ev_rows]
        ev_table = tr
    valid = ~np.isnan(y_ev) if task == "regression" else y_ev >= 0
    if len(y_fit) < 10 or valid.sum() < 10:
        return []
    ev_rows, y_ev = ev_rows[valid], y_ev[valid]
    n_classes = int(y_fit.max()) + 1 if task == "classification" else 0
    if task == "classification":
        y_fit, y_ev = y_fit.astype(np.int64), y_ev.astype(np.int64)
        n_classes = max(n_classes, int(y_ev.max()) + 1)
        if len(np.unique(y_ev)) < 2:
            return []
    metric = "R^2" if task == "regression" else "AUC" if n_classes == 2 else "accuracy"
    baseline = 0.0
    if metric == "accuracy":
        baseline = float(np.bincount(y_ev).max() / len(y_ev))
        if baseline > 0.95:
            return []  # a majority class that large makes accuracy meaningless
    sampled = {"fit_rows": len(fit_rows), "eval_rows": len(ev_rows)}
    findings: list[Finding] = []
    for col in features:
        if col not in ev_table.columns:
            continue
        b_fit, b_ev = _bin_codes(tr, ev_table, col, fit_rows, ev_rows)
        score = one_feature_score(task, n_classes, b_fit, y_fit, b_ev, y_ev)
        if score >= 0.99:
            findings.append(
                Finding(
                    "high",
                    "target_leak",
                    [col],
                    f"'{col}' alone predicts '{target}' almost perfectly ({metric} {score:.3f})"
                    " -- a copy or transform of the target?",
                    {metric: score, **sampled},
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
                    {metric: score, **sampled},
                )
            )
    return findings


def one_feature_score(
    task: str,
    n_classes: int,
    b_fit: np.ndarray[Any, Any],
    y_fit: np.ndarray[Any, Any],
    b_ev: np.ndarray[Any, Any],
    y_ev: np.ndarray[Any, Any],
) -> float:
    """Held-out score of "predict the per-bin target mean learnt on the fit rows":
    AUC (binary), accuracy (multiclass) or R^2 (regression). Bins never seen predict the prior.
    Everything is per-bin counts (np.bincount), so a feature costs O(rows).

    Example:
        >>> bins, y = np.array([0, 0, 1, 1]), np.array([0, 0, 1, 1])
        >>> one_feature_score("classification", 2, bins, y, bins, y)  # the bin gives the class
        1.0
    """
    size = int(max(b_fit.max(), b_ev.max())) + 1
    counts = np.bincount(b_fit, minlength=size).astype(float)
    if task == "regression":
        sums = np.bincount(b_fit, weights=y_fit.astype(float), minlength=size)
        means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nanmean(y_fit))
        residual = float(np.sum((y_ev - means[b_ev]) ** 2))
        total = float(np.sum((y_ev - y_ev.mean()) ** 2))
        if total == 0:  # as sklearn's r2_score: perfect -> 1, else 0
            return 1.0 if residual == 0 else 0.0
        return 1.0 - residual / total
    prior = np.bincount(y_fit, minlength=n_classes) / len(y_fit)
    joint = np.bincount(b_fit * n_classes + y_fit, minlength=size * n_classes)
    table = joint.reshape(size, n_classes).astype(float)
    probs = np.where(counts[:, None] > 0, table / np.maximum(counts, 1)[:, None], prior)
    if n_classes == 2:
        return binned_auc(probs[:, 1], b_ev, (y_ev == 1).astype(float))
    # accuracy of argmax per bin: count the evaluation rows whose class is their bin's argmax
    ev_table = np.bincount(b_ev * n_classes + y_ev, minlength=size * n_classes)
    hits = ev_table.reshape(size, n_classes)[np.arange(size), probs.argmax(axis=1)]
    return float(hits.sum() / len(y_ev))
