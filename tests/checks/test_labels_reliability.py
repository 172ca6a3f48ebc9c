from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.metrics import accuracy_score, roc_auc_score

from toolkit.checks import bootstrap_ci, compare_models, label_issues, paired_bootstrap
from toolkit.errors import UsageError


def test_flipped_labels_found():
    X, y = make_classification(1500, n_features=8, n_informative=5, class_sep=2.0, random_state=0)
    flipped = np.random.default_rng(0).choice(len(y), 60, replace=False)
    y_noisy = y.copy()
    y_noisy[flipped] = 1 - y_noisy[flipped]
    result = label_issues(X, y_noisy, cv=3)
    top = set(result.positions[:60].tolist())
    assert len(top & set(flipped.tolist())) >= 40  # precision of the top 60 >= 2/3
    assert set(result.suggested[: len(result.positions)]) <= {0, 1}
    assert result.findings[0].check == "label_issues"


def test_unpredictable_labels_are_reported_as_such_not_as_half_the_rows_mislabeled():
    """Shuffled labels (a misjoined target) leave the model no better than class frequencies;
    confident learning would then flag ~half the rows, right or wrong."""
    X, _ = make_classification(1500, random_state=0)
    shuffled = np.random.default_rng(0).integers(0, 2, len(X))
    result = label_issues(X, shuffled, cv=3)
    assert len(result.positions) == 0 and len(result.findings) == 1
    finding = result.findings[0]
    assert finding.severity == "medium" and "not predictable" in finding.message
    assert finding.evidence["skill"] < 0.02


def test_weak_features_cap_the_severity():
    """Overlapping classes look like flipped labels to any model: flags become leads."""
    X, y = make_classification(2000, n_informative=2, class_sep=0.1, flip_y=0, random_state=1)
    result = label_issues(X, y, cv=3)
    assert 0.1 <= result.summary["skill"] < 0.5
    [finding] = result.findings
    assert finding.severity == "medium" and "hard cases" in finding.message


def test_many_flipped_labels_are_still_found_not_called_unpredictable():
    """Skill is a ranking measure: 30% confidently-wrong labels must not read as 'no signal'
    (a log-loss-based skill would: those rows are exactly the ones that blow it up)."""
    X, y = make_classification(3000, n_features=8, n_informative=5, class_sep=2.0, random_state=0)
    flipped = np.random.default_rng(1).choice(len(y), 900, replace=False)
    y[flipped] = 1 - y[flipped]
    result = label_issues(X, y, cv=3)
    assert result.summary["skill"] >= 0.1
    found = set(result.positions[:900].tolist()) & set(flipped.tolist())
    assert len(found) >= 0.6 * 900


def test_label_issues_bad_input():
    with pytest.raises(UsageError, match="two classes"):
        label_issues(np.zeros((10, 2)), np.zeros(10))
    with pytest.raises(UsageError, match="pred_proba"):
        label_issues(None, [0, 1, 0], pred_proba=np.ones((3, 3)))


def test_bootstrap_coverage_near_nominal():
    # True accuracy 0.8; each simulated test set has 200 rows.
    rng = np.random.default_rng(0)
    hits, trials = 0, 200
    for i in range(trials):
        y = rng.integers(0, 2, 200)
        pred = np.where(rng.uniform(size=200) < 0.8, y, 1 - y)
        ci = bootstrap_ci(
            y, pred, lambda a, b: float(np.mean(a == b)), n_resamples=400, random_state=i
        )
        hits += ci.low <= 0.8 <= ci.high
    assert 0.88 <= hits / trials <= 0.99


def test_bootstrap_with_sklearn_metric_names():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 300)
    score = y + rng.normal(0, 0.8, 300)
    ci = bootstrap_ci(y, score, "roc_auc", n_resamples=200)
    assert ci.estimate == pytest.approx(roc_auc_score(y, score))
    assert ci.low < ci.estimate < ci.high
    assert "roc_auc" in str(ci)
    with pytest.raises(UsageError, match="metric"):
        bootstrap_ci(y, score, "no_such_metric")
    with pytest.raises(UsageError, match="y_pred"):
        bootstrap_ci(y, score[:10])
    with pytest.raises(UsageError, match="empty"):
        bootstrap_ci([], [])


def test_paired_bootstrap_detects_real_and_no_difference():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 1000)
    a = np.where(rng.uniform(size=1000) < 0.80, y, 1 - y)
    b = np.where(rng.uniform(size=1000) < 0.88, y, 1 - y)
    res = paired_bootstrap(y, a, b, accuracy_score)
    assert res.verdict == "B is better than A" and res.p_value < 0.01
    same = paired_bootstrap(y, a, a.copy(), "accuracy")
    assert same.verdict == "no significant difference between A and B"
    loss = paired_bootstrap(y, a, b, "zero_one_loss", greater_is_better=False)
    assert loss.verdict == "B is better than A"


def test_compare_models_leaderboard():
    X, y = make_classification(300, n_features=6, random_state=0)
    board = compare_models(X, y, cv=3)
    assert list(board.columns) == ["model", "mean", "std", "fit_time", "predict_time"]
    assert board["mean"].is_monotonic_decreasing
    assert board.iloc[-1]["model"].startswith("dummy")
    assert (board[["fit_time", "predict_time"]] > 0).all().all()
    with pytest.raises(UsageError, match="y:"):
        compare_models(X, y[:10])


def test_health_report_states_unpredictable_labels_without_a_row_list():
    import pandas as pd

    from toolkit.checks import health_report

    X, _ = make_classification(3000, n_features=5, random_state=0)
    frame = pd.DataFrame(X, columns=list("abcde"))
    frame["y"] = np.random.default_rng(1).integers(0, 2, len(frame))
    report = health_report(frame, target="y")
    label = [f for f in report.findings if f.check == "label_issues"]
    assert len(label) == 1 and "not predictable" in label[0].message
    assert "most suspect rows" not in label[0].message


def test_label_issues_names_rows_by_index_label_after_a_split() -> None:
    import warnings

    import pandas as pd
    from sklearn.model_selection import train_test_split

    X, y = make_classification(1200, n_features=6, class_sep=2.0, random_state=0)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(6)])
    labels = pd.Series(y)
    labels.iloc[:40] = 1 - labels.iloc[:40]  # flipped rows carry index labels 0..39
    X_tr, _, y_tr, _ = train_test_split(frame, labels, test_size=0.3, random_state=0)
    result = label_issues(X_tr, y_tr)
    assert X_tr.index[result.positions].tolist() == result.index.tolist()
    hits = set(result.index[:40].tolist()) & set(range(40))
    assert len(hits) >= 15  # .loc labels, not positions of the shuffled split
    assert "(index labels)" in result.findings[0].message
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert result.indices.tolist() == result.positions.tolist()
    assert caught and caught[0].category is DeprecationWarning
