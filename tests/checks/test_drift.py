from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from scipy.stats import ks_2samp

from toolkit.checks import adversarial_validation, drift
from toolkit.checks.train_test_drift import psi


def test_clean_split_no_drift(clean_split):
    train, test = clean_split
    assert not drift(train, test).findings
    assert not adversarial_validation(train.drop(columns="day"), test.drop(columns="day")).findings


def test_shifted_features_named(clean_split):
    train, test = clean_split
    test = test.assign(x2=test.x2 * 4, cat=np.where(test.x1 > 0, "c", test.cat))
    result = drift(train, test)
    assert {f.columns[0] for f in result.findings if f.severity == "high"} == {"x2", "cat"}
    adv = adversarial_validation(train, test, columns=["x1", "x2", "x3"])
    assert adv.findings[0].columns[0] == "x2"
    assert adv.summary["auc"] > 0.65


def test_ks_matches_scipy_and_psi_reference():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=3000), rng.normal(0.3, size=3000)
    stats = drift(pl.DataFrame({"v": a}), pl.DataFrame({"v": b})).summary["per_feature"]["v"]
    assert stats["ks"] == pytest.approx(ks_2samp(a, b).statistic)
    # PSI reference: deciles of `a`, hand-computed
    edges = np.quantile(a, np.linspace(0, 1, 11))
    edges[0], edges[-1] = -np.inf, np.inf
    p = np.histogram(a, edges)[0] / len(a)
    q = np.histogram(b, edges)[0] / len(b)
    assert psi(a, b) == pytest.approx(np.sum((q - p) * np.log(q / p)), rel=1e-6)


def test_ks_of_large_samples_is_scipys_statistic_with_the_asymptotic_p_value():
    """Above 10,000 rows per side the statistic is scipy's exactly and the p-value the
    asymptotic Kolmogorov one (scipy's kstwo costs up to 0.1 s a column there): within 2 %."""
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=30_000), rng.normal(0.02, size=30_000)
    stats = drift(pl.DataFrame({"v": a}), pl.DataFrame({"v": b})).summary["per_feature"]["v"]
    reference = ks_2samp(a, b)
    assert stats["ks"] == reference.statistic
    assert 1e-4 < reference.pvalue < 0.5
    assert stats["p_value"] == pytest.approx(reference.pvalue, rel=0.02)


def test_missing_rate_drift_and_all_nan(clean_split):
    train, test = clean_split
    test = test.assign(x3=np.where(test.x1 > -0.5, np.nan, test.x3), empty=np.nan)
    result = drift(train.assign(empty=np.nan), test)
    assert "missing_drift" in {f.check for f in result.findings if f.columns == ["x3"]}
