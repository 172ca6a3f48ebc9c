"""The speed-ups of the checks against slow, obvious reference computations.

Categories travel as integer codes, duplicate rows are found by hashing, single-feature scores
come from per-bin counts: each is checked here against the plain pandas / scikit-learn result.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from sklearn.metrics import accuracy_score, r2_score, roc_auc_score

from toolkit.checks import drift, health_report, leakage
from toolkit.checks._frames import aligned_codes, labels, to_table
from toolkit.checks.train_test_leakage import binned_auc, duplicates, one_feature_score


@pytest.mark.parametrize("seed", range(5))
def test_binned_auc_equals_roc_auc_score(seed):
    rng = np.random.default_rng(seed)
    n_bins = int(rng.integers(2, 40))
    score = rng.integers(0, 6, n_bins) / 5.0  # many ties between bins
    bins = rng.integers(0, n_bins, 3000)
    y = (rng.uniform(size=3000) < 0.2 + 0.5 * score[bins]).astype(float)
    assert binned_auc(score, bins, y) == pytest.approx(roc_auc_score(y, score[bins]), abs=1e-12)


def test_one_feature_scores_equal_the_row_by_row_metrics():
    rng = np.random.default_rng(3)
    b_fit, b_ev = rng.integers(0, 12, 2000), rng.integers(0, 14, 1500)  # bins 12, 13 unseen
    y_fit, y_ev = rng.integers(0, 3, 2000), rng.integers(0, 3, 1500)
    table = np.zeros((14, 3))
    np.add.at(table, (b_fit, y_fit), 1)
    prior = np.bincount(y_fit, minlength=3) / len(y_fit)
    counts = table.sum(1, keepdims=True)
    probs = np.where(counts > 0, table / np.maximum(counts, 1), prior)
    got = one_feature_score("classification", 3, b_fit, y_fit, b_ev, y_ev)
    assert got == pytest.approx(accuracy_score(y_ev, probs[b_ev].argmax(1)))
    v_fit, v_ev = rng.normal(size=2000) + b_fit, rng.normal(size=1500) + b_ev
    means = np.array(
        [v_fit[b_fit == b].mean() if (b_fit == b).any() else v_fit.mean() for b in range(14)]
    )
    got = one_feature_score("regression", 0, b_fit, v_fit, b_ev, v_ev)
    assert got == pytest.approx(r2_score(v_ev, means[b_ev]))


def _frames(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Small discrete tables: many rows repeat, within and across the splits."""
    rng = np.random.default_rng(seed)

    def frame(n: int) -> pd.DataFrame:
        df = pd.DataFrame(
            {
                "a": rng.integers(0, 4, n).astype(float),
                "b": rng.choice(["x", "y", None], n),
                "c": rng.choice([0.5, np.nan], n),
            }
        )
        df["y"] = rng.integers(0, 2, n)
        return df

    return frame(300), frame(120)


@pytest.mark.parametrize("seed", range(4))
def test_duplicate_counts_equal_a_pandas_merge(seed):
    train, test = _frames(seed)
    cols = ["a", "b", "c"]
    _, summary = duplicates(to_table(train, "train"), to_table(test, "test"), cols)
    keys = train[cols].drop_duplicates().assign(_seen=True)
    merged = test[cols].merge(keys, on=cols, how="left")  # pandas matches NaN/None keys
    assert summary["duplicate_test_rows"] == int(merged["_seen"].eq(True).sum())
    expected_within = float(train[cols].duplicated(keep=False).mean())
    assert summary["within_train_duplicate_rate"] == pytest.approx(expected_within)


def test_category_codes_are_shared_between_tables():
    train = pd.DataFrame({"g": ["a", "b", None, "c"], "y": [0, 1, 0, 1]})
    test = pd.DataFrame({"g": ["c", "d", None, "a"], "y": [1, 0, 1, 0]})
    tr, te = to_table(train, "train"), to_table(test, "test")
    ca, cb, names = aligned_codes(tr, te, "g")
    decoded_a = [None if c < 0 else names[c] for c in ca]
    decoded_b = [None if c < 0 else names[c] for c in cb]

    def written(column: pd.Series) -> list[str | None]:
        return [None if pd.isna(v) else v for v in column]

    assert decoded_a == written(train.g) and decoded_b == written(test.g)
    assert labels(te, "g").tolist() == written(test.g)
    # string groups: 'a' and 'c' are in both splits
    found = {f.check: f for f in leakage(train, test, target="y", group="g").findings}
    assert found["shared_groups"].evidence["shared"] == 2
    assert set(found["shared_groups"].evidence["examples"]) == {"a", "c"}


def test_category_drift_with_unseen_categories_and_mixed_kinds():
    rng = np.random.default_rng(0)
    a = pd.DataFrame({"c": rng.choice(["u", "v"], 3000), "n": rng.integers(0, 3, 3000)})
    b = pd.DataFrame({"c": rng.choice(["v", "w"], 3000), "n": rng.integers(0, 3, 3000).astype(str)})
    result = drift(a, b)
    high = {f.columns[0] for f in result.findings if f.severity == "high"}
    assert "c" in high  # half the test rows are a category train never had
    assert "n" not in high  # the same values, read as numbers in one split and text in the other


def test_inputs_are_never_written_and_infinities_counted():
    df = pd.DataFrame(
        {"x": [1.0, np.inf, 3.0, -np.inf] * 10, "z": np.arange(40.0), "y": [0, 1] * 20}
    )
    before = df.copy()
    table = to_table(df, "train")
    assert table.infinite == {"x": 20}
    assert np.isnan(table.columns["x"]).sum() == 20
    # a view of the caller's memory at most, never writable
    assert not table.columns["x"].flags.writeable and not table.columns["z"].flags.writeable
    health_report(df, target="y")
    pd.testing.assert_frame_equal(df, before)


def test_pandas_and_polars_reports_agree(clean_split):
    train, test = clean_split
    test = pd.concat([test, train.iloc[:40]], ignore_index=True)  # plant duplicates
    a = health_report(train, test, target="y", group="patient").to_dict()
    b = health_report(
        pl.from_pandas(train), pl.from_pandas(test), target="y", group="patient"
    ).to_dict()
    assert [c["findings"] for c in a["checks"]] == [c["findings"] for c in b["checks"]]


def test_target_scan_states_its_sample_sizes(clean_split):
    train, test = clean_split
    train, test = train.assign(copy=train.y * 2.0), test.assign(copy=test.y * 2.0)
    leak = next(f for f in leakage(train, test, target="y").findings if f.check == "target_leak")
    assert leak.evidence["fit_rows"] == len(train) and leak.evidence["eval_rows"] == len(test)


def test_odd_column_types_read_as_written():
    df = pd.DataFrame(
        {
            "mixed": [1, "a", None, 2.5],
            "cat": pd.Categorical(["x", None, "y", "x"], categories=["x", "y", "z"]),
            "wait": pd.to_timedelta([1, 2, None, 4], unit="ms"),
        }
    )
    assert labels(to_table(df, "t"), "mixed").tolist() == ["1", "a", None, "2.5"]
    for frame in (df, pl.from_pandas(df.drop(columns="mixed"))):  # polars refuses mixed objects
        t = to_table(frame, "t")
        assert labels(t, "cat").tolist() == ["x", None, "y", "x"]
        np.testing.assert_allclose(t.columns["wait"], [0.001, 0.002, np.nan, 0.004])


def test_sampled_label_step_finds_planted_flips():
    # above the 10k-row label sample: the report's own (15-leaf, early-stopped) model runs
    rng = np.random.default_rng(7)
    n = 14_000
    df = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    df["y"] = (df.a + 0.5 * df.b > 0).astype(int)
    flipped = rng.choice(n, n // 20, replace=False)
    df.loc[flipped, "y"] = 1 - df.loc[flipped, "y"]
    result = next(r for r in health_report(df, target="y").results if r.name == "label_issues")
    assert "of a 10,000-row sample" in result.findings[0].message
    top = [item["row"] for item in result.findings[0].evidence["top"]]  # rows of the full frame
    assert np.isin(top, flipped).mean() >= 0.8
    assert np.isin(result.summary["rows_flagged"], flipped).mean() >= 0.5


def test_above_the_sample_sizes_planted_problems_are_found_and_clean_stays_clean():
    # 150k rows: every sampled step (100k-row scan and drift, 20k adversarial, 10k labels) samples
    rng = np.random.default_rng(11)
    n = 150_000
    df = pl.DataFrame(
        {
            "x": rng.normal(size=n),
            "z": rng.exponential(size=n),
            "c": rng.choice(["a", "b", "c", "d"], n),
        }
    ).with_columns(y=((pl.col("x") + rng.normal(size=n)) > 0).cast(pl.Int64))
    train, test = df[:120_000], df[120_000:]
    clean = health_report(train, test, target="y")
    assert not clean.has_high, str(clean)
    leaky = health_report(
        train.with_columns(copy=pl.col("y") * 3.0),
        test.with_columns(copy=pl.col("y") * 3.0, z=pl.col("z") + 2.0),
        target="y",
    )
    high = {(f.check, f.columns[0]) for f in leaky.findings if f.severity == "high"}
    assert ("target_leak", "copy") in high
    assert ("drift", "z") in high
    assert ("adversarial_validation", "z") in high
