"""``toolkit-check-notebook-errors``: no committed notebook may keep an error output."""

from __future__ import annotations

import sys

from toolkit.hooks import exit_now, file_names_only
from toolkit.hooks._notebook_check import run_check
from toolkit.notebooks.checks import error_output_problems


def main(argv: list[str] | None = None) -> int:
    """Exit 1 naming every cell with an error output."""
    argv = sys.argv[1:] if argv is None else argv
    if not file_names_only(argv):  # only --help exists; argparse words it
        import argparse

        parser = argparse.ArgumentParser(prog="toolkit-check-notebook-errors", description=__doc__)
        parser.add_argument("paths", nargs="*", metavar="NOTEBOOK")
        from toolkit.hooks._args import options_and_files

        argv = options_and_files(parser, argv)[1]  # -draft.ipynb is a file name
    return run_check(argv, error_output_problems)


def run() -> None:
    """Console-script entry point: :func:`main` on ``sys.argv``, then a fast exit."""
    exit_now(main())


if __name__ == "__main__":
    sys.exit(main())
