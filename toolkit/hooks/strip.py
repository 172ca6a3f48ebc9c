"""``toolkit-strip-notebook``: the ``strip-notebook-outputs`` pre-commit hook."""

from __future__ import annotations

import sys

from toolkit.hooks import exit_now, file_names_only, problem
from toolkit.notebooks.strip import StripOptions, options_from, strip_files

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: typing costs this hook's start ~10 ms
if TYPE_CHECKING:
    import argparse


def build_parser() -> argparse.ArgumentParser:
    """The hook's options: the one table in :data:`toolkit.notebooks.strip.STRIP_OPTIONS`
    (nbstripout's names where they exist), plus ``--check``."""
    import argparse  # only when options are given: it imports re and gettext (~9 ms)

    from toolkit.notebooks.strip import add_strip_arguments

    parser = argparse.ArgumentParser(
        prog="toolkit-strip-notebook",
        description="Strip outputs, execution counts and volatile metadata from notebooks.",
    )
    parser.add_argument("paths", nargs="*", metavar="NOTEBOOK")
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if any changes")
    add_strip_arguments(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Exit 1 when a file was (or, with --check, would be) changed; 2 when one is not a
    readable notebook (bad input wins, see :mod:`toolkit.errors`)."""
    argv = sys.argv[1:] if argv is None else argv
    if not file_names_only(argv):
        from toolkit.hooks._args import options_and_files

        args, paths = options_and_files(build_parser(), argv)
        options, check = options_from(vars(args)), args.check
    else:  # the default hook: file names only, so argparse is not even imported
        paths, options, check = argv, StripOptions(), False
    status = 0
    for result in strip_files(paths, options, check=check):
        if result.error:
            problem(result.error)
        elif result.changed:
            problem(result.message(check))
        status = max(status, result.exit_code)
    return status


def run() -> None:
    """Console-script entry point: :func:`main` on ``sys.argv``, then a fast exit."""
    exit_now(main())


if __name__ == "__main__":
    sys.exit(main())
