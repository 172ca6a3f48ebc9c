"""Notebook tools: format-preserving I/O, output stripping, checks, git filter, reports.

Light to import: the hot path uses only the standard library; ``report`` (nbconvert) loads
on first use. Static analysers and IDEs see the real functions through the ``TYPE_CHECKING``
imports below. ``load_notebook`` is the one reading rule every command uses.

Example:
    >>> from toolkit.notebooks import StripOptions
    >>> StripOptions().keep_id
    True
"""

from __future__ import annotations

from toolkit._lazy import lazy_exports

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: the hooks import this; typing costs ~10 ms
if TYPE_CHECKING:  # static analysers see the real names; runtime imports stay lazy
    from toolkit.notebooks.checks import CellProblem as CellProblem
    from toolkit.notebooks.checks import error_output_problems as error_output_problems
    from toolkit.notebooks.checks import execution_order_problems as execution_order_problems
    from toolkit.notebooks.data_files import Violation as Violation
    from toolkit.notebooks.data_files import data_file_violations as data_file_violations
    from toolkit.notebooks.git_filter import install_filter as install_filter
    from toolkit.notebooks.git_filter import uninstall_filter as uninstall_filter
    from toolkit.notebooks.io import JsonStyle as JsonStyle
    from toolkit.notebooks.io import cell_source as cell_source
    from toolkit.notebooks.io import dumps_notebook as dumps_notebook
    from toolkit.notebooks.io import load_notebook as load_notebook
    from toolkit.notebooks.io import loads_notebook as loads_notebook
    from toolkit.notebooks.io import read_notebook as read_notebook
    from toolkit.notebooks.io import write_notebook as write_notebook
    from toolkit.notebooks.merge import install_merge_driver as install_merge_driver
    from toolkit.notebooks.merge import merge_notebooks as merge_notebooks
    from toolkit.notebooks.reporting import report as report
    from toolkit.notebooks.strip import StripOptions as StripOptions
    from toolkit.notebooks.strip import StripResult as StripResult
    from toolkit.notebooks.strip import strip_file as strip_file
    from toolkit.notebooks.strip import strip_files as strip_files
    from toolkit.notebooks.strip import strip_notebook as strip_notebook
    from toolkit.notebooks.strip import strip_text as strip_text

# Public name -> defining module. Everything loads on first use (PEP 562), so a hook that
# imports ``toolkit.notebooks.strip`` does not pay for the checks, and nothing pulls nbconvert.
_EXPORTS = {
    "JsonStyle": "io",
    "load_notebook": "io",
    "cell_source": "io",
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
