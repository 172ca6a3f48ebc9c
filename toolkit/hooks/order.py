"""``toolkit-check-notebook-order``: notebooks must have been run top to bottom in one run."""

from __future__ import annotations

import argparse
import sys
from functools import partial

from toolkit.hooks._notebook_check import run_check
from toolkit.notebooks.checks import execution_order_problems


def main(argv: list[str] | None = None) -> int:
    """Exit 1 naming every cell that shows an out-of-order or partial run."""
    parser = argparse.ArgumentParser(prog="toolkit-check-notebook-order", description=__doc__)
    parser.add_argument("paths", nargs="*", metavar="NOTEBOOK")
    parser.add_argument("--allow-gaps", action="store_true", help="accept skipped counts")
    parser.add_argument(
        "--allow-unexecuted", action="store_true", help="accept code cells that were not run"
    )
    args = parser.parse_args(argv)
    check = partial(
        execution_order_problems, allow_gaps=args.allow_gaps, allow_unexecuted=args.allow_unexecuted
    )
    return run_check(args.paths, check)


if __name__ == "__main__":
    sys.exit(main())
