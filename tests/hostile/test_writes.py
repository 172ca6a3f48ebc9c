"""Writes and the file system: every writer keeps the promises of docs/files.md.

The property test builds a file-system state (plain file, symlink, chain of relative links,
symlinked folder, hard links, read-only file, read-only link target) under a generated name and
runs each writer the toolkit has on it: the shared write path itself, the notebook stripper,
``snippet add --into`` and the notebook writer. Whatever the state, the result is either the
same bytes a plain file would get -- written *through* links, links still links, hard links
still one file -- or, for a read-only file, one error line naming it and nothing changed.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit import _io
from toolkit.errors import FileChangedError, FileWriteError, ToolkitError

from ._examples import counted

NOTEBOOK = (
    json.dumps(
        {
            "cells": [
                {
                    "cell_type": "code",
                    "execution_count": 3,
                    "id": "a1",
                    "metadata": {},
                    "outputs": [{"output_type": "stream", "name": "stdout", "text": "隐私\n"}],
                    "source": "print('隐私')",
                }
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        },
        indent=1,
        ensure_ascii=False,
    )
    + "\n"
).encode("utf-8")


def _atomic(path: Path) -> str | None:
    _io.atomic_write_bytes(path, b"new contents\n")
    return None


def _strip(path: Path) -> str | None:
    from toolkit.notebooks.strip import strip_file

    return strip_file(path).error


def _snippet_into(path: Path) -> str | None:
    from toolkit.snippets.insert import add_snippet
    from toolkit.snippets.model import parse_snippet_text

    snippet = parse_snippet_text("'''Say hi.'''\nprint('hi')\n", "utils/hi")
    add_snippet(snippet, into=path)
    return None


def _write_notebook(path: Path) -> str | None:
    from toolkit.notebooks.io import read_notebook, write_notebook

    nb, style = read_notebook(path)
    nb["metadata"]["edited"] = True
    write_notebook(path, nb, style)
    return None


# name -> (the file's bytes before, the writer); a writer returns or raises its error message.
WRITERS: dict[str, tuple[bytes, Callable[[Path], str | None]]] = {
    "atomic_write_bytes": (b"old contents\n", _atomic),
    "strip_file": (NOTEBOOK, _strip),
    "snippet add --into": (b"import os\n", _snippet_into),
    "write_notebook": (NOTEBOOK, _write_notebook),
}
LAYOUTS = (
    "regular",
    "symlink",
    "relative symlink chain",
    "symlinked folder",
    "hard links",
    "read-only",
    "read-only link target",
)


def run_writer(writer: Callable[[Path], str | None], path: Path) -> str | None:
    try:
        return writer(path)
    except ToolkitError as exc:
        return str(exc)


def build(root: Path, layout: str, name: str, data: bytes) -> Path:
    """Lay out ``layout`` under ``root``; return the path the writer is given."""
    real = root / "real"
    real.mkdir()
    target = real / name
    target.write_bytes(data)
    target.chmod(0o640)
    if layout == "regular":
        return target
    if layout in ("symlink", "read-only link target"):
        if layout == "read-only link target":
            target.chmod(0o444)
        link = root / f"link-{name}"
        link.symlink_to(target)
        return link
    if layout == "relative symlink chain":
        (root / "hop").symlink_to(f"real/{name}")
        link = root / f"chain-{name}"
        link.symlink_to("hop")
        return link
    if layout == "symlinked folder":
        (root / "alias").symlink_to("real", target_is_directory=True)
        return root / "alias" / name
    if layout == "hard links":
        (root / "elsewhere").mkdir()
        os.link(target, root / "elsewhere" / f"twin-{name}")
        return target
    assert layout == "read-only"
    target.chmod(0o444)
    return target


def snapshot(root: Path) -> dict[str, tuple[str, bytes | str, int]]:
    """Every entry under ``root``: kind, bytes (or link text) and mode."""
    found: dict[str, tuple[str, bytes | str, int]] = {}
    for folder, dirs, files in os.walk(root):
        for entry in [*dirs, *files]:
            path = Path(folder, entry)
            st_ = path.lstat()
            if path.is_symlink():
                found[str(path.relative_to(root))] = ("link", os.readlink(path), 0)
            elif path.is_file():
                found[str(path.relative_to(root))] = (
                    "file",
                    path.read_bytes(),
                    stat.S_IMODE(st_.st_mode),
                )
    return found


# A file named like a project marker makes the snippet receipt store's folder impossible: that
# is the snippet engine's own case (it reports an OSError), not the write path's.
PROJECT_MARKERS = (".toolkit", ".git", "pyproject.toml", "setup.cfg")
# Names a user can give a file: any script, spaces, a leading dash or dot, no "/" or NUL.
NAMES = st.text(
    st.characters(codec="utf-8", exclude_characters="/\0", exclude_categories=("Cs",)),
    min_size=1,
    max_size=24,
).filter(lambda n: n not in (".", "..", *PROJECT_MARKERS) and len(n.encode()) < 200)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(writer=st.sampled_from(sorted(WRITERS)), layout=st.sampled_from(LAYOUTS), name=NAMES)
@counted
def test_every_writer_keeps_links_permissions_and_whole_files(
    writer: str, layout: str, name: str
) -> None:
    before, write = WRITERS[writer]
    with tempfile.TemporaryDirectory() as plain_dir, tempfile.TemporaryDirectory() as tmp:
        plain = Path(plain_dir) / name  # what a plain file gets is what every layout must get
        plain.write_bytes(before)
        assert run_writer(write, plain) is None
        expected = plain.read_bytes()

        root = Path(tmp)
        given_path = build(root, layout, name, before)
        was = snapshot(root)
        error = run_writer(write, given_path)
        now = snapshot(root)
        target = root / "real" / name

        if layout.startswith("read-only"):
            assert (
                error is not None and "read-only" in error and _io.shown_name(given_path) in error
            )
            assert "\n" not in error
            # (snippet add stores its receipt, a content-addressed base text, before the copy)
            now = {k: v for k, v in now.items() if ".toolkit" not in Path(k).parts}
            assert now == was, "a read-only file and everything around it stay as they were"
            return
        assert error is None, error
        assert target.read_bytes() == expected
        assert stat.S_IMODE(target.stat().st_mode) == 0o640, "the file's mode is kept"
        links = {k: v for k, v in was.items() if v[0] == "link"}
        assert {k: v for k, v in now.items() if v[0] == "link"} == links, "links stay links"
        if layout == "hard links":
            twin = root / "elsewhere" / f"twin-{name}"
            assert os.path.samefile(twin, target), "hard links are not split"
            assert twin.read_bytes() == expected
        temporary = [k for k in now if k.endswith(".tmp")]
        assert not temporary, temporary


def editor_save(path: Path, data: bytes) -> None:
    """Save the way editors do: a temporary file renamed over the original (a new inode)."""
    tmp = path.with_name(path.name + ".editor~")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def test_save_made_while_the_hook_strips_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import toolkit.notebooks.splice as splice
    from toolkit.hooks import strip

    path = tmp_path / "big.ipynb"
    path.write_bytes(NOTEBOOK)
    saved = NOTEBOOK.replace(b"print('", b"print('edited ")
    real_strip = splice.strip_bytes

    def slow_strip(*args: object, **kwargs: object) -> object:
        editor_save(path, saved)  # the user saves while the hook is busy
        return real_strip(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(splice, "strip_bytes", slow_strip)
    errors: list[str] = []
    monkeypatch.setattr(strip, "problem", errors.append)
    assert strip.main([str(path)]) == 1
    assert path.read_bytes() == saved, "the newer file is left as it is"
    assert len(errors) == 1 and errors[0].startswith(f"{path}: changed on disk"), errors


@pytest.mark.parametrize("how", ["atomic save", "in place, new size", "deleted"])
def test_change_just_before_the_rename_is_detected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    path = tmp_path / "notes.py"
    path.write_bytes(b"x = 1\n")
    data, state = _io.read_bytes(path)
    real_fsync = os.fsync

    def fsync_then_change(fd: int) -> None:  # the last moment before the rename
        real_fsync(fd)
        monkeypatch.setattr(os, "fsync", real_fsync)
        if how == "atomic save":
            editor_save(path, b"x = 2\n")
        elif how == "in place, new size":
            path.write_bytes(b"x = 22\n")
        else:
            path.unlink()

    monkeypatch.setattr(os, "fsync", fsync_then_change)
    with pytest.raises(FileChangedError, match="left the newer file"):
        _io.atomic_write_bytes(path, data + b"y = 1\n", expect=state)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ([] if how == "deleted" else ["notes.py"]), "no temporary file is left"
    if how != "deleted":
        assert path.read_bytes() in (b"x = 2\n", b"x = 22\n")


def test_hard_linked_write_puts_the_old_bytes_back_when_it_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.ipynb"
    path.write_bytes(b"old")
    os.link(path, tmp_path / "b.ipynb")
    real_ftruncate = os.ftruncate
    calls = []

    def full_disk(fd: int, length: int) -> None:
        calls.append(length)
        if len(calls) == 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_ftruncate(fd, length)

    monkeypatch.setattr(os, "ftruncate", full_disk)
    with pytest.raises(FileWriteError, match="No space left on device"):
        _io.atomic_write_bytes(path, b"much longer new content")
    assert path.read_bytes() == b"old" == (tmp_path / "b.ipynb").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ipynb", "b.ipynb"]


def test_hard_linked_write_refuses_a_file_changed_since_read(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_bytes(b"a = 1\n")
    os.link(path, tmp_path / "b.py")
    _, state = _io.read_bytes(path)
    with open(path, "ab") as handle:  # an in-place save through the other name
        handle.write(b"b = 2\n")
    with pytest.raises(FileChangedError):
        _io.atomic_write_bytes(path, b"c = 3\n", expect=state)
    assert path.read_bytes() == b"a = 1\nb = 2\n"


def test_dangling_symlink_is_written_through(tmp_path: Path) -> None:
    link = tmp_path / "out.html"
    link.symlink_to("reports/out.html")
    (tmp_path / "reports").mkdir()
    _io.atomic_write_text(link, "<p>hi</p>")
    assert link.is_symlink() and (tmp_path / "reports" / "out.html").read_text() == "<p>hi</p>"


def test_symlink_loop_is_one_line(tmp_path: Path) -> None:
    loop = tmp_path / "loop.ipynb"
    loop.symlink_to("loop.ipynb")
    with pytest.raises(FileWriteError) as exc:
        _io.atomic_write_bytes(loop, b"x")
    assert str(exc.value).startswith(f"{loop}: cannot write") and loop.is_symlink()


def test_non_regular_target_is_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "x.ipynb"
    os.mkfifo(fifo)
    with pytest.raises(FileWriteError, match="a FIFO, not a regular file"):
        _io.atomic_write_bytes(fifo, b"{}")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_save_figure_respects_read_only_and_links(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    from toolkit.plotting import save_figure

    fig, _ = plt.subplots()
    ro = tmp_path / "ro.png"
    ro.write_bytes(b"keep")
    ro.chmod(0o444)
    with pytest.raises(FileWriteError, match="read-only"):
        save_figure(fig, ro)
    assert ro.read_bytes() == b"keep"
    (tmp_path / "figs").mkdir()
    link = tmp_path / "fig.png"
    link.symlink_to("figs/fig.png")
    save_figure(fig, link)
    plt.close(fig)
    assert link.is_symlink() and (tmp_path / "figs" / "fig.png").read_bytes()[:4] == b"\x89PNG"
