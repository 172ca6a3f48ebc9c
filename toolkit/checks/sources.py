"""Where the data of a health report comes from, and which engine runs its checks.

:func:`open_sources` turns a TRAIN spec (and a TEST spec) into frames the checks run on, on one
engine, and a :class:`Source` record per split saying what was opened (engine, description,
estimated rows). A spec is one of:

- a pandas or polars DataFrame (in memory), a polars LazyFrame, a DuckDB relation or a pyspark
  DataFrame (the library call);
- a path: a Parquet/CSV/TSV file, a directory of them (hive-partitioned ``key=value`` folders
  become columns), or a glob (``data/*.parquet``, ``data/**/*.parquet``);
- ``SqlQuery("SELECT ...")`` or ``CatalogTable("db.t")``: run on Spark (a catalog such as the
  Hive metastore) or, for SQL, on DuckDB (it reads files in SQL: ``SELECT * FROM 'd/*.parquet'``).

Engines: ``pandas`` and ``polars`` hold the data in memory (files are read by
:mod:`toolkit.reading`, its encoding and binary-column rules); ``duckdb`` scans files lazily
in-process, spilling to a temporary directory past its memory limit; ``spark`` runs on a
``SparkSession`` (``local[2]`` unless a master URL or a session is given). ``auto`` keeps a
frame's own engine and reads files in memory with polars when they fit comfortably -- their
in-memory size (Parquet metadata, or twice the CSV bytes) at most :data:`IN_MEMORY_SHARE` of the
available memory and at most :data:`IN_MEMORY_MAX_BYTES` -- and with DuckDB otherwise; it says
which it picked and why in :attr:`Sources.notes`.

Example:
    >>> import pandas as pd
    >>> sources = open_sources(pd.DataFrame({"x": [1.0, 2.0], "y": [0, 1]}), target="y")
    >>> sources.train.engine, sources.train.rows
    ('pandas', 2)
"""

from __future__ import annotations

import glob as _glob
import importlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import UsageError

ENGINES = ("auto", "pandas", "polars", "duckdb", "spark")
# auto: in memory (polars) when the data is at most this share of the available memory. The
# in-memory report peaks at about 4x its table (benchmarks/health_vs_ydata.py: 0.64 GB for a
# 0.16 GB 1M x 20 table), so 1/8 leaves half the memory to everything else.
IN_MEMORY_SHARE = 1 / 8
# ... and at most this many bytes: past it the engine path is faster than one in-memory pass
# (benchmarks/checks_at_scale.py).
IN_MEMORY_MAX_BYTES = 1 << 30
CSV_EXPANSION = 2.0  # in-memory bytes per CSV byte (numbers parsed to 8 bytes, strings kept)
DEFAULT_SPARK_MASTER = "local[2]"
_PARQUET = (".parquet", ".pq")
_TEXT = {".csv": ",", ".tsv": "\t", ".txt": ","}
_GLOB_CHARS = frozenset("*?[")


class EngineError(UsageError):
    """An engine cannot start or is not installed (no Java for Spark, no duckdb): exit 2."""


@dataclass(frozen=True)
class SqlQuery:
    """A SQL query as a spec, run on the engine (Spark or DuckDB)."""

    query: str


@dataclass(frozen=True)
class CatalogTable:
    """A table name as a spec (``db.t``), read through Spark's catalog."""

    name: str


@dataclass(frozen=True)
class Source:
    """One opened split: ``frame`` is what the checks get (a pandas/polars DataFrame in memory,
    else a narwhals LazyFrame on DuckDB, Spark or polars), ``engine`` runs it, ``description``
    names what was opened, ``rows`` is an estimate (None when only a pass could tell),
    ``input`` how files were read (encoding, notes) for the report's meta."""

    frame: Any
    engine: str
    description: str
    rows: int | None
    input: dict[str, Any] = field(default_factory=dict)


@dataclass
class Sources:
    """Train (and test) on one engine, the notes to show the user, and the engine handles to
    close (:meth:`close`, or use as a context manager)."""

    train: Source
    test: Source | None
    notes: list[str]
    _closers: list[Any] = field(default_factory=list, repr=False)

    def close(self) -> None:
        """Release what was started here (a DuckDB connection and its temp files, a
        SparkSession this call created); a session passed in is left running."""
        while self._closers:
            self._closers.pop()()

    def __enter__(self) -> Sources:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class _Files:
    """A path spec resolved to files: all Parquet or all text, and the folder hive partition
    columns are relative to (None when no ``key=value`` folder is involved)."""

    spec: str
    files: tuple[Path, ...]
    kind: str  # "parquet" | "text"
    hive_root: Path | None


def open_sources(
    train: Any,
    test: Any = None,
    *,
    target: str,
    engine: str = "auto",
    encoding: str | None = None,
    spark: Any = None,
    spark_master: str | None = None,
    duckdb_memory: str | None = None,
    names: tuple[str, str] = ("TRAIN", "--test"),
) -> Sources:
    """Open ``train`` (and ``test``) on one engine and check they can be compared: ``target``
    in both, the same columns with compatible types. Every refusal is a :class:`UsageError`
    (exit 2) naming the spec (by ``names``) and saying what to do; nothing is written.

    ``spark`` is an existing ``SparkSession`` (kept running); else ``spark_master`` (default
    ``local[2]``) starts one. ``duckdb_memory`` is DuckDB's memory limit (default: a quarter
    of the available memory, at most 3 GiB); past it DuckDB spills to a temporary directory.

    Example:
        >>> import polars as pl
        >>> df = pl.DataFrame({"x": [1.0, 2.0, 3.0], "y": [0, 1, 0]})
        >>> with open_sources(df, df.lazy(), target="y") as s:
        ...     print(s.train.engine, s.test.engine)
        polars polars
    """
    if engine not in ENGINES:
        raise UsageError(f"--engine {engine}: expected one of {', '.join(ENGINES)}")
    if spark_master is not None and engine not in ("auto", "spark"):
        raise UsageError(f"--spark-master needs --engine spark (got --engine {engine})")
    if duckdb_memory is not None:
        _check_memory_limit(duckdb_memory, engine)
    specs = [(names[0], _resolve(train, names[0]))]
    if test is not None:
        specs.append((names[1], _resolve(test, names[1])))
    notes: list[str] = []
    chosen = _choose_engine(
        [s for _, s in specs], engine, spark is not None or spark_master is not None, notes
    )
    sources = Sources(train=None, test=None, notes=notes)  # type: ignore[arg-type]
    try:
        opener = _Opener(chosen, encoding, spark, spark_master, duckdb_memory, sources)
        opened = [opener.open(spec, name) for name, spec in specs]
        sources.train = opened[0]
        sources.test = opened[1] if len(opened) > 1 else None
        check_pair(sources.train, sources.test, target, names)
    except BaseException:
        sources.close()
        raise
    return sources


def _resolve(spec: Any, name: str) -> Any:
    """A path-like spec as :class:`_Files`; anything else as it is."""
    if isinstance(spec, (str, os.PathLike)):
        return _find_files(os.fspath(spec), name)
    return spec


def _find_files(spec: str, name: str) -> _Files:
    """The data files a path, folder or glob names. Hidden and ``_``-prefixed files (Spark's
    ``_SUCCESS``, ``.crc``) are skipped, as Spark and Hive skip them."""
    path = Path(spec)
    if _GLOB_CHARS & set(spec):
        found = sorted(Path(p) for p in _glob.glob(spec, recursive=True) if Path(p).is_file())
        root = Path(spec[: min(spec.find(c) for c in _GLOB_CHARS if c in spec)]).parent
        what = "matches no file"
    elif path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.is_file())
        root = path
        what = "is a folder with no data file"
    elif path.is_file():
        found, root, what = [path], path.parent, ""
    else:
        raise UsageError(f"{name} {spec}: no such file or folder")
    found = [p for p in found if not _is_hidden(p.relative_to(root) if root else p)]
    data = [p for p in found if p.suffix.lower() in (*_PARQUET, *_TEXT)]
    if not data:
        if found and not what:
            raise UsageError(f"{name} {spec}: unknown format; use .csv, .tsv or .parquet")
        shown = f" (it holds {', '.join(p.name for p in found[:3])})" if found else ""
        raise UsageError(
            f"{name} {spec}: {what or 'no data'}{shown}; give a .parquet/.csv/.tsv file, "
            "a folder of them or a glob such as 'data/*.parquet'"
        )
    kinds = {"parquet" if p.suffix.lower() in _PARQUET else "text" for p in data}
    if len(kinds) > 1:
        raise UsageError(f"{name} {spec}: mixes Parquet and CSV files; name one kind (a glob)")
    hive = any("=" in part for p in data for part in p.relative_to(root).parts[:-1])
    return _Files(spec, tuple(data), kinds.pop(), root if hive else None)


def _is_hidden(relative: Path) -> bool:
    return any(part.startswith((".", "_")) for part in relative.parts if "=" not in part)


def _choose_engine(specs: list[Any], engine: str, wants_spark: bool, notes: list[str]) -> str:
    """The engine every spec runs on: the one asked for, else (``auto``) the engine of the
    native frames, Spark for a table or a session/master, DuckDB for SQL, and for files polars
    when they fit comfortably in memory and DuckDB otherwise (a note says which and why)."""
    native = {e for e in (_native_engine(s) for s in specs) if e is not None}
    if engine != "auto":
        return engine
    if wants_spark or any(isinstance(s, CatalogTable) for s in specs) or "spark" in native:
        if not wants_spark and not native:
            notes.append("auto engine: spark (a table name needs a catalog)")
        return "spark"
    if any(isinstance(s, SqlQuery) for s in specs) or "duckdb" in native:
        if not native:
            notes.append("auto engine: duckdb runs the SQL (--engine spark for a warehouse)")
        return "duckdb"
    if native:
        # Frames stay where they are; a file beside an in-memory frame is read the same way.
        return "polars" if "polars" in native else native.pop()
    size = sum(_memory_estimate(s) for s in specs)
    budget = min(available_memory() * IN_MEMORY_SHARE, IN_MEMORY_MAX_BYTES)
    picked = "polars" if size <= budget else "duckdb"
    notes.append(
        f"auto engine: {picked} (data ~{_gb(size)} in memory vs the in-memory limit "
        f"{_gb(budget)}: min(1/8 of {_gb(available_memory())} available, "
        f"{_gb(IN_MEMORY_MAX_BYTES)}); --engine to choose)"
    )
    return picked


def _native_engine(spec: Any) -> str | None:
    """The engine a frame lives on (None for files, SQL and table specs)."""
    if isinstance(spec, (_Files, SqlQuery, CatalogTable)):
        return None
    module = type(spec).__module__.partition(".")[0]
    if module == "narwhals":
        return str(spec.implementation).lower().rpartition(".")[2]
    return {"pandas": "pandas", "polars": "polars", "duckdb": "duckdb", "pyspark": "spark"}.get(
        module, "unknown"
    )


def _memory_estimate(spec: _Files) -> float:
    """Bytes the files take in memory: Parquet's uncompressed size from the footers (a sample
    of 64 files, scaled by file size, for large folders), CSV twice its size on disk."""
    sizes = [p.stat().st_size for p in spec.files]
    if spec.kind == "text":
        return CSV_EXPANSION * sum(sizes)
    import pyarrow.parquet as pq

    step = max(1, len(spec.files) // 64)
    sampled = list(range(0, len(spec.files), step))
    in_memory = 0
    for i in sampled:
        meta = pq.read_metadata(spec.files[i])
        in_memory += sum(meta.row_group(g).total_byte_size for g in range(meta.num_row_groups))
    on_disk = sum(sizes[i] for i in sampled) or 1
    return in_memory * sum(sizes) / on_disk


def parquet_rows(files: tuple[Path, ...] | list[Path]) -> int:
    """Rows of Parquet ``files`` from their footers (no data is read)."""
    import pyarrow.parquet as pq

    return sum(pq.read_metadata(p).num_rows for p in files)


def available_memory() -> int:
    """Bytes of memory available to new work: Linux's MemAvailable, else half the physical
    memory."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2
    except (ValueError, OSError, AttributeError):
        return 8 << 30


def _gb(n: float) -> str:
    return f"{n / 1e9:.2f} GB" if n >= 1e8 else f"{n / 1e6:.1f} MB"


def require_engine(module: str) -> Any:
    """Import an engine's package, or raise :class:`EngineError` naming the extra to install.

    Example:
        >>> require_engine("no_such_engine")
        Traceback (most recent call last):
        toolkit.checks.sources.EngineError: no_such_engine is not installed
    """
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        from toolkit._extras import missing_extra_message

        message = missing_extra_message(exc) or f"{module} is not installed"
        raise EngineError(message) from None


class _Opener:
    """Opens specs on one engine, starting it (once) on first use."""

    def __init__(
        self,
        engine: str,
        encoding: str | None,
        spark: Any,
        spark_master: str | None,
        duckdb_memory: str | None,
        sources: Sources,
    ) -> None:
        self.engine, self.encoding = engine, encoding
        self._spark, self._master, self._memory = spark, spark_master, duckdb_memory
        self._duckdb: Any = None
        self._sources = sources

    def open(self, spec: Any, name: str) -> Source:
        if isinstance(spec, _Files):
            return self._open_files(spec, name)
        if isinstance(spec, (SqlQuery, CatalogTable)):
            return self._open_query(spec, name)
        return self._open_frame(spec, name)

    # ---- engines -------------------------------------------------------------------------

    def duckdb(self) -> Any:
        if self._duckdb is None:
            self._duckdb, close = duckdb_connection(self._memory)
            self._sources._closers.append(close)
        return self._duckdb

    def spark(self) -> Any:
        if self._spark is None and self._master is None:
            # A session already running in this process (a notebook's) is the user's: used
            # as configured and left running, like one passed in.
            self._spark = running_spark_session()
            if self._spark is not None:
                self._sources.notes.append(
                    f"spark: the session already running ({self._spark.sparkContext.master}, "
                    f"Spark {self._spark.version})"
                )
        if self._spark is None:
            self._spark = spark_session(self._master)
            self._sources._closers.append(self._spark.stop)
            self._sources.notes.append(
                f"spark: session on {self._master or DEFAULT_SPARK_MASTER} "
                f"(Spark {self._spark.version})"
            )
        return self._spark

    # ---- specs ---------------------------------------------------------------------------

    def _open_files(self, spec: _Files, name: str) -> Source:
        parts = [f"{len(spec.files)} files"] if len(spec.files) > 1 else []
        parts += ["hive-partitioned"] if spec.hive_root is not None else []
        rows = parquet_rows(spec.files) if spec.kind == "parquet" else None
        shown = f" ({', '.join(parts)})" if parts else ""
        describe = f"{spec.spec}{shown} on {self.engine}"
        if self.engine in ("pandas", "polars"):
            return self._read_in_memory(spec, name, describe)
        nw = require_engine("narwhals")
        if self.engine == "duckdb":
            if spec.kind == "text":
                self._require_utf8(spec, name)
            relation = scan_duckdb(self.duckdb(), spec.files, spec.kind, hive=spec.hive_root)
            return Source(nw.from_native(relation), "duckdb", describe, rows)
        frame = scan_spark(self.spark(), spec.files, spec.kind, hive=spec.hive_root)
        return Source(nw.from_native(frame), "spark", describe, rows)

    def _read_in_memory(self, spec: _Files, name: str, describe: str) -> Source:
        from toolkit.reading import read_tables

        read = read_tables(list(spec.files), name, encoding=self.encoding, hive_root=spec.hive_root)
        frame = read.frame.to_pandas() if self.engine == "pandas" else read.frame
        self._sources.notes.extend(read.notes)
        info = {"file": spec.spec, "encoding": read.encoding, "notes": read.notes}
        return Source(frame, self.engine, describe, int(read.frame.height), info)

    def _require_utf8(self, spec: _Files, name: str) -> None:
        """DuckDB reads CSV as UTF-8: another encoding is refused, not misread."""
        from toolkit.reading import detect_encoding

        with open(spec.files[0], "rb") as handle:
            head = handle.read(1 << 16)
        used = self.encoding or detect_encoding(head)
        if used.replace("_", "-").lower() not in ("utf-8", "utf8", "ascii"):
            raise UsageError(
                f"{name} {spec.files[0]}: {used} text; DuckDB reads CSV as UTF-8 only: save it "
                "as UTF-8 (or Parquet), or use --engine polars"
            )

    def _open_query(self, spec: SqlQuery | CatalogTable, name: str) -> Source:
        nw = require_engine("narwhals")
        what = f"--sql {spec.query!r}" if isinstance(spec, SqlQuery) else f"--table {spec.name}"
        if self.engine == "spark":
            session = self.spark()
            try:
                frame = (
                    session.sql(spec.query)
                    if isinstance(spec, SqlQuery)
                    else session.table(spec.name)
                )
            except Exception as exc:  # AnalysisException, ParseException: the user's SQL/name
                raise UsageError(f"{name} {what}: {_first_line(exc)}") from None
            return Source(nw.from_native(frame), "spark", f"{what} on spark", None)
        if self.engine == "duckdb" and isinstance(spec, SqlQuery):
            duckdb = require_engine("duckdb")
            try:
                relation = self.duckdb().sql(spec.query)
            except duckdb.Error as exc:
                raise UsageError(f"{name} {what}: {_first_line(exc)}") from None
            if relation is None:
                raise UsageError(f"{name} {what}: not a query (no rows); give a SELECT")
            return Source(nw.from_native(relation), "duckdb", f"{what} on duckdb", None)
        needs = "--engine spark" if isinstance(spec, CatalogTable) else "--engine duckdb or spark"
        raise UsageError(
            f"{what} needs {needs} (a table needs a catalog such as Hive's; got --engine "
            f"{self.engine})"
        )

    def _open_frame(self, frame: Any, name: str) -> Source:
        """A frame handed to the library, on the chosen engine (converted only through Arrow:
        pandas/polars to DuckDB or Spark; DuckDB and Spark frames stay on their engine)."""
        nw = require_engine("narwhals")
        native = frame.to_native() if type(frame).__module__.startswith("narwhals") else frame
        own = _native_engine(native)
        kind = type(native).__name__
        if own in (None, "unknown"):
            raise UsageError(
                f"{name}: expected a path, a pandas/polars DataFrame, a polars LazyFrame, a "
                f"DuckDB relation or a pyspark DataFrame; got {kind}"
            )
        if own == self.engine or (own, self.engine) in (("pandas", "polars"),):
            if own == "pandas" and self.engine == "polars":
                native = require_engine("polars").from_pandas(native)
            eager = own in ("pandas", "polars") and hasattr(native, "shape")
            rows = int(native.shape[0]) if eager else None
            wrapped = native if eager else nw.from_native(native)
            return Source(wrapped, self.engine, f"{name}: {kind} on {self.engine}", rows)
        if own in ("pandas", "polars") and self.engine in ("duckdb", "spark", "pandas"):
            table = nw.from_native(native).lazy().collect().to_arrow()
            rows = table.num_rows
            if self.engine == "pandas":
                out = table.to_pandas()
            elif self.engine == "duckdb":
                out = nw.from_native(self.duckdb().from_arrow(table))
            else:
                out = nw.from_native(self.spark().createDataFrame(table.to_pandas()))
            return Source(out, self.engine, f"{name}: {kind} on {self.engine}", rows)
        raise UsageError(f"{name}: a {kind} runs on {own}; use --engine {own} (or auto) for it")


def check_pair(
    train: Source, test: Source | None, target: str, names: tuple[str, str] = ("TRAIN", "--test")
) -> None:
    """Refuse splits no report can compare: ``target`` missing in one of them, columns that
    differ, or a column whose kind (number, text, time, boolean) differs. Reads schemas only."""
    schemas = [(names[0], train, _schema(train))]
    if test is not None:
        schemas.append((names[1], test, _schema(test)))
    for name, source, schema in schemas:
        if target not in schema:
            shown = ", ".join(list(schema)[:8]) + (", ..." if len(schema) > 8 else "")
            raise UsageError(
                f"--target {target!r}: no such column in {name} {_spec_of(source)} "
                f"(columns: {shown})"
            )
    if test is None:
        return
    (_, _, a), (_, _, b) = schemas
    missing, extra = [c for c in a if c not in b], [c for c in b if c not in a]
    if missing or extra:
        raise UsageError(
            f"{names[1]} {_spec_of(test)}: columns differ from {names[0]}"
            + (f"; missing {', '.join(missing[:5])}" if missing else "")
            + (f"; extra {', '.join(extra[:5])}" if extra else "")
            + "; select the same columns in both"
        )
    for column, dtype in a.items():
        if _kind(dtype) != _kind(b[column]):
            raise UsageError(
                f"{names[1]} {_spec_of(test)}: column {column!r} is {dtype} in {names[0]} but "
                f"{b[column]} here; cast it to one type in both"
            )


def _schema(source: Source) -> dict[str, Any]:
    nw = require_engine("narwhals")
    frame = source.frame
    if not type(frame).__module__.startswith("narwhals"):
        frame = nw.from_native(frame)
    return dict(frame.collect_schema())


def _kind(dtype: Any) -> str:
    if dtype.is_numeric():
        return "number"
    if dtype.is_temporal():
        return "time"
    return str(dtype.base_type()).lower()


def _spec_of(source: Source) -> str:
    return source.description.rsplit(" on ", 1)[0]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# ---- starting engines and scanning files (public: the benchmark and tests use them) -----


# DuckDB's default memory limit: a quarter of the available memory, at most 3 GiB and at least
# 1 GiB. DuckDB fills its limit before it spills (the 100M-row report's exact distinct counts
# peaked at the limit: 4.5 GB under a 5 GiB limit, 3.0 GB under 3 GiB, 2.0 GB under 2 GiB,
# each finishing), and spilling its hash tables to the temporary folder cost little here, so
# the report keeps a footprint that fits beside a notebook; --duckdb-memory raises it.
DUCKDB_MEMORY_SHARE = 0.25
DUCKDB_MEMORY_MAX = 3 << 30
DUCKDB_MEMORY_MIN = 1 << 30


def duckdb_memory_default() -> int:
    """Bytes DuckDB may hold before it spills (see :data:`DUCKDB_MEMORY_MAX`).

    Example:
        >>> DUCKDB_MEMORY_MIN <= duckdb_memory_default() <= DUCKDB_MEMORY_MAX
        True
    """
    share = int(available_memory() * DUCKDB_MEMORY_SHARE)
    return max(DUCKDB_MEMORY_MIN, min(share, DUCKDB_MEMORY_MAX))


def _check_memory_limit(limit: str, engine: str) -> None:
    """``--duckdb-memory``: a size DuckDB reads (``8GB``, ``512MB``, ``2.5GiB``), with DuckDB."""
    if engine not in ("auto", "duckdb"):
        raise UsageError(f"--duckdb-memory needs --engine duckdb (got --engine {engine})")
    if not re.fullmatch(r"\d+(\.\d+)?\s*([KMGT]i?B)", limit.strip(), flags=re.IGNORECASE):
        raise UsageError(f"--duckdb-memory {limit!r}: expected a size such as 8GB or 512MB")


def duckdb_connection(memory_limit: str | None = None) -> tuple[Any, Any]:
    """An in-process DuckDB connection for data larger than memory and its closer: a memory
    limit (default :func:`duckdb_memory_default`), a temporary directory to spill to,
    insertion order not preserved (less memory for big scans). The closer removes the
    directory.

    Example:
        >>> con, close = duckdb_connection("512MB")
        >>> con.execute("SELECT 42").fetchone()
        (42,)
        >>> close()
    """
    duckdb = require_engine("duckdb")
    spill = tempfile.mkdtemp(prefix="toolkit-duckdb-")
    limit = memory_limit or f"{duckdb_memory_default() >> 20}MiB"
    con = duckdb.connect(
        config={
            "memory_limit": limit,
            "temp_directory": spill,
            "preserve_insertion_order": False,
        }
    )

    def close() -> None:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)

    return con, close


def scan_duckdb(con: Any, files: Any, kind: str, *, hive: Path | None = None) -> Any:
    """A lazy DuckDB relation over Parquet or CSV ``files`` (nothing is read until a pass):
    hive partition columns when ``hive`` is their root, Parquet binary columns as text (how
    Hive and Spark often store strings)."""
    paths = [str(p) for p in files]
    if kind == "parquet":
        return con.read_parquet(paths, hive_partitioning=hive is not None, binary_as_string=True)
    delimiter = "\t" if all(str(p).lower().endswith(".tsv") for p in paths) else ","
    return con.read_csv(paths, header=True, sep=delimiter, hive_partitioning=hive is not None)


def spark_session(master: str | None = None) -> Any:
    """A ``SparkSession`` on ``master`` (default ``local[2]``; any cluster URL), quiet (no UI,
    no console progress, warnings only), with Arrow transfers. Java missing or a session that
    cannot start is an :class:`EngineError` saying what to do.

    A ``local[...]`` master also gets :func:`spark_local_config` (driver memory, shuffle
    partitions): Spark's defaults are for clusters. A cluster master keeps its own settings.
    """
    java = _find_java()
    if java is None:
        raise EngineError(
            "Spark needs Java 17+, and no java is on PATH (JAVA_HOME unset); install it "
            "(Debian/Ubuntu: apt-get install openjdk-17-jre-headless) or set JAVA_HOME"
        )
    require_engine("pyspark")
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(master or DEFAULT_SPARK_MASTER)
        .appName("toolkit check data")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.session.timeZone", "UTC")
    )
    url = master or DEFAULT_SPARK_MASTER
    if url.startswith("local"):
        for key, value in spark_local_config(url).items():
            builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # PySparkRuntimeError (gateway exited), Py4JError: not our bug
        raise EngineError(
            f"Spark session on {master or DEFAULT_SPARK_MASTER} cannot start "
            f"({_first_line(exc)}); check the master URL and that {java} is Java 17+"
        ) from None
    session.sparkContext.setLogLevel("ERROR")
    return session


def running_spark_session() -> Any:
    """The ``SparkSession`` active in this process, or ``None`` (also without pyspark)."""
    try:
        importlib.import_module("pyspark")  # not installed (or blocked): no session
        from pyspark.sql import SparkSession
    except ImportError:
        return None
    return SparkSession.getActiveSession()


def spark_local_config(master: str, available: int | None = None) -> dict[str, str]:
    """The settings a ``local[N]`` session needs for a report on millions of rows.

    * ``spark.driver.memory``: in local mode the driver JVM runs every task, and Spark's 1 GB
      default is its whole heap: the 10M-row report failed with it. A quarter of the available
      memory, between 1 and 4 GB (a JVM takes its heap as it needs it). Spark reads it only when
      the JVM starts: an already running session keeps its own.
    * ``spark.sql.shuffle.partitions``: 4 per core instead of 200 (each partition is a task;
      200 tiny tasks per shuffle on two cores is mostly scheduling).

    Example:
        >>> spark_local_config("local[2]", available=8 << 30)
        {'spark.driver.memory': '2048m', 'spark.sql.shuffle.partitions': '8'}
    """
    free = available_memory() if available is None else available
    heap = min(max(free // 4, 1 << 30), 4 << 30)
    inside = master.partition("[")[2].partition("]")[0].split(",")[0]  # local[N,F]: N threads
    cores = 1 if master == "local" else int(inside) if inside.isdigit() else os.cpu_count() or 2
    return {
        "spark.driver.memory": f"{heap >> 20}m",
        "spark.sql.shuffle.partitions": str(4 * max(cores, 1)),
    }


def _find_java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and Path(home, "bin", "java").is_file():
        return str(Path(home, "bin", "java"))
    return shutil.which("java")


def scan_spark(session: Any, files: Any, kind: str, *, hive: Path | None = None) -> Any:
    """A Spark DataFrame over Parquet or CSV ``files``; partition columns of ``key=value``
    folders under ``hive`` (Spark's partition discovery)."""
    reader = session.read
    if hive is not None:
        reader = reader.option("basePath", str(hive))
    paths = [str(p) for p in files]
    if kind == "parquet":
        return reader.parquet(*paths)
    sep = "\t" if all(p.lower().endswith(".tsv") for p in paths) else ","
    return reader.csv(paths, header=True, inferSchema=True, sep=sep)
