"""Atomic writes keep permissions, replace whole files, and leave nothing behind on failure."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from toolkit import _io


def test_atomic_write_keeps_mode_and_content(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old")
    target.chmod(0o640)
    _io.atomic_write_text(target, "新的内容\n")
    assert target.read_text(encoding="utf-8") == "新的内容\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_atomic_write_newline_conversion(tmp_path: Path) -> None:
    target = tmp_path / "crlf.txt"
    _io.atomic_write_text(target, "a\nb\n", newline="\r\n")
    assert target.read_bytes() == b"a\r\nb\r\n"


def test_failed_write_leaves_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "keep.txt"
    target.write_text("precious")

    def fail(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        _io.atomic_write_text(target, "partial")
    assert target.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_write_failure_is_one_toolkit_error_naming_the_target(tmp_path) -> None:
    from toolkit._io import atomic_write_bytes
    from toolkit.errors import FileWriteError, ToolkitError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    target = blocker / "out.html"  # its "folder" is a file
    with pytest.raises(FileWriteError) as exc:
        atomic_write_bytes(target, b"data")
    assert isinstance(exc.value, ToolkitError) and isinstance(exc.value, OSError)
    assert str(exc.value).startswith(f"{target}: cannot write")
    assert blocker.read_text() == "x" and sorted(p.name for p in tmp_path.iterdir()) == ["file"]
