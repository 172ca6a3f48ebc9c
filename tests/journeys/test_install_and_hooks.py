"""The installed toolkit, and the hook configuration the docs recommend, used as written."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from journeys.userland import (
    UserToolkit,
    assert_hooks_guard_notebooks,
    commit,
    notebook,
    output,
    run,
)

pytestmark = pytest.mark.slow


def test_the_toolkit_comes_from_the_wheel_in_a_fresh_venv(user_toolkit: UserToolkit) -> None:
    python = str(user_toolkit.bin / "python")
    code = (
        "import json, sys, toolkit; from importlib.metadata import distribution as d;"
        "print(json.dumps([toolkit.__file__, sys.path, d('compound-toolkit').read_text("
        "'direct_url.json')]))"
    )
    where, path, direct_url = json.loads(
        run([python, "-c", code], cwd=user_toolkit.venv, env=user_toolkit.env).stdout
    )
    assert where.startswith(str(user_toolkit.venv)), where
    # Nothing of the developer's environment is on the path (no shared site-packages).
    assert not [
        p for p in path if "site-packages" in p and not p.startswith(str(user_toolkit.venv))
    ]
    assert json.loads(direct_url)["url"].endswith(user_toolkit.wheel.name)


def documented_config(page: Path) -> str:
    """The first ``yaml`` block of ``page`` that is a pre-commit config, verbatim."""
    for block in re.findall(r"```yaml\n(.*?)```", page.read_text(encoding="utf-8"), re.S):
        if "repos:" in block:
            return block
    raise AssertionError(f"{page}: no pre-commit config block")


@pytest.mark.parametrize("page", ["README.md", "docs/hooks.md"])
def test_the_documented_hook_config_works_as_written(
    user_toolkit: UserToolkit, repo_root: Path, tmp_path: Path, page: str
) -> None:
    """README/docs: `repo: local` with the installed commands, the environment activated."""
    repo = tmp_path / "analysis"
    repo.mkdir()
    env = {**user_toolkit.env, "PATH": f"{user_toolkit.bin}:{user_toolkit.env['PATH']}"}
    run(["git", "init", "-q"], cwd=repo, env=env)
    (repo / ".pre-commit-config.yaml").write_text(documented_config(repo_root / page))
    run(["pre-commit", "install"], cwd=repo, env=env)
    assert commit(repo, env, ".pre-commit-config.yaml", "hooks").returncode == 0
    assert_hooks_guard_notebooks(repo, env, "notebooks")
    # forbid-data-files is in the documented config too.
    (repo / "train.parquet").write_bytes(b"0" * 600_000)
    refused = commit(repo, env, "train.parquet", "data")
    assert refused.returncode != 0 and "train.parquet" in output(refused)


def test_the_git_filter_and_the_check_hooks_work_together(
    user_toolkit: UserToolkit, tmp_path: Path
) -> None:
    """docs/hooks.md: with the filter, the checks see the working copy (counts kept)."""
    repo = tmp_path / "filtered"
    repo.mkdir()
    env = {**user_toolkit.env, "PATH": f"{user_toolkit.bin}:{user_toolkit.env['PATH']}"}
    run(["git", "init", "-q"], cwd=repo, env=env)
    user_toolkit.toolkit("nb", "install-filter", cwd=repo)
    hooks = [
        f"      - {{id: {name}, name: {name}, entry: toolkit-{name}, language: system, "
        "types: [jupyter]}"
        for name in ["check-notebook-order", "check-notebook-errors"]
    ]
    config = "repos:\n  - repo: local\n    hooks:\n" + "\n".join(hooks) + "\n"
    (repo / ".pre-commit-config.yaml").write_text(config)
    run(["pre-commit", "install"], cwd=repo, env=env)
    assert commit(repo, env, ".", "hooks and filter").returncode == 0
    (repo / "unordered.ipynb").write_text(notebook([5, 2, 9]))
    refused = commit(repo, env, "unordered.ipynb", "run 5, 2, 9")
    assert refused.returncode != 0 and "cell 2 ran before cell 1" in output(refused)
    (repo / "good.ipynb").write_text(notebook([1, 2]))
    run(["git", "rm", "-qf", "--cached", "unordered.ipynb"], cwd=repo, env=env)
    assert commit(repo, env, "good.ipynb", "clean run").returncode == 0
    # The filter stripped the commit; the working copy keeps its outputs.
    committed = json.loads(run(["git", "show", "HEAD:good.ipynb"], cwd=repo, env=env).stdout)
    assert [c["execution_count"] for c in committed["cells"]] == [None, None]
    assert json.loads((repo / "good.ipynb").read_text())["cells"][0]["execution_count"] == 1


def test_branches_switch_and_merge_with_the_filter_and_the_merge_driver(
    user_toolkit: UserToolkit, tmp_path: Path
) -> None:
    """The daily git loop on a notebook with both installed: commit, branch, switch back and
    forth, merge. Checkout writes notebooks through the filter too (git dies with "smudge
    filter failed" and leaves the notebook deleted when the required filter refuses smudge)."""
    repo = tmp_path / "branches"
    repo.mkdir()
    env = user_toolkit.env

    def git(*args: str) -> str:
        return run(["git", *args], cwd=repo, env=env).stdout

    def cells() -> list[dict[str, Any]]:
        return list(json.loads((repo / "nb.ipynb").read_text())["cells"])

    git("init", "-q", "-b", "main")
    user_toolkit.toolkit("nb", "install-filter", cwd=repo)
    user_toolkit.toolkit("nb", "install-merge-driver", cwd=repo)
    (repo / "nb.ipynb").write_text(notebook([1, 2]))
    assert commit(repo, env, ".", "notebook").returncode == 0
    git("switch", "-q", "-c", "feature")
    edited = json.loads(notebook([1, 2]))
    edited["cells"][0]["source"] = "print('feature')"
    (repo / "nb.ipynb").write_text(json.dumps(edited, indent=1) + "\n")
    assert commit(repo, env, "nb.ipynb", "edit cell 0").returncode == 0
    git("switch", "-q", "main")
    assert cells()[0]["source"] == "print(0)", "the checkout wrote main's notebook"
    added = json.loads((repo / "nb.ipynb").read_text())
    added["cells"].append({"cell_type": "markdown", "id": "m1", "metadata": {}, "source": "x"})
    (repo / "nb.ipynb").write_text(json.dumps(added, indent=1) + "\n")
    assert commit(repo, env, "nb.ipynb", "add a cell").returncode == 0
    git("switch", "-q", "feature")
    git("switch", "-q", "main")
    git("merge", "-q", "--no-edit", "feature")
    merged = cells()
    assert [c["id"] for c in merged] == ["c0", "c1", "m1"]
    assert merged[0]["source"] == "print('feature')"
    assert git("status", "--porcelain") == ""
    committed = json.loads(git("show", "HEAD:nb.ipynb"))
    assert all(c.get("outputs", []) == [] for c in committed["cells"])


def test_install_filter_outside_a_repository_is_a_usage_error(
    user_toolkit: UserToolkit, tmp_path: Path
) -> None:
    result = user_toolkit.toolkit("nb", "install-filter", cwd=tmp_path, check=False)
    assert result.returncode == 2 and "not inside a git repository" in result.stderr
