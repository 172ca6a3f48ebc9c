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


SnippetCli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(invoke: SnippetCli) -> SnippetCli:
    """run("add", "cv/nms") -> (exit code, stdout, stderr) of ``toolkit snippet add cv/nms``."""
    return lambda *args: invoke("snippet", *args)


@pytest.fixture
def lib(env: dict[str, Path], write_snippet: SnippetWriter) -> dict[str, Path]:
    """``env`` with a small library: built-in cv/nms, torch/seed_everything, utils/clip
    (requires numpy), utils/half, and a personal cv/nms that shadows the built-in one."""
    write_snippet(
        env["builtin"],
        "cv/nms",
        "Non-maximum suppression for boxes.",
        "def nms(boxes, scores, iou_threshold=0.5):\n    return boxes\n",
        tags="cv, detection, boxes",
        requires="numpy",
    )
    write_snippet(
        env["builtin"],
        "torch/seed_everything",
        "Seed Python, NumPy and torch.",
        "import random\n\n\ndef seed_everything(seed):\n    random.seed(seed)\n",
        tags="torch, reproducibility",
    )
    write_snippet(
        env["builtin"],
        "utils/clip",
        "Clip a value.",
        "def clip(x, lo, hi):\n    return max(lo, min(hi, x))\n",
        tags="utils",
        requires="numpy",
    )
    write_snippet(env["builtin"], "utils/half", "Half.", "def half(x):\n    return x / 2\n")
    write_snippet(env["personal"], "cv/nms", "My faster NMS.", "def nms(b):\n    return b\n")
    return env
