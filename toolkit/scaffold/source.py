"""Which template, at which version: the built-in one, a directory, or a git revision of one.

A template version is named by what can bring it back or tell it apart: the git commit of the
template's repository (when the template lives in one), or the toolkit version that shipped a
built-in template; a fingerprint (hash of the template's files) says whether two renders came
from the same content whatever the name.

``--to`` accepts a template directory, ``DIR@REF`` (a git revision of the template at DIR), or a
bare ``REF`` when the recorded template is a directory inside a git repository.

Example:
    >>> source = resolve_source("ml-project")
    >>> source.location, source.version.startswith("toolkit ")
    ('builtin', True)
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError, UsageError
from toolkit.scaffold.templates import find_template

_IGNORED = frozenset({".git", "__pycache__"})


@dataclass(frozen=True)
class TemplateSource:
    """A template version: where it comes from, what to call it, and its files on disk."""

    name: str
    location: str  # "builtin" or an absolute directory path
    path: Path  # the files to render (a temporary export for a git revision)
    commit: str | None = None
    toolkit_version: str | None = None
    fingerprint: str = ""

    @property
    def version(self) -> str:
        """``git <short commit>`` or ``toolkit <version>``, for people."""
        if self.commit:
            return f"git {self.commit[:12]}"
        if self.toolkit_version:
            return f"toolkit {self.toolkit_version}"
        return f"content {self.fingerprint[7:19]}"

    def to_dict(self) -> dict[str, Any]:
        """The receipt's ``template`` entry."""
        return {
            "name": self.name,
            "location": self.location,
            "version": self.version,
            "commit": self.commit,
            "toolkit_version": self.toolkit_version,
            "fingerprint": self.fingerprint,
        }


def fingerprint(template_dir: Path) -> str:
    """``sha256:`` of every file's relative path and bytes (``.git`` and caches skipped)."""
    digest = hashlib.sha256()
    for folder, dirs, names in os.walk(template_dir):
        dirs[:] = sorted(d for d in dirs if d not in _IGNORED)
        for name in sorted(names):
            path = Path(folder, name)
            digest.update(path.relative_to(template_dir).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() if path.is_file() else b"")
            digest.update(b"\0")
    return "sha256:" + digest.hexdigest()


def _git(cwd: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True)
    except OSError:
        return None
    return result.stdout.decode().strip() if result.returncode == 0 else None


def _builtin(name: str) -> TemplateSource:
    from toolkit import __version__

    info = find_template(name)
    return TemplateSource(
        info.name, "builtin", info.path, None, __version__, fingerprint(info.path)
    )


def _directory(path: Path) -> TemplateSource:
    path = path.resolve()
    commit = _git(path, "rev-parse", "HEAD")
    if commit and _git(path, "status", "--porcelain", "--", ".") not in ("", None):
        commit = None  # uncommitted changes: the commit does not name this content
    return TemplateSource(path.name, str(path), path, commit, None, fingerprint(path))


def is_builtin_name(name: str) -> bool:
    """True when ``name`` names a built-in template rather than a directory."""
    return not (Path(name).expanduser() / "cookiecutter.json").is_file()


def resolve_source(name: str) -> TemplateSource:
    """The current version of a built-in template name or of a template directory."""
    if is_builtin_name(name):
        return _builtin(name)
    return _directory(Path(name).expanduser())


@contextlib.contextmanager
def checkout_source(recorded: dict[str, Any], to: str | None) -> Iterator[TemplateSource]:
    """The template version to update to: ``to`` (see module doc) or the recorded template now.

    A git revision is exported to a temporary directory that lives as long as the context.
    """
    location = str(recorded.get("location", "builtin"))
    if to is None:
        yield (
            _builtin(str(recorded["name"])) if location == "builtin" else _directory(Path(location))
        )
        return
    from toolkit import __version__

    if location == "builtin" and to in (__version__, f"v{__version__}"):
        yield _builtin(str(recorded["name"]))
        return
    directory, ref = _split_target(to, location)
    if ref is None:
        yield resolve_source(str(directory))
        return
    with tempfile.TemporaryDirectory(prefix="toolkit-template-") as scratch:
        commit = _export_revision(directory, ref, Path(scratch))
        exported = Path(scratch)
        yield TemplateSource(
            directory.name, str(directory), exported, commit, None, fingerprint(exported)
        )


def _split_target(to: str, location: str) -> tuple[Path, str | None]:
    """``DIR``, ``DIR@REF`` or ``REF`` -> (template directory, git ref or None)."""
    if (Path(to).expanduser() / "cookiecutter.json").is_file():
        return Path(to).expanduser().resolve(), None
    head, sep, ref = to.rpartition("@")
    if sep and (Path(head).expanduser() / "cookiecutter.json").is_file():
        return Path(head).expanduser().resolve(), ref
    if location != "builtin" and _git(Path(location), "rev-parse", "--verify", "-q", to):
        return Path(location), to
    if location == "builtin":
        from toolkit import __version__

        raise UsageError(
            f"--to {to!r}: this installation ships only toolkit {__version__}'s templates; "
            "give a template directory, DIR@GIT-REF, or install that toolkit version"
        )
    raise UsageError(
        f"--to {to!r} is neither a template directory, DIR@REF, nor a git revision of {location}"
    )


def _export_revision(directory: Path, ref: str, target: Path) -> str:
    """Write the template at ``directory`` as of git ``ref`` into ``target``; return the commit."""
    top = _git(directory, "rev-parse", "--show-toplevel")
    prefix = _git(directory, "rev-parse", "--show-prefix")
    commit = _git(directory, "rev-parse", "--verify", "-q", f"{ref}^{{commit}}")
    if top is None or prefix is None or commit is None:
        raise UsageError(f"{directory}: {ref!r} is not a git revision of this template")
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit, "--", prefix or "."],
        cwd=top,
        capture_output=True,
    )
    if archive.returncode != 0:
        raise ToolkitError(f"{directory}: git archive {ref} failed: {archive.stderr.decode()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        for member in tar.getmembers():
            if not member.name.startswith(prefix) or member.issym() or member.islnk():
                continue
            member.name = member.name[len(prefix) :] or "."
            tar.extract(member, target, filter="data")
    if not (target / "cookiecutter.json").is_file():
        raise UsageError(f"{directory}@{ref}: no cookiecutter.json at that revision")
    return commit
