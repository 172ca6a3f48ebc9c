"""Fixtures: an isolated built-in library, a personal library and a project, all in tmp_path."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

SnippetWriter = Callable[..., Path]


def snippet_text(
    summary: str,
    code: str,
    *,
    tags: str = "demo",
    requires: str = "none",
    version: int = 1,
) -> str:
    """A well-formed snippet file."""
    return (
        f'"""{summary}\n\ntags: {tags}\nrequires: {requires}\nversion: {version}\n"""\n\n'
        + textwrap.dedent(code).lstrip("\n")
    )


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Point config, cache, built-in and personal libraries at fresh directories."""
    builtin = tmp_path / "builtin"
    personal = tmp_path / "personal"
    project = tmp_path / "project"
    for d in (builtin, personal, project):
        d.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("TOOLKIT_SNIPPET_PATH", str(personal))
    monkeypatch.setattr("toolkit.snippets.library.builtin_dir", lambda: builtin)
    monkeypatch.chdir(project)
    return {"builtin": builtin, "personal": personal, "project": project, "tmp": tmp_path}


@pytest.fixture
def write_snippet() -> SnippetWriter:
    """write_snippet(root, "cv/nms", summary, code, **meta) -> path."""

    def _write(root: Path, name: str, summary: str, code: str, **meta: object) -> Path:
        path = root.joinpath(*name.split("/")).with_suffix(".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(snippet_text(summary, code, **meta), encoding="utf-8")  # type: ignore[arg-type]
        return path

    return _write
