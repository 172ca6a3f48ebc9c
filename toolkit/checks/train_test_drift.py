"""Drift between train and test: per-feature PSI and KS (numeric), chi-square and Jensen-Shannon
(categorical), and adversarial validation (can a classifier tell train from test?).

Example:
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> a = pd.DataFrame({"x": rng.normal(size=2000)})
    >>> b = pd.DataFrame({"x": rng.normal(1.0, size=2000)})
    >>> drift(a, b).findings[0].columns
    ['x']
"""

from __future__ import annotations

from typing import Any

import numpy as np

from toolkit.checks._frames import (
    aligned_codes,
    codes,
    missing_mask,
    sample_rows,
    small_threads,
    to_table,
)
from toolkit.checks.result import CheckResult, Finding

# PSI, KS, JS and chi-square on fixed-seed samples of this many train / test rows: at that size
# a clean split's PSI is ~0.0002 and JS ~0.003, far below the 0.1 / 0.25 cut-offs.
_SAMPLE = 100_000
_ADV_SAMPLE = 20_000


def drift(
    train: Any, test: Any, *, columns: list[str] | None = None, target: str | None = None
) -> CheckResult:
    """Per-feature drift of ``test`` against ``train``.

    ``target`` names the target column when it is among ``columns``: its distribution is
    compared like any other, but classes unseen in train are :func:`new_labels`' finding, not a
    "new categories" one, so the health report says it once.

    Severity follows the effect size (PSI >= 0.25 or JS >= 0.25 high, >= 0.1 medium) and needs a
    significant test (KS / chi-square p < 0.01) so tiny test sets do not raise noise.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"c": list("aabb") * 50})
        >>> drift(df, df).findings
        []
    """
    tr, te = to_table(train, "train"), to_table(test, "test")
    cols = [c for c in (columns or list(tr.columns)) if c in te.columns]
    findings: list[Finding] = []
    stats: dict[str, dict[str, float]] = {}
    for col in cols:
        if tr.kinds[col] == "numeric" and te.kinds[col] == "numeric":
            stat = numeric_drift(tr.columns[col], te.columns[col])
        else:
            train_codes, test_codes, labels = aligned_codes(tr, te, col)
            stat = categorical_drift(train_codes, test_codes)
            unseen = None if col == target else new_categories(col, train_codes, test_codes, labels)
            if unseen is not None:
                findings.append(unseen)
        stats[col] = stat
        findings += drift_findings(col, stat)
    return CheckResult("drift", findings, {"per_feature": stats})


def drift_findings(column: str, stat: dict[str, float]) -> list[Finding]:
    """The finish of one column's drift statistics (``psi`` or ``js``, ``p_value``, missing
    rates), the same for the in-memory and the engine path.

    Severity follows the effect size (PSI >= 0.25 or JS >= 0.25 high, >= 0.1 medium) and needs
    a significant test (p < 0.01); a missing rate that moves by 10 points is medium.

    Example:
        >>> [f.severity for f in drift_findings("x", {"psi": 0.3, "p_value": 0.0})]
        ['high']
    """
    findings = []
    effect = stat.get("psi", stat.get("js", 0.0))
    name = "PSI" if "psi" in stat else "JS"
    if stat["p_value"] < 0.01 and effect >= 0.1:
        findings.append(
            Finding(
                "high" if effect >= 0.25 else "medium",
                "drift",
                [column],
                f"'{column}' is distributed differently in test ({name} {effect:.2f})",
                stat,
            )
        )
    miss = stat.get("missing_train", 0.0), stat.get("missing_test", 0.0)
    if abs(miss[0] - miss[1]) >= 0.1:
        findings.append(
            Finding(
                "medium",
                "missing_drift",
                [column],
                f"'{column}' is missing in {miss[0]:.0%} of train but {miss[1]:.0%} of test rows",
                {"missing_train": miss[0], "missing_test": miss[1]},
            )
        )
    return findings


def new_categories(
    column: str,
    train_codes: np.ndarray[Any, Any],
    test_codes: np.ndarray[Any, Any],
    labels: np.ndarray[Any, Any],
    *,
    is_target: bool = False,
) -> Finding | None:
    """A finding when test rows hold categories that never occur in train (codes over one
    shared ``labels`` list, -1 = missing), or ``None``.

    Encoders fitted on train meet them as unknown; in a classification target they are
    classes the model can never predict (always high). Counted on every row: one unseen
    class matters.

    Example:
        >>> import numpy as np
        >>> f = new_categories("city", np.array([0, 1, 0]), np.array([0, 2, 2, -1]),
        ...                    np.array(["Beijing", "Shanghai", "Shenzhen"], dtype=object))
        >>> f.severity, f.message
        ('high', "'city' has 1 category never seen in train in 50.0% of test rows: 'Shenzhen'")
    """
    seen = np.bincount(train_codes[train_codes >= 0], minlength=len(labels)) > 0
    present = test_codes >= 0
    unseen_rows = present & ~seen[np.where(present, test_codes, 0)]
    if not unseen_rows.any():
        return None
    per_code = np.bincount(test_codes[unseen_rows], minlength=len(labels))
    unseen = {str(labels[c]): int(per_code[c]) for c in np.flatnonzero(per_code)}
    return unseen_finding(column, unseen, len(test_codes), is_target=is_target)


def unseen_finding(
    column: str,
    unseen: dict[str, int],
    test_rows: int,
    *,
    is_target: bool = False,
    more: tuple[int, int] = (0, 0),
) -> Finding | None:
    """The finish of :func:`new_categories`: ``unseen`` maps each test category never seen in
    train to its test rows (in any order); shared by the in-memory and the engine path.
    ``more`` is (categories, rows) of further unseen categories not named in ``unseen`` (the
    engine names the 50 most common of a high-cardinality column)."""
    count = sum(unseen.values()) + more[1]
    if count == 0:
        return None
    names = sorted(unseen, key=lambda k: (-unseen[k], k))  # the most common first
    distinct = len(names) + more[0]
    share = count / test_rows
    shown = ", ".join(repr(n) for n in names[:5]) + (", ..." if distinct > 5 else "")
    if is_target:
        noun = "class" if distinct == 1 else "classes"
        severity = "high"
    else:
        noun = "category" if distinct == 1 else "categories"
        severity = "high" if share >= 0.05 else "medium" if share >= 0.005 else "low"
    return Finding(
        severity,
        "new_labels" if is_target else "new_categories",
        [column],
        f"'{column}' has {distinct:,} {noun} never seen in train in {share:.1%} of test rows: "
        + shown,
        {"categories": names[:50], "rows": count, "share": share},
    )


def new_labels(train: Any, test: Any, *, target: str) -> CheckResult:
    """Test classes the training data never shows: the model cannot predict them (high).

    Example:
        >>> import pandas as pd
        >>> r = new_labels(pd.DataFrame({"y": ["a", "b"]}), pd.DataFrame({"y": ["c"]}), target="y")
        >>> r.findings[0].message
        "'y' has 1 class never seen in train in 100.0% of test rows: 'c'"
    """
    tr, te = to_table(train, "train"), to_table(test, "test")
    finding = new_categories(target, *aligned_codes(tr, te, target), is_target=True)
    return CheckResult("new_labels", [finding] if finding else [])


def psi(expected: np.ndarray[Any, Any], actual: np.ndarray[Any, Any], bins: int = 10) -> float:
    """Population stability index of ``actual`` against ``expected`` over quantile bins of
    ``expected`` (0.1 = moderate shift, 0.25 = large shift)."""
    return _psi_sorted(np.sort(expected), np.sort(actual), bins)


def _psi_sorted(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any], bins: int = 10) -> float:
    """:func:`psi` of two *sorted* samples: bin counts are differences of ``searchsorted``
    positions of the edges, so no value is binned one by one."""
    edges = np.unique(np.quantile(a, np.linspace(0, 1, bins + 1)[1:-1]))
    # values below each edge; bin k holds edges[k-1] <= x < edges[k]
    below_a = np.searchsorted(a, edges, side="left")
    below_b = np.searchsorted(b, edges, side="left")
    return psi_from_below(below_a, len(a), below_b, len(b))


def psi_from_below(
    below_a: np.ndarray[Any, Any], n_a: int, below_b: np.ndarray[Any, Any], n_b: int
) -> float:
    """PSI from the number of (present) values below each shared bin edge in train (``a``)
    and test (``b``): the one formula of the in-memory and the engine path.

    Example:
        >>> round(psi_from_below(np.array([50]), 100, np.array([50]), 100), 6)
        0.0
    """

    def shares(below: np.ndarray[Any, Any], n: int) -> np.ndarray[Any, Any]:
        counts = np.diff(np.concatenate([[0], np.asarray(below, dtype=float), [n]]))
        return np.clip(counts / n, 1e-4, None)

    p, q = shares(below_a, n_a), shares(below_b, n_b)
    return float(np.sum((q - p) * np.log(q / p)))


def ks_from_below(
    below_a: np.ndarray[Any, Any], n_a: int, below_b: np.ndarray[Any, Any], n_b: int
) -> tuple[float, float]:
    """KS statistic and asymptotic p-value from the values below shared grid points: the
    largest gap of the two empirical CDFs *at the grid points* (a lower bound of the exact KS,
    which looks at every value; the engine path uses 199 train-sample quantiles).

    Example:
        >>> ks_from_below(np.array([10, 90]), 100, np.array([10, 90]), 100)
        (0.0, 1.0)
    """
    gap = np.abs(np.asarray(below_a, dtype=float) / n_a - np.asarray(below_b, dtype=float) / n_b)
    d = float(gap.max()) if len(gap) else 0.0
    return d, ks_p_value(d, n_a, n_b)


def ks_p_value(d: float, n_a: int, n_b: int) -> float:
    """The two-sided p-value of a two-sample KS statistic ``d`` from the asymptotic Kolmogorov
    distribution -- the one formula of both paths for samples above :data:`_KS_EXACT` rows.

    scipy's ``ks_2samp`` takes ``kstwo.sf(d, n)`` there, which costs up to 0.1 s per column at
    100,000 rows (most of the drift check); at that size the two differ by about 1 % of the
    p-value, far inside the p < 0.01 cut-off's meaning.

    Example:
        >>> ks_p_value(0.02, 100_000, 100_000) < 1e-10
        True
        >>> ks_p_value(0.0, 10, 10)
        1.0
    """
    from scipy.stats import kstwobign

    return float(kstwobign.sf(d * np.sqrt(n_a * n_b / (n_a + n_b))))


def ks_statistic(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any]) -> float:
    """The two-sample KS statistic of two *sorted* samples: the largest gap of their empirical
    CDFs over every value (what ``scipy.stats.ks_2samp`` computes, without sorting again).

    Example:
        >>> round(ks_statistic(np.array([1.0, 2.0, 3.0]), np.array([2.0, 3.0, 4.0])), 4)
        0.3333
    """
    both = np.concatenate([a, b])
    below_a = np.searchsorted(a, both, side="right") / len(a)
    return float(np.abs(below_a - np.searchsorted(b, both, side="right") / len(b)).max())


# Up to this many rows per side the KS p-value is scipy's exact one (cheap there); above it,
# scipy's own choice is an asymptotic one too (see ks_p_value).
_KS_EXACT = 10_000


def numeric_drift(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any]) -> dict[str, float]:
    """PSI, KS statistic and p-value, and missing rates of two numeric columns (fixed-seed
    samples of at most 100,000 rows each; both statistics come from one sort per sample)."""
    a_s, b_s = a[sample_rows(len(a), _SAMPLE)], b[sample_rows(len(b), _SAMPLE, seed=1)]
    out = {
        "missing_train": float(np.isnan(a_s).mean()),
        "missing_test": float(np.isnan(b_s).mean()),
    }
    a_f, b_f = np.sort(a_s[~np.isnan(a_s)]), np.sort(b_s[~np.isnan(b_s)])
    if len(a_f) < 5 or len(b_f) < 5:
        return {**out, "psi": 0.0, "ks": 0.0, "p_value": 1.0}
    if max(len(a_f), len(b_f)) <= _KS_EXACT:
        from scipy.stats import ks_2samp

        ks = ks_2samp(a_f, b_f)
        d, p_value = float(ks.statistic), float(ks.pvalue)
    else:
        d = ks_statistic(a_f, b_f)
        p_value = ks_p_value(d, len(a_f), len(b_f))
    return {**out, "psi": _psi_sorted(a_f, b_f), "ks": d, "p_value": p_value}


def categorical_drift(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any]) -> dict[str, float]:
    """Chi-square p-value and Jensen-Shannon distance (base 2, 0..1) of two category columns
    (labels, or integer codes shared by both with -1 for missing)."""
    a_s, b_s = a[sample_rows(len(a), _SAMPLE)], b[sample_rows(len(b), _SAMPLE, seed=1)]
    out = {
        "missing_train": float(missing_mask(a_s).mean()),
        "missing_test": float(missing_mask(b_s).mean()),
    }
    if a_s.dtype.kind in "iu" and b_s.dtype.kind in "iu":  # shared codes: no strings needed
        both, labels = codes(np.concatenate([a_s, b_s]))
    else:
        both, labels = codes(np.concatenate([a_s.astype(object), b_s.astype(object)]))
    p = np.bincount(both[: len(a_s)], minlength=len(labels))
    q = np.bincount(both[len(a_s) :], minlength=len(labels))
    return {**out, **categorical_drift_from_counts(p, q)}


def categorical_drift_from_counts(
    p: np.ndarray[Any, Any], q: np.ndarray[Any, Any]
) -> dict[str, float]:
    """Jensen-Shannon distance (base 2) and the chi-square test of train counts ``p`` and
    test counts ``q`` over the same categories (missing may be one of them): the 50 most
    common categories are kept and the long tail pooled, so chi-square stays valid. Shared by
    the in-memory path (counts of samples) and the engine path (counts of every row).

    Example:
        >>> categorical_drift_from_counts(np.array([50, 50]), np.array([50, 50]))["js"]
        0.0
    """
    from scipy.spatial.distance import jensenshannon
    from scipy.stats import chi2_contingency

    p, q = np.asarray(p, dtype=np.int64), np.asarray(q, dtype=np.int64)
    order = np.argsort(-(p + q), kind="stable")
    keep = min(50, len(order))
    remap = np.full(len(order), max(keep - 1, 0))
    remap[order[:keep]] = np.arange(keep)
    p = np.bincount(remap, weights=p, minlength=keep)
    q = np.bincount(remap, weights=q, minlength=keep)
    if len(p) < 2:
        return {"js": 0.0, "chi2": 0.0, "p_value": 1.0}
    table = np.vstack([p, q])
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2 or 0 in table.sum(axis=1):
        return {"js": 0.0, "chi2": 0.0, "p_value": 1.0}
    chi2 = chi2_contingency(table)
    js = float(jensenshannon(p / p.sum(), q / q.sum(), base=2))
    return {"js": js, "chi2": float(chi2.statistic), "p_value": float(chi2.pvalue)}


def adversarial_validation(
    train: Any,
    test: Any,
    *,
    columns: list[str] | None = None,
    sample: int = _ADV_SAMPLE,
    random_state: int = 0,
) -> CheckResult:
    """Train a classifier to tell train rows from test rows; report its AUC and the features it
    uses most (permutation importance). AUC near 0.5 means the splits look alike.

    Example:
        >>> import numpy as np, pandas as pd
        >>> rng = np.random.default_rng(0)
        >>> a = pd.DataFrame({"x": rng.normal(size=500), "z": rng.normal(size=500)})
        >>> b = pd.DataFrame({"x": rng.normal(3, size=500), "z": rng.normal(size=500)})
        >>> adversarial_validation(a, b).findings[0].columns[0]
        'x'
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.inspection import permutation_importance
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split

    tr, te = to_table(train, "train"), to_table(test, "test")
    cols = [c for c in (columns or list(tr.columns)) if c in te.columns]
    if not cols or tr.n_rows < 10 or te.n_rows < 10:
        return CheckResult("adversarial_validation", [], {"auc": None, "skipped": "too small"})
    # Categories are coded on train and test together so the same value gets the same code.
    n_a, n_b = min(tr.n_rows, sample), min(te.n_rows, sample)
    ra, rb = sample_rows(tr.n_rows, n_a, random_state), sample_rows(te.n_rows, n_b, random_state)
    X = np.empty((n_a + n_b, len(cols)))
    for j, c in enumerate(cols):
        if tr.kinds[c] == te.kinds[c] == "numeric":
            a, b = tr.columns[c][ra], te.columns[c][rb]
        else:
            ca, cb, _ = aligned_codes(tr, te, c)
            a, b = ca[ra], cb[rb]
            a, b = np.where(a < 0, np.nan, a), np.where(b < 0, np.nan, b)
        X[:n_a, j], X[n_a:, j] = a, b
    usable = ~np.all(np.isnan(X), axis=0)
    X, cols = X[:, usable], [c for c, ok in zip(cols, usable, strict=True) if ok]
    if not cols:
        return CheckResult("adversarial_validation", [], {"auc": None, "skipped": "no data"})
    y = np.r_[np.zeros(n_a), np.ones(n_b)]
    X_fit, X_ev, y_fit, y_ev = train_test_split(
        X, y, test_size=0.33, stratify=y, random_state=random_state
    )
    model = HistGradientBoostingClassifier(max_iter=100, random_state=random_state)
    importance: dict[str, float] = {}
    with small_threads(len(X)):
        model.fit(X_fit, y_fit)
        auc = float(roc_auc_score(y_ev, model.predict_proba(X_ev)[:, 1]))
        imp = (
            permutation_importance(
                model, X_ev, y_ev, scoring="roc_auc", n_repeats=3, random_state=random_state
            )
            if auc >= 0.6
            else None
        )
    if imp is not None:
        ranked = np.argsort(-imp.importances_mean)[:5]
        importance = {
            cols[i]: float(imp.importances_mean[i])
            for i in ranked
            if imp.importances_mean[i] > 0.005
        }
    findings = []
    if auc >= 0.65:
        top = list(importance) or cols[:1]
        findings.append(
            Finding(
                "high" if auc >= 0.8 else "medium",
                "adversarial_validation",
                top,
                f"a classifier tells train from test apart (AUC {auc:.2f}); most telling: "
                + ", ".join(top[:3]),
                {"auc": auc, "importance": importance},
            )
        )
    return CheckResult("adversarial_validation", findings, {"auc": auc, "importance": importance})
