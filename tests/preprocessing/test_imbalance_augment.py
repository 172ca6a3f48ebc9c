"""class_weights / sample_weights against the formulas; mixup and add_noise properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.utils.class_weight import compute_class_weight, compute_sample_weight

from toolkit.errors import UsageError
from toolkit.preprocessing import add_noise, class_weights, mixup
from toolkit.preprocessing.imbalance import sample_weights


def test_balanced_matches_sklearn() -> None:
    y = np.array(["a"] * 70 + ["b"] * 20 + ["c"] * 10)
    w = class_weights(y)
    ref = compute_class_weight("balanced", classes=np.array(["a", "b", "c"]), y=y)
    assert list(w) == ["a", "b", "c"]
    np.testing.assert_allclose(list(w.values()), ref)
    np.testing.assert_allclose(sample_weights(y), compute_sample_weight("balanced", y))


def test_effective_number_matches_cui_et_al() -> None:
    y = np.array([0] * 900 + [1] * 90 + [2] * 10)
    beta = 0.999
    w = class_weights(y, method="effective", beta=beta)
    counts = np.array([900, 90, 10])
    raw = (1 - beta) / (1 - beta**counts)
    np.testing.assert_allclose(list(w.values()), raw / raw.sum() * 3)
    assert w[2] > w[1] > w[0]
    # β = 0: every class weighs the same; β → 1: approaches inverse frequency.
    assert class_weights(y, method="effective", beta=0.0) == {0: 1.0, 1: 1.0, 2: 1.0}
    near = class_weights(y, method="effective", beta=1 - 1e-9)
    inv = 1 / counts
    np.testing.assert_allclose(list(near.values()), inv / inv.sum() * 3, rtol=1e-4)
    sw = sample_weights(y, method="effective", beta=beta)
    assert sw[0] == w[0] and sw[-1] == w[2]


def test_class_weight_errors() -> None:
    with pytest.raises(UsageError, match="y: is empty"):
        class_weights([])
    with pytest.raises(UsageError, match="y: contains NaN"):
        class_weights([0.0, np.nan])
    with pytest.raises(UsageError, match="y: expected a 1-D"):
        class_weights([[0, 1]])
    with pytest.raises(UsageError, match="beta"):
        class_weights([0, 1], method="effective", beta=1.0)
    with pytest.raises(UsageError, match="method"):
        class_weights([0, 1], method="focal")  # type: ignore[arg-type]


def test_mixup_is_a_convex_combination_and_seeded() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3, 4, 4))  # image-shaped input
    y = rng.integers(0, 3, 64)
    X0, y0 = X.copy(), y.copy()
    Xm, ym = mixup(X, y, alpha=0.4, n_samples=100, random_state=1)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    assert Xm.shape == (100, 3, 4, 4) and ym.shape == (100, 3)
    np.testing.assert_allclose(ym.sum(axis=1), 1.0)
    assert (ym >= 0).all() and (ym <= 1).all()
    # Reproduce the documented construction: λ·x_i + (1-λ)·x_j with the same generator order.
    g = np.random.default_rng(1)
    i, j = g.integers(0, 64, 100), g.integers(0, 64, 100)
    lam = g.beta(0.4, 0.4, 100)
    np.testing.assert_allclose(
        Xm, lam[:, None, None, None] * X[i] + (1 - lam[:, None, None, None]) * X[j]
    )
    np.testing.assert_allclose(ym[:, 0], lam * (y[i] == 0) + (1 - lam) * (y[j] == 0))
    Xm2, _ = mixup(X, y, alpha=0.4, n_samples=100, random_state=1)
    np.testing.assert_array_equal(Xm, Xm2)


def test_mixup_regression_target_and_errors() -> None:
    X = np.arange(10.0).reshape(5, 2)
    y = X[:, 0] * 2.0
    Xm, ym = mixup(X, y, random_state=0)
    np.testing.assert_allclose(ym, Xm[:, 0] * 2.0)  # linear target stays consistent
    with pytest.raises(UsageError, match="y: has"):
        mixup(X, y[:3])
    with pytest.raises(UsageError, match="alpha"):
        mixup(X, y, alpha=0)
    with pytest.raises(UsageError, match="X: contains infinite"):
        mixup(np.array([[np.inf]]), [1])
    with pytest.raises(UsageError, match="X: contains NaN"):
        mixup(np.array([[np.nan]]), [1])
    with pytest.raises(UsageError, match="X: is empty"):
        mixup(np.empty((0, 2)), [])


@given(st.floats(0, 2), st.sampled_from(["gaussian", "uniform"]), st.integers(0, 2**31))
@settings(max_examples=30, deadline=None)
def test_add_noise_scale_is_relative_per_feature(scale: float, kind: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(200, 3)) * np.array([1.0, 100.0, 0.0]) + 5
    X0 = X.copy()
    out = add_noise(X, scale=scale, kind=kind, random_state=seed)  # type: ignore[arg-type]
    np.testing.assert_array_equal(X, X0)
    diff = out - X
    std = X.std(axis=0)
    bound = scale * std * (6 if kind == "gaussian" else 1) + 1e-9
    assert (np.abs(diff) <= bound).all()
    np.testing.assert_array_equal(diff[:, 2], 0.0)  # constant feature: zero std, no noise


def test_add_noise_keeps_nan_absolute_mode_and_errors() -> None:
    X = np.array([[1.0, np.nan], [2.0, 3.0], [3.0, 4.0]])
    out = add_noise(X, scale=0.5, relative=False, random_state=0)
    assert np.isnan(out[0, 1]) and not np.isnan(out).sum() > 1
    big = add_noise(np.zeros((10000, 1)), scale=2.0, relative=False, random_state=0)
    assert abs(big.std() - 2.0) < 0.1
    np.testing.assert_array_equal(add_noise(X, random_state=3), add_noise(X, random_state=3))
    with pytest.raises(UsageError, match="scale"):
        add_noise(X, scale=-1)
    with pytest.raises(UsageError, match="kind"):
        add_noise(X, kind="salt")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="X: contains infinite"):
        add_noise(np.array([np.inf]))
