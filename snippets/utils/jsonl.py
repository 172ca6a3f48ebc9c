"""Read and append JSON Lines files (one JSON object per line): experiment logs, predictions.

Appending a line is cheap and crash-safe (a partial last line from a killed process is skipped
with a warning on read instead of breaking the whole file). UTF-8 with non-ASCII kept readable.

tags: utils, jsonl, io, logging, experiments
requires: none
version: 1

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "metrics.jsonl"
    >>> append_jsonl(path, {"epoch": 1, "loss": 0.5})
    >>> append_jsonl(path, [{"epoch": 2, "loss": 0.4, "note": "学习率减半"}])
    >>> with path.open("a", encoding="utf-8") as fh:
    ...     _ = fh.write('{"epoch": 3, "lo')  # a crash mid-write
    >>> [r["epoch"] for r in read_jsonl(path)]
    [1, 2]
    >>> path.read_text(encoding="utf-8").splitlines()[1]
    '{"epoch": 2, "loss": 0.4, "note": "学习率减半"}'
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any


def append_jsonl(
    path: str | Path, records: Mapping[str, Any] | Iterable[Mapping[str, Any]]
) -> None:
    """Append one record (a dict) or many records to ``path``, one JSON object per line."""
    if isinstance(records, Mapping):
        records = [records]
    lines = "".join(json.dumps(dict(r), ensure_ascii=False) + "\n" for r in records)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(lines)


def iter_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """Yield records lazily; blank lines are skipped, a broken line is skipped with a warning."""
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                warnings.warn(f"{path}:{number}: skipped invalid JSON ({exc.msg})", stacklevel=2)


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """All records of ``path`` as a list."""
    return list(iter_jsonl(path))
