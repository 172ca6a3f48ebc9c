"""The health report's figures: which to draw for the problems found, drawn with toolkit.plotting.

Figures follow the findings: a target leak shows the leaking column against the target,
drift shows the drifted columns train vs test, and only a report with nothing flagged shows the
two least alike columns (so a clean report still shows what "alike" looks like). The class
balance, the missing-value map and a correlation heatmap that always holds the target and the
flagged columns come first. Everything is drawn on fixed-seed samples, stated in the caption.

Example:
    >>> import pandas as pd
    >>> from toolkit.checks import health_report
    >>> df = pd.DataFrame({"x": [0.5, 1.5] * 50, "c": ["a", "b"] * 50, "y": [0, 1] * 50})
    >>> [f.caption for f in figures(health_report(df, target="y"))][:1]
    ["class balance of 'y'"]
"""

from __future__ import annotations

import base64
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from toolkit.checks._frames import (
    Table,
    category_codes,
    is_classification,
    missing_mask,
    sample_rows,
)
from toolkit.errors import ToolkitError

if TYPE_CHECKING:
    from toolkit.checks.report import HealthReport

__all__ = ["Figure", "correlation_columns", "figures"]

_PLOT_SAMPLE = 100_000
_CATEGORY_PLOT_SAMPLE = 20_000
_FRAME_PLOT_SAMPLE = 5_000  # missing-value map and correlations: the picture is stable at 5k rows
_MAX_CORRELATED = 20  # columns in the heatmap: beyond that the labels stop being legible


@dataclass(frozen=True)
class Figure:
    """One drawn figure: its caption, a note of what it leaves out, and the PNG (base64)."""

    caption: str
    png: str
    note: str = ""


def figures(report: HealthReport) -> list[Figure]:
    """Every figure of ``report`` (none when the ``[plot]`` extra is missing)."""
    try:
        from matplotlib.figure import Figure as MplFigure  # no pyplot: no global state

        from toolkit import plotting
    except ImportError:
        return []
    drawn: list[Figure] = []
    # Chinese column names and categories render when a CJK font is installed; without one
    # matplotlib's per-glyph warnings would flood the console, so they are silenced.
    cjk = plotting.find_cjk_font() is not None

    def draw(
        caption: str, fn: Callable[[Any], Any], size: tuple[float, float], note: str = ""
    ) -> None:
        with plotting.style(cjk=cjk), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
            fig = MplFigure(figsize=size, layout="constrained")
            try:
                fn(fig.subplots())
            except ToolkitError:
                return  # data a figure cannot show (plotting says why); the report goes on
            drawn.append(Figure(caption, _png(fig), note))

    tr, te, target = report.train, report.test, report.meta["target"]
    if is_classification(tr, target):
        _class_balance(draw, plotting, tr, te, target)
    _missing_map(draw, plotting, tr)
    _correlations(draw, plotting, report)
    for col in _leak_columns(report):
        _leak(draw, plotting, tr, col, target)
    if te is not None:
        for col in _drift_columns(report):
            _train_vs_test(draw, plotting, tr, te, col)
    return drawn


def _class_balance(draw: Any, plotting: Any, tr: Table, te: Table | None, target: str) -> None:
    y_tr = _category_sample(tr, target)
    y_te = _category_sample(te, target) if te is not None and target in te.columns else None
    draw(
        f"class balance of '{target}'" + _sampled(tr, _CATEGORY_PLOT_SAMPLE),
        lambda ax: plotting.class_balance(y_tr, compare=y_te, normalize=True, ax=ax),
        (6, 3),
    )


def _sample_frame(tr: Table, columns: list[str]) -> Any:
    import pandas as pd

    rows = sample_rows(tr.n_rows, _FRAME_PLOT_SAMPLE)
    return pd.DataFrame(
        {
            c: tr.columns[c][rows]
            if tr.kinds[c] == "numeric"
            else pd.Categorical.from_codes(tr.columns[c][rows], pd.Index(tr.categories[c]))
            for c in columns
        }
    )


def _missing_map(draw: Any, plotting: Any, tr: Table) -> None:
    # Only the columns that have gaps (judged on every row): a map of complete columns is
    # blank, and each drawn column costs two labels to lay out.
    gappy = [c for c in tr.columns if missing_mask(tr.columns[c]).any()]
    if gappy:
        frame = _sample_frame(tr, gappy)
        draw(
            "missing values (train, columns with gaps)" + _sampled(tr, _FRAME_PLOT_SAMPLE),
            lambda ax: plotting.missing_matrix(frame, ax=ax),
            (max(4.0, 0.5 * len(gappy) + 2), 4),
        )


def correlation_columns(report: HealthReport) -> tuple[list[str], list[str]]:
    """(shown, left out): the heatmap's columns. The target and every flagged column come
    first, then the others in frame order, up to 20; identifiers, free text, groups and
    timestamps never (they only correlate with each other); categories with more than 50
    values are left out too."""
    tr, meta = report.train, report.meta
    skip = {meta["group"], meta["time"], *tr.profile.of_kind("id", "text", "empty", "constant")}
    usable = [
        c
        for c in tr.columns
        if c not in skip and (tr.kinds[c] == "numeric" or (tr.profile[c].distinct or 0) <= 50)
    ]
    flagged = [c for f in report.findings for c in f.columns if c in usable]
    first = list(dict.fromkeys([*([meta["target"]] if meta["target"] in usable else []), *flagged]))
    ordered = [*first, *(c for c in usable if c not in first)]
    return ordered[:_MAX_CORRELATED], ordered[_MAX_CORRELATED:]


def _correlations(draw: Any, plotting: Any, report: HealthReport) -> None:
    shown, left_out = correlation_columns(report)
    if len(shown) < 2:
        return
    frame = _sample_frame(report.train, shown)
    note = ""
    if left_out:
        names = ", ".join(left_out[:8]) + (", ..." if len(left_out) > 8 else "")
        note = f"{len(left_out)} more column(s) not shown: {names}"
    # Numbers in every cell only while they stay legible; the colour scale carries the rest.
    draw(
        "correlations (train; target and flagged columns first)"
        + _sampled(report.train, _FRAME_PLOT_SAMPLE),
        lambda ax: plotting.correlation_heatmap(frame, annot=len(shown) <= 10, ax=ax),
        (7, 6),
        note,
    )


def _leak_columns(report: HealthReport) -> list[str]:
    """The columns of the strongest target-leak findings (at most two)."""
    found = [f for f in report.findings if f.check in ("target_leak", "strong_feature")]
    return list(dict.fromkeys(c for f in found for c in f.columns))[:2]


def _leak(draw: Any, plotting: Any, tr: Table, col: str, target: str) -> None:
    """The leaking column against the target: its histogram per class, its category shares
    for the two largest classes, or a scatter for a regression target."""
    rows = sample_rows(tr.n_rows, _CATEGORY_PLOT_SAMPLE)
    caption = f"target leak: '{col}' against '{target}'" + _sampled(tr, _CATEGORY_PLOT_SAMPLE)
    numeric = tr.kinds[col] == "numeric"
    if not is_classification(tr, target):
        x, y = tr.columns[col][rows], tr.columns[target][rows]

        def scatter(ax: Any) -> None:
            codes = x if numeric else np.where(x < 0, np.nan, x)
            ax.scatter(codes, y, s=3, alpha=0.3)
            ax.set_xlabel(col)
            ax.set_ylabel(target)

        draw(caption, scatter, (5, 3.5))
        return
    codes, names = category_codes(tr, target)
    y = np.asarray(names, dtype=object)[codes[rows][codes[rows] >= 0]]
    keep = codes[rows] >= 0
    if numeric:
        x = tr.columns[col][rows][keep]
        classes, counts = np.unique(y, return_counts=True)
        if len(classes) > 20:  # a histogram per class stays readable up to a few: the largest
            big = np.isin(y, classes[np.argsort(-counts)[:5]])
            x, y = x[big], y[big]
        if not np.isfinite(x).any():
            return
        draw(
            caption,
            lambda ax: plotting.distribution(
                x, hue=y, dropna=True, kde=False, xlabel=col, title=f"'{col}' by '{target}'", ax=ax
            ),
            (5, 3.5),
        )
        return
    values = _category_sample(tr, col, rows[keep])
    classes, counts = np.unique(y, return_counts=True)
    a, b = classes[np.argsort(-counts)[:2]] if len(classes) > 1 else (classes[0], classes[0])
    draw(
        caption,
        lambda ax: _legend_aside(
            plotting.class_balance(
                values[y == a],
                compare=values[y == b],
                names=(f"{target} = {a}", f"{target} = {b}"),
                normalize=True,
                max_classes=10,
                title=f"'{col}' by '{target}' (share of rows)",
                ax=ax,
            )
        ),
        (6.5, 3.5),
    )


def _drift_columns(report: HealthReport) -> list[str]:
    """Columns to draw train-vs-test: those with a drift finding (at most 4, largest effect
    first); in a report with no finding at all, the two least alike."""
    drift_res = next((r for r in report.results if r.name == "drift"), None)
    if drift_res is None:
        return []
    stats = drift_res.summary.get("per_feature", {})
    flagged = {c for f in drift_res.findings for c in f.columns} & set(stats)
    by_effect = sorted(flagged, key=lambda c: -stats[c].get("psi", stats[c].get("js", 0)))
    if by_effect or report.findings:
        return by_effect[:4]
    # The strongest evidence of a difference (lowest p-value) compares numeric and categorical
    # columns on one scale (PSI and JS do not).
    return sorted(stats, key=lambda c: stats[c].get("p_value", 1.0))[:2]


def _train_vs_test(draw: Any, plotting: Any, tr: Table, te: Table, col: str) -> None:
    numeric = tr.kinds[col] == te.kinds[col] == "numeric"
    if numeric:
        a = tr.columns[col][sample_rows(tr.n_rows, _PLOT_SAMPLE)]
        b = te.columns[col][sample_rows(te.n_rows, _PLOT_SAMPLE, seed=1)]
        if not (np.isfinite(a).any() and np.isfinite(b).any()):
            return  # one side has no value: the missing-rate finding says so
        draw(
            f"train vs test: '{col}'" + _sampled(tr, _PLOT_SAMPLE),
            lambda ax: plotting.distribution(
                a, compare=b, dropna=True, kde=False, xlabel=col, ax=ax
            ),
            (5, 3),
        )
        return
    a, b = _category_sample(tr, col), _category_sample(te, col)
    if not (len(a) and len(b)):
        return
    # The 9 most common categories + "other": the shift in the big ones is what matters.
    draw(
        f"train vs test: '{col}'" + _sampled(tr, _CATEGORY_PLOT_SAMPLE),
        lambda ax: _legend_aside(
            plotting.class_balance(
                a,
                compare=b,
                normalize=True,
                max_classes=10,
                title=f"'{col}': share of rows, train vs test",
                ax=ax,
            )
        ),
        (6.5, 3),
    )


def _legend_aside(ax: Any) -> Any:
    """Move a bar chart's legend outside the bars (inside, it covers the longest one)."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    return ax


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    # No bbox_inches="tight": constrained layout already fits the figure, and "tight" would
    # lay out and draw every figure twice.
    fig.savefig(buf, format="png", dpi=90)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _sampled(t: Table, size: int) -> str:
    """Caption suffix saying that a figure shows a sample, when it does."""
    if t.total_rows <= size:
        return ""
    return f" (fixed-seed samples of {min(size, t.n_rows):,} of {t.total_rows:,} rows)"


def _category_sample(
    t: Table, col: str, rows: np.ndarray[Any, Any] | None = None
) -> np.ndarray[Any, Any]:
    """Names of the values of ``col`` at ``rows`` (default: a fixed-seed 20,000-row sample;
    missing values are left out unless ``rows`` is given, where they read "(missing)")."""
    codes, names = category_codes(t, col)
    if rows is not None:
        labels = np.append(np.asarray(names, dtype=object), "(missing)")
        return np.asarray(labels[codes[rows]], dtype=object)
    picked = codes[sample_rows(t.n_rows, _CATEGORY_PLOT_SAMPLE)]
    shown: np.ndarray[Any, Any] = np.asarray(names, dtype=object)[picked[picked >= 0]]
    return shown
