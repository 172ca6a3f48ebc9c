"""Train / validation / test splits: stratified, grouped, or by time with a gap — plus a report.

The report answers "do my splits look alike?": rows, share, and the class proportions (or the
target mean/std) of every split, the number of groups, and the time range.

Example:
    >>> import pandas as pd
    >>> from toolkit.preprocessing import split
    >>> df = pd.DataFrame({"x": range(100), "y": [0] * 80 + [1] * 20})
    >>> parts = split(df, target="y", sizes=(0.6, 0.2, 0.2))
    >>> [len(p) for p in parts], parts.report["test"]["classes"]
    ([60, 20, 20], {0: 0.8, 1: 0.2})
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from toolkit.columns import as_frame, parse_dates, profile
from toolkit.errors import UsageError

__all__ = ["SplitResult", "split"]

_NAMES = ("train", "validation", "test")


@dataclass
class SplitResult:
    """The split frames (same kind as the input), their row indices and a per-split report.

    Iterating yields the frames (``train, validation, test`` or ``train, test``), so
    ``train, val, test = split(...)`` works.
    """

    frames: dict[str, Any]
    indices: dict[str, np.ndarray[Any, Any]]
    report: dict[str, dict[str, Any]]
    strategy: str
    dropped_in_gap: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def train(self) -> Any:
        """The training frame."""
        return self.frames["train"]

    @property
    def validation(self) -> Any | None:
        """The validation frame, or ``None`` when only two sizes were given."""
        return self.frames.get("validation")

    @property
    def test(self) -> Any:
        """The test frame."""
        return self.frames["test"]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.frames.values())

    def __len__(self) -> int:
        return len(self.frames)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (indices excluded; they are in ``.indices``)."""
        return {
            "strategy": self.strategy,
            "dropped_in_gap": self.dropped_in_gap,
            "splits": self.report,
            "notes": self.notes,
        }

    def __str__(self) -> str:
        lines = [f"split ({self.strategy})"]
        for name, rep in self.report.items():
            parts = [f"{name:<10} {rep['rows']:>9,} rows {100 * rep['share']:5.1f}%"]
            if "classes" in rep:
                shown = list(rep["classes"].items())[:8]
                parts.append("  ".join(f"{k}: {100 * v:.1f}%" for k, v in shown))
                if len(rep["classes"]) > 8:
                    parts.append(f"(+{len(rep['classes']) - 8} classes)")
            elif "target_mean" in rep:
                parts.append(f"target mean {rep['target_mean']:.4g} ± {rep['target_std']:.4g}")
            if "groups" in rep:
                parts.append(f"{rep['groups']:,} groups")
            if "time_min" in rep:
                parts.append(f"{rep['time_min']} … {rep['time_max']}")
            lines.append("  " + "  |  ".join(parts))
        if self.dropped_in_gap:
            lines.append(f"  {self.dropped_in_gap:,} rows fell in the gap and were left out")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _check_sizes(sizes: Sequence[float]) -> np.ndarray[Any, Any]:
    arr = np.asarray(sizes, dtype=np.float64)
    if arr.ndim != 1 or len(arr) not in (2, 3) or (arr <= 0).any() or not np.isfinite(arr).all():
        raise UsageError(
            f"sizes: expected 2 or 3 positive shares (train, [validation,] test), got {sizes!r}"
        )
    if abs(arr.sum() - 1.0) > 1e-6:
        raise UsageError(f"sizes: shares must sum to 1, got {sizes!r} (sum {arr.sum():g})")
    return arr


def _column(frame: nw.DataFrame[Any], name: str, arg: str) -> np.ndarray[Any, Any]:
    if name not in frame.columns:
        shown = ", ".join(map(str, frame.columns[:20]))
        raise UsageError(f"{arg}: column {name!r} is not in the frame (columns: {shown})")
    return frame.get_column(name).to_numpy()


def _stratify_labels(y: np.ndarray[Any, Any], classes: bool) -> np.ndarray[Any, Any]:
    if classes:
        return y
    # Continuous target: stratify on deciles so every split covers the whole target range.
    edges = np.unique(np.quantile(y, np.linspace(0, 1, 11)[1:-1]))
    binned: np.ndarray[Any, Any] = np.digitize(y, edges)
    return binned


def _random_split(
    n: int, sizes: np.ndarray[Any, Any], labels: np.ndarray[Any, Any] | None, seed: int
) -> list[np.ndarray[Any, Any]]:
    from sklearn.model_selection import train_test_split

    idx = np.arange(n)
    try:
        rest, test = train_test_split(
            idx, test_size=float(sizes[-1]), stratify=labels, random_state=seed
        )
        if len(sizes) == 2:
            return [np.sort(rest), np.sort(test)]
        val_share = float(sizes[1] / (sizes[0] + sizes[1]))
        train, val = train_test_split(
            rest,
            test_size=val_share,
            stratify=None if labels is None else labels[rest],
            random_state=seed,
        )
    except ValueError as exc:
        raise UsageError(f"target: cannot stratify ({exc}); pass stratify=False") from exc
    return [np.sort(train), np.sort(val), np.sort(test)]


def _assign_groups(
    counts: np.ndarray[Any, Any], sizes: np.ndarray[Any, Any], order: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """Split index for every group, filling splits in ``order`` by cumulative row count."""
    c = counts[order]
    # A group goes to the split in which the middle of its block of rows falls.
    mid = (np.cumsum(c) - c / 2) / c.sum()
    which = np.searchsorted(np.cumsum(sizes)[:-1], mid, side="right")
    # Never leave a split empty: move the nearest group over when needed.
    for s in range(len(sizes)):
        if not (which == s).any():
            which[int(np.argmin(np.abs(mid - (np.cumsum(sizes)[s] - sizes[s] / 2))))] = s
    assignment = np.empty(len(counts), dtype=np.intp)
    assignment[order] = which
    return assignment


def _group_split(
    groups: np.ndarray[Any, Any],
    sizes: np.ndarray[Any, Any],
    seed: int,
    labels: np.ndarray[Any, Any] | None = None,
    tries: int = 32,
) -> list[np.ndarray[Any, Any]]:
    codes, uniques = pd.factorize(groups, use_na_sentinel=False)
    if len(uniques) < len(sizes):
        raise UsageError(f"group: only {len(uniques)} distinct groups; need at least {len(sizes)}")
    rng = np.random.default_rng(seed)
    counts = np.bincount(codes, minlength=len(uniques))
    per_group = None  # (groups × classes) row counts, so each try costs O(groups), not O(rows)
    if labels is not None:
        label_codes, _ = pd.factorize(labels, use_na_sentinel=False)
        k = int(label_codes.max()) + 1
        per_group = np.bincount(codes * k + label_codes, minlength=len(uniques) * k)
        per_group = per_group.reshape(len(uniques), k).astype(np.float64)
        overall = per_group.sum(axis=0) / per_group.sum()
    best, best_score = None, np.inf
    # Groups cannot be stratified exactly; try a few seeded shuffles and keep the one whose
    # split sizes and class shares are closest to the targets.
    for _ in range(tries if labels is not None else 1):
        assignment = _assign_groups(counts, sizes, rng.permutation(len(uniques)))
        score = 0.0
        for s in range(len(sizes)):
            in_s = assignment == s
            score += abs(counts[in_s].sum() / counts.sum() - sizes[s])
            if per_group is not None:
                cls = per_group[in_s].sum(axis=0)
                score += float(np.abs(cls / max(cls.sum(), 1.0) - overall).sum()) * sizes[s]
        if score < best_score:
            best, best_score = assignment, score
    assert best is not None
    row_split = best[codes]
    return [np.flatnonzero(row_split == s) for s in range(len(sizes))]


def _time_values(t: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Datetime or numeric values as they are; date strings parsed by the toolkit's one rule."""
    if t.dtype.kind in "Mmiuf":
        return t
    return np.asarray(parse_dates(t, "time").to_numpy(dtype="datetime64[ns]"))


def _time_split(
    t: np.ndarray[Any, Any], sizes: np.ndarray[Any, Any], gap: Any
) -> tuple[list[np.ndarray[Any, Any]], int]:
    missing = (
        np.isnat(t) if t.dtype.kind in "Mm" else (np.isnan(t) if t.dtype.kind == "f" else None)
    )
    if missing is not None and missing.any():
        raise UsageError(f"time: {int(missing.sum())} missing values; drop or fill them first")
    if gap is None:
        gap_v: Any = np.timedelta64(0, "ns") if t.dtype.kind == "M" else 0
    elif t.dtype.kind == "M":
        try:
            gap_v = pd.Timedelta(gap).to_timedelta64()
        except (ValueError, TypeError) as exc:
            raise UsageError(
                f"gap: expected a duration such as '7D' or a timedelta, got {gap!r}"
            ) from exc
    else:
        if not isinstance(gap, int | float | np.number) or gap < 0:
            raise UsageError(
                f"gap: expected a number >= 0 in the units of the time column, got {gap!r}"
            )
        gap_v = gap
    if gap_v < np.zeros((), dtype=np.asarray(gap_v).dtype):
        raise UsageError(f"gap: must not be negative, got {gap!r}")
    ts = np.sort(t, kind="stable")
    n = len(t)
    # Cut on time values, not positions, so rows sharing a timestamp never straddle two splits.
    cuts = [ts[min(round(float(n * c)), n - 1)] for c in np.cumsum(sizes)[:-1]]
    parts: list[np.ndarray[Any, Any]] = []
    lo = None
    for s in range(len(sizes)):
        mask = np.ones(n, dtype=bool)
        if lo is not None:
            mask &= t >= lo + gap_v
        if s < len(cuts):
            mask &= t < cuts[s]
            lo = cuts[s]
        parts.append(np.flatnonzero(mask))
    for name, p in zip(_NAMES if len(sizes) == 3 else ("train", "test"), parts, strict=True):
        if len(p) == 0:
            raise UsageError(
                f"time: the {name} split is empty (too few distinct times, or gap too large)"
            )
    return parts, n - sum(len(p) for p in parts)


def _describe(
    idx: np.ndarray[Any, Any],
    n_total: int,
    y: np.ndarray[Any, Any] | None,
    groups: np.ndarray[Any, Any] | None,
    t: np.ndarray[Any, Any] | None,
    classes: bool,
) -> dict[str, Any]:
    rep: dict[str, Any] = {"rows": len(idx), "share": round(len(idx) / n_total, 6)}
    if y is not None:
        ys = y[idx]
        if classes:
            values, counts = np.unique(
                ys.astype(str) if ys.dtype == object else ys, return_counts=True
            )
            rep["classes"] = {
                (v.item() if hasattr(v, "item") else v): round(float(c) / len(ys), 6)
                for v, c in zip(values, counts, strict=True)
            }
        else:
            rep["target_mean"] = float(np.nanmean(ys))
            rep["target_std"] = float(np.nanstd(ys))
            rep["target_min"] = float(np.nanmin(ys))
            rep["target_max"] = float(np.nanmax(ys))
    if groups is not None:
        rep["groups"] = len(pd.unique(groups[idx]))
    if t is not None:
        lo, hi = t[idx].min(), t[idx].max()
        if t.dtype.kind == "M":  # "2024-01-01 00:00:00" reads better than numpy's ISO form
            lo, hi = pd.Timestamp(lo), pd.Timestamp(hi)
        rep["time_min"], rep["time_max"] = str(lo), str(hi)
    return rep


def split(
    df: Any,
    *,
    target: str | None = None,
    sizes: Sequence[float] = (0.7, 0.15, 0.15),
    stratify: bool | None = None,
    group: str | None = None,
    time: str | None = None,
    gap: Any = None,
    random_state: int = 0,
) -> SplitResult:
    """Split a pandas/polars frame into train/validation/test and report what each split holds.

    Strategy, by the arguments given:
      - ``time=COL``: ordered by time; train is the earliest rows, test the latest. ``gap`` leaves
        out rows within ``gap`` after each cut (a duration like ``"7D"`` for datetime columns,
        a number for numeric ones) so features built from recent history cannot leak.
      - ``group=COL``: every group lands in exactly one split (patients, users, sessions); with
        a ``target`` the best of 32 seeded group shuffles keeps class shares close.
      - otherwise random, stratified on ``target`` when given (continuous targets are
        stratified on deciles); ``stratify=False`` turns that off.

    ``sizes`` is ``(train, validation, test)`` or ``(train, test)`` shares summing to 1. Rows
    keep their original order within each split; ``.indices`` holds their positions.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"user": [1, 1, 2, 2, 3, 3, 4, 4], "y": [0, 1] * 4})
        >>> r = split(df, group="user", sizes=(0.5, 0.5))
        >>> set(r.train["user"]).isdisjoint(r.test["user"])
        True
    """
    frame = as_frame(df)
    if len(frame) == 0:
        raise UsageError("df: is empty; nothing to split")
    shares = _check_sizes(sizes)
    if group is not None and time is not None:
        raise UsageError("group, time: choose one strategy (a time split keeps groups by date)")
    if gap is not None and time is None:
        raise UsageError("gap: only applies to a time split; pass time=COL")
    y = _column(frame, target, "target") if target is not None else None
    n = len(frame)
    g = _column(frame, group, "group") if group is not None else None
    t = _time_values(_column(frame, time, "time")) if time is not None else None
    # One rule for "is the target classes?": the profile's (toolkit.columns.target_kind).
    classes = target is not None and profile(frame, columns=[target]).is_classification(target)
    dropped = 0
    notes: list[str] = []
    if t is not None:
        parts, dropped = _time_split(t, shares, gap)
        strategy = f"time by {time!r}" + (f", gap {gap}" if gap is not None else "")
    elif g is not None:
        balance = y is not None and stratify is not False and not pd.isna(y).any()
        labels_g = _stratify_labels(y, classes) if balance and y is not None else None
        parts = _group_split(g, shares, random_state, labels_g)
        strategy = f"grouped by {group!r}" + (f", balanced on {target!r}" if balance else "")
    else:
        do_stratify = (y is not None) if stratify is None else stratify
        if do_stratify and y is None:
            raise UsageError("stratify: needs target=COL")
        labels = None
        if do_stratify and y is not None:
            if y.dtype.kind == "f" and np.isinf(y).any():
                raise UsageError(f"target: {target!r} contains infinite values; fix them first")
            if pd.isna(y).any():
                raise UsageError(
                    f"target: {int(pd.isna(y).sum())} missing values in {target!r}; "
                    "drop them or pass stratify=False"
                )
            labels = _stratify_labels(y, classes)
        parts = _random_split(n, shares, labels, random_state)
        strategy = f"stratified on {target!r}" if labels is not None else "random"
    names = _NAMES if len(shares) == 3 else ("train", "test")
    indices = dict(zip(names, parts, strict=True))
    frames = {k: frame[v].to_native() for k, v in indices.items()}
    report = {k: _describe(v, n, y, g, t, classes) for k, v in indices.items()}
    if y is not None and classes:
        seen = {k: set(r["classes"]) for k, r in report.items()}
        missing = {k: sorted(set(report["train"]["classes"]) - s, key=str) for k, s in seen.items()}
        for k, m in missing.items():
            if m:
                notes.append(f"{k} has no rows of class(es) {m[:5]}")
    return SplitResult(frames, indices, report, strategy, dropped, notes)
