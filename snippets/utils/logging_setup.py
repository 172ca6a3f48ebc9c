"""Configure logging once: readable console lines plus an optional UTF-8 log file.

Idempotent (calling it twice does not duplicate handlers), quiets chatty libraries, and writes
the file in UTF-8 so Chinese messages survive on any platform's default encoding.

tags: utils, logging, setup
requires: none
version: 1

Example:
    >>> import logging, tempfile, pathlib, sys
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "run.log"
    >>> fmt = "%(levelname)s %(message)s"
    >>> log = setup_logging(level="INFO", log_file=path, stream=sys.stdout, fmt=fmt)
    >>> log.info("训练开始 epoch=%d", 1)
    INFO 训练开始 epoch=1
    >>> _ = setup_logging(level="INFO", log_file=path, stream=sys.stdout, fmt=fmt)
    >>> log.warning("once")
    WARNING once
    >>> teardown_logging()
    >>> path.read_text(encoding="utf-8").splitlines()
    ['INFO 训练开始 epoch=1', 'WARNING once']
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

_MARK = "_snippet_logging_setup"
DEFAULT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
NOISY = ("matplotlib", "PIL", "urllib3", "asyncio", "numba", "h5py")


def setup_logging(
    level: str | int = "INFO",
    log_file: str | Path | None = None,
    fmt: str = DEFAULT_FORMAT,
    stream: TextIO | None = None,
    quiet: Iterable[str] = NOISY,
) -> logging.Logger:
    """Set up the root logger; return it. Removes handlers added by an earlier call."""
    root = logging.getLogger()
    teardown_logging()
    formatter = logging.Formatter(fmt, datefmt="%Y-%m-%d %H:%M:%S")
    handlers: list[logging.Handler] = [logging.StreamHandler(stream or sys.stderr)]
    if log_file is not None:
        Path(log_file).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    for handler in handlers:
        handler.setFormatter(formatter)
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    root.setLevel(level)
    for name in quiet:
        logging.getLogger(name).setLevel(logging.WARNING)
    return root


def teardown_logging() -> None:
    """Remove and close the handlers installed by :func:`setup_logging`."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _MARK, False):
            root.removeHandler(handler)
            handler.close()
