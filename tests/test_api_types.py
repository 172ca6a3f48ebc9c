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

import toolkit.runs as tr
from pathlib import Path
from toolkit.notebooks import StripResult, cell_source, load_notebook, strip_file
from toolkit.notebooks import report as render_report
from toolkit.snippets import CopyStatus, Library, add_snippet, load_library, scan, update_path

with tr.start("baseline", params={"lr": 0.01}, root="runs", git=False) as run:
    run.log("loss", 0.5, step=0)
state: str = run.status
board_of_runs: tr.Comparison = tr.compare(tr.RunStore().load().runs)
guard: tr.AuditReport = tr.audit([tr.RunStore().find("baseline")])
stripped: StripResult = strip_file("analysis.ipynb")
changed: bool = stripped.changed
sources: list[str] = [cell_source(c) for c in load_notebook("analysis.ipynb")["cells"]]
rendered = render_report("analysis.ipynb", "reports")
lib: Library = load_library()
written: Path = add_snippet(lib.get("cv/nms"), to=Path("src/myproj"))
copies: list[CopyStatus] = scan(Path("."), lib)
update_path(Path("."), lib)
"""

# One wrong call per package: each proves its names are typed, not Any.
WRONG_CALLS = {
    "leakage(df, None, target=1)": 'Argument "target" to "leakage"',
    "tr.start(1)": 'Argument 1 to "start"',
    'strip_file("a.ipynb", check="yes")': 'Argument "check" to "strip_file"',
    'load_library(use_cache="no")': 'Argument "use_cache" to "load_library"',
}


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
    bad = _mypy(USER_SCRIPT + "\n".join(WRONG_CALLS) + "\n", tmp_path)
    assert bad.returncode == 1, bad.stdout
    for call, message in WRONG_CALLS.items():
        assert message in bad.stdout, (call, bad.stdout)


def test_each_check_name_is_the_function_and_its_module_stays_importable() -> None:
    import importlib

    import toolkit.checks as checks

    module = importlib.import_module("toolkit.checks.train_test_drift")
    assert callable(checks.drift) and callable(checks.leakage)
    assert checks.drift is module.drift  # importing the module did not shadow the function
    assert type(checks) is type(module)  # a plain module: no class swapped in at run time
    assert set(checks.__all__) <= set(dir(checks))


def test_no_package_name_is_also_a_submodule() -> None:
    """``toolkit.runs.audit`` and ``toolkit.plotting.style`` were both a function and a module:
    whichever was imported last won (``import toolkit.runs.audit`` made ``tr.audit`` a module)."""
    import importlib
    import pkgutil
    import types

    import toolkit

    for info in pkgutil.iter_modules(toolkit.__path__):
        if not info.ispkg or info.name == "cli":
            continue
        package = importlib.import_module(f"toolkit.{info.name}")
        names = set(getattr(package, "__all__", ()))
        submodules = {m.name for m in pkgutil.iter_modules(package.__path__)}
        assert not names & submodules, (info.name, names & submodules)
        for name in sorted(names):
            assert not isinstance(getattr(package, name), types.ModuleType), (info.name, name)
