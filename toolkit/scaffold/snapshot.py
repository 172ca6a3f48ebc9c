"""Render a template into a :class:`Snapshot`: every file of the project, in memory.

``toolkit new`` and ``toolkit update`` render through here, never into the user's folder: the
template is rendered in a temporary directory (hooks included), read back as path -> bytes plus
the executable bit, and only then written where it belongs. So a refused name, a failing hook or
an existing file at the target leaves nothing behind, and an update can compare the new render
with the project before touching anything.

User answers are text: they fill the template as they are, and are never evaluated as Jinja
themselves (cookiecutter renders ``extra_context`` values as templates, which turns
``{{ cookiecutter.__class__ }}`` into Python internals and ``{{ unclosed`` into a traceback).
Only the template's own defaults (``project_slug = "{{ cookiecutter.project_name|slugify }}"``)
are rendered.

Example:
    >>> snap = Snapshot({"README.md": FileEntry(b"# demo\\n")})
    >>> snap.files["README.md"].is_text
    True
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import stat
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError, UsageError

# Paths toolkit writes for itself; never part of a template snapshot.
RECEIPT_DIR = ".toolkit"
CRUFT_FILE = ".cruft.json"
_SKIPPED_DIRS = frozenset({".git", "__pycache__", RECEIPT_DIR})


@dataclass(frozen=True)
class FileEntry:
    """One file's bytes and whether it is executable."""

    data: bytes
    executable: bool = False

    @property
    def digest(self) -> str:
        """``sha256:<hex>`` of the bytes."""
        return "sha256:" + hashlib.sha256(self.data).hexdigest()

    @property
    def is_text(self) -> bool:
        """True for UTF-8 text without NUL bytes (what a line merge can handle)."""
        if b"\0" in self.data[:8000]:
            return False
        try:
            self.data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True


@dataclass(frozen=True)
class Snapshot:
    """A rendered project: POSIX relative path -> :class:`FileEntry`."""

    files: dict[str, FileEntry] = field(default_factory=dict)

    def write_to(self, root: Path) -> None:
        """Write every file under ``root`` (atomically, one by one), creating folders."""
        from toolkit._io import atomic_write_bytes

        for relative, entry in sorted(self.files.items()):
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, entry.data)
            set_executable(target, entry.executable)


def set_executable(path: Path, executable: bool) -> None:
    """Add or remove the execute bits (for those who can read the file)."""
    mode = path.stat().st_mode
    readers = (mode & 0o444) >> 2
    new = (mode | readers) if executable else (mode & ~0o111)
    if new != mode:
        path.chmod(stat.S_IMODE(new))


def read_tree(root: Path) -> Snapshot:
    """Every regular file under ``root`` (skipping ``.git``, ``.toolkit``, ``__pycache__``)."""
    files: dict[str, FileEntry] = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
        for name in names:
            path = Path(folder, name)
            if path.is_symlink() or not path.is_file():
                continue
            relative = path.relative_to(root).as_posix()
            files[relative] = FileEntry(path.read_bytes(), os.access(path, os.X_OK))
    return Snapshot(files)


def template_context(
    template_dir: Path, answers: Mapping[str, Any], *, user_defaults: bool = True
) -> dict[str, Any]:
    """The cookiecutter context for ``answers``: template defaults rendered, answers as text.

    Choice answers must be one of the template's choices; unknown keys are refused.
    """
    from cookiecutter.config import get_user_config
    from cookiecutter.generate import generate_context
    from cookiecutter.prompt import render_variable
    from cookiecutter.utils import create_env_with_context

    defaults = get_user_config().get("default_context") if user_defaults else None
    with template_import_path(template_dir):
        context = generate_context(str(template_dir / "cookiecutter.json"), defaults or None)
        raw_variables: dict[str, Any] = context["cookiecutter"]
        unknown = [key for key in answers if key not in raw_variables]
        if unknown:
            public = ", ".join(key for key in raw_variables if not key.startswith("_"))
            raise UsageError(f"unknown template variable {unknown[0]!r}; known: {public}")
        env = create_env_with_context(context)
        rendered: dict[str, Any] = {}
        for key, raw in raw_variables.items():
            if key.startswith("_"):
                rendered[key] = raw  # private keys and __prompts__: template metadata
            elif key in answers:
                rendered[key] = _checked_answer(key, answers[key], raw)
            elif isinstance(raw, list):
                rendered[key] = render_variable(env, raw[0], rendered)
            else:
                rendered[key] = render_variable(env, raw, rendered)
    context["cookiecutter"] = rendered
    context["_cookiecutter"] = {k: v for k, v in raw_variables.items() if not k.startswith("_")}
    rendered["_template"] = str(template_dir)
    rendered["_repo_dir"] = str(template_dir)
    rendered["_checkout"] = None
    return dict(context)


def _checked_answer(key: str, value: Any, raw: Any) -> Any:
    if isinstance(raw, list) and value not in raw:
        allowed = ", ".join(repr(choice) for choice in raw)
        raise UsageError(f"{key}={value!r} is not one of the choices: {allowed}")
    if isinstance(raw, bool) and isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "y", "on"}
    return value


def public_answers(context: Mapping[str, Any]) -> dict[str, Any]:
    """The answers a receipt keeps: every public variable of a rendered context."""
    return {k: v for k, v in context["cookiecutter"].items() if not k.startswith("_")}


def render_snapshot(
    template_dir: Path, context: dict[str, Any], *, hooks: bool = True
) -> tuple[Snapshot, str]:
    """Render ``template_dir`` with ``context`` (from :func:`template_context`), hooks included.

    ``hooks=False`` skips the template's pre/post-generation hooks (every file of the template
    is then written, whatever the options remove), for tests that check every file.

    Returns the files, relative to the project folder the template makes, and that folder's name
    (``{{cookiecutter.project_slug}}`` rendered).
    """
    from cookiecutter.exceptions import CookiecutterException, FailedHookException
    from cookiecutter.generate import generate_files

    # cookiecutter logs a traceback for a failing hook; the hook's own message and ours suffice.
    logging.getLogger("cookiecutter").setLevel(logging.CRITICAL)
    with tempfile.TemporaryDirectory(prefix="toolkit-render-") as scratch:
        context["cookiecutter"]["_output_dir"] = scratch
        try:
            with template_import_path(template_dir):
                project = generate_files(
                    repo_dir=str(template_dir),
                    context=context,
                    output_dir=scratch,
                    accept_hooks=hooks,
                )
        except FailedHookException as exc:
            raise UsageError(f"template {template_dir.name!r} refused the input: {exc}") from None
        except CookiecutterException as exc:
            raise ToolkitError(f"template {template_dir.name!r}: {exc}") from None
        finally:
            context["cookiecutter"].pop("_output_dir", None)
        return read_tree(Path(project)), Path(project).name


@contextlib.contextmanager
def template_import_path(template_dir: Path) -> Iterator[None]:
    """Let the template's ``local_extensions`` import, and forget them afterwards.

    Another version of the same template may define the same module names, so the modules
    imported from this template are dropped from ``sys.modules`` when done.
    """
    before = set(sys.modules)
    sys.path.append(str(template_dir))
    # No __pycache__ inside the template (a source checkout, or an installed package's data).
    write_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        yield
    finally:
        sys.dont_write_bytecode = write_bytecode
        with contextlib.suppress(ValueError):
            sys.path.remove(str(template_dir))
        for name in set(sys.modules) - before:
            origin = getattr(sys.modules[name], "__file__", None) or ""
            if origin.startswith(str(template_dir)):
                del sys.modules[name]
