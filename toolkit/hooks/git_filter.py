"""Entry point git runs for the notebook filter: ``python -m toolkit.hooks.git_filter MODE``.

``process`` serves git's long-running filter protocol; ``clean`` filters stdin to stdout
(exit 1, nothing written, when the notebook cannot be stripped: git then refuses it).
"""

from __future__ import annotations

import sys

from toolkit.notebooks.git_filter import clean_bytes, serve_process


def main(argv: list[str] | None = None) -> int:
    """Run the filter in ``process`` or ``clean`` mode."""
    args = sys.argv[1:] if argv is None else argv
    mode = args[0] if args else "clean"
    if mode == "process":
        serve_process(sys.stdin.buffer, sys.stdout.buffer)
    elif mode == "clean":
        name = args[1] if len(args) > 1 else "<stdin>"
        cleaned = clean_bytes(sys.stdin.buffer.read(), name)
        if cleaned is None:
            return 1
        sys.stdout.buffer.write(cleaned)
    else:
        print(f"toolkit-nbstrip: unknown mode {mode!r} (process or clean)", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
