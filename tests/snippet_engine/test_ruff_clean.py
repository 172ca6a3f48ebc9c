"""Every snippet, added every way and then updated, passes a generated project's own ruff checks.

One project per end of the supported Python range (3.10, 3.13: pyupgrade's rules differ) is
rendered from the real template, every built-in snippet is added three ways (``--to`` a
folder, ``--into`` an empty file, ``--into`` a realistic module, cycling three module shapes),
and ``ruff check`` + ``ruff format --check`` run once over the project with its own
configuration. Then every snippet gets a v2 upstream (a new import, a changed line, a new
function) and ``update --all`` runs; ruff must still pass and the copies must be current.
About 47 snippets x 3 copies x 2 projects; ~15 s.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from toolkit.scaffold import create_project
from toolkit.snippets.extract import set_version
from toolkit.snippets.imports import Atom, ImportContext, add_imports
from toolkit.snippets.insert import add_snippet
from toolkit.snippets.library import Library, builtin_dir
from toolkit.snippets.status import scan
from toolkit.snippets.update import update_path

RUFF = Path(sys.executable).parent / "ruff"

HOSTS = [
    # A module as a project writes it: docstring, future import, three sections, a main guard.
    textwrap.dedent(
        '''\
        """Training entry point."""

        from __future__ import annotations

        import logging
        import os
        from pathlib import Path

        import numpy as np

        from {pkg}.config import SEED

        LOG = logging.getLogger(__name__)
        DATA = Path(os.environ.get("DATA", "data"))


        def main() -> int:
            """Run it."""
            rng = np.random.default_rng(SEED)
            LOG.info("%s %s", DATA, rng.random())
            return 0


        if __name__ == "__main__":
            raise SystemExit(main())
        '''
    ),
    # No docstring; imports then a function.
    textwrap.dedent(
        """\
        import json
        import sys


        def dump(obj: object) -> None:
            json.dump(obj, sys.stdout)
        """
    ),
    # Only a docstring and a constant: the first import block is created.
    textwrap.dedent(
        '''\
        """Constants."""

        THRESHOLD = 0.5
        '''
    ),
]


def _project(tmp: Path, python: str) -> Path:
    """A generated project whose ruff targets ``python`` (``toolkit new`` itself only accepts
    an installed Python, so the project is made for this one and its target-version set)."""
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    context = {
        "project_name": f"Ruff {python}",
        "python_version": here,
        "ml_framework": "none",
        "notebooks": "no",
        "ci": "none",
    }
    project = create_project("ml-project", tmp, no_input=True, context=context)
    pyproject = project / "pyproject.toml"
    old = f'target-version = "py{here.replace(".", "")}"'
    text = pyproject.read_text()
    assert old in text
    pyproject.write_text(text.replace(old, f'target-version = "py{python.replace(".", "")}"'))
    return project


def _ruff(project: Path) -> None:
    """ruff over the files the snippets went into (the template's own files are its tests')."""
    package = next(p for p in (project / "src").iterdir() if (p / "__init__.py").exists())
    files = [str(p) for p in package.glob("*_*.py") if p.name.startswith(("empty_", "host_"))]
    files.append(str(package / "snips"))
    for args in (["check", "--no-cache"], ["format", "--check", "--no-cache", "--diff"]):
        result = subprocess.run(
            [str(RUFF), *args, *files], cwd=project, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def _v2(source: str, version: int) -> str:
    """The same snippet one version on: a new import and a new function."""
    text = set_version(source, version + 1)
    text = add_imports(text, [Atom("json")], ImportContext(line_length=100))
    return text.rstrip("\n") + '\n\n\ndef v2_added() -> str:\n    return json.dumps("v2")\n'


@pytest.mark.skipif(not RUFF.exists(), reason="ruff is not installed in this environment")
@pytest.mark.parametrize("python", ["3.10", "3.13"])
def test_every_snippet_every_way_is_ruff_clean(
    python: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    project = _project(tmp_path, python)
    package = next(p for p in (project / "src").iterdir() if (p / "__init__.py").exists())
    monkeypatch.chdir(project)
    library_root = tmp_path / "library"
    shutil.copytree(builtin_dir(), library_root)
    library = Library.from_roots([(library_root, "built-in")], use_cache=False)
    assert len(library) > 40
    folder = package / "snips"
    folder.mkdir()
    for index, snippet in enumerate(library):
        stem = snippet.name.replace("/", "_")
        add_snippet(snippet, to=folder)
        empty = package / f"empty_{stem}.py"
        empty.write_text("")
        add_snippet(snippet, into=empty)
        host = package / f"host_{stem}.py"
        host.write_text(HOSTS[index % len(HOSTS)].format(pkg=package.name))
        add_snippet(snippet, into=host)
        for path in (empty, host):
            compile(path.read_text(), str(path), "exec")
    _ruff(project)
    states = {c.state for c in scan(project, library)}
    assert states == {"untouched"}

    for snippet in library:
        assert snippet.path is not None
        snippet.path.write_text(_v2(snippet.source, snippet.version), encoding="utf-8")
    upstream = Library.from_roots([(library_root, "built-in")], use_cache=False)
    errors: list[str] = []
    results = update_path(project, upstream, errors=errors)
    assert not errors
    assert {r.action for r in results} == {"updated"}, [r for r in results if r.action != "updated"]
    _ruff(project)
    assert {c.state for c in scan(project, upstream)} == {"untouched"}
    assert "v2_added" in (package / "host_utils_timer.py").read_text()
