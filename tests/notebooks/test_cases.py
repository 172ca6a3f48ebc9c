"""Every hand-made damaging case (``../shared/notebook-cases/``) through every hook and the git
filter: each is stripped per the rule or refused per the rule, never damaged or a traceback.

The cases are generated here too (``CASES``, the same shapes as the shared files), so CI
without ``../shared`` still covers them; the shared folder, when present, is run as well.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from notebook_rule import assert_refused_per_rule, assert_stripped_per_rule, strict_loads

from toolkit.hooks import errors, order, strip
from toolkit.notebooks.git_filter import clean_bytes
from toolkit.notebooks.strip import StripOptions

SHARED_CASES = Path(__file__).resolve().parents[3] / "shared" / "notebook-cases"


def _nb(cells: str, metadata: str = "{}", extra: str = "") -> str:
    return (
        f'{{"cells": [{cells}], "metadata": {metadata},{extra} "nbformat": 4, '
        '"nbformat_minor": 5}\n'
    )


def _code(count: str = "1", outputs: str = "[]", source: str = '"x"', meta: str = "{}") -> str:
    return (
        f'{{"cell_type": "code", "execution_count": {count}, "id": "a", "metadata": {meta}, '
        f'"outputs": {outputs}, "source": {source}}}'
    )


_RESULT = '[{"output_type": "execute_result", "execution_count": 1, "data": {}, "metadata": {}}]'
_KEEP = '{"tags": ["keep_output"]}'
_DEEP = '{"a":' * 1000 + "1" + "}" * 1000

CASES = {
    "S1_dup_key_invalid_json": _nb(
        '{"cell_type": "code", "execution_count": 3, "outputs": [{"output_type": "stream", '
        '"name": "stdout", "text": "hi"}], "source": "x", "metadata": {"q": 1, "source": "x", '
        '"metadata": {}}, "metadata": {}}'
    ),
    "S2a_surrogate_keep_output": _nb(
        _code(outputs=_RESULT, meta=_KEEP, source="\"s = '\\ud800'  # 中文\"")
    ).replace("], ", "],\n "),
    "S2b_surrogate_dup_top_key": _nb(
        _code(source="\"s = '\\udfff'  # é\""), extra=' "metadata": {},'
    ),
    "S3_deep_nesting": _nb(f'{{"cell_type": "markdown", "metadata": {_DEEP}, "source": "x"}}'),
    "S4a_keep_output_string_outputs": _nb(_code("null", '"oops"', meta=_KEEP)),
    "S4b_keep_output_object_outputs": _nb(_code("null", '{"a": 1, "b": 2}', meta=_KEEP)),
    "S4c_keep_output_number_outputs": _nb(_code("null", "5", meta=_KEEP)),
    "S5_root_dotted_key": _nb(
        "",
        '{\n  "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}}\n }',
        ' "metadata.widgets": "mine",',
    ),
    "S6_infinity": _nb(_code(outputs=_RESULT, meta='{"tags": ["keep_output"], "x": 1e400}')),
    "S7_hand_formatted_keep_output": (
        '{\n "cells": [\n  {\n   "cell_type": "code",\n   "execution_count": 2,\n'
        '   "id": "a",\n   "metadata": {"tags": ["keep_output"]},\n'
        '   "outputs": [{"output_type": "execute_result", "execution_count": 2, "data": '
        '{"text/plain": "1.50"}, "metadata": {}}],\n'
        '   "source": "url = \\"http:\\/\\/x\\"  # caf\\u00e9 / café"\n  }\n ],\n'
        ' "metadata": {"ratio": 1.50, "big": 1E5},\n "nbformat": 4,\n "nbformat_minor": 5\n}\n\n'
    ),
    "S7b_space_before_colon": (
        '{"cells" : [{"cell_type" : "code", "execution_count" : 1, "metadata" : {}, '
        '"outputs" : [], "source" : "x  =  1"}], "metadata" : {}, "nbformat" : 4, '
        '"nbformat_minor" : 5}\n'
    ),
    "S8_literal_dotted_cell_key": _nb(
        '{"cell_type": "markdown", "id": "a", "metadata": {"collapsed": true}, '
        '"metadata.collapsed": 1, "source": "x"}'
    ),
    "S9_unterminated_string": '{"cells": [{"cell_type": "code", "source": "abc',
    "S10a_order_mixed_counts": _nb(_code("1") + ", " + _code('"2"') + ", " + _code("3")),
    "S10b_order_source_numbers": _nb(_code("1") + ", " + _code("null", source="[1, 2]")),
    "S10c_errors_numeric_outputs": _nb(_code("1", "5")),
    "S10d_order_string_count": _nb(_code('"1"')),
    "crlf_and_lone_cr": _nb(_code("4", _RESULT)).replace(", ", ",\r\n ").replace(": {", ":\r{"),
    "nan_in_kept_output": _nb(_code("1", '[{"output_type": "stream", "text": NaN}]', meta=_KEEP)),
}

# What each hook must do with a case: "strip" (stripped per the rule), "clean" (valid and
# nothing to do), or a fragment of the one-line refusal.
STRIP_EXPECTED = {
    "S1_dup_key_invalid_json": "strip",
    "S2a_surrogate_keep_output": "strip",
    "S2b_surrogate_dup_top_key": "strip",
    "S3_deep_nesting": "nested too deeply",
    "S4a_keep_output_string_outputs": "cell 1 'outputs' is a string, not a list",
    "S4b_keep_output_object_outputs": "cell 1 'outputs' is an object",
    "S4c_keep_output_number_outputs": "cell 1 'outputs' is a number",
    "S5_root_dotted_key": "strip",
    "S6_infinity": "strip",
    "S7_hand_formatted_keep_output": "strip",
    "S7b_space_before_colon": "strip",
    "S8_literal_dotted_cell_key": "strip",
    "S9_unterminated_string": "invalid JSON: ",
    "S10a_order_mixed_counts": "cell 2 'execution_count' is a string",
    "S10b_order_source_numbers": "cell 2 'source' is a list",
    "S10c_errors_numeric_outputs": "cell 1 'outputs' is a number",
    "S10d_order_string_count": "cell 1 'execution_count' is a string, not an integer",
    "crlf_and_lone_cr": "strip",
    "nan_in_kept_output": "NaN or Infinity",
}
CHECK_REFUSED = {  # the order and error hooks: refused cases, else "read"
    name: expected for name, expected in STRIP_EXPECTED.items() if expected != "strip"
}


def _cases() -> list[tuple[str, bytes]]:
    found = [(name, text.encode("utf-8")) for name, text in CASES.items()]
    if SHARED_CASES.is_dir():
        found += [
            (f"shared/{p.stem}", p.read_bytes()) for p in sorted(SHARED_CASES.glob("*.ipynb"))
        ]
    return found


def test_generated_cases_cover_every_shared_case() -> None:
    if not SHARED_CASES.is_dir():
        pytest.skip("../shared/notebook-cases is not present beside this checkout")
    assert {p.stem for p in SHARED_CASES.glob("*.ipynb")} <= set(CASES)


@pytest.mark.parametrize(("name", "data"), _cases(), ids=[name for name, _ in _cases()])
def test_strip_hook_keeps_the_rule(
    name: str, data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The hook strips per the rule or refuses in one line, and still processes the next file."""
    path = tmp_path / "case.ipynb"
    path.write_bytes(data)
    after = tmp_path / "z_after.ipynb"
    after.write_text(
        json.dumps(
            {
                "cells": [json.loads(_code("5", _RESULT))],
                "metadata": {},
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        )
    )
    status = strip.main([str(path), str(after)])
    err = capsys.readouterr().err
    expected = STRIP_EXPECTED[name.removeprefix("shared/")]
    # the next file is always stripped (a finding, 1); a refused file is bad input (2), which wins
    assert status == (1 if expected == "strip" else 2) and "Traceback" not in err
    assert json.loads(after.read_text())["cells"][0]["outputs"] == [], "the next file is stripped"
    lines = [line for line in err.splitlines() if str(path) in line]
    assert len(lines) == 1, err
    if expected == "strip":
        assert_stripped_per_rule(data, path.read_bytes(), StripOptions())
        assert strip.main([str(path)]) == 0, "idempotent: the second run changes nothing"
    else:
        assert expected in lines[0], lines[0]
        assert_refused_per_rule(str(path), data, path.read_bytes(), lines[0])


@pytest.mark.parametrize(("name", "data"), _cases(), ids=[name for name, _ in _cases()])
@pytest.mark.parametrize("hook", [order, errors], ids=["order", "errors"])
def test_check_hooks_name_the_problem_in_one_line(
    name: str, data: bytes, hook: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "case.ipynb"
    path.write_bytes(data)
    status = hook.main([str(path)])  # type: ignore[attr-defined]
    err = capsys.readouterr().err
    assert "Traceback" not in err and path.read_bytes() == data
    expected = CHECK_REFUSED.get(name.removeprefix("shared/"))
    if expected is not None:  # not readable as a notebook: bad input, exit 2
        assert status == 2 and expected in err and len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize(("name", "data"), _cases(), ids=[name for name, _ in _cases()])
def test_git_filter_never_stages_invalid_or_unstripped(
    name: str, data: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    cleaned = clean_bytes(data, "case.ipynb")
    err = capsys.readouterr().err
    if STRIP_EXPECTED[name.removeprefix("shared/")] == "strip":
        assert cleaned is not None
        assert_stripped_per_rule(data, cleaned, StripOptions())
        assert all(
            not c.get("outputs")
            for c in strict_loads(cleaned)["cells"]
            if "keep_output" not in c.get("metadata", {}).get("tags", [])
        )
    else:
        assert cleaned is None, "refused: git is told the file cannot be staged"
        assert err.count("\n") == 1 and "case.ipynb: not staged:" in err and len(err) < 300


def test_cli_strip_refuses_and_continues(tmp_path: Path) -> None:
    """`toolkit nb strip` over a folder of every case: one line per refused file, the valid
    ones stripped, exit 2 (bad input wins over the stripped files' 1), no traceback."""
    for name, text in CASES.items():
        (tmp_path / f"{name}.ipynb").write_bytes(text.encode("utf-8"))
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "nb", "strip", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    refused = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(refused) == sum(1 for e in STRIP_EXPECTED.values() if e != "strip")


def test_specific_fidelity_of_the_cases() -> None:
    """What the issue names for each case, spelled out."""
    from toolkit.notebooks.splice import strip_bytes

    def run(name: str) -> str:
        return strip_bytes(CASES[name].encode(), StripOptions(), name)[0].decode()

    s1 = json.loads(run("S1_dup_key_invalid_json"))
    assert s1["cells"][0]["metadata"] == {} and s1["cells"][0]["outputs"] == []
    assert "\\ud800" in run("S2a_surrogate_keep_output")
    s5 = json.loads(run("S5_root_dotted_key"))
    assert "widgets" not in s5["metadata"] and s5["metadata.widgets"] == "mine"
    assert "1e400" in run("S6_infinity") and "Infinity" not in run("S6_infinity")
    s7 = run("S7_hand_formatted_keep_output")
    for spelled in ["\\/", "\\u00e9", "1.50", "1E5", "café", "}\n\n"]:
        assert spelled in s7, spelled
    assert '"execution_count": null' in s7
    assert run("S7b_space_before_colon").count('" : ') == CASES["S7b_space_before_colon"].count(
        '" : '
    )
    s8 = run("S8_literal_dotted_cell_key")
    assert json.loads(s8)["cells"][0]["metadata.collapsed"] == 1
    assert strip_bytes(s8.encode(), StripOptions(), "s8")[0] == s8.encode()
    crlf = run("crlf_and_lone_cr")
    assert "\r\n" in crlf and ":\r{" in crlf and "\n" not in crlf.replace("\r\n", "")[:-1]
