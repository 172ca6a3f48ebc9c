"""``toolkit-forbid-data-files``: keep data sets and model artifacts out of git."""

from __future__ import annotations

import sys

from toolkit.hooks import exit_now, file_names_only, problem
from toolkit.notebooks.data_files import (
    DATA_EXTENSIONS,
    DEFAULT_DATA_LIMIT_KB,
    DEFAULT_HARD_LIMIT_KB,
    data_file_violations,
    format_kb,
    parse_extensions,
)


def _kilobytes(text: str) -> int:
    """A size limit in KB: a whole number, 0 or more."""
    import argparse  # only called while argparse parses

    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size in KB (a whole number >= 0)")
    return value


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
        help="data/model extensions, separated by commas or spaces ('csv, gz')",
    )
    parser.add_argument(
        "--max-data-kb",
        type=_kilobytes,
        default=DEFAULT_DATA_LIMIT_KB,
        help="largest data/model file allowed (KB)",
    )
    parser.add_argument(
        "--max-kb",
        type=_kilobytes,
        default=DEFAULT_HARD_LIMIT_KB,
        help="largest file of any kind allowed (KB)",
    )
    from toolkit.hooks._args import options_and_files

    args, paths = options_and_files(parser, argv)
    extensions = parse_extensions(args.extensions)
    if not extensions:
        parser.error(f"--extensions {args.extensions!r}: no extension given")
    return paths, extensions, args.max_data_kb, args.max_kb


def main(argv: list[str] | None = None) -> int:
    """Exit 1 naming each data/model file over the threshold and any file over the hard limit."""
    paths, extensions, data_limit_kb, hard_limit_kb = _options(
        sys.argv[1:] if argv is None else argv
    )
    violations = data_file_violations(
        paths, extensions=extensions, data_limit_kb=data_limit_kb, hard_limit_kb=hard_limit_kb
    )
    for violation in violations:
        problem(f"{violation.path} ({format_kb(violation.size)}): {violation.reason}")
    return 1 if violations else 0


def run() -> None:
    """Console-script entry point: :func:`main` on ``sys.argv``, then a fast exit."""
    exit_now(main())


if __name__ == "__main__":
    sys.exit(main())
