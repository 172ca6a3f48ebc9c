"""`toolkit nb strip` skips click for plain calls, with exactly the click command's output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

VALID = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": 1,
            "id": "a",
            "metadata": {},
            "outputs": [{"output_type": "stream", "name": "stdout", "text": "你好\n"}],
            "source": "print('你好')",
        }
    ],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}
CLEAN = {**VALID, "cells": [{**VALID["cells"][0], "execution_count": None, "outputs": []}]}


def _folder(root: Path) -> Path:
    folder = root / "nbs"
    (folder / "sub" / ".ipynb_checkpoints").mkdir(parents=True)
    (folder / "b.ipynb").write_text(json.dumps(VALID, indent=1, ensure_ascii=False) + "\n")
    (folder / "sub" / "a.ipynb").write_text(json.dumps(CLEAN, indent=1) + "\n")
    (folder / "sub" / ".ipynb_checkpoints" / "a-checkpoint.ipynb").write_text("{}")
    (folder / "bad.ipynb").write_text('{"cells": [')
    return folder


def _run(code: str, args: list[str], cwd: Path) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True
    )
    return done.returncode, done.stdout, done.stderr


FAST = "import sys; sys.argv[0] = 'toolkit'; from toolkit.cli.launch import main; main()"
CLICK = "import sys; sys.argv[0] = 'toolkit'; from toolkit.cli.main import main; main()"


@pytest.mark.parametrize("flags", [[], ["--check"], ["--json"], ["--check", "--json"]])
def test_plain_calls_print_and_exit_as_the_click_command(tmp_path: Path, flags: list[str]) -> None:
    fast_root, click_root = tmp_path / "fast", tmp_path / "click"
    args = ["nb", "strip", *flags, "nbs", "missing.ipynb"]
    for root in (fast_root, click_root):
        root.mkdir()
        _folder(root)
    fast = _run(FAST, args, fast_root)
    assert fast == _run(CLICK, args, click_root)
    # bad.ipynb and missing.ipynb are bad input: exit 2, which wins over b.ipynb's strip (1)
    assert (
        fast[0] == 2 and "bad.ipynb" in fast[1] + fast[2] and "missing.ipynb" in fast[1] + fast[2]
    )
    for name in ("b.ipynb", "sub/a.ipynb", "bad.ipynb"):
        assert (fast_root / "nbs" / name).read_bytes() == (click_root / "nbs" / name).read_bytes()


def test_a_plain_call_does_not_import_click(tmp_path: Path) -> None:
    _folder(tmp_path)
    code = (
        "import sys; from toolkit.cli.nb_fast import strip_plain; "
        "status = strip_plain(['nbs']); "
        "print(status, 'click' in sys.modules, 'typing' in sys.modules)"
    )
    assert _run(code, [], tmp_path)[1].splitlines()[-1].split() == ["2", "False", "False"]


@pytest.mark.parametrize(
    "args", [["nb", "strip", "--help"], ["nb", "strip"], ["nb", "strip", "--keep-count", "x.ipynb"]]
)
def test_other_calls_go_to_click(tmp_path: Path, args: list[str]) -> None:
    assert _run(FAST, args, tmp_path) == _run(CLICK, args, tmp_path)


def _merge_sides(root: Path, conflict: bool) -> list[str]:
    """base/ours/theirs of a notebook with two cells; both sides edit cell a (the same line when
    ``conflict``), theirs also edits cell b."""

    def notebook(a: str, b: str) -> str:
        cells = [
            {**CLEAN["cells"][0], "id": "a", "source": a},
            {**CLEAN["cells"][0], "id": "b", "source": b},
        ]
        return json.dumps({**CLEAN, "cells": cells}, indent=1, ensure_ascii=False) + "\n"

    root.mkdir()
    sides = {
        "base.ipynb": notebook("x = 1\nm = 0\ny = 2\n", "z = 3\n"),
        "ours.ipynb": notebook("x = 10\nm = 0\ny = 2\n", "z = 3\n"),
        "theirs.ipynb": notebook(
            "x = 11\nm = 0\ny = 2\n" if conflict else "x = 1\nm = 0\ny = 20\n", "z = 30\n"
        ),
    }
    for name, text in sides.items():
        (root / name).write_text(text, encoding="utf-8")
    return list(sides)


@pytest.mark.parametrize("conflict", [False, True])
@pytest.mark.parametrize("options", [[], ["--outputs", "ours", "--path", "数据/nb.ipynb"]])
def test_the_merge_driver_call_merges_and_reports_as_the_click_command(
    tmp_path: Path, conflict: bool, options: list[str]
) -> None:
    results = []
    for code, root in ((FAST, tmp_path / "fast"), (CLICK, tmp_path / "click")):
        files = _merge_sides(root, conflict)
        results.append(_run(code, ["nb", "merge-driver", *files, *options], root))
        results.append((root / "ours.ipynb").read_bytes())
    assert results[0] == results[2] and results[1] == results[3]
    code, _, err = results[0]
    assert code == int(conflict) and ("conflict" in err) == conflict
    merged = json.loads(results[1])
    assert merged["cells"][1]["source"] == "z = 30\n"
    if not conflict:
        assert merged["cells"][0]["source"] == "x = 10\nm = 0\ny = 20\n"


def test_the_merge_driver_call_does_not_import_click(tmp_path: Path) -> None:
    files = _merge_sides(tmp_path / "sides", conflict=False)
    code = (
        "import sys; from toolkit.cli.nb_fast import merge_plain; "
        f"status = merge_plain({files!r}); "
        "print(status, 'click' in sys.modules, 'typing' in sys.modules)"
    )
    assert _run(code, [], tmp_path / "sides")[1].splitlines()[-1].split() == ["0", "False", "False"]


@pytest.mark.parametrize(
    "args",
    [
        ["nb", "merge-driver", "--help"],
        ["nb", "merge-driver", "base.ipynb", "ours.ipynb"],
        ["nb", "merge-driver", "base.ipynb", "ours.ipynb", "missing.ipynb"],
        ["nb", "merge-driver", "base.ipynb", "ours.ipynb", "theirs.ipynb", "--outputs", "all"],
        ["nb", "merge-driver", "base.ipynb", "ours.ipynb", "theirs.ipynb", "--path"],
        ["nb", "merge-driver", "base.ipynb", "ours.ipynb", "theirs.ipynb", "--bogus"],
    ],
)
def test_other_merge_driver_calls_go_to_click(tmp_path: Path, args: list[str]) -> None:
    fast_root, click_root = tmp_path / "fast", tmp_path / "click"
    _merge_sides(fast_root, conflict=False)
    _merge_sides(click_root, conflict=False)
    assert _run(FAST, args, fast_root) == _run(CLICK, args, click_root)
    assert _run(FAST, args, fast_root)[0] == 2 or "--help" in args
