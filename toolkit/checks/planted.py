"""A train/test pair with planted problems, generated in Arrow record batches.

The health report is tested and benchmarked on data whose problems are known: this module makes
that data, at any size, without holding it in memory. :func:`planted_batches` yields one split
as ``pyarrow.RecordBatch`` chunks (write 100M rows to a Parquet directory batch by batch);
:func:`planted_tables` returns a small pair as ``pyarrow.Table`` objects; :data:`PLANTED`
says what is planted where, so tests assert findings against it.

The values of a row depend only on ``seed``, the split and the row's position, never on
``batch_rows``: the same data comes out whatever the chunking. Twenty columns of mixed kinds:

========================  =========================================================  ==========
column                    what it is                                                 planted
========================  =========================================================  ==========
``row_id``                int64, unique per row                                      id-like
``user_id``               int64 group (20 rows per user)                             shared
``event_time``            timestamp; train in 2023, test from 2024-01-01             overlap
``signup_date``           timestamp feature, 2020-2022                               --
``age``                   int64, 18-80, 5 % missing                                  --
``income``                float, log-normal, 10 % missing                            --
``score_a`` ``score_b``   float, normal; they decide the target                      --
``balance``               float; test shifted by 2 sd                                drift
``clicks``                int64, Poisson(3)                                          --
``ratio``                 float in [0, 1]                                            --
``speed``                 float, 0.1 % +inf                                          infinite
``leak_score``            float: the clean label plus small noise                    leak
``city``                  Chinese city names (北京, 上海 ...), 3 % missing             --
``device``                ios / android / web                                        --
``plan``                  basic / pro / team; test also "enterprise" (8 %)           unseen
``product_code``          300 codes "P0001" ...                                      --
``is_member``             boolean                                                    --
``source``                the constant "app"                                         constant
``target``                0/1, balanced; 10 % of train labels flipped                flipped
========================  =========================================================  ==========

Across the splits: 3 % of test rows repeat one of the first 1,000 train rows on every feature
column (duplicates; so train needs at least 1,000 rows),
2 % of test rows belong to train users (shared groups), 3 % of test rows are dated inside the
training period (time overlap).

Example:
    >>> train, test = planted_tables(2_000, seed=1)
    >>> train.num_rows, test.num_rows, train.num_columns
    (2000, 500, 20)
    >>> [p.columns for p in PLANTED if p.check == "drift"]
    [('balance',), ('plan',)]
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "CITIES",
    "PLANTED",
    "ROLES",
    "SPLITS",
    "Planted",
    "planted_batches",
    "planted_schema",
    "planted_tables",
]

SPLITS = ("train", "test")
CITIES = ("北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "西安", "南京", "重庆")
_PLANS = ("basic", "pro", "team")
_DEVICES = ("ios", "android", "web")
_CODES = tuple(f"P{i:04d}" for i in range(1, 301))
_BLOCK = 1 << 16  # rows generated per random stream: the data does not depend on batch_rows
_TRAIN_START = np.datetime64("2023-01-01T00:00:00", "us")
_TEST_START = np.datetime64("2024-01-01T00:00:00", "us")
_YEAR_US = 365 * 86_400 * 1_000_000
_TEST_USER_OFFSET = 10**9  # test users are another id range, except the planted shared ones
_TEST_ROW_OFFSET = 10**12

DUPLICATE_SHARE = 0.03
DONOR_ROWS = 1_000  # duplicates repeat one of the first 1,000 train rows: train needs that many
_SHARED_USERS = 50  # shared test rows belong to users 0..49, who all have train rows
SHARED_GROUP_SHARE = 0.02
TIME_OVERLAP_SHARE = 0.03
UNSEEN_PLAN_SHARE = 0.08
FLIPPED_SHARE = 0.10
INFINITE_SHARE = 0.001


@dataclass(frozen=True)
class Planted:
    """One finding the planted data must produce: its check, severity and the columns it
    names. With ``leading`` the finding names more columns and these come first (model-based
    checks rank their columns; the tail is sampling noise)."""

    check: str
    severity: str
    columns: tuple[str, ...]
    leading: bool = False


# What ``health_report(train, test, target="target", group="user_id", time="event_time")``
# finds on the planted pair, and nothing else.
PLANTED: tuple[Planted, ...] = (
    Planted("infinite", "high", ("speed",)),  # in train and in test
    Planted("constant_column", "low", ("source",)),
    Planted("id_like", "medium", ("row_id",)),
    Planted("target_leak", "high", ("leak_score",)),
    Planted("duplicates", "high", ("*",)),
    Planted("shared_groups", "high", ("user_id",)),
    Planted("time_overlap", "high", ("event_time",)),
    Planted("drift", "high", ("balance",)),
    Planted("drift", "medium", ("plan",)),  # the unseen category moves the shares too
    Planted("new_categories", "high", ("plan",)),
    Planted("adversarial_validation", "high", ("balance",), leading=True),
    Planted("label_issues", "medium", ()),
)
ROLES = {"target": "target", "group": "user_id", "time": "event_time"}


def planted_schema() -> Any:
    """The ``pyarrow.Schema`` of both splits (column order as in the table above)."""
    import pyarrow as pa

    ts = pa.timestamp("us")
    return pa.schema(
        [
            ("row_id", pa.int64()),
            ("user_id", pa.int64()),
            ("event_time", ts),
            ("signup_date", ts),
            ("age", pa.int64()),
            ("income", pa.float64()),
            ("score_a", pa.float64()),
            ("score_b", pa.float64()),
            ("balance", pa.float64()),
            ("clicks", pa.int64()),
            ("ratio", pa.float64()),
            ("speed", pa.float64()),
            ("leak_score", pa.float64()),
            ("city", pa.string()),
            ("device", pa.string()),
            ("plan", pa.string()),
            ("product_code", pa.string()),
            ("is_member", pa.bool_()),
            ("source", pa.string()),
            ("target", pa.int64()),
        ]
    )


def planted_batches(
    n_rows: int, *, split: str = "train", batch_rows: int = 1_000_000, seed: int = 0
) -> Iterator[Any]:
    """Yield ``split`` ("train" or "test") of ``n_rows`` rows as ``pyarrow.RecordBatch``es of at
    most ``batch_rows`` rows. Memory stays at about one batch, so any size can be streamed to a
    Parquet writer.

    Example:
        >>> sum(b.num_rows for b in planted_batches(1_000, split="test", batch_rows=300))
        1000
    """
    import pyarrow as pa

    if split not in SPLITS:
        raise ValueError(f"split: expected one of {SPLITS}, got {split!r}")
    if n_rows < 0 or batch_rows < 1:
        raise ValueError("n_rows must be >= 0 and batch_rows >= 1")
    schema = planted_schema()
    pending: list[Any] = []
    held = 0
    for start in range(0, n_rows, _BLOCK):
        block = _block(seed, split, start, min(_BLOCK, n_rows - start))
        pending.append(block)
        held += block.num_rows
        while held >= batch_rows:
            table = pa.Table.from_batches(pending, schema=schema).combine_chunks()
            yield from table.slice(0, batch_rows).to_batches(max_chunksize=batch_rows)
            rest = table.slice(batch_rows)
            pending = rest.to_batches() if rest.num_rows else []
            held = rest.num_rows
    if held:
        table = pa.Table.from_batches(pending, schema=schema).combine_chunks()
        yield from table.to_batches(max_chunksize=batch_rows)


def planted_tables(n_train: int, n_test: int | None = None, *, seed: int = 0) -> tuple[Any, Any]:
    """The (train, test) pair as ``pyarrow.Table`` objects; ``n_test`` defaults to a quarter of
    ``n_train``. Convert with ``table.to_pandas()`` or ``polars.from_arrow(table)``.

    Example:
        >>> train, test = planted_tables(1_000)
        >>> sorted(set(test.column("plan").to_pylist()))
        ['basic', 'enterprise', 'pro', 'team']
    """
    import pyarrow as pa

    n_test = n_train // 4 if n_test is None else n_test
    return tuple(
        pa.Table.from_batches(
            list(planted_batches(n, split=split, seed=seed)), schema=planted_schema()
        )
        for split, n in (("train", n_train), ("test", n_test))
    )


def _rng(seed: int, split: str, start: int) -> np.random.Generator:
    return np.random.default_rng([seed, SPLITS.index(split), start // _BLOCK])


def _features(rng: np.random.Generator, n: int, split: str) -> dict[str, Any]:
    """The feature columns and the clean label of ``n`` rows (numpy arrays, None = missing)."""
    score_a, score_b = rng.normal(size=n), rng.normal(size=n)
    city = rng.integers(0, len(CITIES), size=n)
    city_effect = (city % 3 - 1) * 0.3
    clean = (score_a + 0.5 * score_b + city_effect + rng.normal(0, 0.2, size=n) > 0).astype(
        np.int64
    )
    balance = rng.normal(100.0, 15.0, size=n) + (30.0 if split == "test" else 0.0)
    plan = rng.integers(0, len(_PLANS), size=n).astype(object)
    plan = np.asarray(_PLANS, dtype=object)[plan.astype(np.int64)]
    if split == "test":
        plan[rng.random(n) < UNSEEN_PLAN_SHARE] = "enterprise"
    speed = rng.gamma(2.0, 10.0, size=n)
    speed[rng.random(n) < INFINITE_SHARE] = np.inf
    signup = rng.integers(0, 3 * _YEAR_US, size=n) + np.datetime64("2020-01-01", "us")
    return {
        "signup_date": signup,
        "age": _with_missing(rng, rng.integers(18, 81, size=n).astype(object), 0.05),
        "income": _with_missing(rng, rng.lognormal(10.0, 0.5, size=n).astype(object), 0.10),
        "score_a": score_a,
        "score_b": score_b,
        "balance": balance,
        "clicks": rng.poisson(3.0, size=n),
        "ratio": rng.random(n),
        "speed": speed,
        "leak_score": clean + rng.normal(0, 0.05, size=n),
        "city": _with_missing(rng, np.asarray(CITIES, dtype=object)[city], 0.03),
        "device": np.asarray(_DEVICES, dtype=object)[rng.integers(0, 3, size=n)],
        "plan": plan,
        "product_code": np.asarray(_CODES, dtype=object)[rng.integers(0, len(_CODES), size=n)],
        "is_member": rng.random(n) < 0.3,
        "source": np.full(n, "app", dtype=object),
        "clean": clean,
    }


def _with_missing(rng: np.random.Generator, values: Any, share: float) -> Any:
    values[rng.random(len(values)) < share] = None
    return values


@functools.lru_cache(maxsize=4)
def _donors(seed: int) -> dict[str, Any]:
    """The first :data:`DONOR_ROWS` rows of train, which test's duplicate rows repeat."""
    cols = _features(_rng(seed, "train", 0), _BLOCK, "train")
    return {k: v[:DONOR_ROWS] for k, v in cols.items()}


def _block(seed: int, split: str, start: int, n: int) -> Any:
    """Rows ``start .. start + n`` of ``split`` as one record batch."""
    import pyarrow as pa

    rng = _rng(seed, split, start)
    cols = _features(rng, _BLOCK, split)  # a whole block's draws, then the first n rows
    cols = {k: v[:n] for k, v in cols.items()}
    rows = np.arange(start, start + n, dtype=np.int64)
    users = rows // 20  # 20 consecutive rows per user
    offset = rng.integers(0, _YEAR_US, size=_BLOCK)[:n]
    picks = rng.random((3, _BLOCK))[:, :n]
    if split == "train":
        label = np.where(picks[0] < FLIPPED_SHARE, 1 - cols["clean"], cols["clean"])
        times = _TRAIN_START + offset
    else:
        label = cols["clean"].copy()
        times = _TEST_START + offset // 4  # the first quarter of 2024
        early = picks[1] < TIME_OVERLAP_SHARE
        times[early] = _TRAIN_START + offset[early]
        shared = picks[2] < SHARED_GROUP_SHARE
        train_users = rng.integers(0, _SHARED_USERS, size=_BLOCK)[:n]
        users = np.where(shared, train_users, users + _TEST_USER_OFFSET)
        rows = rows + _TEST_ROW_OFFSET
        dup = np.flatnonzero(rng.random(_BLOCK)[:n] < DUPLICATE_SHARE)
        if len(dup):
            donors = _donors(seed)
            source = rng.integers(0, DONOR_ROWS, size=len(dup))
            for name, values in cols.items():
                values[dup] = donors[name][source]
            label[dup] = donors["clean"][source]
    del cols["clean"]
    arrays = {
        "row_id": rows,
        "user_id": users,
        "event_time": times,
        **cols,
        "target": label,
    }
    schema = planted_schema()
    return pa.RecordBatch.from_arrays(
        [pa.array(arrays[f.name], type=f.type, from_pandas=True) for f in schema], schema=schema
    )
