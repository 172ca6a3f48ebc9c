"""Hostile but realistic snippet input (issue 14) and the loose ends of issue 12 item 22.

Each case: one readable line, the right exit code (2 for bad input or usage), nothing lost,
and one bad copy never stops the command for the rest of the project.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat

from toolkit.snippets.library import load_library
from toolkit.snippets.stamp import find_blocks


def _bump(env: dict[str, Path], name: str, extra: str) -> None:
    path = env["builtin"].joinpath(*name.split("/")).with_suffix(".py")
    path.write_text(path.read_text().replace("version: 1", "version: 2") + extra)


def _notebook(path: Path, *cells: str, tags: dict[int, list[str]] | None = None) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    for index, cell_tags in (tags or {}).items():
        nb.cells[index].metadata["tags"] = cell_tags
    nbformat.write(nb, str(path))
    return path


def test_harvest_two_cells_with_one_name_is_refused(run, lib) -> None:
    nb = _notebook(
        lib["project"] / "a.ipynb",
        "# snippet: utils/x\ndef x():\n    return 1",
        "# snippet: utils/x\ndef x():\n    return 2",
    )
    code, _, err = run("harvest", str(nb))
    assert code == 2 and "utils/x (cells 1, 2)" in err
    assert not (lib["personal"] / "utils").exists()


def test_add_to_a_link_out_of_the_project_is_refused(run, lib, tmp_path) -> None:
    other = tmp_path / "other-repo"
    (other / ".git").mkdir(parents=True)
    (other / "pkg").mkdir()
    (lib["project"] / "LINK").symlink_to(other / "pkg", target_is_directory=True)
    code, _, err = run("add", "utils/half", "--to", "LINK/")
    assert code == 2 and "outside the project" in err
    assert not list((other / "pkg").iterdir()) and not (other / ".toolkit").exists()
    (other / "pkg" / "m.py").write_text("X = 1\n")
    (lib["project"] / "link.py").symlink_to(other / "pkg" / "m.py")
    code, _, err = run("add", "utils/half", "--into", "link.py")
    assert code == 2 and "outside the project" in err
    assert (other / "pkg" / "m.py").read_text() == "X = 1\n"
    # A link to the whole other repository is refused as well.
    (lib["project"] / "REPO").symlink_to(other, target_is_directory=True)
    code, _, err = run("add", "utils/half", "--to", "REPO/")
    assert code == 2 and "outside the project" in err


def test_a_bad_stamp_is_reported_and_the_rest_goes_on(run, lib) -> None:
    run("add", "utils/clip", "--to", "good.py")
    run("add", "utils/half", "--to", "half.py")
    half = lib["project"] / "half.py"
    half.write_text(half.read_text().replace("utils/half", "../x"))
    broken = lib["project"] / "broken.py"
    broken.write_text("# >>> snippet utils/clip v1 sha256:0000000000000000\nx = 1\n")
    _bump(lib, "utils/clip", "\nY = 2\n")
    code, out, err = run("status")
    assert code == 2 and "half.py:1: bad stamp" in err and "broken.py:1" in err
    assert "outdated" in out and "good.py" in out
    code, out, err = run("update", "--all")
    assert code == 2 and "updated utils/clip" in out and "half.py:1" in err and "broken.py" in err
    assert "Y = 2" in (lib["project"] / "good.py").read_text()
    assert broken.read_text().endswith("x = 1\n")
    code, out, err = run("diff", "utils/clip")
    assert "== utils/clip in" in out and "half.py" in err
    (lib["project"] / "good.py").write_text(
        (lib["project"] / "good.py").read_text().replace("Y = 2", "Y = 3")
    )
    code, out, _ = run("promote", "good.py")
    assert code == 0 and "v3" in out


def test_bad_names_in_options_are_usage_errors(run, lib) -> None:
    run("add", "utils/half", "--to", "half.py")
    code, _, err = run("update", "--all", "--name", "../../etc/passwd")
    assert code == 2 and "--name" in err
    code, _, err = run("mark-diverged", "half.py", "--name", "../x")
    assert code == 2 and "--name" in err
    code, _, err = run("promote", "half.py", "--name", "../x")
    assert code == 2


def test_promote_tells_two_copies_in_one_file_apart(run, lib) -> None:
    host = lib["project"] / "two.py"
    host.write_text("")
    run("add", "utils/half", "--into", "two.py")
    text = host.read_text()
    host.write_text(text + "\n\n" + text.replace("return x / 2", "return x * 0.5"))
    blocks = find_blocks(host.read_text())
    assert len(blocks) == 2
    code, _, err = run("promote", "two.py")
    assert code == 2 and f"two.py:{blocks[1].start + 1}" in err
    code, out, _ = run("promote", f"two.py:{blocks[1].start + 1}")
    assert code == 0 and "v2" in out
    assert "x * 0.5" in load_library().get("utils/half").source


def test_diff_and_status_of_the_root_are_refused(run, lib) -> None:
    for command in ("diff", "status"):
        code, _, err = run(command, "/")
        assert code == 2 and "outside this project" in err


def test_new_refuses_the_projects_own_package(run, lib) -> None:
    package = lib["project"] / "src" / "demo"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "config.py").write_text("EPS = 1e-9\n")
    (package / "features.py").write_text(
        "import math\n\nfrom demo.config import EPS\n\n\n"
        "def ratio(a, b):\n    '''Safe ratio.'''\n    return a / (b + EPS) + math.pi * 0\n"
    )
    code, _, err = run("new", f"{package / 'features.py'}:ratio", "--name", "m/ratio")
    assert code == 2 and "from demo.config import EPS" in err and "project's own code" in err
    assert not (lib["personal"] / "m").exists()


def test_harvest_takes_earlier_definitions_and_bumps_versions(run, lib) -> None:
    cells = [
        "import re",
        "STOP = {'the', 'a'}\nPATTERN = re.compile(r'\\w+')",
        "# snippet: text/tokens\ndef tokens(s):\n    '''Tokens.'''\n"
        "    return [w for w in PATTERN.findall(s) if w not in STOP]",
    ]
    nb = _notebook(lib["project"] / "t.ipynb", *cells)
    code, out, err = run("harvest", str(nb))
    assert code == 0 and "nothing defines" not in err and "took STOP from cell 2" in out
    path = lib["personal"] / "text" / "tokens.py"
    namespace: dict[str, object] = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    assert namespace["tokens"]("the cat a dog") == ["cat", "dog"]  # type: ignore[operator]
    code, out, _ = run("harvest", str(nb))
    assert code == 0 and "unchanged text/tokens v1" in out
    cells[2] = cells[2].replace("not in STOP", "not in STOP and len(w) > 2")
    _notebook(nb, *cells)
    code, _, err = run("harvest", str(nb))
    assert code == 2 and "--force" in err and "v2" in err
    code, out, _ = run("harvest", str(nb), "--force")
    assert code == 0 and "text/tokens v2" in out
    assert load_library().get("text/tokens").version == 2


def test_markers_inside_a_docstring_are_not_copies(run, lib) -> None:
    (lib["project"] / "doc.py").write_text(
        '"""How copies look:\n\n# >>> snippet utils/clip v1 sha256:0000000000000000\n'
        '# <<< snippet utils/clip\n"""\n'
    )
    code, out, err = run("status", "--json")
    assert code == 0 and json.loads(out) == [] and not err


def test_magic_inserts_a_stamped_cell_that_status_sees(run, lib) -> None:
    from toolkit import load_ipython_extension

    class Shell:
        next_input = ""

        def register_magic_function(self, func, magic_kind, magic_name):  # type: ignore[no-untyped-def]
            self.magic = func

        def set_next_input(self, text: str, replace: bool = False) -> None:
            self.next_input = text

    shell = Shell()
    load_ipython_extension(shell)
    shell.magic("utils/half")
    assert shell.next_input.startswith("# >>> snippet utils/half v1 sha256:")
    _notebook(lib["project"] / "work.ipynb", "import os", shell.next_input)
    code, out, _ = run("status", "--json")
    [row] = json.loads(out)
    assert row["state"] == "untouched" and row["cell"] == 2 and row["path"].endswith("work.ipynb")
    _bump(lib, "utils/half", "\nZ = 0\n")
    code, out, _ = run("update", "--all")
    assert code == 0 and "updated utils/half" in out
    cell = nbformat.read(str(lib["project"] / "work.ipynb"), as_version=4).cells[1]
    assert "Z = 0" in cell.source and cell.source.startswith("# >>> snippet utils/half v2")


def test_add_warns_when_requires_is_not_a_dependency(run, lib) -> None:
    code, out, err = run("add", "utils/clip", "--to", "c.py")
    assert code == 0 and "requires: numpy" in out
    assert "pyproject.toml does not list numpy" in err
    pyproject = lib["project"] / "pyproject.toml"
    pyproject.write_text("[project]\nname = 'demo'\ndependencies = ['numpy>=1.26']\n")
    os.remove(lib["project"] / "c.py")
    code, out, err = run("add", "utils/clip", "--to", "c.py")
    assert code == 0 and "does not list" not in err
