"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared"

# Plots render off-screen everywhere (CI has no display).
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def invoke(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """``invoke("snippet", "status")`` -> (exit code, stdout, stderr) of ``toolkit ARGS`` run
    in-process through the real entry point (its one-line errors and exit codes)."""
    from toolkit.cli.main import main

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The root of this checkout."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_notebooks() -> Path:
    """The corpus of real notebooks in ../shared/notebooks; the test is skipped when absent."""
    path = SHARED_DIR / "notebooks"
    if not path.is_dir() or not any(path.glob("*.ipynb")):
        pytest.skip("../shared/notebooks is not present beside this checkout")
    return path


# Property tests (tests/hostile) record how many examples hypothesis generated on their report;
# the total is stated at the end of every run, with or without pytest-xdist.
_GENERATED: dict[str, int] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    for key, value in report.user_properties:
        if key == "generated_examples" and isinstance(value, int):
            _GENERATED[report.nodeid] = value


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _GENERATED:
        terminalreporter.write_line(
            f"hypothesis: {sum(_GENERATED.values()):,} generated examples "
            f"in {len(_GENERATED)} property tests"
        )
