"""``toolkit-forbid-data-files``: keep data sets and model artifacts out of git."""

from __future__ import annotations

import argparse
import sys

from toolkit.hooks._report import problem
from toolkit.notebooks.data_files import (
    DATA_EXTENSIONS,
    DEFAULT_DATA_LIMIT_KB,
    DEFAULT_HARD_LIMIT_KB,
    data_file_violations,
)


def main(argv: list[str] | None = None) -> int:
    """Exit 1 naming each data/model file over the threshold and any file over the hard limit."""
    parser = argparse.ArgumentParser(prog="toolkit-forbid-data-files", description=__doc__)
    parser.add_argument("paths", nargs="*", metavar="FILE")
    parser.add_argument(
        "--extensions",
        default=",".join(DATA_EXTENSIONS),
        help="comma-separated data/model extensions",
    )
    parser.add_argument(
        "--max-data-kb",
        type=int,
        default=DEFAULT_DATA_LIMIT_KB,
        help="largest data/model file allowed (KB)",
    )
    parser.add_argument(
        "--max-kb",
        type=int,
        default=DEFAULT_HARD_LIMIT_KB,
        help="largest file of any kind allowed (KB)",
    )
    args = parser.parse_args(argv)
    violations = data_file_violations(
        args.paths,
        extensions=[e for e in args.extensions.split(",") if e.strip()],
        data_limit_kb=args.max_data_kb,
        hard_limit_kb=args.max_kb,
    )
    for violation in violations:
        problem(f"{violation.path} ({violation.size // 1024} KB): {violation.reason}")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
