"""Notebook stripping as a git clean filter: the working copy keeps outputs, commits do not.

``install_filter`` registers both forms git knows: ``filter.<name>.process``, git's
long-running filter protocol (one Python process cleans every notebook of a ``git add``), and
``filter.<name>.clean`` for older gits. A notebook the filter cannot strip is
not staged: git stops with one line naming the file (the filter is ``required``), so neither
an invalid blob nor one that still has its outputs can reach a commit.

Example:
    $ toolkit nb install-filter          # .gitattributes: *.ipynb filter=toolkit-nbstrip
    $ git add notebooks/                 # outputs stripped in the index only
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import BinaryIO

from toolkit.errors import InvalidNotebookError, ToolkitError
from toolkit.notebooks.gitconfig import (
    add_attribute,
    attributes_file,
    remove_attribute,
    remove_config_section,
    set_config,
)
from toolkit.notebooks.splice import strip_bytes
from toolkit.notebooks.strip import StripOptions, option_arguments

FILTER_NAME = "toolkit-nbstrip"
ATTRIBUTE_LINE = f"*.ipynb filter={FILTER_NAME}"
_MAX_PACKET = 65516
# Smudge too: with ``filter.<name>.required``, git dies on checkout ("smudge filter failed",
# the notebook left deleted) when the process does not take smudge, even with smudge = cat.
_COMMANDS = ("clean", "smudge")


def clean_bytes(data: bytes, name: str, options: StripOptions = StripOptions()) -> bytes | None:
    """Stripped notebook bytes; ``None`` (after one line on stderr naming the file) when the
    notebook cannot be stripped, so git refuses to stage it rather than staging it invalid or
    with its outputs."""
    try:
        stripped, _ = strip_bytes(data, options, name)
    except InvalidNotebookError as exc:
        reason = str(exc).removeprefix(f"{name}: ")
        print(f"toolkit-nbstrip: {name}: not staged: {reason}", file=sys.stderr)
        return None
    except Exception as exc:  # a bug must not stage the file unstripped either
        print(
            f"toolkit-nbstrip: {name}: not staged: internal error {type(exc).__name__}; "
            "please report it",
            file=sys.stderr,
        )
        return None
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
    """Speak git's long-running filter protocol (version 2, capabilities ``clean`` and
    ``smudge``; smudge hands the blob back unchanged)."""
    if _read_text_list(stdin) != ["git-filter-client", "version=2"]:
        raise ToolkitError("git filter: unexpected handshake from git")
    _write_text(stdout, "git-filter-server", "version=2")
    capabilities = _read_text_list(stdin)
    _write_text(stdout, *[c for c in capabilities if c.removeprefix("capability=") in _COMMANDS])
    stdout.flush()
    while True:
        try:
            headers = dict(line.split("=", 1) for line in _read_text_list(stdin))
        except EOFError:
            return
        content = _read_content(stdin)
        command = headers.get("command")
        if command not in _COMMANDS:
            _write_text(stdout, "status=error")
            stdout.flush()
            continue
        if command == "smudge":
            result: bytes | None = content
        else:
            result = clean_bytes(content, headers.get("pathname", "<notebook>"), options)
        if result is None:  # with filter.<name>.required, git refuses the file
            _write_text(stdout, "status=error")
        else:
            _write_text(stdout, "status=success")
            _write_content(stdout, result)
            stdout.write(b"0000")  # empty list: keep "success"
        stdout.flush()


# --- installation -------------------------------------------------------------------------


def filter_command(mode: str, options: StripOptions = StripOptions()) -> str:
    """The command git runs: this interpreter, so the filter works without activating a venv,
    and the stripping options as the hook spells them.

    Example:
        >>> filter_command("process", StripOptions(drop_tagged_cells=("a", "b"))).split()[-3:]
        ['--drop-tagged-cells', "'a", "b'"]
    """
    arguments = " ".join(shlex.quote(arg) for arg in [mode, *option_arguments(options)])
    return f"{shlex.quote(sys.executable)} -m toolkit.hooks.git_filter {arguments}"


def install_filter(
    path: str | Path = ".", *, scope: str = "local", options: StripOptions = StripOptions()
) -> Path:
    """Register the filter in git config (``local`` or ``global``) and in the attributes file
    of that scope (``.gitattributes``, or the global ``core.attributesFile``); returns it.

    ``required`` makes git refuse a ``git add`` the filter fails on, instead of staging the
    notebook unfiltered, with its outputs.
    """
    entries = {
        f"filter.{FILTER_NAME}.process": filter_command("process", options),
        f"filter.{FILTER_NAME}.clean": filter_command("clean", options),
        f"filter.{FILTER_NAME}.smudge": "cat",
        f"filter.{FILTER_NAME}.required": "true",
    }
    attributes = attributes_file(scope, Path(path))
    set_config(scope, entries, Path(path))
    add_attribute(attributes, ATTRIBUTE_LINE)
    return attributes


def uninstall_filter(path: str | Path = ".", *, scope: str = "local") -> Path:
    """Remove the filter from git config and its line from the scope's attributes file."""
    attributes = attributes_file(scope, Path(path))
    remove_config_section(scope, f"filter.{FILTER_NAME}", Path(path))
    remove_attribute(attributes, ATTRIBUTE_LINE)
    return attributes
