"""The ``toolkit`` console script: the common ``toolkit nb strip FILES`` without click.

``toolkit nb strip`` sits in loops (editor save hooks, scripts over many notebooks), and
importing click and typing cost it ~45 ms per start, a third of a batch's time: that command,
called with file names and its plain flags, runs through :mod:`toolkit.cli.nb_fast`; every other
call (``--help``, other options, other commands) goes to the click application in
:mod:`toolkit.cli.main`, which also words every usage error.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Run ``toolkit``: the plain ``nb strip`` call directly, everything else through click."""
    argv = sys.argv[1:]
    if argv[:2] == ["nb", "strip"]:
        from toolkit.cli.nb_fast import strip_plain

        status = strip_plain(argv[2:])
        if status is not None:
            from toolkit.hooks._report import exit_now

            exit_now(status)
    from toolkit.cli.main import main as click_main

    click_main()
