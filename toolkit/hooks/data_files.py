"""``toolkit-forbid-data-files``: keep data sets and model artifacts out of git."""

from __future__ import annotations

import sys

from toolkit.hooks._args import file_names_only
from toolkit.hooks._report import exit_now, problem
from toolkit.notebooks.data_files import (
    DATA_EXTENSIONS,
    DEFAULT_DATA_LIMIT_KB,
    DEFAULT_HARD_LIMIT_KB,
    data_file_violations,
)


def _options(argv: list[str]) -> tuple[list[str], list[str], int, int]:
    """Paths, extensions, data limit and hard limit (KB) from the hook's arguments."""
    if file_names_only(argv):
        return argv, list(DATA_EXTENSIONS), DEFAULT_DATA_LIMIT_KB, DEFAULT_HARD_LIMIT_KB
    import argparse

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
    extensions = [e for e in args.extensions.split(",") if e.strip()]
    return args.paths, extensions, args.max_data_kb, args.max_kb


def main(argv: list[str] | None = None) -> int:
    """Exit 1 naming each data/model file over the threshold and any file over the hard limit."""
    paths, extensions, data_limit_kb, hard_limit_kb = _options(
        sys.argv[1:] if argv is None else argv
    )
    violations = data_file_violations(
        paths, extensions=extensions, data_limit_kb=data_limit_kb, hard_limit_kb=hard_limit_kb
    )
    for violation in violations:
        problem(f"{violation.path} ({violation.size // 1024} KB): {violation.reason}")
    return 1 if violations else 0


def run() -> None:
    """Console-script entry point: :func:`main` on ``sys.argv``, then a fast exit."""
    exit_now(main())


if __name__ == "__main__":
    sys.exit(main())
