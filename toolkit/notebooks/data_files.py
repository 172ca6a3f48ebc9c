"""Guard against committing data sets and model artifacts.

A file is measured as git will store it: a symlink as the link (git stores only the path it
points to), a file that a ``filter=lfs`` rule in ``.gitattributes`` sends to git LFS as its
pointer. Compressed forms of a data extension count as that extension (``train.csv.gz``), and
archives and model formats are data too. Sizes are KB of 1024 bytes; a size shown in a message
is rounded up to the next 0.1 KB, so a file over a limit never reads as "100 KB: over 100 KB".

Example:
    >>> from pathlib import Path
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "train.csv.gz"
    >>> _ = p.write_bytes(b"x" * 102_800)
    >>> [(v.reason.split(":")[0], format_kb(v.size)) for v in data_file_violations([p])]
    [('data file over 100 KB', '100.4 KB')]
"""

from __future__ import annotations

import os
import stat

from toolkit._record import Record

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: the hook imports this; typing costs ~10 ms
if TYPE_CHECKING:
    from collections.abc import Iterable

DATA_EXTENSIONS = (
    # tables and arrays
    *("csv", "tsv", "jsonl", "ndjson", "parquet", "feather", "arrow", "orc", "avro"),
    *("xls", "xlsx", "xlsm", "ods", "dta", "sav", "sas7bdat", "rds", "rdata"),
    *("h5", "hdf5", "h5ad", "nc", "npy", "npz", "mat", "tfrecord", "lmdb"),
    # databases
    *("sqlite", "sqlite3", "db", "duckdb"),
    # pickles and model weights
    *("pkl", "pickle", "joblib", "pt", "pth", "ckpt", "safetensors", "bin", "onnx"),
    *("keras", "tflite", "pb", "gguf", "ggml", "mlmodel", "pdparams", "pdmodel", "pdiparams"),
    *("cbm", "xgb", "ubj"),
    # archives and compressed files (a compressed table also counts as its inner extension)
    *("zip", "tar", "tgz", "7z", "rar", "gz", "bz2", "xz", "zst", "lz4"),
)
# Suffixes that wrap another one: "x.csv.gz" is also a "csv" file.
COMPRESSION_SUFFIXES = frozenset({"gz", "bz2", "xz", "zst", "lz4", "zip", "7z", "tgz"})
DEFAULT_DATA_LIMIT_KB = 100
DEFAULT_HARD_LIMIT_KB = 5 * 1024
WHERE_THEY_BELONG = (
    "keep data in data/ and models in models/ (git-ignored), and share them through DVC, "
    "git LFS or object storage"
)
# What git commits for a git-LFS file: this pointer (the oid is 64 hex digits).
_LFS_POINTER = "version https://git-lfs.github.com/spec/v1\noid sha256:{}\nsize {}\n"


class Violation(Record):
    """A file that must not be committed (``path`` as given), its size in bytes, and why."""

    __slots__ = ("path", "reason", "size")

    def __init__(self, path: str | os.PathLike[str], size: int, reason: str) -> None:
        self.path, self.size, self.reason = path, size, reason


def format_kb(size: int) -> str:
    """``size`` bytes in KB with one decimal, rounded up (a size over a limit reads as over it).

    Example:
        >>> format_kb(102_800), format_kb(102_401), format_kb(1024)
        ('100.4 KB', '100.1 KB', '1 KB')
    """
    tenths = -(-size * 10 // 1024)  # ceiling division, in integers
    whole, tenth = divmod(tenths, 10)
    return f"{whole} KB" if not tenth else f"{whole}.{tenth} KB"


def parse_extensions(text: str) -> list[str]:
    """Extensions from a comma- and/or space-separated list, lower case, without dots.

    Example:
        >>> parse_extensions("csv, .GZ  parquet,,")
        ['csv', 'gz', 'parquet']
    """
    return [part.lower().lstrip(".") for part in text.replace(",", " ").split() if part.strip(".")]


def suffixes(path: str | os.PathLike[str]) -> set[str]:
    """The extensions ``path`` counts as: its last one, and the one inside a compression suffix.

    Example:
        >>> sorted(suffixes("data/train.CSV.gz")), sorted(suffixes("model.bin"))
        (['csv', 'gz'], ['bin'])
    """
    parts = os.path.basename(os.fspath(path)).lower().split(".")[1:]
    found = set(parts[-1:])
    if len(parts) >= 2 and parts[-1] in COMPRESSION_SUFFIXES:
        found.add(parts[-2])
    return found


def _committed_sizes(paths: list[str | os.PathLike[str]]) -> dict[int, int]:
    """Size git will store for each path (by position); missing files are left out."""
    sizes = {}
    for i, path in enumerate(paths):
        try:
            st = os.lstat(path)  # a symlink is stored as the link: measure the link
        except OSError:
            continue  # deleted or renamed in this commit: nothing is added
        if stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode):
            sizes[i] = st.st_size
    return sizes


def _lfs_paths(paths: list[str]) -> set[str]:
    """Which of ``paths`` a ``filter=lfs`` rule sends to git LFS (ask git, as git-lfs does)."""
    import subprocess

    try:
        out = subprocess.run(
            ["git", "check-attr", "-z", "filter", "--", *paths],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return set()  # no git or not a repository: every file is measured as it is
    fields = out.decode("utf-8", "surrogateescape").split("\0")
    return {fields[i] for i in range(0, len(fields) - 2, 3) if fields[i + 2] == "lfs"}


def lfs_pointer_size(size: int) -> int:
    """The size of the git-LFS pointer file that replaces a file of ``size`` bytes in git.

    Example:
        >>> lfs_pointer_size(4_000_000)
        132
    """
    return len(_LFS_POINTER.format("0" * 64, size))


def data_file_violations(
    paths: Iterable[str | os.PathLike[str]],
    *,
    extensions: Iterable[str] = DATA_EXTENSIONS,
    data_limit_kb: int = DEFAULT_DATA_LIMIT_KB,
    hard_limit_kb: int = DEFAULT_HARD_LIMIT_KB,
) -> list[Violation]:
    """Files with a data/model extension above ``data_limit_kb``, or any above the hard limit,
    measured as git will store them (see the module docstring)."""
    wanted = {ext.lower().lstrip(".") for ext in extensions}
    paths = list(paths)
    sizes = _committed_sizes(paths)

    def reason(path: str | os.PathLike[str], size: int) -> str | None:
        if suffixes(path) & wanted and size > data_limit_kb * 1024:
            return f"data file over {data_limit_kb} KB: {WHERE_THEY_BELONG}"
        if size > hard_limit_kb * 1024:
            return f"file over the hard limit of {hard_limit_kb} KB: {WHERE_THEY_BELONG}"
        return None

    flagged = {i: size for i, size in sizes.items() if reason(paths[i], size)}
    if flagged:  # only then ask git about LFS: most commits never start a git process here
        lfs = _lfs_paths([os.fspath(paths[i]) for i in flagged])
        for i in flagged:
            if os.fspath(paths[i]) in lfs:
                flagged[i] = lfs_pointer_size(flagged[i])
    found = []
    for i, size in flagged.items():
        why = reason(paths[i], size)
        if why is not None:
            found.append(Violation(paths[i], size, why))
    return found
