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

from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

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


class Violation(NamedTuple):
    """A file that must not be committed, and why."""

    path: Path
    size: int
    reason: str


def _suffix(path: Path) -> str:
    return path.name.rsplit(".", 1)[-1].lower() if "." in path.name else ""


def data_file_violations(
    paths: Iterable[str | Path],
    *,
    extensions: Iterable[str] = DATA_EXTENSIONS,
    data_limit_kb: int = DEFAULT_DATA_LIMIT_KB,
    hard_limit_kb: int = DEFAULT_HARD_LIMIT_KB,
) -> list[Violation]:
    """Files with a data/model extension above ``data_limit_kb``, or any above the hard limit."""
    wanted = {ext.lower().lstrip(".") for ext in extensions}
    found = []
    for raw in paths:
        path = Path(raw)
        try:
            size = path.stat().st_size
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
