"""``toolkit-strip-notebook``: the ``strip-notebook-outputs`` pre-commit hook."""

from __future__ import annotations

import sys

from toolkit.hooks._args import file_names_only, options_and_files
from toolkit.hooks._report import exit_now, problem
from toolkit.notebooks.strip import StripOptions, strip_files

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: typing costs this hook's start ~10 ms
if TYPE_CHECKING:
    import argparse


def build_parser() -> argparse.ArgumentParser:
    """The hook's options (nbstripout's names where they exist)."""
    import argparse  # only when options are given: it imports re and gettext (~9 ms)

    parser = argparse.ArgumentParser(
        prog="toolkit-strip-notebook",
        description="Strip outputs, execution counts and volatile metadata from notebooks.",
    )
    parser.add_argument("paths", nargs="*", metavar="NOTEBOOK")
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if any changes")
    parser.add_argument("--keep-output", action="store_true", help="keep every cell's outputs")
    parser.add_argument("--keep-count", action="store_true", help="keep execution counts")
    parser.add_argument("--renumber-ids", action="store_true", help="ids '0','1',… (nbstripout)")
    # One value per option (repeatable, space-separated lists allowed, as nbstripout does):
    # nargs="+" would swallow the file names pre-commit appends after the hook's args.
    parser.add_argument(
        "--keep-metadata",
        "--keep-metadata-keys",  # nbstripout's name
        action="append",
        default=[],
        metavar="KEYS",
        help="keep these volatile keys (e.g. 'metadata.widgets collapsed'); repeatable",
    )
    parser.add_argument(
        "--extra-keys",
        action="append",
        default=[],
        metavar="KEYS",
        help="also remove these keys ('metadata.foo cell.metadata.bar'); repeatable",
    )
    parser.add_argument("--drop-empty-cells", action="store_true", help="remove empty cells")
    parser.add_argument(
        "--drop-tagged-cells",
        action="append",
        default=[],
        metavar="TAGS",
        help="remove cells with any of these tags ('scratch debug'); repeatable",
    )
    parser.add_argument("--strip-init-cells", action="store_true")
    return parser


def options_from(args: argparse.Namespace) -> StripOptions:
    """StripOptions from parsed arguments (space-separated values are split too)."""

    def split(values: list[str]) -> tuple[str, ...]:
        return tuple(part for value in values for part in value.split())

    return StripOptions(
        keep_output=args.keep_output,
        keep_count=args.keep_count,
        keep_id=not args.renumber_ids,
        extra_keys=split(args.extra_keys),
        keep_metadata=split(args.keep_metadata),
        drop_empty_cells=args.drop_empty_cells,
        drop_tagged_cells=split(args.drop_tagged_cells),
        strip_init_cells=args.strip_init_cells,
    )


def main(argv: list[str] | None = None) -> int:
    """Exit 1 when a file was (or, with --check, would be) changed or could not be read."""
    argv = sys.argv[1:] if argv is None else argv
    if not file_names_only(argv):
        args, paths = options_and_files(build_parser(), argv)
        options, check = options_from(args), args.check
    else:  # the default hook: file names only, so argparse is not even imported
        paths, options, check = argv, StripOptions(), False
    status = 0
    for result in strip_files(paths, options, check=check):
        if result.error:
            problem(result.error)
            status = 1
        elif result.changed:
            problem(result.message(check))
            status = 1
    return status


def run() -> None:
    """Console-script entry point: :func:`main` on ``sys.argv``, then a fast exit."""
    exit_now(main())


if __name__ == "__main__":
    sys.exit(main())
