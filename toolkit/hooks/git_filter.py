"""Entry point git runs for the notebook filter: ``python -m toolkit.hooks.git_filter MODE``.

``process`` serves git's long-running filter protocol; ``clean`` filters stdin to stdout
(exit 1, nothing written, when the notebook cannot be stripped: git then refuses it). Both take
the strip hook's options (``install-filter`` writes them into the git config).
"""

from __future__ import annotations

import argparse
import sys

from toolkit.notebooks.git_filter import clean_bytes, serve_process
from toolkit.notebooks.strip import add_strip_arguments, options_from


def main(argv: list[str] | None = None) -> int:
    """Run the filter in ``process`` or ``clean`` mode."""
    parser = argparse.ArgumentParser(prog="toolkit-nbstrip")
    parser.add_argument("mode", choices=["process", "clean"], nargs="?", default="clean")
    parser.add_argument("name", nargs="?", default="<stdin>", help="the file's path (clean)")
    add_strip_arguments(parser)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    options = options_from(vars(args))
    if args.mode == "process":
        serve_process(sys.stdin.buffer, sys.stdout.buffer, options)
        return 0
    cleaned = clean_bytes(sys.stdin.buffer.read(), args.name, options)
    if cleaned is None:
        return 1
    sys.stdout.buffer.write(cleaned)
    return 0


if __name__ == "__main__":
    sys.exit(main())
