"""Every update scenario of benchmarks/update_cases.py, run with `toolkit update` as a user would.

The same cases run copier and cruft side by side in benchmarks/update_vs_copier.py; here only our
tool, which must lose no edit, write no .rej, never exit 0 over a conflict, and refuse a dirty tree
without touching it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import update_cases


@pytest.mark.parametrize("case", update_cases.CASES, ids=lambda c: c.name)
def test_toolkit_update_loses_nothing(case: update_cases.Case, tmp_path: Path) -> None:
    outcome = update_cases.run_case("toolkit", case, tmp_path)
    assert outcome.ok, (outcome.verdict(), outcome.output)
    # A dirty tree is refused as a usage error (2); a conflict is a finding (1).
    expected_exit = 2 if case.dirty else 1 if case.expect_conflict else 0
    assert outcome.exit_codes[-1] == expected_exit, outcome.output
    assert "Traceback" not in outcome.output
    expected_verdict = {2: "refused, untouched", 1: "ok (conflict reported)", 0: "ok"}
    assert outcome.verdict() == expected_verdict[expected_exit]
