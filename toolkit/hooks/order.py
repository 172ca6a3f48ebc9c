"""``toolkit-check-notebook-order``: notebooks must have been run top to bottom in one run."""

from __future__ import annotations

import sys

from toolkit.hooks import exit_now, file_names_only
from toolkit.hooks._notebook_check import run_check
from toolkit.notebooks.checks import execution_order_problems

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: typing costs a hook start ~10 ms
if TYPE_CHECKING:
    from toolkit.notebooks.checks import CellProblem
    from toolkit.notebooks.io import Notebook


def main(argv: list[str] | None = None) -> int:
    """Exit 1 naming every cell that shows an out-of-order or partial run."""
    argv = sys.argv[1:] if argv is None else argv
    allow_gaps = allow_unexecuted = False
    if not file_names_only(argv):
        import argparse

        parser = argparse.ArgumentParser(prog="toolkit-check-notebook-order", description=__doc__)
        parser.add_argument("paths", nargs="*", metavar="NOTEBOOK")
        parser.add_argument("--allow-gaps", action="store_true", help="accept skipped counts")
        parser.add_argument(
            "--allow-unexecuted", action="store_true", help="accept code cells that were not run"
        )
        from toolkit.hooks._args import options_and_files

        args, argv = options_and_files(parser, argv)  # -draft.ipynb is a file name
        allow_gaps, allow_unexecuted = args.allow_gaps, args.allow_unexecuted

    def check(nb: Notebook) -> list[CellProblem]:
        return execution_order_problems(
            nb, allow_gaps=allow_gaps, allow_unexecuted=allow_unexecuted
        )

    return run_check(argv, check)


def run() -> None:
    """Console-script entry point: :func:`main` on ``sys.argv``, then a fast exit."""
    exit_now(main())


if __name__ == "__main__":
    sys.exit(main())
