"""Bad input and usage exit 2 with one line naming the file or argument, and touch nothing.

Each case runs the command through click's ``CliRunner`` on the ``toolkit`` group (which maps
expected errors to their exit code as the installed command does), with a snapshot of every
file of the project and both libraries before and after.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from toolkit.cli.main import cli


def _files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` but the search index cache (the toolkit's own, not the user's)."""
    files = {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}
    return {name: p.read_bytes() for name, p in files.items() if not name.startswith("cache/")}


def _refused(args: list[str], tmp: Path, expect: str) -> Result:
    """Run ``toolkit snippet ARGS``; assert exit 2, one line with ``expect``, nothing written."""
    before = _files(tmp)
    result = CliRunner().invoke(cli, ["snippet", *args])
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output, result.stderr
    assert result.stderr.startswith("toolkit: error: ") and expect in result.stderr, result.stderr
    assert _files(tmp) == before
    return result


def _add(args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["snippet", "add", *args])
    assert result.exit_code == 0, result.output


Setup = Callable[[dict[str, Path]], tuple[list[str], str]]


def _file_exists(lib: dict[str, Path]) -> tuple[list[str], str]:
    (lib["project"] / "clip.py").write_text("mine = 1\n")
    return ["add", "utils/clip", "--to", "clip.py"], "clip.py: file exists"


def _already_has_snippet(lib: dict[str, Path]) -> tuple[list[str], str]:
    (lib["project"] / "host.py").write_text('"""Host."""\n')
    _add(["utils/half", "--into", "host.py"])
    return ["add", "utils/half", "--into", "host.py"], "host.py:4: already has snippet 'utils/half'"


def _would_rebind(lib: dict[str, Path]) -> tuple[list[str], str]:
    (lib["project"] / "host.py").write_text("def half(x):\n    return x // 2\n")
    return ["add", "utils/half", "--into", "host.py"], "host.py: snippet 'utils/half' would rebind"


def _personal_snippet_exists(lib: dict[str, Path]) -> tuple[list[str], str]:
    (lib["project"] / "tool.py").write_text("def nms(b):\n    '''Mine.'''\n    return b\n")
    return ["new", "tool.py", "--name", "cv/nms"], "snippet 'cv/nms' exists"


def _status_no_such_file(lib: dict[str, Path]) -> tuple[list[str], str]:
    return ["status", "missing_dir"], "missing_dir: no such file or directory"


def _update_broken_markers(lib: dict[str, Path]) -> tuple[list[str], str]:
    (lib["project"] / "broken.py").write_text(
        "# >>> snippet utils/clip v1 sha256:00000000\nx = 1\n"
    )
    return ["update", "broken.py"], "broken.py:1: snippet 'utils/clip' has no end marker"


def _status_bad_stamp(lib: dict[str, Path]) -> tuple[list[str], str]:
    _add(["utils/half", "--to", "half.py"])
    half = lib["project"] / "half.py"
    half.write_text(half.read_text().replace("utils/half", "../x"))
    return ["status"], "half.py:1: bad stamp"


def _mark_diverged_nothing(lib: dict[str, Path]) -> tuple[list[str], str]:
    (lib["project"] / "plain.py").write_text("x = 1\n")
    return ["mark-diverged", "plain.py"], "plain.py: no stamped snippet found"


def _promote_conflicted(lib: dict[str, Path]) -> tuple[list[str], str]:
    _add(["utils/half", "--to", "half.py"])
    half = lib["project"] / "half.py"
    half.write_text(half.read_text().replace("    return x / 2", "<<<<<<< yours\n=======\n>>>>>>>"))
    return ["promote", "half.py"], "half.py: snippet 'utils/half' has conflict markers"


def _not_utf8(lib: dict[str, Path]) -> tuple[list[str], str]:
    (lib["project"] / "latin.py").write_bytes("# café\n".encode("latin-1"))
    return ["add", "utils/half", "--into", "latin.py"], "latin.py: not UTF-8 text"


def _harvest_cell_not_python(lib: dict[str, Path]) -> tuple[list[str], str]:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("# snippet: utils/bad\ndef f(:\n    pass")]
    nbformat.write(nb, str(lib["project"] / "n.ipynb"))
    return ["harvest", "n.ipynb"], "n.ipynb: cell 1 is marked as a snippet but is not valid"


def _bad_config(lib: dict[str, Path]) -> tuple[list[str], str]:
    config = lib["tmp"] / "config" / "compound-toolkit" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("snippet_paths = 3\n")
    return ["list"], "config.toml: 'snippet_paths' must be a list"


def _malformed_snippet_file(lib: dict[str, Path]) -> tuple[list[str], str]:
    (lib["project"] / "notes.py").write_text("x = (\n")
    return ["new", "notes.py", "--name", "utils/notes"], "notes.py:1: not valid Python"


CASES: dict[str, Setup] = {
    "add --to: file exists": _file_exists,
    "add --into: already has the snippet": _already_has_snippet,
    "add --into: would rebind a name": _would_rebind,
    "new: personal snippet exists": _personal_snippet_exists,
    "status: no such file": _status_no_such_file,
    "status: a bad stamp": _status_bad_stamp,
    "add --into: not UTF-8": _not_utf8,
    "update: broken markers": _update_broken_markers,
    "mark-diverged: no stamped snippet": _mark_diverged_nothing,
    "promote: conflict markers": _promote_conflicted,
    "harvest: a snippet cell that is not Python": _harvest_cell_not_python,
    "list: a bad config file": _bad_config,
    "new: a file that is not Python": _malformed_snippet_file,
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_input_exits_2_with_one_line_and_touches_nothing(
    case: str, lib: dict[str, Path]
) -> None:
    args, expect = CASES[case](lib)
    _refused(args, lib["tmp"], expect)


def test_a_finding_still_exits_1(lib: dict[str, Path]) -> None:
    """``status --check`` on an outdated copy is a finding, not bad input."""
    _add(["utils/half", "--to", "half.py"])
    path = lib["builtin"] / "utils" / "half.py"
    path.write_text(path.read_text().replace("version: 1", "version: 2") + "\nZ = 0\n")
    result = CliRunner().invoke(cli, ["snippet", "status", "--check"])
    assert result.exit_code == 1 and "outdated" in result.output


def test_a_save_during_promote_wins_and_nothing_is_promoted(
    lib: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import toolkit.snippets.personal as personal

    _add(["utils/half", "--to", "half.py"])
    half = lib["project"] / "half.py"
    half.write_text(half.read_text().replace("x / 2", "x * 0.5"))
    parse = personal.parse_snippet_text

    def parse_then_the_editor_saves(*args: object, **kwargs: object) -> object:
        half.write_text(half.read_text() + "\n# saved meanwhile\n")
        return parse(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(personal, "parse_snippet_text", parse_then_the_editor_saves)
    result = CliRunner().invoke(cli, ["snippet", "promote", "half.py"])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.output
    assert "half.py: changed on disk since it was read" in result.stderr
    assert half.read_text().endswith("# saved meanwhile\n")
    assert not (lib["personal"] / "utils" / "half.py").exists()
