"""``toolkit update``: bring a project to a newer template version without losing an edit.

The merge base is the render recorded when the project was made or last updated
(``.toolkit/template-base.json``), never a re-render of the old template version. The new
version is rendered with the stored answers (plus any changed ones) in a scratch folder, the
renames are found (declared by the template in ``_renames``, named after changed answers, or
similar content), and :func:`~toolkit.scaffold.plan.plan_update` decides per file. Nothing is
written on a dry run or a refusal; the receipt advances only after the files are written.

Example:
    >>> result = update_project(project_dir, dry_run=True)  # doctest: +SKIP
    >>> [c.path for c in result.plan.changes]  # doctest: +SKIP
    ['Makefile']
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit._io import FileState
from toolkit.errors import UsageError
from toolkit.scaffold.plan import Plan, find_renames, plan_update
from toolkit.scaffold.receipt import Receipt, has_receipt, read_receipt
from toolkit.scaffold.snapshot import (
    FileEntry,
    Snapshot,
    public_answers,
    render_snapshot,
    set_executable,
    template_context,
    template_import_path,
)
from toolkit.scaffold.source import TemplateSource, checkout_source

RENAMES_KEY = "_renames"


@dataclass
class UpdateResult:
    """What an update did (or, on a dry run, would do)."""

    project: Path
    from_version: str
    to_version: str
    plan: Plan = field(default_factory=Plan)
    applied: bool = False
    up_to_date: bool = False
    answers_changed: dict[str, Any] = field(default_factory=dict)
    behind: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form for ``--json``."""
        return {
            "project": str(self.project),
            "from": self.from_version,
            "to": self.to_version,
            "up_to_date": self.up_to_date,
            "applied": self.applied,
            "behind": self.behind,
            "answers_changed": self.answers_changed,
            "renames": self.plan.renames,
            "changes": [c.to_dict() for c in self.plan.changes],
            "conflicts": [c.path for c in self.plan.conflicts],
        }


def dirty_paths(project: Path) -> list[str] | None:
    """Uncommitted changes under ``project`` (``git status``), or ``None`` outside a git repo."""
    try:
        result = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all", "--", "."],
            cwd=project,
            capture_output=True,
        )
    except OSError:
        return None
    if result.returncode != 0:
        return None
    return [line[3:] for line in result.stdout.decode().splitlines() if line.strip()]


def _refuse_dirty(project: Path) -> None:
    dirty = dirty_paths(project)
    if dirty:
        shown = ", ".join(dirty[:3]) + (f" and {len(dirty) - 3} more" if len(dirty) > 3 else "")
        raise UsageError(
            f"{project}: uncommitted changes ({shown}); commit or stash them first, "
            "so the update can be reviewed and undone with git; nothing was changed"
        )


def _read_paths(project: Path, paths: set[str]) -> tuple[Snapshot, dict[str, FileState | None]]:
    """The project's current files at ``paths`` (what is missing is simply absent), and what
    each path was when read (its state, None for no file): the ``expect=`` of its write."""
    import os

    from toolkit._io import read_bytes

    files: dict[str, FileEntry] = {}
    states: dict[str, FileState | None] = {}
    for relative in sorted(paths):
        path = project / relative
        if path.is_file() and not path.is_symlink():
            data, states[relative] = read_bytes(path)
            files[relative] = FileEntry(data, os.access(path, os.X_OK))
        elif not os.path.lexists(path):
            states[relative] = None
    return Snapshot(files), states


def _render(template_dir: Path, context: Mapping[str, Any], text: str) -> str:
    from cookiecutter.utils import create_env_with_context

    with template_import_path(template_dir):  # the template's local_extensions
        env = create_env_with_context(dict(context))
        return str(env.from_string(text).render(cookiecutter=context["cookiecutter"]))


def declared_renames(
    template_dir: Path, old_context: Mapping[str, Any], new_context: Mapping[str, Any]
) -> dict[str, str]:
    """Renames the template declares (``_renames``), plus paths named after changed answers.

    ``_renames`` in ``cookiecutter.json`` maps an old project path to a new one; both may use
    ``{{ cookiecutter.x }}``. Every template path is also rendered with the old and the new
    answers, so ``src/{{cookiecutter.package_name}}/x.py`` follows a changed ``package_name``.
    """
    config = json.loads((template_dir / "cookiecutter.json").read_text(encoding="utf-8"))
    renames: dict[str, str] = {}
    for old, new in dict(config.get(RENAMES_KEY) or {}).items():
        renames[_render(template_dir, old_context, old)] = _render(template_dir, new_context, new)
    if old_context["cookiecutter"] != new_context["cookiecutter"]:
        for root in (p for p in template_dir.iterdir() if p.is_dir() and "{{" in p.name):
            for path in root.rglob("*"):
                if not path.is_file():
                    continue
                relative = path.relative_to(root).as_posix()
                old = _render(template_dir, old_context, relative)
                new = _render(template_dir, new_context, relative)
                if old != new:
                    renames.setdefault(old, new)
    return renames


def _new_answers(
    receipt: Receipt, changes: Mapping[str, str], template_dir: Path
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Stored answers with ``changes`` applied, limited to what the template still asks."""
    from toolkit.scaffold.names import package_name_problem

    variables = json.loads((template_dir / "cookiecutter.json").read_text(encoding="utf-8"))
    for key in changes:
        if key not in variables or key.startswith("_"):
            public = ", ".join(k for k in variables if not k.startswith("_"))
            raise UsageError(f"unknown template variable {key!r}; known: {public}")
    if "package_name" in changes:
        problem = package_name_problem(changes["package_name"])
        if problem:
            raise UsageError(f"package_name={changes['package_name']!r} is not usable: {problem}")
    answers = {k: v for k, v in receipt.answers.items() if k in variables}
    changed = {k: v for k, v in changes.items() if receipt.answers.get(k) != v}
    answers.update(changes)
    return answers, changed


def _touched(plan: Plan) -> list[str]:
    """The project paths the plan writes or removes."""
    paths = []
    for change in plan.changes:
        if change.writes:
            paths += [change.path, *([change.old_path] if change.old_path else [])]
    return paths


def _apply(project: Path, plan: Plan, states: Mapping[str, FileState | None]) -> None:
    """Write the plan's files (atomically, one by one), then remove what moved or went away.

    ``states`` are the files as read for the plan: a file saved (or created) since is not
    overwritten or removed (``FileChangedError``); all are checked before the first write.
    """
    from toolkit._io import atomic_write_bytes, ensure_unchanged

    for relative in _touched(plan):
        if relative in states:
            ensure_unchanged(project / relative, states[relative])
    removed: list[Path] = []
    for change in plan.changes:
        if not change.writes:
            continue
        target = project / change.path
        if change.entry is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, change.entry.data, expect=states.get(change.path))
            set_executable(target, change.entry.executable)
        else:
            ensure_unchanged(target, states.get(change.path))
            target.unlink(missing_ok=True)
            removed.append(target)
        if change.old_path:
            old = project / change.old_path
            ensure_unchanged(old, states.get(change.old_path))
            old.unlink(missing_ok=True)
            removed.append(old)
    for path in removed:  # folders emptied by a move or a deletion go too
        folder = path.parent
        while folder != project and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def _plan(
    project: Path, receipt: Receipt, source: TemplateSource, changes: Mapping[str, str]
) -> tuple[Plan, Snapshot, dict[str, Any], dict[str, Any], dict[str, FileState | None]]:
    answers, changed = _new_answers(receipt, changes, source.path)
    new_context = template_context(source.path, answers, user_defaults=False)
    new, _root = render_snapshot(source.path, new_context)
    old_answers = {k: v for k, v in receipt.answers.items() if k in answers}
    old_context = template_context(source.path, old_answers, user_defaults=False)
    renames = find_renames(
        receipt.base, new, declared_renames(source.path, old_context, new_context)
    )
    ours, states = _read_paths(project, set(receipt.base.files) | set(new.files))
    plan = plan_update(receipt.base, ours, new, renames)
    return plan, new, public_answers(new_context), changed, states


def update_project(
    project: str | Path = ".",
    *,
    to: str | None = None,
    answers: Mapping[str, str] | None = None,
    dry_run: bool = False,
) -> UpdateResult:
    """Update ``project`` to template version ``to`` (default: the template as it is now).

    ``answers`` change stored answers (``{"package_name": "churn_v2"}``). A project in a git
    repository with uncommitted changes is refused (nothing written) unless ``dry_run``.
    """
    project = Path(project).expanduser().resolve()
    receipt = read_receipt(project)
    changes = dict(answers or {})
    if not dry_run:
        _refuse_dirty(project)
    with checkout_source(receipt.template, to) as source:
        result = UpdateResult(project, str(receipt.template.get("version")), source.version)
        same_template = source.fingerprint == receipt.template.get("fingerprint")
        if same_template and all(receipt.answers.get(k) == v for k, v in changes.items()):
            result.up_to_date = True
            return result
        plan, new, stored, changed, states = _plan(project, receipt, source, changes)
        result.plan, result.answers_changed = plan, changed
        if not dry_run:
            _apply(project, plan, states)
            Receipt(source.to_dict(), stored, new).write(project)
            result.applied = True
    return result


def check_project(project: str | Path = ".", *, to: str | None = None) -> UpdateResult:
    """How far behind its template ``project`` is (a dry run plus a commit count when known)."""
    project = Path(project).expanduser().resolve()
    receipt = read_receipt(project)
    result = update_project(project, to=to, dry_run=True)
    if not result.up_to_date:
        result.behind = _distance(receipt.template, to)
    return result


def _distance(recorded: Mapping[str, Any], to: str | None) -> str:
    """``3 commits`` between the recorded and the new git commit, or the version names."""
    with checkout_source(dict(recorded), to) as source:
        old, new = recorded.get("commit"), source.commit
        if old and new and recorded.get("location") not in (None, "builtin"):
            count = subprocess.run(
                ["git", "rev-list", "--count", f"{old}..{new}"],
                cwd=str(recorded["location"]),
                capture_output=True,
                text=True,
            )
            if count.returncode == 0:
                n = int(count.stdout.strip() or 0)
                return f"{n} commit{'s' if n != 1 else ''}"
        return f"{recorded.get('version')} -> {source.version}"


def adopt_project(
    project: str | Path,
    template: str,
    answers: Mapping[str, str],
    *,
    to: str | None = None,
) -> tuple[Receipt, list[str]]:
    """Give a project made by plain cookiecutter a receipt, so ``toolkit update`` can follow it.

    The base is the template (version ``to``, default: now) rendered with ``answers``: where
    the project differs from it counts as your edits. Returns the receipt and those paths.
    """
    import cookiecutter  # noqa: F401  first: without the [new] extra, the CLI names it

    from toolkit.scaffold.render import resolve_names
    from toolkit.scaffold.source import is_builtin_name, resolve_source
    from toolkit.scaffold.templates import find_template

    project = Path(project).expanduser().resolve()
    if has_receipt(project):
        raise UsageError(f"{project}: already has a template receipt; use `toolkit update`")
    if not project.is_dir():
        raise UsageError(f"{project}: no such project directory")
    info = find_template(template)
    recorded = resolve_source(template if not is_builtin_name(template) else info.name)
    with checkout_source(recorded.to_dict(), to) as source:
        context = template_context(source.path, resolve_names(info, dict(answers)))
        base, _root = render_snapshot(source.path, context)
        receipt = Receipt(source.to_dict(), public_answers(context), base)
    ours, _states = _read_paths(project, set(base.files))
    differing = sorted(p for p, entry in base.files.items() if ours.files.get(p) != entry)
    receipt.write(project)
    return receipt, differing
