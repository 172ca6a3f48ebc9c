"""The ``toolkit`` console script: ``toolkit nb strip FILES`` and the merge driver without click.

``toolkit nb strip`` sits in loops (editor save hooks, scripts over many notebooks), and
``toolkit nb merge-driver`` is the process git starts for every conflicting notebook; importing
click and typing cost each ~45 ms per start (the merge driver's whole budget is 100 ms). Those
commands, called with file names and their plain options, run through
:mod:`toolkit.cli.nb_fast`; every other call (``--help``, other options, other commands) goes
to the click application in :mod:`toolkit.cli.main`, which also words every usage error.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Run ``toolkit``: plain ``nb strip``/``merge-driver`` calls directly, others through click."""
    argv = sys.argv[1:]
    if argv[:2] in (["nb", "strip"], ["nb", "merge-driver"]):
        from toolkit.cli.nb_fast import merge_plain, strip_plain

        status = (strip_plain if argv[1] == "strip" else merge_plain)(argv[2:])
        if status is not None:
            from toolkit.hooks import exit_now

            exit_now(status)
    from toolkit.cli.main import main as click_main

    click_main()
