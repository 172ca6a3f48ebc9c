"""Reading data for the checks: files in any common encoding, columns no check can misread.

Two doors, one rule each:

- :func:`read_table` reads a CSV/TSV/Parquet *file* (``toolkit check data``). UTF-8 is read by
  polars straight from disk; anything else (a byte-order mark, UTF-16, Windows-1252 from Excel on a
  Western system, GB18030/GBK from Excel on a Chinese one) is detected with charset-normalizer,
  decoded strictly and named in :attr:`Read.encoding` -- never silently guessed. Parquet binary
  columns are read as text when they are UTF-8 and as hex when they are not, and say so.
- :func:`check_columns` refuses, in one line naming the column, what a *frame* handed to the
  API can hold but no check can read: MultiIndex columns, non-string column names, bytes values.

Example:
    >>> detect_encoding("city\\nZürich\\nGenève\\n".encode("cp1252"))
    'cp1252'
    >>> detect_encoding("城市\\n北京\\n上海\\n".encode("gbk"))
    'gb18030'
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

from toolkit.errors import UsageError

# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HEAD = 1 << 16
_PREFERRED = ("gb18030", "cp1252")  # the detector's near ties go to these (see detect_encoding)
_SLACK = 0.15  # how much more charset-normalizer "chaos" a preferred encoding may show
# How the report names an encoding (Python's codec name otherwise).
_SHOWN = {
    "cp1252": "Windows-1252",
    "gb18030": "GB18030 (GBK)",
    "utf-16": "UTF-16",
    "utf-32": "UTF-32",
    "big5": "Big5",
    "cp932": "Shift_JIS (cp932)",
}


class Read:
    """A frame read from ``path``, the encoding its text was in (None for Parquet), and notes
    on what was done to read it (a non-UTF-8 encoding, binary columns)."""

    def __init__(self, frame: Any, path: Path, encoding: str | None, notes: list[str]) -> None:
        self.frame, self.path, self.encoding, self.notes = frame, path, encoding, notes


def detect_encoding(data: bytes) -> str:
    """The encoding of text ``data``: a byte-order mark, else UTF-8 if it decodes, else what
    charset-normalizer finds most plausible (near ties go to GB18030 or Windows-1252). Raises
    :class:`UsageError` when no encoding decodes the bytes plausibly (not text)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if b"\0" not in data[:_HEAD]:  # NULs: UTF-16/32 without a mark, valid UTF-8 bytes
            return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UsageError("not text in any encoding charset-normalizer knows")
    found = str(codecs.lookup(best.encoding).name)
    # What Excel writes on a Chinese system (GB18030, a superset of GBK) and on a Western one
    # (Windows-1252) win unless clearly less plausible: on a short file single-byte code pages,
    # or GB18030 and CP949, are near ties that statistics cannot break.
    rivals = []
    for preferred in _PREFERRED:
        if found == preferred:
            return found
        rival = from_bytes(data, cp_isolation=[preferred], threshold=0.5).best()
        if rival is not None and rival.chaos <= best.chaos + _SLACK:
            rivals.append((rival.chaos, preferred))
    return min(rivals)[1] if rivals else found


def read_table(path: Path, argument: str, *, encoding: str | None = None) -> Read:
    """Read the CSV, TSV or Parquet file ``path`` (given as ``argument``) with polars.

    ``encoding`` overrides the detection for text files. Every failure is one
    :class:`UsageError` (exit 2) naming the file.
    """
    import polars as pl

    if not path.is_file():
        raise UsageError(f"{argument} {path}: no such file")
    suffix = path.suffix.lower()
    try:
        if suffix in {".parquet", ".pq"}:
            frame, notes = _binary_as_text(pl.read_parquet(path), path)
            read = Read(frame, path, None, notes)
        elif suffix in {".csv", ".txt", ".tsv"}:
            read = _read_text_table(path, "\t" if suffix == ".tsv" else ",", encoding)
        else:
            raise UsageError(f"{argument} {path}: unknown format; use .csv, .tsv or .parquet")
    except (pl.exceptions.PolarsError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError(f"{path}: cannot read ({first})") from exc
    if read.frame.height == 0 or read.frame.width == 0:
        raise UsageError(f"{path}: no data rows")
    return read


def read_tables(
    paths: list[Path], argument: str, *, encoding: str | None = None, hive_root: Path | None = None
) -> Read:
    """Read several files of one kind (a folder or a glob, ``argument``) as one polars frame,
    each by :func:`read_table`'s rules; with ``hive_root``, the ``key=value`` folders between
    it and each file become columns (integers, numbers or text, as their values read).

    Example:
        >>> import polars as pl, tempfile
        >>> root = Path(tempfile.mkdtemp())
        >>> for year in (2023, 2024):
        ...     (root / f"year={year}").mkdir()
        ...     pl.DataFrame({"x": [1.0]}).write_parquet(root / f"year={year}" / "part.parquet")
        >>> read = read_tables(sorted(root.rglob("*.parquet")), "TRAIN", hive_root=root)
        >>> read.frame["year"].to_list()
        [2023, 2024]
    """
    import polars as pl

    if len(paths) == 1 and hive_root is None:
        return read_table(paths[0], argument, encoding=encoding)
    reads = [read_table(p, argument, encoding=encoding) for p in paths]
    frames = [r.frame for r in reads]
    if hive_root is not None:
        frames = [
            f.with_columns(_partition_values(p, hive_root))
            for f, p in zip(frames, paths, strict=True)
        ]
    try:
        frame = pl.concat(frames, how="vertical_relaxed")
    except pl.exceptions.PolarsError as exc:
        raise UsageError(
            f"{argument}: its files do not share one schema ({str(exc).splitlines()[0]}); "
            "give a glob of files written alike"
        ) from None
    if hive_root is not None:
        frame = frame.with_columns(_typed(frame[c]) for c in _partition_names(paths[0], hive_root))
    notes = [n for r in reads for n in r.notes]
    encodings = {r.encoding for r in reads}
    used = encodings.pop() if len(encodings) == 1 else ", ".join(sorted(map(str, encodings)))
    return Read(frame, hive_root or paths[0].parent, used, notes)


def _partition_names(path: Path, root: Path) -> list[str]:
    return [part.partition("=")[0] for part in path.relative_to(root).parts[:-1] if "=" in part]


def _partition_values(path: Path, root: Path) -> list[Any]:
    import polars as pl

    parts = [p.partition("=") for p in path.relative_to(root).parts[:-1] if "=" in p]
    return [pl.lit(value, dtype=pl.String).alias(key) for key, _, value in parts]


def _typed(column: Any) -> Any:
    """A partition column as integers, numbers or dates (``dt=2024-01-31``) when every value
    reads so, as DuckDB and Spark type them; else text."""
    import polars as pl

    for cast in (
        column.cast(pl.Int64, strict=False),
        column.cast(pl.Float64, strict=False),
        column.str.strptime(pl.Date, "%Y-%m-%d", strict=False),
    ):
        if cast.null_count() == column.null_count():
            return cast
    return column


def _read_text_table(path: Path, separator: str, encoding: str | None) -> Read:
    import polars as pl

    options: dict[str, Any] = {
        "separator": separator,
        "infer_schema_length": 10_000,
        "try_parse_dates": True,
    }
    if encoding is None:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD)
        if b"\0" not in head and not head.startswith(tuple(bom for bom, _ in _BOMS[:2])):
            try:  # the usual case: UTF-8 read by polars from disk, multi-threaded
                return Read(pl.read_csv(path, **options), path, "utf-8", [])
            except pl.exceptions.ComputeError as exc:
                if "utf-8" not in str(exc).lower() and "utf8" not in str(exc).lower():
                    raise
    data = path.read_bytes()
    try:
        used = encoding or detect_encoding(data)
        text = data.decode(used)
    except UsageError as exc:
        raise UsageError(f"{path}: cannot read ({exc}); save it as UTF-8") from None
    except LookupError:
        raise UsageError(f"--encoding {encoding}: no such encoding") from None
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{path}: cannot read as {used} (byte {exc.start}); give the right --encoding "
            "or save it as UTF-8"
        ) from None
    shown = _SHOWN.get(used, used)
    notes = [] if used in ("utf-8", "utf-8-sig") else [f"{path}: read as {shown} (not UTF-8)"]
    return Read(pl.read_csv(text.lstrip("\ufeff").encode("utf-8"), **options), path, used, notes)


def _binary_as_text(frame: Any, path: Path) -> tuple[Any, list[str]]:
    """Binary (Parquet BYTE_ARRAY without a string type) columns as text: UTF-8 when every value
    decodes (Hive and Spark often write strings so), else hex, with a note per column."""
    import polars as pl

    notes, replaced = [], []
    for name, dtype in frame.schema.items():
        if dtype != pl.Binary:
            continue
        try:
            replaced.append(frame[name].cast(pl.String))
            notes.append(f"{path}: binary column {name!r} read as UTF-8 text")
        except pl.exceptions.PolarsError:
            replaced.append(frame[name].bin.encode("hex"))
            notes.append(f"{path}: binary column {name!r} is not text; read as hex")
    return (frame.with_columns(replaced) if replaced else frame), notes


def check_columns(df: Any, argname: str) -> None:
    """Raise a :class:`UsageError` naming the column when ``df`` (pandas or polars) has column
    labels or values no check can read: MultiIndex columns, non-string names, bytes values.

    Example:
        >>> import pandas as pd
        >>> check_columns(pd.DataFrame({0: [1.0], "y": [1]}), "train")
        Traceback (most recent call last):
        toolkit.errors.UsageError: train: column name 0 (int) is not a string; rename the \
columns to strings first, e.g. df.columns = df.columns.astype(str)
    """
    # A pyarrow Table's .columns are its arrays; its names are .column_names.
    labels = df.column_names if _is_arrow(df) else getattr(df, "columns", None)
    if labels is None:
        return
    if getattr(labels, "nlevels", 1) > 1:
        raise UsageError(
            f"{argname}: MultiIndex columns such as {tuple(labels[0])!r}; flatten them first, "
            "e.g. df.columns = ['_'.join(map(str, c)) for c in df.columns]"
        )
    for label in labels:
        if not isinstance(label, str):
            raise UsageError(
                f"{argname}: column name {label!r} ({type(label).__name__}) is not a string; "
                "rename the columns to strings first, e.g. df.columns = df.columns.astype(str)"
            )
    for label, dtype in _bytes_columns(df):
        raise UsageError(
            f"{argname}: column {label!r} holds bytes ({dtype}), not text or numbers; decode it "
            "(e.g. .str.decode('utf-8') in pandas, .cast(pl.String) in polars) or drop it"
        )


def _is_arrow(df: Any) -> bool:
    return type(df).__module__.startswith("pyarrow")


_BINARY_DTYPES = ("Binary", "binary[pyarrow]", "large_binary[pyarrow]", "binary", "large_binary")


def _bytes_columns(df: Any) -> list[tuple[str, str]]:
    """Columns of ``df`` that hold bytes: polars Binary, pandas Arrow binary, pandas object
    columns whose values are bytes (pandas' own C type inference: no Python loop per row)."""
    found = []
    if _is_arrow(df):
        dtypes: Any = zip(df.schema.names, df.schema.types, strict=True)
    else:  # polars has .schema; pandas .dtypes (df.schema may be a pandas column)
        dtypes = df.dtypes.items() if hasattr(df, "iloc") else df.schema.items()
    for label, dtype in dtypes:
        spelt = str(dtype)
        if spelt in _BINARY_DTYPES:
            found.append((label, spelt))
        elif spelt == "object" and _holds_bytes(df[label]):
            found.append((label, "bytes objects"))
    return found


def _holds_bytes(series: Any) -> bool:
    from pandas.api.types import infer_dtype

    if infer_dtype(series, skipna=True) not in ("bytes", "mixed"):
        return False
    return any(isinstance(v, bytes) for v in series.dropna().head(10_000))
