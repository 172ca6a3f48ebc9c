"""Template-update scenarios, run the same way against toolkit, copier and cruft.

Each :class:`Case` is a small template in three versions (a git repository with tags v1, v2,
v3), a project made from v1, what the user did to it (committed), and the update to run. One
template description is written in both formats: cookiecutter (toolkit and cruft) and copier.
:func:`run_case` makes the project with a tool, applies the user's edit, updates, and judges
the result with the same checks for every tool:

* ``lost``: an edit of the user's is gone (not in any file of the project);
* ``rej``: a ``*.rej`` file was written;
* ``wrong_success``: the tool exited 0 although it could not merge something (the case expects a
  reported conflict), or lost an edit and still exited 0;
* ``missed``: a template change that merges cleanly is not in the project;
* ``touched``: a refused update (dirty tree) changed a file anyway.

Used by ``tests/scaffold/test_update_scenarios.py`` (toolkit; copier and cruft when installed)
and ``benchmarks/update_vs_copier.py`` (the side-by-side table).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TOOLS = ("toolkit", "copier", "cruft")
PKG = "{{ pkg }}"  # placeholder in case texts: the package name question
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@localhost",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@localhost",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}
PNG_A = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
PNG_B = b"\x89PNG\r\n\x1a\n" + bytes(reversed(range(256))) * 4
PNG_USER = b"\x89PNG\r\n\x1a\n" + b"\x00user-logo\xff" * 50

Files = dict[str, "str | bytes"]


def _lines(n: int, prefix: str = "line") -> str:
    return "".join(f"{prefix} {i}\n" for i in range(1, n + 1))


CORE = (
    '"""Core of the package."""\n\n'
    + "".join(f"def step_{i}(x):\n    return x + {i}\n\n\n" for i in range(1, 8))
    + "VALUE = 1\n"
)
BASE_FILES: Files = {
    "README.md": "# demo\n\n" + _lines(12, "readme"),
    "Makefile": "test:\n\tpytest -q\n\nlint:\n\truff check .\n",
    f"src/{PKG}/__init__.py": '"""The ' + PKG + ' package."""\n',
    f"src/{PKG}/core.py": CORE,
    f"src/{PKG}/old_name.py": CORE.replace("step_", "helper_"),
    f"src/{PKG}/legacy.py": '"""Legacy helpers."""\n\n' + _lines(10, "# legacy"),
    "docs/notes.md": "# Notes\n\n" + _lines(10, "note"),
    "assets/logo.png": PNG_A,
}


def _edit(text: str, old: str, new: str) -> str:
    assert old in text, (old, text[:200])
    return text.replace(old, new, 1)


@dataclass
class Case:
    """One scenario: template versions, the user's edit, the update, and what must survive."""

    name: str
    title: str
    v2: Files
    user: Callable[[Path, str], None] = lambda project, pkg: None
    v3: Files | None = None  # a second update (update twice in a row)
    answers: dict[str, str] = field(default_factory=dict)  # changed on update
    keep: list[str] = field(default_factory=list)  # user text that must survive somewhere
    keep_bytes: bytes | None = None  # user bytes that must survive (binary case)
    gain: list[str] = field(default_factory=list)  # template text that must arrive
    expect_conflict: bool = False
    dirty: bool = False  # the user's edit is left uncommitted: the update must refuse


def _write(project: Path, relative: str, text: str | bytes) -> None:
    path = project / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def _replace(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    path.write_text(_edit(path.read_text(encoding="utf-8"), old, new), encoding="utf-8")


def _with(changes: dict[str, str | bytes | None]) -> Files:
    files = dict(BASE_FILES)
    for path, text in changes.items():
        if text is None:
            files.pop(path)
        else:
            files[path] = text
    return files


CORE_PATH = f"src/{PKG}/core.py"
USER_LINE = "    return x + 2  # user: tuned by hand\n"
TEMPLATE_TAIL = "VALUE = 2  # template v2\n"


def _user_edits_core(project: Path, pkg: str) -> None:
    _replace(project, f"src/{pkg}/core.py", "    return x + 2\n", USER_LINE)


CASES = [
    Case(
        "untouched",
        "untouched project",
        _with({"Makefile": BASE_FILES["Makefile"] + "\nformat:\n\truff format .\n"}),
        gain=["ruff format ."],
    ),
    Case(
        "different_lines",
        "user and template edit different lines",
        _with({CORE_PATH: _edit(CORE, "VALUE = 1\n", TEMPLATE_TAIL)}),
        user=_user_edits_core,
        keep=["user: tuned by hand"],
        gain=["template v2"],
    ),
    Case(
        "same_lines",
        "user and template edit the same lines",
        _with({CORE_PATH: _edit(CORE, "    return x + 2\n", "    return x + 20  # template\n")}),
        user=_user_edits_core,
        keep=["user: tuned by hand"],
        expect_conflict=True,
    ),
    Case(
        "template_rename",
        "template renames a file the user edited",
        _with(
            {
                f"src/{PKG}/old_name.py": None,
                f"src/{PKG}/helpers.py": _edit(
                    CORE.replace("step_", "helper_"), "VALUE = 1\n", "VALUE = 3  # renamed\n"
                ),
            }
        ),
        user=lambda p, pkg: _replace(
            p, f"src/{pkg}/old_name.py", "    return x + 4\n", "    return x + 4  # user\n"
        ),
        keep=["return x + 4  # user"],
        gain=["renamed"],
    ),
    Case(
        "template_delete",
        "template deletes a file the user edited",
        _with({f"src/{PKG}/legacy.py": None}),
        user=lambda p, pkg: _replace(
            p, f"src/{pkg}/legacy.py", "# legacy 3\n", "# legacy 3 - user keeps this\n"
        ),
        keep=["user keeps this"],
        expect_conflict=True,
    ),
    Case(
        "user_delete",
        "user deletes a file the template changed",
        _with({"docs/notes.md": _edit(BASE_FILES["docs/notes.md"], "note 5\n", "note 5 v2\n")}),
        user=lambda p, pkg: (p / "docs/notes.md").unlink(),
        expect_conflict=True,
    ),
    Case(
        "both_added",
        "new template file the user already created",
        _with({"CONTRIBUTING.md": "# Contributing\n\nTemplate rules.\n"}),
        user=lambda p, pkg: _write(p, "CONTRIBUTING.md", "# Contributing\n\nOur own rules.\n"),
        keep=["Our own rules."],
        expect_conflict=True,
    ),
    Case(
        "package_rename",
        "an answer change renames the package",
        dict(BASE_FILES),
        user=_user_edits_core,
        answers={"pkg": "renamed_pkg"},
        keep=["user: tuned by hand"],
        gain=["The renamed_pkg package."],
    ),
    Case(
        "binary_both",
        "binary file changed on both sides",
        _with({"assets/logo.png": PNG_B}),
        user=lambda p, pkg: _write(p, "assets/logo.png", PNG_USER),
        keep_bytes=PNG_USER,
        expect_conflict=True,
    ),
    Case(
        "twice",
        "update twice in a row",
        _with({CORE_PATH: _edit(CORE, "VALUE = 1\n", TEMPLATE_TAIL)}),
        user=_user_edits_core,
        v3=_with(
            {
                CORE_PATH: _edit(CORE, "VALUE = 1\n", TEMPLATE_TAIL),
                "Makefile": BASE_FILES["Makefile"] + "\ndocs:\n\tmkdocs build\n",
            }
        ),
        keep=["user: tuned by hand"],
        gain=["template v2", "mkdocs build"],
    ),
    Case(
        "dirty_tree",
        "update with a dirty git tree",
        _with({CORE_PATH: _edit(CORE, "VALUE = 1\n", TEMPLATE_TAIL)}),
        user=_user_edits_core,
        keep=["user: tuned by hand"],
        dirty=True,
    ),
]


# --- template repositories -------------------------------------------------------------------


def git(cwd: Path, *args: str) -> str:
    """Run git with a fixed identity and no user configuration; return stdout."""
    env = {**os.environ, **GIT_ENV}
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} in {cwd}: {result.stderr}")
    return result.stdout


def _render_path(path: str, style: str) -> str:
    return path.replace(PKG, "{{cookiecutter.package_name}}" if style == "cookiecutter" else PKG)


def _write_version(root: Path, files: Files, style: str) -> None:
    """Replace the template's content with ``files`` in cookiecutter or copier form."""
    for child in root.iterdir():
        if child.name != ".git":
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    if style == "cookiecutter":
        config = {"project_name": "demo", "package_name": "demo_pkg"}
        (root / "cookiecutter.json").write_text(json.dumps(config, indent=2) + "\n")
        project = root / "{{cookiecutter.project_name}}"
        variable = "{{ cookiecutter.package_name }}"
    else:
        (root / "copier.yml").write_text(
            "project_name:\n  type: str\n  default: demo\n"
            "pkg:\n  type: str\n  default: demo_pkg\n"
            "_subdirectory: template\n"
        )
        project = root / "template"
        project.mkdir()
        (project / "{{ _copier_conf.answers_file }}.jinja").write_text(
            "# Changes here will be overwritten by Copier\n{{ _copier_answers|to_nice_yaml -}}\n"
        )
        variable = PKG
    for relative, content in files.items():
        target = project / _render_path(relative, style)
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
            continue
        text = content.replace(PKG, variable)
        if style == "copier":
            target = target.with_name(target.name + ".jinja")
        target.write_text(text, encoding="utf-8")


def make_template_repo(root: Path, case: Case, style: str) -> Path:
    """A git repository of the case's template, tagged v1, v2 (and v3)."""
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    versions = [BASE_FILES, case.v2] + ([case.v3] if case.v3 else [])
    for number, files in enumerate(versions, start=1):
        _write_version(root, files, style)
        git(root, "add", "-A")
        git(root, "commit", "-q", "--allow-empty", "-m", f"v{number}")
        git(root, "tag", f"v{number}")
    return root


# --- tools -----------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one tool did on one case."""

    tool: str
    case: str
    dirty: bool = False  # the case's tree was dirty: a non-zero exit is the refusal
    exit_codes: list[int] = field(default_factory=list)
    output: str = ""
    lost: list[str] = field(default_factory=list)
    rej: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    wrong_success: bool = False
    touched: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when nothing went wrong."""
        return not (self.lost or self.rej or self.missed or self.wrong_success or self.touched)

    def verdict(self) -> str:
        """A short cell for the table."""
        problems = []
        if self.lost:
            problems.append("LOST EDIT")
        if self.rej:
            problems.append(".rej")
        if self.wrong_success:
            problems.append("false success")
        if self.missed:
            problems.append("missed change")
        if self.touched:
            problems.append("touched files")
        if problems:
            return ", ".join(problems)
        if self.exit_codes[-1:] == [0]:
            return "ok"
        return "refused, untouched" if self.dirty else "ok (conflict reported)"


def _bin(name: str) -> str:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )


def create(tool: str, template: Path, work: Path) -> Path:
    """Make the project from template v1 with ``tool``; return its directory (committed)."""
    if tool == "copier":
        project = work / "demo"
        result = _run(
            [_bin("copier"), "copy", "--vcs-ref", "v1", "--defaults", "--trust", "-q",
             str(template), str(project)],
            work,
        )  # fmt: skip
    elif tool == "cruft":
        result = _run(
            [_bin("cruft"), "create", str(template), "--checkout", "v1", "--no-input",
             "--output-dir", str(work)],
            work,
        )  # fmt: skip
        project = work / "demo"
    else:
        git(template, "checkout", "-q", "v1")
        result = _run(
            [sys.executable, "-m", "toolkit", "new", str(template), "--no-input", "-o", str(work)],
            work,
        )
        git(template, "checkout", "-q", "main")
        project = work / "demo"
    if result.returncode != 0:
        raise RuntimeError(f"{tool} could not create the project: {result.stderr[-2000:]}")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "created")
    return project


def update(
    tool: str, template: Path, project: Path, ref: str, answers: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Update ``project`` to template tag ``ref`` with ``tool``."""
    if tool == "copier":
        data = [arg for key, value in answers.items() for arg in ("--data", f"{key}={value}")]
        command = [_bin("copier"), "update", "--vcs-ref", ref, "--defaults", "--trust",
                   "--conflict", "inline", *data, str(project)]  # fmt: skip
    elif tool == "cruft":
        cookie = {("package_name" if k == "pkg" else k): v for k, v in answers.items()}
        variables = ["--variables-to-update", json.dumps(cookie)] if cookie else []
        command = [_bin("cruft"), "update", "-y", "--checkout", ref, *variables]
    else:
        assignments = [f"{'package_name' if k == 'pkg' else k}={v}" for k, v in answers.items()]
        command = [sys.executable, "-m", "toolkit", "update", str(project), *assignments,
                   "--to", f"{template}@{ref}"]  # fmt: skip
    return _run(command, project)


def _project_texts(project: Path) -> dict[str, bytes]:
    files = {}
    for path in project.rglob("*"):
        parts = path.relative_to(project).parts
        if path.is_file() and not ({".git", ".toolkit"} & set(parts)):
            files[path.relative_to(project).as_posix()] = path.read_bytes()
    return files


def run_case(tool: str, case: Case, work: Path) -> Outcome:
    """Run ``case`` with ``tool`` in the empty folder ``work`` and judge the result."""
    import time

    style = "copier" if tool == "copier" else "cookiecutter"
    template = make_template_repo(work / "template", case, style)
    project = create(tool, template, work)
    case.user(project, "demo_pkg")
    if not case.dirty:
        git(project, "add", "-A")
        git(project, "commit", "-q", "--allow-empty", "-m", "user edit")
    before = _project_texts(project)
    outcome = Outcome(tool, case.name, dirty=case.dirty)
    start = time.perf_counter()
    for ref in ["v2"] + (["v3"] if case.v3 else []):
        answers = case.answers if ref == "v2" else {}
        result = update(tool, template, project, ref, answers)
        outcome.exit_codes.append(result.returncode)
        outcome.output += result.stdout + result.stderr
        if not case.dirty and result.returncode == 0:
            git(project, "add", "-A")
            git(project, "commit", "-q", "--allow-empty", "-m", f"update to {ref}")
    outcome.seconds = time.perf_counter() - start
    judge(outcome, case, project, before)
    return outcome


def judge(outcome: Outcome, case: Case, project: Path, before: dict[str, bytes]) -> None:
    """Fill in what went wrong, with the same rules for every tool."""
    after = _project_texts(project)
    everything = b"\n".join(after.values())
    outcome.rej = sorted(p for p in after if p.endswith(".rej"))
    outcome.lost = [text for text in case.keep if text.encode() not in everything]
    if case.keep_bytes is not None and case.keep_bytes not in after.values():
        outcome.lost.append("the user's binary file")
    last_exit = outcome.exit_codes[-1]
    if case.dirty:
        outcome.touched = after != before
        outcome.wrong_success = last_exit == 0
        return
    outcome.missed = [text for text in case.gain if text.encode() not in everything]
    if case.name == "user_delete" and "docs/notes.md" in after and last_exit == 0:
        outcome.lost.append("the user's deletion (file silently restored)")
    outcome.wrong_success = last_exit == 0 and (case.expect_conflict or bool(outcome.lost))
