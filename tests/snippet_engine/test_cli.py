"""The `toolkit snippet` commands end to end (through toolkit.cli.main.main)."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat

from toolkit.snippets.library import load_library


def test_list_json_and_shadowing(run, lib) -> None:
    (lib["builtin"] / "cv" / "bad.py").write_text("no_docstring = 1\n")
    code, out, err = run("list", "--json")
    assert code == 0
    rows = {r["name"]: r for r in json.loads(out)}
    assert set(rows) == {"cv/nms", "torch/seed_everything", "utils/clip", "utils/half"}
    assert rows["cv/nms"]["origin"] == "personal" and rows["cv/nms"]["shadows"]
    assert "bad.py" in err and "no module docstring" in err
    code, out, _ = run("list")
    assert "shadows" in out
    code, out, _ = run("list", "--tag", "torch")
    assert "torch/seed_everything" in out and "cv/nms" not in out


def test_search_typo_and_json(run, lib) -> None:
    code, out, _ = run("search", "seed", "evrything", "--json")
    assert code == 0
    assert json.loads(out)[0]["name"] == "torch/seed_everything"
    code, out, _ = run("search", "zzzzqqq")
    assert code == 0 and "no snippet matches" in out


def test_show_plain(run, lib) -> None:
    code, out, _ = run("show", "torch/seed_everything")
    assert code == 0 and "def seed_everything(seed):" in out


def test_unknown_and_unsafe_names(run, lib) -> None:
    code, _, err = run("show", "torch/seed_everythin")
    assert code == 2 and "did you mean torch/seed_everything" in err
    code, _, err = run("add", "../../etc/passwd")
    assert code == 2 and "invalid snippet name" in err
    assert "Traceback" not in err


def test_add_status_update_diff_cycle(run, lib) -> None:
    project = lib["project"]
    code, out, _ = run("add", "torch/seed_everything", "--to", "src")
    assert code == 0 and "added torch/seed_everything v1" in out
    copy = project / "src" / "seed_everything.py"
    code, _, err = run("add", "torch/seed_everything", "--to", "src")
    assert code == 2 and "--force" in err
    code, out, _ = run("status", "--json")
    assert [r["state"] for r in json.loads(out)] == ["untouched"]
    copy.write_text(copy.read_text().replace("random.seed(seed)", "random.seed(seed + 1)"))
    lib_file = lib["builtin"] / "torch" / "seed_everything.py"
    lib_file.write_text(
        lib_file.read_text()
        .replace("version: 1", "version: 2")
        .replace("random.seed(seed)", "random.seed(seed * 2)")
    )
    code, out, _ = run("status", "--check")
    assert code == 1 and "both" in out and "library v2" in out
    code, out, _ = run("diff", "torch/seed_everything")
    assert code == 0 and "your edits" in out and "upstream changes" in out
    code, out, err = run("update", "--all")
    assert code == 1 and "conflict" in out and "<<<<<<<" in err
    assert "seed + 1" in copy.read_text() and "seed * 2" in copy.read_text()
    code, _, err = run("update")
    assert code == 2


def test_mark_diverged(run, lib) -> None:
    run("add", "cv/nms")
    copy = lib["project"] / "nms.py"
    code, out, _ = run("mark-diverged", str(copy))
    assert code == 0 and "marked cv/nms" in out
    code, out, _ = run("status", "--json")
    assert json.loads(out)[0]["state"] == "diverged"


def test_new_function_with_imports(run, lib) -> None:
    src = lib["project"] / "helpers.py"
    src.write_text(
        "import json\nimport math\nfrom pathlib import Path\n\n"
        "def load(path):\n    '''Load JSON from a path.'''\n"
        "    return json.loads(Path(path).read_text())\n\n"
        "def unrelated():\n    return math.pi\n"
    )
    code, _out, _ = run("new", f"{src}:load", "--name", "utils/load_json", "--tag", "io")
    assert code == 0
    created = lib["personal"] / "utils" / "load_json.py"
    text = created.read_text()
    assert "import json" in text and "from pathlib import Path" in text
    assert "import math" not in text and "unrelated" not in text
    snippet = load_library().get("utils/load_json")
    assert snippet.summary == "Load JSON from a path." and snippet.tags == ("io",)
    ns: dict[str, object] = {}
    exec(compile(text, str(created), "exec"), ns)
    code, _, err = run("new", f"{src}:load", "--name", "utils/load_json")
    assert code == 2 and "exists" in err
    code, _, err = run("new", f"{src}:nope", "--name", "utils/x")
    assert code == 2 and "nope" in err


def test_promote_copy_to_personal_version(run, lib) -> None:
    run("add", "torch/seed_everything")
    copy = lib["project"] / "seed_everything.py"
    copy.write_text(copy.read_text().replace("random.seed(seed)", "random.seed(int(seed))"))
    code, out, _ = run("promote", str(copy))
    assert code == 0 and "v2" in out
    promoted = load_library().get("torch/seed_everything")
    assert promoted.origin == "personal" and promoted.version == 2
    assert "random.seed(int(seed))" in promoted.source
    code, out, _ = run("status", "--json")
    assert [r["state"] for r in json.loads(out)] == ["untouched"]


def test_harvest_notebook(run, lib) -> None:
    nb = nbformat.v4.new_notebook()
    tagged = nbformat.v4.new_code_cell(
        "def scale(x):\n    '''Scale x.'''\n    return np.asarray(x) * K"
    )
    tagged.metadata["tags"] = ["snippet"]
    nb.cells = [
        nbformat.v4.new_code_cell("import numpy as np\nimport pandas as pd\n%matplotlib inline"),
        nbformat.v4.new_markdown_cell("# snippet: not/code"),
        nbformat.v4.new_code_cell(
            "# snippet: utils/mean_of\ndef mean_of(xs):\n    '''Mean.'''\n    return np.mean(xs)"
        ),
        tagged,
        nbformat.v4.new_code_cell("print(1)"),
    ]
    path = lib["project"] / "work.ipynb"
    nbformat.write(nb, str(path))
    code, out, _err = run("harvest", str(path), "--json")
    assert code == 0
    rows = {r["name"]: r for r in json.loads(out)}
    assert set(rows) == {"utils/mean_of", "harvested/scale"}
    assert rows["harvested/scale"]["undefined"] == ["K"]
    assert rows["utils/mean_of"]["undefined"] == []
    text = (lib["personal"] / "utils" / "mean_of.py").read_text()
    assert "import numpy as np" in text and "pandas" not in text and "requires: numpy" in text
    assert load_library().get("utils/mean_of").summary == "Mean."


def test_harvest_bad_notebook_is_named(run, lib) -> None:
    bad = lib["project"] / "bad.ipynb"
    bad.write_text("{not json")
    code, _, err = run("harvest", str(bad))
    assert code == 2 and "bad.ipynb" in err  # a malformed notebook is bad input


def test_ipython_magic_sets_next_input(lib) -> None:
    from toolkit import load_ipython_extension

    class FakeShell:
        def __init__(self) -> None:
            self.magics: dict[str, object] = {}
            self.next_input: str | None = None

        def register_magic_function(self, func, magic_kind, magic_name):  # type: ignore[no-untyped-def]
            assert magic_kind == "line"
            self.magics[magic_name] = func

        def set_next_input(self, text: str, replace: bool = False) -> None:
            self.next_input = text

    shell = FakeShell()
    load_ipython_extension(shell)
    shell.magics["snippet"]("torch/seed_everything")  # type: ignore[operator]
    assert shell.next_input is not None and "def seed_everything" in shell.next_input


def test_snippet_cli_import_is_light() -> None:
    code = (
        "import sys, toolkit.cli.snippet, toolkit.snippets.search, toolkit.snippets.update;"
        "heavy = {'numpy', 'pandas', 'matplotlib', 'rich', 'nbformat', 'sklearn'};"
        "heavy &= set(sys.modules);"
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_new_from_stamped_copy_drops_markers(run, lib) -> None:
    run("add", "torch/seed_everything")
    copy = lib["project"] / "seed_everything.py"
    code, _, _ = run("new", str(copy), "--name", "mine/seed")
    assert code == 0
    text = (lib["personal"] / "mine" / "seed.py").read_text()
    assert "# >>> snippet" not in text and "# <<< snippet" not in text
    assert "def seed_everything" in text
    assert not [line for line in text.splitlines() if line != line.rstrip()]


def test_status_reports_a_broken_file_and_goes_on(run, lib) -> None:
    run("add", "cv/nms")
    broken = lib["project"] / "broken.py"
    broken.write_text("# >>> snippet cv/nms v1 sha256:0000000000000000\nx = 1\n")
    code, out, err = run("status", "--json")
    assert code == 2 and "broken.py:1" in err and "no end marker" in err
    assert [r["state"] for r in json.loads(out)] == ["untouched"]
