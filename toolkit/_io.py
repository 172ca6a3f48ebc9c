"""The one write path: a write happens whole and means what was asked, or does not happen.

Every file the toolkit writes goes through :func:`atomic_write_bytes`, which keeps the promises
listed in ``docs/files.md``:

- **Atomic.** The data goes to a temporary file beside the target, is flushed to disk and
  replaces the target with ``os.replace``: a crash or a full disk never leaves half a file.
- **The file's own permission.** A file without write permission (``chmod 0444``) is refused,
  although renaming over it needs only the folder's permission; a rewritten file keeps its
  permission bits (and its owner and group where the system allows).
- **Links, like editors.** A symlink is written through to its target; the link stays a link.
  A file with several hard links is rewritten in place, so every name keeps seeing the file
  (the new data is first written and flushed beside it, and the old data is put back if the
  in-place write fails).
- **Concurrent edits.** A caller that read the file passes ``expect=`` (the :class:`FileState`
  from :func:`read_bytes` or :func:`file_state`); when the file changed since — an editor saved
  it — the newer file is left as it is and :class:`~toolkit.errors.FileChangedError` says so.
  Read-modify-write callers that may run concurrently (``snippet add --into``) also hold
  :class:`locked` around the whole read-change-write.
- **Only regular files.** :func:`read_bytes` refuses FIFOs, devices and folders without
  blocking, and a write refuses to replace anything but a regular file.

Example:
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
    >>> atomic_write_text(p, "你好\\n")
    >>> data, state = read_bytes(p)
    >>> atomic_write_bytes(p, data + b"!\\n", expect=state)
    >>> p.read_text(encoding="utf-8")
    '你好\\n!\\n'
"""

from __future__ import annotations

import os
import stat

from toolkit._record import Record
from toolkit.errors import FileChangedError, FileReadError, FileWriteError

# Only os and stat (already imported by os): pre-commit hooks write through here, and
# tempfile (random, shutil), pathlib and contextlib together add ~25 ms to every hook start on
# a slow machine. The temporary name is made unique the way mkstemp does it: O_CREAT | O_EXCL,
# retried on a clash.
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
# O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


class FileState(Record):
    """What a file was when it was read; a different state later means someone changed it.

    An editor's atomic save changes ``inode``; an in-place save changes ``size`` or
    ``mtime_ns`` (to the file system's timestamp granularity).
    """

    __slots__ = ("device", "inode", "mtime_ns", "size")

    def __init__(self, device: int, inode: int, size: int, mtime_ns: int) -> None:
        self.device, self.inode, self.size, self.mtime_ns = device, inode, size, mtime_ns

    @classmethod
    def of(cls, st: os.stat_result) -> FileState:
        """The state recorded in a stat result."""
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def shown_name(path: str | os.PathLike[str]) -> str:
    """``path`` as a message shows it: as it is, or quoted with escapes when it holds a newline
    or another unprintable character (so an error stays one line).

    Example:
        >>> shown_name("数据/a b.ipynb"), shown_name("evil\\nname.ipynb")
        ('数据/a b.ipynb', "'evil\\\\nname.ipynb'")
    """
    name = os.fspath(path)
    return name if name.isprintable() else repr(name)


def file_state(path: str | os.PathLike[str]) -> FileState | None:
    """The state of the file at ``path`` (through links), or None when there is none.

    Take it *before* reading: a change between the two then shows as a change, never hides.

    Example:
        >>> file_state("/no/such/file") is None
        True
    """
    try:
        return FileState.of(os.stat(path))
    except (FileNotFoundError, NotADirectoryError):
        return None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def read_bytes(path: str | os.PathLike[str]) -> tuple[bytes, FileState]:
    """The bytes of the regular file at ``path`` and its :class:`FileState`, for ``expect=``.

    A FIFO, device or folder raises :class:`~toolkit.errors.FileReadError` at once (it is never
    waited on); so does a file that cannot be read. One ``os.read`` for the usual file.
    """
    name = os.fspath(path)
    try:
        fd = os.open(name, _READ_FLAGS)
    except OSError as exc:
        raise FileReadError(f"{shown_name(name)}: cannot read ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = _kind(st.st_mode)
            raise FileReadError(f"{shown_name(name)}: {kind}, not a regular file; skipped")
        chunks = [os.read(fd, st.st_size + 1)]
        while chunks[-1]:  # a file that grew while being read
            chunks.append(os.read(fd, 1 << 20))
    except OSError as exc:
        raise FileReadError(f"{shown_name(name)}: cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    return b"".join(chunks), FileState.of(st)


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


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _existing(name: str, target: str) -> os.stat_result | None:
    """The stat of the file a write would replace, after the checks that refuse the write."""
    try:
        st = os.stat(target)
    except (FileNotFoundError, NotADirectoryError):
        return None  # a new file (a missing folder is reported when the temporary file fails)
    except OSError as exc:  # a symlink loop, a permission error on the way
        raise _write_error(name, exc) from None
    if not stat.S_ISREG(st.st_mode):
        kind = _kind(st.st_mode)
        raise FileWriteError(f"{shown_name(name)}: {kind}, not a regular file; not replaced")
    if not st.st_mode & _WRITE_BITS or not os.access(target, os.W_OK):
        # Renaming over it needs only the folder's permission: check the file's own.
        raise FileWriteError(
            f"{shown_name(name)}: read-only (mode {stat.S_IMODE(st.st_mode):04o}); not rewritten "
            "(make it writable, e.g. chmod u+w, to let the toolkit change it)"
        )
    return st


def _check_unchanged(name: str, now: os.stat_result | None, expect: FileState | None) -> None:
    if expect is None or (now is not None and FileState.of(now) == expect):
        return
    what = "was deleted" if now is None else "changed on disk"
    raise FileChangedError(
        f"{shown_name(name)}: {what} since it was read (saved by another program?); "
        "left the newer file as it is, nothing written — run again"
    )


def ensure_unchanged(path: str | os.PathLike[str], expect: FileState | None) -> None:
    """Raise :class:`~toolkit.errors.FileChangedError` unless the file at ``path`` is as it was
    read: ``expect`` its :class:`FileState`, or None for "there was no file" (unlike a write's
    ``expect=None``, which checks nothing). For a caller about to delete, or to create, a file.

    Example:
        >>> ensure_unchanged("/no/such/file", None)
    """
    name = os.fspath(path)
    now = _stat_or_none(os.path.realpath(name))
    if expect is None and now is not None:
        raise FileChangedError(
            f"{shown_name(name)}: created since the toolkit looked (by another program?); "
            "left as it is, nothing written — run again"
        )
    _check_unchanged(name, now, expect)


def atomic_write_bytes(
    path: str | os.PathLike[str], data: bytes, *, expect: FileState | None = None
) -> None:
    """Replace the file at ``path`` with ``data`` whole, or raise a one-line ``FileWriteError``.

    ``expect`` is the :class:`FileState` taken when the file was read: if the file differs now,
    nothing is written (:class:`~toolkit.errors.FileChangedError`). See the module docstring for
    links, permissions and the temporary file.
    """
    name = os.fspath(path)
    target = os.path.realpath(name)  # through symlinks: the link stays, its target changes
    st = _existing(name, target)
    _check_unchanged(name, st, expect)  # early too: no 200 MB temporary file for nothing
    if st is not None and st.st_nlink > 1:
        _write_in_place(name, target, data, expect)
        return
    new = _Temporary(name, target, data, owner=st)
    with new:
        os.chmod(new.path, _new_mode() if st is None else stat.S_IMODE(st.st_mode))
        # Last look just before the rename: a save made while we worked wins.
        _check_unchanged(name, _stat_or_none(target), expect)
        os.replace(new.path, target)


def _write_in_place(name: str, target: str, data: bytes, expect: FileState | None) -> None:
    """Rewrite a hard-linked file through its inode, so no link is split.

    The new data is first written and flushed to a temporary file beside it (it proves there is
    room, and a crash mid-write leaves it there, whole); if writing in place fails, the old
    data is put back and the temporary file removed.
    """
    new = _Temporary(name, target, data)
    with new:
        fd = os.open(target, os.O_RDWR | getattr(os, "O_BINARY", 0))
        try:
            _check_unchanged(name, os.fstat(fd), expect)
            old = b"".join(iter(lambda: os.read(fd, 1 << 20), b""))
            try:
                _overwrite(fd, data)
            except OSError:
                _overwrite(fd, old)
                raise
        finally:
            os.close(fd)
        os.unlink(new.path)


class _Temporary:
    """A flushed temporary file beside ``target`` holding ``data``; inside ``with``, a failure
    removes it and becomes one :class:`FileWriteError` naming the file the user asked for."""

    def __init__(
        self, name: str, target: str, data: bytes, owner: os.stat_result | None = None
    ) -> None:
        self.name = name
        try:
            fd, self.path = _create_temporary(target)
        except OSError as exc:
            raise _write_error(name, exc) from None
        with self:
            try:
                _write_all(fd, data)
                if owner is not None:
                    _keep_owner(fd, owner)
                os.fsync(fd)  # the data is on disk before a rename makes it the file
            finally:
                os.close(fd)

    def __enter__(self) -> _Temporary:
        return self

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        if exc is None:
            return
        if os.path.lexists(self.path):
            os.unlink(self.path)
        if isinstance(exc, OSError) and not isinstance(exc, FileWriteError):
            raise _write_error(self.name, exc) from None


def _keep_owner(fd: int, st: os.stat_result) -> None:
    """Give the new file the old one's owner and group where allowed (root, or own group)."""
    if not hasattr(os, "fchown") or (st.st_uid, st.st_gid) == (os.geteuid(), os.getegid()):
        return
    try:
        os.fchown(fd, st.st_uid, st.st_gid)
    except OSError:
        return  # not allowed: the file is the writer's, as with any editor


def _overwrite(fd: int, data: bytes) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    _write_all(fd, data)
    os.ftruncate(fd, len(data))
    os.fsync(fd)


def _stat_or_none(target: str) -> os.stat_result | None:
    try:
        return os.stat(target)
    except (FileNotFoundError, NotADirectoryError):
        return None


def _new_mode() -> int:
    """The usual umask-derived mode of a new file, not the temporary file's 0600."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _write_error(name: str, exc: OSError) -> FileWriteError:
    """One line naming the file the user asked for, not the temporary file."""
    return FileWriteError(
        f"{shown_name(name)}: cannot write ({exc.strerror or exc}); nothing written"
    )


def atomic_write_text(
    path: str | os.PathLike[str],
    text: str,
    *,
    encoding: str = "utf-8",
    newline: str | None = None,
    expect: FileState | None = None,
) -> None:
    """Replace ``path`` with ``text`` atomically; ``newline`` converts ``\\n`` like ``open()``."""
    if newline is not None and newline != "\n":
        text = text.replace("\n", newline)
    atomic_write_bytes(path, text.encode(encoding), expect=expect)


_HELD: dict[tuple[int, int, int], int] = {}  # locks held: (device, inode, thread) -> depth


class locked:  # lower case: used like a function, ``with locked(path):``
    """Hold an exclusive lock for a read-change-write of ``path`` against other toolkit runs.

    The lock is ``flock`` on the folder of the file (through links), so no lock file is left
    behind and a file that does not exist yet can be locked too. Re-entering for the same folder
    in one thread is allowed; other threads and processes wait. Without ``fcntl`` (Windows)
    it does nothing and the ``expect=`` check is the only guard.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "module.py"
        >>> with locked(p):
        ...     atomic_write_text(p, "x = 1\\n", expect=file_state(p))
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._folder = os.path.dirname(os.path.realpath(os.fspath(path))) or "."
        self._fd: int | None = None
        self._key: tuple[int, int, int] | None = None

    def __enter__(self) -> locked:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return self
        import threading

        try:
            fd = os.open(self._folder, os.O_RDONLY)
        except OSError as exc:
            raise _write_error(self._folder, exc) from None
        st = os.fstat(fd)
        key = (st.st_dev, st.st_ino, threading.get_ident())
        self._key = key
        if _HELD.get(key):
            os.close(fd)  # this thread holds it already
        else:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._fd = fd
        _HELD[key] = _HELD.get(key, 0) + 1
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._key is None:
            return
        _HELD[self._key] -= 1
        if not _HELD[self._key]:
            del _HELD[self._key]
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None


def dominant_newline(text: str) -> str:
    """``"\\r\\n"`` when most line ends in ``text`` are CRLF, else ``"\\n"``: the ending a rewrite
    should use so that a file with a few stray line ends changes on as few lines as possible.

    Example:
        >>> dominant_newline("a\\r\\nb\\r\\nc\\n"), dominant_newline("a\\nb\\nc\\r\\n")
        ('\\r\\n', '\\n')
    """
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"
