"""Atomic file writes: a crash or a full disk never leaves a half-written user file.

Every write in the toolkit goes through here: the data goes to a temporary file in the same
directory, is flushed to disk, takes over the original's permission bits, and replaces the
target with ``os.replace`` (atomic on POSIX and Windows).

Example:
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
    >>> atomic_write_text(p, "你好\\n")
    >>> p.read_text(encoding="utf-8")
    '你好\\n'
"""

from __future__ import annotations

import os

from toolkit.errors import FileWriteError

# Only os: pre-commit hooks write through here, and tempfile (random, shutil), pathlib and
# contextlib together add ~25 ms to every hook start on a slow machine. The temporary name
# is made unique the way mkstemp does it: O_CREAT | O_EXCL, retried on a clash.
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def _create_temporary(target: str) -> tuple[int, str]:
    """An exclusively created, empty temporary file beside ``target`` (mode 0600)."""
    folder, name = os.path.split(target)
    for attempt in range(100):
        suffix = os.urandom(4).hex() if attempt else f"{os.getpid()}"
        tmp_name = os.path.join(folder, f".{name}.{suffix}.tmp")
        try:
            return os.open(tmp_name, _TEMP_FLAGS, 0o600), tmp_name
        except FileExistsError:
            continue
    raise FileExistsError(f"{target}: no free temporary file name beside it")


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically, keeping the file's permission bits."""
    target = os.fspath(path)
    try:
        mode: int | None = os.stat(target).st_mode & 0o7777
    except OSError:  # no such file yet (or no such folder: creating the temporary file says so)
        mode = None
    try:
        fd, tmp_name = _create_temporary(target)
    except OSError as exc:
        raise _write_error(target, exc) from None
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)  # the data is on disk before the rename makes it the file
        finally:
            os.close(fd)
        if mode is None:
            # A new file gets the usual umask-derived mode, not the temporary file's 0600.
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except BaseException as exc:
        import contextlib  # the failure path only

        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):
            raise _write_error(target, exc) from None
        raise


def _write_error(target: str, exc: OSError) -> FileWriteError:
    """One line naming the file the user asked for, not the temporary file."""
    return FileWriteError(f"{target}: cannot write ({exc.strerror or exc}); nothing written")


def atomic_write_text(
    path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8", newline: str | None = None
) -> None:
    """Replace ``path`` with ``text`` atomically; ``newline`` converts ``\\n`` like ``open()``."""
    if newline is not None and newline != "\n":
        text = text.replace("\n", newline)
    atomic_write_bytes(path, text.encode(encoding))


def dominant_newline(text: str) -> str:
    """``"\\r\\n"`` when most line ends in ``text`` are CRLF, else ``"\\n"``: the ending a rewrite
    should use so that a file with a few stray line ends changes on as few lines as possible.

    Example:
        >>> dominant_newline("a\\r\\nb\\r\\nc\\n"), dominant_newline("a\\nb\\nc\\r\\n")
        ('\\r\\n', '\\n')
    """
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"
