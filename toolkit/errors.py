"""Exceptions shared by every part of the toolkit.

Library code raises these with a message that names the file or argument and says what to do;
the CLI prints the message as one line on stderr and exits with ``exit_code`` (never a traceback).

The exit-code rule, for every command and hook:

* **0** -- done, nothing found.
* **1** -- a finding or a failed check (a notebook was stripped, a cell failed, a conflict was
  written, a check flagged something), or the environment refused (a write failed, the file
  changed on disk meanwhile).
* **2** -- bad input or usage: a bad argument, or a file that is missing, unreadable or not what
  it should be (a malformed notebook). When one run meets both, 2 wins: the input needs fixing
  before the findings can be trusted.

Example:
    >>> from toolkit.errors import ToolkitError
    >>> str(ToolkitError("data.csv: no column 'label'"))
    "data.csv: no column 'label'"
"""

from __future__ import annotations


class ToolkitError(Exception):
    """An expected failure: a failed check, a refused write. The CLI exits 1 (subclasses for
    bad input exit 2)."""

    exit_code = 1


class UsageError(ToolkitError, ValueError):
    """The caller asked for something invalid (bad argument, bad name). The CLI exits 2."""

    exit_code = 2


class InvalidNotebookError(ToolkitError):
    """A file is not a notebook the toolkit can read (bad JSON, wrong structure, nbformat):
    bad input, exit 2."""

    exit_code = 2


class FileWriteError(ToolkitError, OSError):
    """A file could not be written (no such folder, no permission, disk full); the target is
    left as it was. Also an ``OSError``, for callers that treat write failures that way."""


class FileChangedError(FileWriteError):
    """The file changed on disk after the toolkit read it (an editor saved it meanwhile); the
    newer file was left as it is and nothing was written."""


class FileReadError(ToolkitError, OSError):
    """A file could not be read: missing, no permission, or not a regular file (a FIFO, a
    device, a folder), which is refused without waiting on it. Bad input, exit 2."""

    exit_code = 2
