"""Notebook stripping as a git clean filter: the working copy keeps outputs, commits do not.

``install_filter`` registers both forms git knows: ``filter.<name>.process``, git's
long-running filter protocol (one Python process cleans every notebook of a ``git add``), and
``filter.<name>.clean`` for older gits. A notebook the filter cannot parse is passed through
unchanged with a warning, so a filter problem can never lose data.

Example:
    $ toolkit nb install-filter          # .gitattributes: *.ipynb filter=toolkit-nbstrip
    $ git add notebooks/                 # outputs stripped in the index only
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path
from typing import BinaryIO

from toolkit._io import atomic_write_text
from toolkit.errors import InvalidNotebookError, ToolkitError
from toolkit.notebooks.splice import strip_bytes
from toolkit.notebooks.strip import StripOptions

FILTER_NAME = "toolkit-nbstrip"
ATTRIBUTE_LINE = f"*.ipynb filter={FILTER_NAME}"
_MAX_PACKET = 65516


def clean_bytes(data: bytes, name: str, options: StripOptions = StripOptions()) -> bytes:
    """Stripped notebook bytes, or ``data`` unchanged (with a warning) when it is not valid."""
    try:
        stripped, _ = strip_bytes(data, options, name)
    except InvalidNotebookError as exc:
        print(f"toolkit-nbstrip: {name}: left unstripped ({exc})", file=sys.stderr)
        return data
    except Exception as exc:
        print(
            f"toolkit-nbstrip: {name}: left unstripped (internal error: {exc!r})", file=sys.stderr
        )
        return data
    return stripped


# --- pkt-line (see gitprotocol-common(5)) -------------------------------------------------


def _read_packet(stream: BinaryIO) -> bytes | None:
    """One pkt-line payload; ``None`` for a flush packet."""
    header = stream.read(4)
    if len(header) < 4:
        raise EOFError
    length = int(header, 16)
    if length == 0:
        return None
    return stream.read(length - 4)


def _read_text_list(stream: BinaryIO) -> list[str]:
    lines = []
    while (packet := _read_packet(stream)) is not None:
        lines.append(packet.decode().rstrip("\n"))
    return lines


def _read_content(stream: BinaryIO) -> bytes:
    chunks = []
    while (packet := _read_packet(stream)) is not None:
        chunks.append(packet)
    return b"".join(chunks)


def _write_packet(stream: BinaryIO, payload: bytes) -> None:
    stream.write(b"%04x" % (len(payload) + 4) + payload)


def _write_text(stream: BinaryIO, *lines: str) -> None:
    for line in lines:
        _write_packet(stream, f"{line}\n".encode())
    stream.write(b"0000")


def _write_content(stream: BinaryIO, data: bytes) -> None:
    for start in range(0, len(data), _MAX_PACKET):
        _write_packet(stream, data[start : start + _MAX_PACKET])
    stream.write(b"0000")


def serve_process(
    stdin: BinaryIO, stdout: BinaryIO, options: StripOptions = StripOptions()
) -> None:
    """Speak git's long-running filter protocol (version 2, capability ``clean``)."""
    if _read_text_list(stdin) != ["git-filter-client", "version=2"]:
        raise ToolkitError("git filter: unexpected handshake from git")
    _write_text(stdout, "git-filter-server", "version=2")
    capabilities = _read_text_list(stdin)
    _write_text(stdout, *[c for c in capabilities if c == "capability=clean"])
    stdout.flush()
    while True:
        try:
            headers = dict(line.split("=", 1) for line in _read_text_list(stdin))
        except EOFError:
            return
        content = _read_content(stdin)
        if headers.get("command") != "clean":
            _write_text(stdout, "status=error")
            stdout.flush()
            continue
        result = clean_bytes(content, headers.get("pathname", "<notebook>"), options)
        _write_text(stdout, "status=success")
        _write_content(stdout, result)
        stdout.write(b"0000")  # empty list: keep "success"
        stdout.flush()


# --- installation -------------------------------------------------------------------------


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


def _repo_root(path: Path) -> Path:
    result = _git("rev-parse", "--show-toplevel", cwd=path)
    if result.returncode != 0:
        raise ToolkitError(f"{path}: not inside a git repository")
    return Path(result.stdout.strip())


def filter_command(mode: str) -> str:
    """The command git runs: this interpreter, so the filter works without activating a venv."""
    return f"{shlex.quote(sys.executable)} -m toolkit.hooks.git_filter {mode}"


def install_filter(path: str | Path = ".", *, scope: str = "local") -> Path:
    """Register the filter in git config (``local`` or ``global``) and ``.gitattributes``."""
    root = _repo_root(Path(path))
    scope_flag = "--global" if scope == "global" else "--local"
    for key, value in [
        ("process", filter_command("process")),
        ("clean", filter_command("clean")),
        ("smudge", "cat"),
    ]:
        result = _git("config", scope_flag, f"filter.{FILTER_NAME}.{key}", value, cwd=root)
        if result.returncode != 0:
            raise ToolkitError(f"git config failed: {result.stderr.strip()}")
    attributes = root / ".gitattributes"
    text = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    if ATTRIBUTE_LINE not in text.splitlines():
        prefix = "" if not text or text.endswith("\n") else "\n"
        atomic_write_text(attributes, f"{text}{prefix}{ATTRIBUTE_LINE}\n")
    return attributes


def uninstall_filter(path: str | Path = ".", *, scope: str = "local") -> Path:
    """Remove the filter from git config and its line from ``.gitattributes``."""
    root = _repo_root(Path(path))
    scope_flag = "--global" if scope == "global" else "--local"
    _git("config", scope_flag, "--remove-section", f"filter.{FILTER_NAME}", cwd=root)
    attributes = root / ".gitattributes"
    if attributes.exists():
        lines = attributes.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if line.strip() != ATTRIBUTE_LINE]
        if kept != lines:
            atomic_write_text(attributes, "".join(kept))
    return attributes
