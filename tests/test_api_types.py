"""The public API as a user's type checker and IDE see it: a short script calling the documented
examples passes ``mypy --strict``, and a wrong call is caught (so the test can fail)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

USER_SCRIPT = """
import pandas as pd

from toolkit.checks import (
    CheckResult, Finding, HealthReport, compare_models, drift, health_report, label_issues,
    leakage,
)
from toolkit.columns import FrameProfile, profile, target_kind
from toolkit.errors import ToolkitError, UsageError
from toolkit.preprocessing import make_preprocessor, split

df = pd.DataFrame({"a": [0.5, 1.5, 2.5, 3.5] * 10, "y": [0, 0, 1, 1] * 10})
result: CheckResult = leakage(df, None, target="y")
first: list[str] = result.findings[0].columns
report: HealthReport = health_report(df.iloc[:20], df.iloc[20:], target="y")
page: str = report.to_html()
shifted: list[Finding] = drift(df, df).findings
issues = label_issues(df[["a"]], df["y"])
rows: list[int] = issues.positions.tolist()
board = compare_models(df[["a"]], df["y"], cv=2)
parts = split(df, target="y", sizes=(0.5, 0.5))
train, test = parts
pre = make_preprocessor(df, target="y")
columns: FrameProfile = profile(df)
kind: str = target_kind(df["y"])
error: type[ToolkitError] = UsageError
"""


def _mypy(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "user_script.py"
    path.write_text(textwrap.dedent(script), encoding="utf-8")
    return subprocess.run(
        [
            sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
            "--cache-dir", str(ROOT / ".mypy_cache" / "user-script"), str(path),
        ],
        capture_output=True, text=True, cwd=tmp_path, timeout=600,
    )  # fmt: skip


@pytest.mark.slow
def test_documented_calls_type_check_and_a_wrong_call_does_not(tmp_path: Path) -> None:
    ok = _mypy(USER_SCRIPT, tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = _mypy(USER_SCRIPT + "leakage(df, None, target=1)\n", tmp_path)
    assert bad.returncode == 1 and 'Argument "target" to "leakage"' in bad.stdout, bad.stdout


def test_each_check_name_is_the_function_and_its_module_stays_importable() -> None:
    import importlib

    import toolkit.checks as checks

    module = importlib.import_module("toolkit.checks.train_test_drift")
    assert callable(checks.drift) and callable(checks.leakage)
    assert checks.drift is module.drift  # importing the module did not shadow the function
    assert type(checks) is type(module)  # a plain module: no class swapped in at run time
    assert set(checks.__all__) <= set(dir(checks))
