"""Guard against committing data sets and model artifacts.

Example:
    >>> from pathlib import Path
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "train.csv"
    >>> _ = p.write_bytes(b"x" * 200_000)
    >>> [v.reason.split(":")[0] for v in data_file_violations([p])]
    ['data file over 100 KB']
"""

from __future__ import annotations

import os

from toolkit._record import Record

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: the hook imports this; typing costs ~10 ms
if TYPE_CHECKING:
    from collections.abc import Iterable

DATA_EXTENSIONS = (
    "csv",
    "tsv",
    "parquet",
    "feather",
    "arrow",
    "h5",
    "hdf5",
    "npy",
    "npz",
    "pkl",
    "pickle",
    "joblib",
    "pt",
    "pth",
    "ckpt",
    "safetensors",
    "onnx",
    "tfrecord",
    "xlsx",
    "mat",
)
DEFAULT_DATA_LIMIT_KB = 100
DEFAULT_HARD_LIMIT_KB = 5 * 1024
WHERE_THEY_BELONG = (
    "keep data in data/ and models in models/ (git-ignored), and share them through DVC, "
    "git LFS or object storage"
)


class Violation(Record):
    """A file that must not be committed (``path`` as given), its size in bytes, and why."""

    __slots__ = ("path", "reason", "size")

    def __init__(self, path: str | os.PathLike[str], size: int, reason: str) -> None:
        self.path, self.size, self.reason = path, size, reason


def _suffix(path: str | os.PathLike[str]) -> str:
    name = os.path.basename(os.fspath(path))
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def data_file_violations(
    paths: Iterable[str | os.PathLike[str]],
    *,
    extensions: Iterable[str] = DATA_EXTENSIONS,
    data_limit_kb: int = DEFAULT_DATA_LIMIT_KB,
    hard_limit_kb: int = DEFAULT_HARD_LIMIT_KB,
) -> list[Violation]:
    """Files with a data/model extension above ``data_limit_kb``, or any above the hard limit."""
    wanted = {ext.lower().lstrip(".") for ext in extensions}
    found = []
    for path in paths:
        try:
            size = os.stat(path).st_size
        except OSError:
            continue  # deleted or renamed in this commit: nothing is added
        if _suffix(path) in wanted and size > data_limit_kb * 1024:
            reason = f"data file over {data_limit_kb} KB: {WHERE_THEY_BELONG}"
        elif size > hard_limit_kb * 1024:
            reason = f"file over the hard limit of {hard_limit_kb} KB: {WHERE_THEY_BELONG}"
        else:
            continue
        found.append(Violation(path, size, reason))
    return found
