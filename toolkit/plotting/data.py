"""Data figures: distributions, class balance, missing values, correlations, scatter plots.

All functions accept NumPy arrays, lists and pandas/polars objects, never modify them, and reduce
large inputs (binning, row aggregation, sampling) with a note on the figure saying so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from toolkit.errors import UsageError
from toolkit.plotting._cjk import draws
from toolkit.plotting._validate import (
    as_frame,
    as_labels,
    as_numeric,
    get_ax,
    new_figure,
    note,
    same_length,
    sample_indices,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_KDE_SAMPLE = 20_000


def _fmt_n(n: int) -> str:
    return f"{n:,}"


def _name_of(values: Any, default: str) -> str:
    name = getattr(values, "name", None)
    return str(name) if name not in (None, "") else default


def _numeric_maybe_dropna(values: Any, name: str, dropna: bool) -> tuple[np.ndarray, int]:
    if not dropna:
        return as_numeric(values, name), 0
    arr = as_numeric(values, name, allow_nan=True)
    keep = np.isfinite(arr)
    dropped = int((~keep).sum())
    if dropped == arr.size:
        raise UsageError(f"{name}: every value is NaN/inf; nothing to plot")
    return (arr[keep] if dropped else arr), dropped


def _kde(values: np.ndarray, grid: np.ndarray) -> np.ndarray:
    from scipy.stats import gaussian_kde

    sample = values
    if values.size > _KDE_SAMPLE:
        sample = values[sample_indices(values.size, _KDE_SAMPLE)]
    if np.ptp(sample) == 0:
        return np.zeros_like(grid)
    return np.asarray(gaussian_kde(sample)(grid))


@draws
def distribution(
    x: Any,
    *,
    hue: Any = None,
    compare: Any = None,
    names: tuple[str, str] = ("train", "test"),
    bins: int | str = "auto",
    stat: str = "density",
    kde: bool = True,
    log: bool = False,
    dropna: bool = False,
    title: str | None = None,
    xlabel: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Histogram (+ KDE) of ``x``, split by class (``hue``) or overlaid with ``compare``.

    All values are binned exactly with shared bin edges, so 10 million points draw in about a
    second; the KDE is estimated on a 20,000-point sample and the figure says so.
    ``compare=x_test`` overlays a second sample (``names`` label the two); ``dropna=True`` drops
    NaN/inf (and notes how many) instead of raising.

    >>> ax = distribution([1.0, 2.0, 2.5, 3.0], kde=False)
    >>> ax.get_xlabel()
    'x'
    """
    if hue is not None and compare is not None:
        raise UsageError("hue and compare: pass only one of them")
    if stat not in {"density", "count", "probability"}:
        raise UsageError(f"stat: expected 'density', 'count' or 'probability', got {stat!r}")
    values, dropped = _numeric_maybe_dropna(x, "x", dropna)
    groups: list[tuple[str, np.ndarray]]
    if hue is not None:
        labels = as_labels(hue, "hue")
        same_length(x=as_numeric(x, "x", allow_nan=True), hue=labels)
        if dropna:
            labels = labels[np.isfinite(as_numeric(x, "x", allow_nan=True))]
        classes = np.unique(labels)
        if classes.size > 20:
            raise UsageError(f"hue: has {classes.size} classes; at most 20 overlay readably")
        groups = [(str(c), values[labels == c]) for c in classes]
    elif compare is not None:
        other, dropped_other = _numeric_maybe_dropna(compare, "compare", dropna)
        dropped += dropped_other
        groups = [(names[0], values), (names[1], other)]
    else:
        groups = [("", values)]

    every = np.concatenate([g for _, g in groups]) if len(groups) > 1 else values
    n_total = every.size
    lo, hi = float(every.min()), float(every.max())
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    if isinstance(bins, str):
        # Edge rules need quantiles: estimate them on a sample, bin all points exactly.
        idx = sample_indices(n_total, 200_000)
        est = every if idx is None else every[idx]
        edges = np.histogram_bin_edges(est, bins=bins, range=(lo, hi))
        if edges.size > 201:
            edges = np.linspace(lo, hi, 201)
    else:
        if bins < 1:
            raise UsageError(f"bins: must be >= 1, got {bins}")
        edges = np.linspace(lo, hi, bins + 1)

    ax = get_ax(ax)
    widths = np.diff(edges)
    grid = np.linspace(lo, hi, 256)
    for i, (label, vals) in enumerate(groups):
        color = f"C{i}"
        counts, _ = np.histogram(vals, bins=edges)
        heights = counts.astype(float)
        if stat == "density":
            heights = heights / max(vals.size, 1) / widths
        elif stat == "probability":
            heights = heights / max(vals.size, 1)
        alpha = 0.35 if len(groups) > 1 else 0.6
        text = f"{label} (n={_fmt_n(vals.size)})" if label else None
        ax.stairs(heights, edges, fill=True, alpha=alpha, color=color, label=text)
        ax.stairs(heights, edges, color=color, linewidth=0.8)
        if kde and vals.size > 1:
            density = _kde(vals, grid)
            if stat == "count":
                density = density * vals.size * widths.mean()
            elif stat == "probability":
                density = density * widths.mean()
            ax.plot(grid, density, color=color, linewidth=1.5)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel if xlabel is not None else _name_of(x, "x"))
    ax.set_ylabel(stat)
    if title:
        ax.set_title(title)
    if len(groups) > 1:
        ax.legend()
    reductions = []
    if kde and any(v.size > _KDE_SAMPLE for _, v in groups):
        reductions.append(f"{_fmt_n(n_total)} points binned; KDE on {_fmt_n(_KDE_SAMPLE)} sample")
    if dropped:
        reductions.append(f"{_fmt_n(dropped)} NaN/inf dropped")
    if reductions:
        note(ax, "; ".join(reductions))
    return ax


@draws
def class_balance(
    y: Any,
    *,
    compare: Any = None,
    names: tuple[str, str] = ("train", "test"),
    normalize: bool = False,
    max_classes: int = 30,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Horizontal bars of class counts (with percentages), optionally beside a second split.

    More than ``max_classes`` classes: the largest are shown and the rest pooled into "other".
    The imbalance ratio (largest / smallest class) is stated on the figure.

    >>> ax = class_balance(["cat", "dog", "dog"])
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['dog', 'cat']
    """
    import pandas as pd

    labels = as_labels(y, "y")
    counts = pd.Series(labels).value_counts()
    series = [(names[0], counts)]
    if compare is not None:
        other = pd.Series(as_labels(compare, "compare")).value_counts()
        series.append((names[1], other))
    order = list(counts.index)
    if compare is not None:
        order += [c for c in series[1][1].index if c not in counts.index]
    pooled = 0
    if len(order) > max_classes:
        pooled = len(order) - (max_classes - 1)
        order = order[: max_classes - 1]
    ax = get_ax(ax, figsize=(6.0, max(2.5, 0.28 * (len(order) + 1) + 1)))
    n_bars = len(series)
    height = 0.8 / n_bars
    ypos = np.arange(len(order) + (1 if pooled else 0))
    for i, (label, cnt) in enumerate(series):
        total = cnt.sum()
        vals = [int(cnt.get(c, 0)) for c in order]
        if pooled:
            vals.append(int(total - sum(vals)))
        arr = np.asarray(vals, dtype=float)
        shown = arr / total if normalize else arr
        offs = ypos + (i - (n_bars - 1) / 2) * height
        bars = ax.barh(
            offs, shown, height=height, color=f"C{i}", label=label if n_bars > 1 else None
        )
        texts = [f"{int(v):,} ({v / total:.1%})" for v in arr]
        ax.bar_label(bars, labels=texts, padding=2, fontsize="x-small")
    ticks = [str(c) for c in order] + ([f"other ({pooled} classes)"] if pooled else [])
    ax.set_yticks(ypos, ticks)
    ax.invert_yaxis()
    ax.set_xlabel("fraction" if normalize else "count")
    ax.margins(x=0.25)
    ax.grid(axis="y", visible=False)
    if n_bars > 1:
        ax.legend(loc="lower right")
    ratio = counts.max() / counts.min()
    ax.set_title(title if title is not None else f"Class balance (imbalance ratio {ratio:.1f}:1)")
    return ax


@draws
def missing_matrix(
    data: Any,
    *,
    max_rows: int = 1000,
    sort: bool = False,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Where the missing values are: rows down, columns across, dark = missing (like missingno).

    Column labels carry the percentage missing. With more than ``max_rows`` rows, consecutive rows
    are aggregated into ``max_rows`` bands whose shade is the fraction missing (no row is dropped),
    and the figure says so. ``sort=True`` orders columns by missingness.

    >>> import pandas as pd
    >>> ax = missing_matrix(pd.DataFrame({"a": [1, None], "b": [1, 2]}))
    >>> ax.get_xticklabels()[0].get_text()
    'a\\n50.0%'
    """
    frame = as_frame(data, "data")
    if max_rows < 1:
        raise UsageError(f"max_rows: must be >= 1, got {max_rows}")
    mask = frame.isna().to_numpy()
    if mask.dtype == object:
        mask = mask.astype(bool)
    columns = [str(c) for c in frame.columns]
    frac = mask.mean(axis=0)
    if sort:
        order = np.argsort(-frac, kind="stable")
        mask, frac, columns = mask[:, order], frac[order], [columns[i] for i in order]
    n_rows = mask.shape[0]
    if n_rows > max_rows:
        bounds = np.linspace(0, n_rows, max_rows + 1).astype(int)
        image = np.add.reduceat(mask.astype(float), bounds[:-1], axis=0)
        image /= np.diff(bounds)[:, None]
    else:
        image = mask.astype(float)
    ax = get_ax(ax, figsize=(max(4.0, 0.45 * len(columns) + 1.5), 5.0))
    ax.imshow(
        image,
        aspect="auto",
        cmap="Greys",
        vmin=0,
        vmax=1,
        interpolation="nearest",
        extent=(-0.5, len(columns) - 0.5, n_rows, 0),
    )
    ax.set_xticks(
        range(len(columns)),
        [f"{c}\n{f:.1%}" for c, f in zip(columns, frac, strict=True)],
        rotation=90 if len(columns) > 8 else 0,
        fontsize="small",
    )
    ax.set_ylabel("row")
    ax.grid(visible=False)
    total = mask.mean()
    ax.set_title(title if title is not None else f"Missing values ({total:.1%} of cells)")
    if n_rows > max_rows:
        note(
            ax, f"{_fmt_n(n_rows)} rows aggregated into {max_rows} bands (shade = fraction missing)"
        )
    return ax


def _cramers_v(a: np.ndarray, b: np.ndarray) -> float:
    """Cramér's V of two integer-coded columns (codes >= 0, already paired and NaN-free)."""
    from scipy.stats.contingency import association

    ka, kb = int(a.max()) + 1, int(b.max()) + 1
    table = np.bincount(a * kb + b, minlength=ka * kb).reshape(ka, kb)
    table = table[table.any(axis=1)][:, table.any(axis=0)]  # observed categories only
    if min(table.shape) < 2:
        return 0.0
    return float(association(table, method="cramer"))


def _correlation_ratio(categories: np.ndarray, values: np.ndarray) -> float:
    """Eta: how much of a numeric column's variance the category explains (0..1)."""
    mean = values.mean()
    total = ((values - mean) ** 2).sum()
    if total == 0:
        return 0.0
    counts = np.bincount(categories)
    sums = np.bincount(categories, weights=values)
    seen = counts > 0
    between = (counts[seen] * (sums[seen] / counts[seen] - mean) ** 2).sum()
    return float(np.sqrt(between / total))


def association_matrix(frame: pd.DataFrame, method: str = "pearson") -> pd.DataFrame:
    """Pairwise association for mixed columns: correlation (numeric pairs), Cramér's V
    (categorical pairs) and the correlation ratio eta (numeric-categorical)."""
    import pandas as pd

    numeric = [
        c
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    ]
    cols = list(frame.columns)
    result = pd.DataFrame(np.eye(len(cols)), index=cols, columns=cols, dtype=float)
    if numeric:
        corr = frame[numeric].astype(float).corr(method=method)  # type: ignore[arg-type]
        result.loc[numeric, numeric] = corr.to_numpy()
    # Each column converted once (categories to integer codes, -1 = missing), not per pair:
    # the per-pair pandas crosstab/groupby dominated the health report's heatmap.
    arrays = {
        c: frame[c].to_numpy(dtype=float) if c in numeric else pd.factorize(frame[c])[0]
        for c in cols
    }
    present = {c: ~np.isnan(v) if c in numeric else v >= 0 for c, v in arrays.items()}
    for i, a in enumerate(cols):
        for b in cols[i + 1 :]:
            if a in numeric and b in numeric:
                continue
            both = present[a] & present[b]
            if not both.any():
                value = np.nan
            elif a not in numeric and b not in numeric:
                value = _cramers_v(arrays[a][both], arrays[b][both])
            elif a not in numeric:
                value = _correlation_ratio(arrays[a][both], arrays[b][both])
            else:
                value = _correlation_ratio(arrays[b][both], arrays[a][both])
            result.loc[a, b] = result.loc[b, a] = value
    return result


@draws
def correlation_heatmap(
    data: Any,
    *,
    method: str = "pearson",
    cluster: bool = False,
    annot: bool | None = None,
    mask_upper: bool = False,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Heatmap of pairwise correlations; mixed numeric/categorical columns are supported.

    Numeric pairs use ``method`` (pearson/spearman/kendall); categorical pairs Cramér's V; mixed
    pairs the correlation ratio (both 0..1). ``cluster=True`` reorders columns by hierarchical
    clustering on 1 - |r| so correlated groups sit together. Values are annotated when there are
    at most 20 columns (``annot`` overrides).

    >>> import pandas as pd
    >>> ax = correlation_heatmap(pd.DataFrame({"a": [1, 2, 3], "b": [3, 2, 1]}))
    >>> ax.images[0].get_array()[0, 1]
    np.float64(-1.0)
    """
    if method not in {"pearson", "spearman", "kendall"}:
        raise UsageError(f"method: expected pearson, spearman or kendall, got {method!r}")
    frame = as_frame(data, "data")
    if frame.shape[1] < 2:
        raise UsageError(f"data: needs at least 2 columns, got {frame.shape[1]}")
    matrix = association_matrix(frame, method=method)
    values = matrix.to_numpy(dtype=float)
    labels = [str(c) for c in matrix.columns]
    if cluster and len(labels) > 2:
        from scipy.cluster.hierarchy import leaves_list, linkage
        from scipy.spatial.distance import squareform

        dist = 1 - np.abs(np.nan_to_num(values, nan=0.0))
        np.fill_diagonal(dist, 0.0)
        dist = (dist + dist.T) / 2
        order = leaves_list(linkage(squareform(dist, checks=False), method="average"))
        values = values[np.ix_(order, order)]
        labels = [labels[i] for i in order]
    shown = values.copy()
    if mask_upper:
        shown[np.triu_indices_from(shown, k=1)] = np.nan
    n = len(labels)
    size = min(14.0, max(4.0, 0.45 * n + 2))
    ax = get_ax(ax, figsize=(size + 1, size))
    image = ax.imshow(shown, cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest")
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label=f"{method} r / association")
    ticks = range(n)
    ax.set_xticks(ticks, labels, rotation=90, fontsize="small")
    ax.set_yticks(ticks, labels, fontsize="small")
    ax.grid(visible=False)
    if annot if annot is not None else n <= 20:
        for i in range(n):
            for j in range(n):
                v = shown[i, j]
                if np.isfinite(v):
                    color = "white" if abs(v) > 0.6 else "black"
                    ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=7, color=color)
    ax.set_title(title if title is not None else "Correlation")
    return ax


@draws
def scatter_matrix(
    data: Any,
    *,
    hue: Any = None,
    columns: Sequence[str] | None = None,
    hexbin_above: int = 20_000,
    gridsize: int = 40,
    max_columns: int = 8,
) -> Figure:
    """Pairwise scatter plots with histograms on the diagonal; hexbin density for large data.

    With more than ``hexbin_above`` rows the off-diagonal panels switch to hexbin (every point
    counted; ``hue`` is then ignored) and the figure says so.

    >>> fig = scatter_matrix({"a": [1, 2, 3], "b": [2, 1, 3]})
    >>> len(fig.axes)
    4
    """
    frame = as_frame(data, "data")
    if columns is not None:
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise UsageError(f"columns: not in data: {missing}")
        frame = frame[list(columns)]
    import pandas as pd

    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    if not numeric:
        raise UsageError("data: has no numeric columns to plot")
    if len(numeric) > max_columns:
        raise UsageError(
            f"data: has {len(numeric)} numeric columns; pass columns= with at most {max_columns}"
        )
    arrays = {c: as_numeric(frame[c], f"data[{c!r}]") for c in numeric}
    n = len(frame)
    labels = None
    if hue is not None:
        labels = as_labels(hue, "hue")
        same_length(data=frame, hue=labels)
    k = len(numeric)
    fig = new_figure((2.2 * k + 0.5, 2.2 * k))
    axes = fig.subplots(k, k, squeeze=False)
    big = n > hexbin_above
    classes = np.unique(labels) if labels is not None else None
    for i, yc in enumerate(numeric):
        for j, xc in enumerate(numeric):
            ax = axes[i, j]
            if i == j:
                if classes is not None and not big:
                    for ci, c in enumerate(classes):
                        ax.hist(arrays[xc][labels == c], bins=30, alpha=0.5, color=f"C{ci}")
                else:
                    counts, edges = np.histogram(arrays[xc], bins=40)
                    ax.stairs(counts, edges, fill=True, alpha=0.6)
            elif big:
                ax.hexbin(
                    arrays[xc], arrays[yc], gridsize=gridsize, cmap="viridis", mincnt=1, bins="log"
                )
            elif classes is not None:
                for ci, c in enumerate(classes):
                    sel = labels == c
                    ax.scatter(
                        arrays[xc][sel],
                        arrays[yc][sel],
                        s=6,
                        alpha=0.6,
                        color=f"C{ci}",
                        label=str(c),
                    )
            else:
                ax.scatter(arrays[xc], arrays[yc], s=6, alpha=0.6)
            if i == k - 1:
                ax.set_xlabel(str(xc))
            else:
                ax.tick_params(labelbottom=False)
            if j == 0:
                ax.set_ylabel(str(yc))
            else:
                ax.tick_params(labelleft=False)
    if classes is not None and not big and k > 1:
        axes[0, 1].legend(fontsize="x-small", markerscale=2)
    if big:
        fig.suptitle(
            f"{_fmt_n(n)} rows: hexbin density (log counts)", fontsize="small", color="0.4"
        )
    return fig


@draws
def embedding_scatter(
    embedding: Any,
    labels: Any = None,
    *,
    max_points: int = 200_000,
    point_size: float | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """2-D embedding (t-SNE/UMAP/PCA output) coloured by label.

    Above ``max_points``: unlabelled data is drawn as an exact 2-D density image of all points;
    labelled data is sampled per class (each class keeps its share but at least 1,000 points, so
    rare classes stay visible). The figure states the reduction.

    >>> ax = embedding_scatter([[0, 0], [1, 1], [2, 0]], ["a", "b", "a"])
    >>> len(ax.collections)
    2
    """
    emb = as_numeric(embedding, "embedding", ndim=2)
    if emb.shape[1] != 2:
        raise UsageError(f"embedding: expected shape (n, 2), got {emb.shape}")
    n = emb.shape[0]
    lab = None
    if labels is not None:
        lab = as_labels(labels, "labels")
        same_length(embedding=emb, labels=lab)
    ax = get_ax(ax, figsize=(6.0, 5.5))
    size = point_size if point_size is not None else float(np.clip(3000 / np.sqrt(n), 0.5, 30))
    if n > max_points and lab is None:
        hist, xe, ye = np.histogram2d(emb[:, 0], emb[:, 1], bins=400)
        ax.imshow(
            np.log1p(hist.T),
            origin="lower",
            extent=(xe[0], xe[-1], ye[0], ye[-1]),
            aspect="auto",
            cmap="viridis",
        )
        note(ax, f"all {_fmt_n(n)} points as 2-D density (log counts)")
    elif lab is None:
        ax.scatter(emb[:, 0], emb[:, 1], s=size, alpha=0.7, linewidths=0, rasterized=n > 5000)
    else:
        classes, inverse = np.unique(lab, return_inverse=True)
        keep = np.ones(n, dtype=bool)
        if n > max_points:
            rng = np.random.default_rng(0)
            keep[:] = False
            counts = np.bincount(inverse)
            for ci, cnt in enumerate(counts):
                quota = min(cnt, max(1000, int(max_points * cnt / n)))
                idx = np.flatnonzero(inverse == ci)
                keep[rng.choice(idx, size=quota, replace=False)] = True
            note(ax, f"{_fmt_n(int(keep.sum()))} of {_fmt_n(n)} points shown (sampled per class)")
        cmap = "tab10" if classes.size <= 10 else "tab20"
        import matplotlib as mpl

        colors = mpl.colormaps[cmap]
        for ci, c in enumerate(classes):
            sel = keep & (inverse == ci)
            ax.scatter(
                emb[sel, 0],
                emb[sel, 1],
                s=size,
                alpha=0.7,
                linewidths=0,
                color=colors(ci % colors.N),
                label=str(c),
                rasterized=n > 5000,
            )
        if classes.size <= 30:
            ax.legend(markerscale=max(1.0, 6 / np.sqrt(size)), fontsize="small", loc="best")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(visible=False)
    if title:
        ax.set_title(title)
    return ax
