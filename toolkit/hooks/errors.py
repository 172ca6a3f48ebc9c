"""``toolkit-check-notebook-errors``: no committed notebook may keep an error output."""

from __future__ import annotations

import argparse
import sys

from toolkit.hooks._notebook_check import run_check
from toolkit.notebooks.checks import error_output_problems


def main(argv: list[str] | None = None) -> int:
    """Exit 1 naming every cell with an error output."""
    parser = argparse.ArgumentParser(prog="toolkit-check-notebook-errors", description=__doc__)
    parser.add_argument("paths", nargs="*", metavar="NOTEBOOK")
    return run_check(parser.parse_args(argv).paths, error_output_problems)


if __name__ == "__main__":
    sys.exit(main())
