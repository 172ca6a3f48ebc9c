"""Label quality: rows whose given label the data disagrees with, found confident-learning style
from out-of-fold predicted probabilities (Northcutt et al., the method behind cleanlab).

Example:
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> X, y = make_classification(400, random_state=0)
    >>> y[:10] = 1 - y[:10]
    >>> r = label_issues(X, y)
    >>> len(set(r.positions[:20]) & set(range(10))) >= 5
    True
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from toolkit.checks._frames import feature_matrix
from toolkit.checks.result import CheckResult, Finding
from toolkit.errors import UsageError


@dataclass
class LabelIssues(CheckResult):
    """A :class:`CheckResult` plus the suspect rows, most suspicious first.

    ``positions`` are 0-based row positions in ``X``/``y`` (use ``X.iloc[positions]``);
    ``index`` holds the same rows' index labels (``X.loc[index]``): the pandas index of ``y``
    or ``X`` when one was given, else the positions again. The messages name rows by ``index``.
    """

    positions: np.ndarray[Any, Any] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    suggested: np.ndarray[Any, Any] = field(default_factory=lambda: np.zeros(0, dtype=object))
    index: np.ndarray[Any, Any] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def indices(self) -> np.ndarray[Any, Any]:
        """Deprecated name of :attr:`positions` (they are positions, not index labels)."""
        warnings.warn(
            "LabelIssues.indices is deprecated: use .positions (X.iloc) or .index (X.loc)",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.positions


def _row_labels(X: Any, y: Any, index: Any, n: int) -> tuple[np.ndarray[Any, Any], str]:
    """The label of every row for messages and ``.index``, and what those labels are."""
    if index is not None:
        labels = np.asarray(index)
        if len(labels) != n:
            raise UsageError(f"index: {len(labels)} labels for {n} rows")
        return labels, ""
    for source in (y, X):
        pandas_index = getattr(source, "index", None)
        if pandas_index is not None and hasattr(pandas_index, "to_numpy"):
            return np.asarray(pandas_index.to_numpy()), "index labels"
    return np.arange(n), "positions"


def out_of_fold_proba(
    X: Any,
    y: np.ndarray[Any, Any],
    *,
    cv: int = 5,
    random_state: int = 0,
    max_leaf_nodes: int = 31,
    early_stopping: bool | str = "auto",
) -> np.ndarray[Any, Any]:
    """Out-of-fold class probabilities from a HistGradientBoostingClassifier (handles NaN).

    ``max_leaf_nodes`` and ``early_stopping`` are passed to the model (scikit-learn's defaults:
    31 and "auto", i.e. on above 10,000 rows); the health report uses 15 and on, which finds
    planted label flips as well in half the time.
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    from toolkit.checks._frames import small_threads

    features = usable_columns(feature_matrix(X), "X")
    model = HistGradientBoostingClassifier(
        max_iter=100,
        max_leaf_nodes=max_leaf_nodes,
        early_stopping=early_stopping,
        random_state=random_state,
    )
    folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=random_state)
    with small_threads(len(features)):
        proba = cross_val_predict(model, features, y, cv=folds, method="predict_proba")
    return np.asarray(proba)


def usable_columns(X: np.ndarray[Any, Any], argument: str) -> np.ndarray[Any, Any]:
    """Drop all-missing columns (gradient boosting cannot bin them); none left is an error."""
    keep = ~np.all(np.isnan(X), axis=0)
    if not keep.any():
        raise UsageError(f"{argument}: every feature column is empty")
    return X[:, keep]


# Confident learning trusts the model: rows are suspect when it disagrees with their label.
# When the features barely predict the label (a shuffled or misjoined target, or a hard task),
# it disagrees with half the rows, right or wrong, so that is reported instead of row flags.
# Skill is the Gini (2 AUC - 1) of the probabilities against the given labels: with a share
# p of labels flipped at random, a perfect model still scores 1 - 2p. Below _WEAK_SIGNAL,
# flips and hard, overlapping classes look the same to the model, so flags are capped at
# medium and called leads.
_NO_SIGNAL = 0.1
_WEAK_SIGNAL = 0.5


def _skill(proba: np.ndarray[Any, Any], y_codes: np.ndarray[Any, Any]) -> float:
    """Gini (2 AUC - 1; one-vs-rest macro AUC for more classes) of the probabilities against
    the given labels: 0 = no better than chance, 1 = perfect ranking. Ranks, not log-loss: the
    rows confident learning is after (confidently predicted, wrongly labelled) would drag a
    log-loss down with them."""
    from sklearn.metrics import roc_auc_score

    if proba.shape[1] == 2:
        auc = roc_auc_score(y_codes, proba[:, 1])
    else:
        scores = proba / np.clip(proba.sum(axis=1, keepdims=True), 1e-12, None)
        auc = roc_auc_score(y_codes, scores, multi_class="ovr", labels=np.arange(proba.shape[1]))
    return float(2 * auc - 1)


def _unpredictable(labels: np.ndarray[Any, Any], n: int, skill: float) -> LabelIssues:
    finding = Finding(
        "medium",
        "label_issues",
        [],
        f"the label is not predictable from the features (out-of-fold Gini {skill:.2f}, "
        "0 = chance): check that the target column is the right one "
        "and aligned with its rows; rows cannot be judged mislabeled",
        {"skill": skill},
    )
    return LabelIssues("label_issues", [finding], {"rows": n, "suspect": 0, "skill": skill})


def label_issues(
    X: Any,
    y: Any,
    *,
    pred_proba: Any = None,
    cv: int = 5,
    random_state: int = 0,
    index: Any = None,
    sample_of: int | None = None,
) -> LabelIssues:
    """Rank rows whose label is likely wrong.

    Rows are named by their index labels when ``y`` or ``X`` is a pandas object (so
    ``X.loc[result.index]`` picks them even after ``train_test_split``), else by position;
    ``index=`` gives labels of your own. ``sample_of=N`` says in the message that these rows
    are a sample of ``N``.

    A row is suspect when the probability of its given label is below that class's average
    self-confidence while another class clears its own threshold (confident learning). Pass
    ``pred_proba`` (out-of-fold, columns in sorted label order) to reuse your own model;
    otherwise gradient-boosted trees are cross-validated on ``X``.

    Example:
        >>> import numpy as np
        >>> p = np.array([[0.9, 0.1], [0.8, 0.2], [0.1, 0.9], [0.2, 0.8], [0.95, 0.05]])
        >>> label_issues(None, [0, 0, 1, 1, 1], pred_proba=p).positions.tolist()
        [4]
    """
    row_labels, named_by = _row_labels(X, y, index, len(np.asarray(y)))
    labels, y_codes = np.unique(np.asarray(y), return_inverse=True)
    if len(labels) < 2:
        raise UsageError("y: needs at least two classes to look for label issues")
    if pred_proba is None:
        counts = np.bincount(y_codes)
        if counts.min() < cv:
            raise UsageError(f"y: the rarest class has {counts.min()} rows; need at least cv={cv}")
        proba = out_of_fold_proba(X, y_codes, cv=cv, random_state=random_state)
    else:
        proba = np.asarray(pred_proba, dtype=float)
        if proba.shape != (len(y_codes), len(labels)):
            raise UsageError(
                f"pred_proba: expected shape {(len(y_codes), len(labels))}, got {proba.shape}"
            )
    n = len(y_codes)
    skill = _skill(proba, y_codes)
    if skill < _NO_SIGNAL:
        return _unpredictable(labels, n, skill)
    self_conf = proba[np.arange(n), y_codes]
    thresholds = np.array([proba[y_codes == k, k].mean() for k in range(len(labels))])
    above = proba >= thresholds[None, :]
    above[np.arange(n), y_codes] = False
    # The most likely other class among those above their own threshold.
    others = np.where(above, proba, -1.0)
    best_other = others.argmax(axis=1)
    suspect = (self_conf < thresholds[y_codes]) & (others.max(axis=1) >= 0)
    idx = np.flatnonzero(suspect)
    margin = self_conf[idx] - proba[idx, best_other[idx]]
    order = idx[np.argsort(margin, kind="stable")]
    rate = len(order) / n
    findings = []
    if len(order):
        severity = "high" if rate >= 0.2 else "medium" if rate >= 0.05 else "low"
        if skill < _WEAK_SIGNAL and severity == "high":  # hard cases look like flips too
            severity = "medium"
        top = [
            {
                "row": _plain(row_labels[i]),
                "label": labels[y_codes[i]],
                "suggested": labels[best_other[i]],
                "p_label": float(self_conf[i]),
            }
            for i in order[:20]
        ]
        sampled = f" of a {n:,}-row sample" if sample_of and sample_of > n else ""
        findings.append(
            Finding(
                severity,
                "label_issues",
                [],
                f"{len(order)} rows ({rate:.1%}){sampled} look mislabeled"
                + (
                    f" (the features predict the label only moderately, Gini {skill:.2f}: "
                    "some of these may be hard cases rather than errors)"
                    if skill < _WEAK_SIGNAL
                    else ""
                )
                + "; most suspect rows"
                + (f" ({named_by}): " if named_by else ": ")
                + ", ".join(str(_plain(row_labels[i])) for i in order[:5]),
                {"count": len(order), "rate": rate, "top": top, "skill": skill},
            )
        )
    return LabelIssues(
        "label_issues",
        findings,
        {"rows": n, "suspect": len(order), "thresholds": thresholds, "skill": skill},
        positions=order,
        suggested=labels[best_other[order]],
        index=row_labels[order],
    )


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds (JSON and messages read it as written)."""
    return value.item() if hasattr(value, "item") else value
