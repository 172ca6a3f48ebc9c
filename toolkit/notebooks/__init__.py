"""Notebook tools: format-preserving I/O, output stripping, checks, git filter, reports.

Light to import: the hot path uses only the standard library; ``report`` (nbconvert) loads
on first use.

Example:
    >>> from toolkit.notebooks import StripOptions
    >>> StripOptions().keep_id
    True
"""

from __future__ import annotations

from toolkit._lazy import lazy_exports

# Public name -> defining module. Everything loads on first use (PEP 562), so a hook that
# imports ``toolkit.notebooks.strip`` does not pay for the checks, and nothing pulls nbconvert.
_EXPORTS = {
    "JsonStyle": "io",
    "read_notebook": "io",
    "write_notebook": "io",
    "loads_notebook": "io",
    "dumps_notebook": "io",
    "StripOptions": "strip",
    "StripResult": "strip",
    "strip_file": "strip",
    "strip_files": "strip",
    "strip_notebook": "strip",
    "strip_text": "strip",
    "CellProblem": "checks",
    "error_output_problems": "checks",
    "execution_order_problems": "checks",
    "Violation": "data_files",
    "data_file_violations": "data_files",
    "install_filter": "git_filter",
    "uninstall_filter": "git_filter",
    "merge_notebooks": "merge",
    "install_merge_driver": "merge",
    "report": "reporting",
}
__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
