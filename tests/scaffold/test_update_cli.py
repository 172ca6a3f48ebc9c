"""`toolkit update` on the real ml-project template: receipt, --check, --dry-run, --json, renames,
executable bits, --adopt, and the refusals (one line, exit 2, nothing written)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Runner = Callable[..., subprocess.CompletedProcess[str]]  # the run_toolkit fixture

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))

from update_cases import git  # noqa: E402


@pytest.fixture
def template_repo(tmp_path: Path) -> Path:
    """A git copy of the built-in ml-project template (commit v1)."""
    template = tmp_path / "ml-template"
    shutil.copytree(REPO / "templates" / "ml-project", template)
    git(template, "init", "-q", "-b", "main")
    git(template, "add", "-A")
    git(template, "commit", "-q", "-m", "v1")
    git(template, "tag", "v1")
    return template


def new_project(run_toolkit: Runner, template: Path, work: Path) -> Path:
    made = run_toolkit("new", str(template), "--no-input", "project_name=Churn", "-o", str(work),
                   cwd=work)  # fmt: skip
    assert made.returncode == 0, made.stderr
    project = work / "churn"
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "created")
    return project


def commit_v2(template: Path) -> None:
    """v2: a Makefile target, features.py renamed to featurize.py (declared), a new file."""
    package = template / "{{cookiecutter.project_slug}}"
    makefile = package / "Makefile"
    makefile.write_text(makefile.read_text() + "\nhello:\n\techo hello\n")
    src = package / "src" / "{{cookiecutter.package_name}}"
    (src / "features.py").rename(src / "featurize.py")
    (package / "CHANGELOG.md").write_text("# Changelog\n")
    config = json.loads((template / "cookiecutter.json").read_text())
    config["_renames"] = {
        "src/{{ cookiecutter.package_name }}/features.py": (
            "src/{{ cookiecutter.package_name }}/featurize.py"
        )
    }
    (template / "cookiecutter.json").write_text(json.dumps(config, indent=2))
    git(template, "add", "-A")
    git(template, "commit", "-q", "-m", "v2")
    git(template, "tag", "v2")


def test_new_records_a_receipt_that_matches_the_files(run_toolkit: Runner, tmp_path: Path) -> None:
    made = run_toolkit("new", "--no-input", "project_name=Churn", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    project = tmp_path / "churn"
    receipt = json.loads((project / ".toolkit" / "template.json").read_text())
    assert receipt["template"]["name"] == "ml-project"
    assert receipt["template"]["location"] == "builtin"
    assert receipt["answers"]["package_name"] == "churn"
    base = json.loads((project / ".toolkit" / "template-base.json").read_text())["files"]
    assert set(base) == set(receipt["files"])
    for path in receipt["files"]:
        on_disk = (project / path).read_bytes()
        assert base[path]["text"].encode() == on_disk, path
    cruft = json.loads((project / ".cruft.json").read_text())
    assert cruft["context"]["cookiecutter"]["project_name"] == "Churn"
    # The built-in template has not moved: nothing to do, and --check says so.
    assert run_toolkit("update", "--check", cwd=project).returncode == 0


def test_update_follows_template_changes_and_keeps_edits(
    run_toolkit: Runner, template_repo: Path, tmp_path: Path
) -> None:
    project = new_project(run_toolkit, template_repo, tmp_path)
    features = project / "src" / "churn" / "features.py"
    features.write_text(features.read_text() + "\n# my feature notes\n")
    script = project / "Makefile"
    script.chmod(0o755)  # the user made it executable; the template changes it
    git(project, "commit", "-qam", "my edits")
    commit_v2(template_repo)

    check = run_toolkit("update", "--check", cwd=project)
    assert check.returncode == 1 and "1 commit" in check.stdout, check.stdout
    before = (project / ".toolkit" / "template.json").read_text()
    dry = run_toolkit("update", "--dry-run", "--json", cwd=project)
    assert dry.returncode == 0, dry.stderr
    planned = json.loads(dry.stdout)
    assert planned["applied"] is False and planned["renames"] == {
        "src/churn/features.py": "src/churn/featurize.py"
    }
    assert (project / ".toolkit" / "template.json").read_text() == before
    assert features.exists() and not (project / "CHANGELOG.md").exists()

    done = run_toolkit("update", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not features.exists()
    assert "# my feature notes" in (project / "src" / "churn" / "featurize.py").read_text()
    assert "echo hello" in script.read_text() and os.access(script, os.X_OK)
    assert (project / "CHANGELOG.md").read_text() == "# Changelog\n"
    assert not list(project.rglob("*.rej"))
    git(project, "add", "-A")
    git(project, "commit", "-qm", "update")
    assert run_toolkit("update", "--check", cwd=project).returncode == 0
    again = run_toolkit("update", cwd=project)
    assert again.returncode == 0 and "up to date" in again.stdout


def test_conflict_is_marked_inline_and_exit_1(
    run_toolkit: Runner, template_repo: Path, tmp_path: Path
) -> None:
    project = new_project(run_toolkit, template_repo, tmp_path)
    makefile = project / "Makefile"
    makefile.write_text(makefile.read_text() + "\nmine:\n\techo mine\n")
    git(project, "commit", "-qam", "my target")
    commit_v2(template_repo)
    result = run_toolkit("update", cwd=project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "C Makefile" in result.stdout and "conflict" in result.stderr
    text = makefile.read_text()
    assert "<<<<<<< yours:Makefile" in text and ">>>>>>> template:Makefile" in text
    assert "echo mine" in text and "echo hello" in text
    assert not list(project.rglob("*.rej"))


def test_to_accepts_a_template_revision(
    run_toolkit: Runner, template_repo: Path, tmp_path: Path
) -> None:
    project = new_project(run_toolkit, template_repo, tmp_path)
    commit_v2(template_repo)
    result = run_toolkit("update", "--to", f"{template_repo}@v1", cwd=project)
    assert result.returncode == 0 and "up to date" in result.stdout, result.stdout
    bad = run_toolkit("update", "--to", "no-such-ref", cwd=project)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1, bad.stderr


def test_adopt_a_plain_cookiecutter_project(run_toolkit: Runner, tmp_path: Path) -> None:
    from cookiecutter.main import cookiecutter

    cookiecutter(
        str(REPO / "templates" / "ml-project"),
        no_input=True,
        extra_context={"project_name": "Plain"},
        output_dir=str(tmp_path),
    )
    project = tmp_path / "plain"
    refused = run_toolkit("update", cwd=project)
    assert refused.returncode == 2 and "--adopt" in refused.stderr
    adopted = run_toolkit("update", "--adopt", "ml-project", "project_name=Plain", cwd=project)
    assert adopted.returncode == 0, adopted.stderr
    assert "0 file(s) differ" in adopted.stdout
    assert run_toolkit("update", "--check", cwd=project).returncode == 0
    again = run_toolkit("update", "--adopt", "ml-project", "project_name=Plain", cwd=project)
    assert again.returncode == 2


def test_damaged_receipt_is_one_line(run_toolkit: Runner, tmp_path: Path) -> None:
    assert run_toolkit("new", "--no-input", "project_name=Churn", cwd=tmp_path).returncode == 0
    project = tmp_path / "churn"
    (project / ".toolkit" / "template-base.json").write_text("{not json")
    result = run_toolkit("update", cwd=project)
    assert result.returncode == 2 and "damaged template receipt" in result.stderr
    assert result.stderr.count("\n") == 1


def _files(project: Path) -> dict[str, bytes]:
    return {
        p.relative_to(project).as_posix(): p.read_bytes()
        for p in project.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(project).parts
    }


def test_dirty_tree_is_refused_with_exit_2_and_nothing_written(
    run_toolkit: Runner, template_repo: Path, tmp_path: Path
) -> None:
    project = new_project(run_toolkit, template_repo, tmp_path)
    commit_v2(template_repo)
    (project / "README.md").write_text("my uncommitted notes\n")
    before = _files(project)
    result = run_toolkit("update", cwd=project)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and f"{project}: uncommitted changes (README.md)" in (
        result.stderr
    )
    assert _files(project) == before


def test_a_file_saved_during_the_update_is_not_overwritten(
    run_toolkit: Runner, template_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor saves the Makefile after update read it and before it writes: the save wins,
    nothing at all is written (every file is checked first), exit 1, one line naming it."""
    from click.testing import CliRunner

    import toolkit.scaffold.update as update_module
    from toolkit.cli.main import cli

    project = new_project(run_toolkit, template_repo, tmp_path)
    commit_v2(template_repo)
    makefile = project / "Makefile"
    planned = update_module.plan_update

    def plan_then_the_editor_saves(*args: object, **kwargs: object) -> object:
        plan = planned(*args, **kwargs)  # type: ignore[arg-type]
        makefile.write_text(makefile.read_text() + "\n# saved in the editor meanwhile\n")
        return plan

    monkeypatch.setattr(update_module, "plan_update", plan_then_the_editor_saves)
    monkeypatch.chdir(project)
    before = _files(project)
    result = CliRunner().invoke(cli, ["update"])
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"{makefile}: changed on disk since it was read" in result.stderr
    after = _files(project)
    assert after.pop("Makefile").endswith(b"# saved in the editor meanwhile\n")
    before.pop("Makefile")
    assert after == before  # no CHANGELOG.md, no rename, the receipt as it was
