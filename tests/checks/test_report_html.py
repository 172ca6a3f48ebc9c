"""The health report page as a person reads it: evidence tables, the measures explained, a
per-column profile, and figures that show the flagged problem (issue 12 items 14, 15, 18)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from toolkit.checks import health_report, report_figures
from toolkit.errors import UsageError


def _planted(n: int = 3000, wide: int = 0, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({f"f{i:02d}": rng.normal(size=n) for i in range(wide)})
    df["用户ID"] = rng.permutation(n) + 10_000
    df["age"] = rng.normal(40, 10, n)
    df["channel"] = rng.choice(["web", "app", "store"], n, p=[0.5, 0.3, 0.2])
    df["y"] = ((df["age"] - 40) / 10 + rng.normal(size=n) > 0.5).astype(int)
    df["leak"] = df["y"] * 2 + rng.normal(0, 0.01, n)
    flip = rng.choice(n, n // 30, replace=False)
    df.loc[flip, "y"] = 1 - df.loc[flip, "y"]
    cut = n * 3 // 4
    train, test = df.iloc[:cut].reset_index(drop=True), df.iloc[cut:].reset_index(drop=True)
    return train, pd.concat([test, train.iloc[:30]], ignore_index=True)


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The matplotlib figures the report draws, kept instead of encoded as PNG."""
    figs: list[Any] = []
    monkeypatch.setattr(report_figures, "_png", lambda fig: figs.append(fig) or "")
    return figs


def test_heatmap_keeps_target_and_flagged_columns_and_says_what_it_left_out() -> None:
    train, test = _planted(wide=25)  # the target and the leak come after 25 other columns
    report = health_report(train, test, target="y")
    shown, left_out = report_figures.correlation_columns(report)
    assert shown[:2] == ["y", "leak"] and len(shown) == 20
    assert "用户ID" not in shown + left_out  # identifiers only correlate with each other
    assert set(shown) | set(left_out) == {*train.columns} - {"用户ID"}
    page = report.to_html()
    assert f"{len(left_out)} more column(s) not shown: " in page


def test_figures_follow_the_findings(captured: list[Any]) -> None:
    train, test = _planted()
    report = health_report(train, test, target="y")
    assert any(f.check == "strong_feature" and f.columns == ["leak"] for f in report.findings)
    assert not [f for f in report.findings if f.check == "drift"]
    captions = [f.caption for f in report_figures.figures(report)]
    assert any(c.startswith("target leak: 'leak' against 'y'") for c in captions)
    # no drift was found: no train-vs-test chart of two unrelated columns
    assert not [c for c in captions if c.startswith("train vs test")]


def test_a_drifted_category_is_not_titled_class_balance_and_its_legend_covers_no_bar(
    captured: list[Any],
) -> None:
    train, test = _planted()
    test.loc[: len(test) // 2, "channel"] = "store"
    report = health_report(train, test, target="y")
    drawn = dict(zip([f.caption for f in report_figures.figures(report)], captured, strict=True))
    fig = drawn["train vs test: 'channel'"]
    ax = fig.axes[0]
    assert "Class balance" not in ax.get_title() and "channel" in ax.get_title()
    fig.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    for bar in ax.patches:
        assert not legend.overlaps(bar.get_window_extent())


def test_evidence_is_tables_and_each_measure_is_explained() -> None:
    train, test = _planted()
    test["age"] += 8  # drift: PSI quoted
    page = health_report(train, test, target="y").to_html()
    assert "<th>test row</th><th>same as train row</th>" in page  # duplicated rows
    assert "<th>suggested</th><th>p(given label)</th>" in page  # suspect labels
    assert "<dt>PSI</dt><dd>population stability index" in page
    assert "<dt>Gini</dt><dd>how well an out-of-fold model ranks" in page
    assert "<dt>AUC</dt>" in page


def test_the_page_profiles_every_column_as_the_profile_decided() -> None:
    train, test = _planted()
    report = health_report(train, test, target="y")
    page = report.to_html()
    columns = page.split("<h2>Columns</h2>")[1].split("<h2>Figures</h2>")[0]
    row = columns.split("<b>用户ID</b>")[1].split("</tr>")[0]
    assert "<td>id<br>" in row and "100% unique integers" in row and ">id_like<" in row
    assert columns.count('<svg class="bars"') == len(train.columns)
    assert '<b>y</b> <span class="muted">(target)</span>' in columns


def test_a_plotting_bug_is_not_hidden_but_a_figure_it_refuses_is_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from toolkit import plotting

    train, test = _planted(n=400)
    report = health_report(train, test, target="y")

    def refuses(*args: Any, **kwargs: Any) -> Any:
        raise UsageError("y: nothing to draw")

    monkeypatch.setattr(plotting, "class_balance", refuses)
    assert "class balance of" not in report.to_html()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise TypeError("a bug in plotting")

    monkeypatch.setattr(plotting, "class_balance", broken)
    with pytest.raises(TypeError, match="a bug in plotting"):
        report.to_html()
