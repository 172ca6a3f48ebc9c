"""A copy promoted in a personal library is never downgraded where that library is not set up.

The journey of issue 12 item 21: add a built-in snippet, edit it, promote it (v2 in the
personal library), then a new shell without the personal library: status says the copy is
ahead and where it came from, ``update --all`` leaves it alone, and the edits are intact.
"""

from __future__ import annotations

import json
from pathlib import Path


def test_promote_unset_status_update_keeps_edits(run, lib, monkeypatch) -> None:
    code, _, _ = run("add", "utils/clip", "--to", "src/")
    assert code == 0
    copy = lib["project"] / "src" / "clip.py"
    copy.write_text(copy.read_text().replace("return max", "return float(max") + "")
    copy.write_text(copy.read_text().replace("min(hi, x))", "min(hi, x)))"))
    code, out, _ = run("promote", str(copy))
    assert code == 0 and "v2" in out
    edited = copy.read_text()
    code, out, _ = run("status", "--json")
    [row] = json.loads(out)
    assert row["state"] == "untouched" and row["came_from"] == str(lib["personal"])

    # A new shell: the personal library is not configured.
    monkeypatch.delenv("TOOLKIT_SNIPPET_PATH")
    code, out, _ = run("status")
    assert code == 0
    assert "ahead" in out and "v2 (library v1)" in out and f"[from {lib['personal']}]" in out
    assert "outdated" not in out
    code, out, _ = run("status", "--check")
    assert code == 0  # an ahead copy is what was promoted: not a failure
    code, out, _ = run("update", "--all")
    assert code == 0 and "skipped utils/clip" in out and "newer than the library in use" in out
    assert copy.read_text() == edited
    code, _, _ = run("update", str(copy))
    assert copy.read_text() == edited

    # Back with the personal library, the copy is current again.
    monkeypatch.setenv("TOOLKIT_SNIPPET_PATH", str(lib["personal"]))
    code, out, _ = run("status", "--json")
    assert [r["state"] for r in json.loads(out)] == ["untouched"]


def test_same_version_from_another_library_is_not_overwritten(
    run, lib, write_snippet, tmp_path: Path, monkeypatch
) -> None:
    other = tmp_path / "team-library"
    write_snippet(other, "utils/clip", "Team clip.", "def clip(x, lo, hi):\n    return x\n")
    monkeypatch.setenv("TOOLKIT_SNIPPET_PATH", str(other))
    run("add", "utils/clip", "--to", "src/")
    copy = lib["project"] / "src" / "clip.py"
    before = copy.read_text()
    monkeypatch.setenv("TOOLKIT_SNIPPET_PATH", str(lib["personal"]))  # a different library
    code, out, _ = run("status", "--json")
    [row] = json.loads(out)
    assert row["state"] == "foreign" and row["came_from"] == str(other)
    code, out, _ = run("update", "--all")
    assert code == 0 and "skipped" in out and f"it came from {other}" in out
    assert copy.read_text() == before


def test_ordinary_outdated_copy_still_updates(run, lib) -> None:
    run("add", "utils/clip", "--to", "src/")
    path = lib["builtin"] / "utils" / "clip.py"
    path.write_text(path.read_text().replace("version: 1", "version: 2") + "\n\nX = 1\n")
    code, out, _ = run("status")
    assert "outdated" in out and "[from built-in]" in out
    code, out, _ = run("update", "--all")
    assert code == 0 and "updated utils/clip" in out
    assert "X = 1" in (lib["project"] / "src" / "clip.py").read_text()
