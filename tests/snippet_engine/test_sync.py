"""add -> status -> diff -> update, with receipts, formatting-blind status and conflicts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.errors import ToolkitError
from toolkit.snippets.diff import views_for
from toolkit.snippets.insert import add_snippet
from toolkit.snippets.library import load_library
from toolkit.snippets.stamp import content_hash, find_blocks, normalise, same_code
from toolkit.snippets.status import scan
from toolkit.snippets.update import set_diverged, update_path

CODE_V1 = """\
def clip(x, lo, hi):
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


def double(x):
    return 2 * x


def triple(x):
    return 3 * x
"""


@pytest.fixture
def lib_v1(env, write_snippet):
    path = write_snippet(env["builtin"], "utils/mathy", "Small maths.", CODE_V1)
    return path


def _states(project: Path) -> list[str]:
    return [c.state for c in scan(project, load_library())]


def _bump(path: Path, old: str, new: str, version: int) -> None:
    text = path.read_text()
    assert old in text
    text = text.replace(old, new).replace(f"version: {version - 1}", f"version: {version}")
    path.write_text(text)


def test_add_stamps_and_stores_receipt(env, lib_v1) -> None:
    target = add_snippet(load_library().get("utils/mathy"), to=env["project"] / "src")
    assert target == env["project"] / "src" / "mathy.py"
    text = target.read_text()
    lines = text.splitlines()
    base = lib_v1.read_text()
    assert lines[0] == f"# >>> snippet utils/mathy v1 sha256:{content_hash(base)}"
    assert lines[-1] == "# <<< snippet utils/mathy"
    receipt = env["project"] / ".toolkit" / "snippets" / "utils" / "mathy"
    assert (receipt / f"{content_hash(base)}.py").read_text() == base
    assert _states(env["project"]) == ["untouched"]
    # The copy is still runnable Python with its docstring intact.
    compile(text, str(target), "exec")


def test_add_refuses_to_overwrite(env, lib_v1) -> None:
    snippet = load_library().get("utils/mathy")
    target = add_snippet(snippet, to=env["project"])
    target.write_text(target.read_text() + "# mine\n")
    before = target.read_bytes()
    with pytest.raises(ToolkitError, match="exists"):
        add_snippet(snippet, to=env["project"])
    assert target.read_bytes() == before
    add_snippet(snippet, to=env["project"], force=True)
    assert b"# mine" not in target.read_bytes()


def test_add_into_existing_file_keeps_the_rest(env, lib_v1) -> None:
    host = env["project"] / "host.py"
    host.write_bytes(b"import os\r\n\r\nprint(os.sep)\r\n")
    snippet = load_library().get("utils/mathy")
    add_snippet(snippet, into=host)
    raw = host.read_bytes()
    assert raw.startswith(b"import os\r\n\r\nprint(os.sep)\r\n")
    assert b"\r\n# >>> snippet utils/mathy v1" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    with pytest.raises(ToolkitError, match="already has snippet"):
        add_snippet(snippet, into=host)
    assert host.read_bytes() == raw
    assert _states(env["project"]) == ["untouched"]


def test_status_states(env, lib_v1) -> None:
    copy = add_snippet(load_library().get("utils/mathy"), to=env["project"])
    copy.write_text(copy.read_text().replace("return 2 * x", "return x + x"))
    assert _states(env["project"]) == ["modified"]
    _bump(lib_v1, "return 3 * x", "return x * 3", 2)
    assert _states(env["project"]) == ["both"]
    copy.write_text(copy.read_text().replace("return x + x", "return 2 * x"))
    assert _states(env["project"]) == ["outdated"]
    set_diverged(copy)
    assert _states(env["project"]) == ["diverged"]
    set_diverged(copy, diverged=False)
    assert _states(env["project"]) == ["outdated"]


_RUFF = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))


@pytest.mark.skipif(not Path(_RUFF).exists(), reason="ruff missing")
def test_ruff_formatting_is_not_a_modification(env, write_snippet) -> None:
    code = "x = {'a': 1, 'b': [1,2,3],}\ndef f( a,b ):\n  return a+b\n\n\n\nprint( 'hi' )\n"
    write_snippet(env["builtin"], "utils/ugly", "Ugly formatting.", code)
    copy = add_snippet(load_library().get("utils/ugly"), to=env["project"])
    subprocess.run([_RUFF, "format", "--no-cache", str(copy)], check=True, capture_output=True)
    assert "'a'" not in copy.read_text()  # ruff really changed quotes
    assert _states(env["project"]) == ["untouched"]
    copy.write_text(copy.read_text().replace("return a + b", "return a - b"))
    assert _states(env["project"]) == ["modified"]


def test_normalise_keeps_comments_and_code() -> None:
    assert same_code("x = 1\n", "x  =  1\n\n")
    assert same_code("f(a, b,)\n", "f(\n    a,\n    b,\n)\n")
    assert not same_code("x = 1\n", "x = 1  # note\n")
    assert not same_code("x = '1'\n", "x = 1\n")
    assert normalise("if x:\n  y = 1\n") == normalise("if x:\n    y = 1\n")


def test_update_untouched_takes_library(env, lib_v1) -> None:
    copy = add_snippet(load_library().get("utils/mathy"), to=env["project"])
    _bump(lib_v1, "return 3 * x", "return x * 3", 2)
    results = update_path(env["project"], load_library())
    assert [r.action for r in results] == ["updated"]
    block = find_blocks(copy.read_text())[0]
    assert block.code == lib_v1.read_text() and block.version == 2
    assert _states(env["project"]) == ["untouched"]


def test_update_merges_disjoint_edits(env, lib_v1) -> None:
    copy = add_snippet(load_library().get("utils/mathy"), to=env["project"])
    copy.write_text(copy.read_text().replace("return 2 * x", "return x + x  # mine"))
    _bump(lib_v1, "return 3 * x", "return x * 3  # theirs", 2)
    results = update_path(copy, load_library())
    assert [r.action for r in results] == ["merged"]
    body = find_blocks(copy.read_text())[0].body
    assert "return x + x  # mine" in body and "return x * 3  # theirs" in body
    assert _states(env["project"]) == ["modified"]


def test_update_conflict_keeps_both_and_reports(env, lib_v1) -> None:
    copy = add_snippet(load_library().get("utils/mathy"), to=env["project"])
    copy.write_text(copy.read_text().replace("return 2 * x", "return x + x  # mine"))
    _bump(lib_v1, "return 2 * x", "return x * 2  # theirs", 2)
    results = update_path(copy, load_library())
    assert [(r.action, r.conflicts) for r in results] == [("conflict", 1)]
    text = copy.read_text()
    assert "<<<<<<< your copy" in text and ">>>>>>> library v2" in text
    assert "return x + x  # mine" in text and "return x * 2  # theirs" in text
    assert _states(env["project"]) == ["conflict"]
    # A second update does not touch unresolved conflicts.
    assert [r.action for r in update_path(copy, load_library())] == ["skipped"]


def test_receipt_lets_update_work_when_library_lost_the_version(env, lib_v1) -> None:
    copy = add_snippet(load_library().get("utils/mathy"), to=env["project"])
    copy.write_text(copy.read_text().replace("return 2 * x", "return x + x"))
    _bump(lib_v1, "return 3 * x", "return x * 3", 2)
    _bump(lib_v1, "return lo\n", "return lo  # v3\n", 3)
    update_path(copy, load_library())
    body = find_blocks(copy.read_text())[0].body
    assert "return x + x" in body and "return x * 3" in body and "# v3" in body


def test_diff_three_views(env, lib_v1) -> None:
    copy = add_snippet(load_library().get("utils/mathy"), to=env["project"])
    copy.write_text(copy.read_text().replace("return 2 * x", "return x + x"))
    _bump(lib_v1, "return 3 * x", "return x * 3", 2)
    [status] = scan(copy, load_library())
    mine, upstream, versus = views_for(status)
    assert "+    return x + x" in mine.diff and "3 * x" not in mine.diff
    assert "+    return x * 3" in upstream.diff and "x + x" not in upstream.diff
    assert "-    return x + x" in versus.diff and "+    return x * 3" in versus.diff


def test_unterminated_marker_is_reported(env, lib_v1) -> None:
    copy = add_snippet(load_library().get("utils/mathy"), to=env["project"])
    copy.write_text(copy.read_text().replace("# <<< snippet utils/mathy", ""))
    with pytest.raises(ToolkitError, match="no end marker"):
        scan(copy, load_library())


def test_update_keeps_local_reformatting(env, lib_v1) -> None:
    copy = add_snippet(load_library().get("utils/mathy"), to=env["project"])
    copy.write_text(copy.read_text().replace("def clip(x, lo, hi):", "def clip(x,lo,hi):"))
    assert _states(env["project"]) == ["untouched"]
    _bump(lib_v1, "return 3 * x", "return x * 3", 2)
    assert _states(env["project"]) == ["outdated"]
    assert [r.action for r in update_path(copy, load_library())] == ["merged"]
    body = find_blocks(copy.read_text())[0].body
    assert "def clip(x,lo,hi):" in body and "return x * 3" in body


def test_a_file_with_a_few_stray_line_ends_keeps_its_dominant_ending(env, lib_v1) -> None:
    """Mixed line ends (a CRLF line pasted into an LF file): a rewrite follows the majority
    instead of turning every line CRLF."""
    host = env["project"] / "host.py"
    lf_lines = b"".join(b"x%d = %d\n" % (i, i) for i in range(20))
    host.write_bytes(lf_lines + b"# pasted from Windows\r\n")
    add_snippet(load_library().get("utils/mathy"), into=host)
    raw = host.read_bytes()
    assert raw.startswith(lf_lines) and raw.count(b"\r\n") == 0
