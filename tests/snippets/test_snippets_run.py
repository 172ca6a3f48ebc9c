"""Every snippet's examples pass in a fresh interpreter where only its ``requires:`` import.

Snippets with the same ``requires:`` share one interpreter (see ``_runner.py``): importing torch
or scikit-learn once per group instead of once per snippet keeps this file well under a minute.
The import guard is per snippet module, so sharing does not weaken it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from ._library import SNIPPETS_DIR, SnippetMeta, all_snippets

RUNNER = Path(__file__).with_name("_runner.py")
SNIPPETS = all_snippets()
GROUPS: dict[tuple[str, ...], list[SnippetMeta]] = defaultdict(list)
for _s in SNIPPETS:
    GROUPS[tuple(sorted(_s.requires))].append(_s)
_RESULTS: dict[tuple[str, ...], dict[str, dict[str, Any]]] = {}


def run_snippets(
    items: list[tuple[Path, tuple[str, ...]]], cwd: Path
) -> subprocess.CompletedProcess[str]:
    """Run the runner on ``(path, allowed import names)`` pairs in a clean interpreter."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(MPLBACKEND="Agg", PYTHONHASHSEED="0", PYTHONIOENCODING="utf-8")
    # Keep matplotlib's cache out of $HOME and parallel runs out of each other's way.
    env["MPLCONFIGDIR"] = str(cwd / "mplconfig")
    args = [f"{path}={','.join(names)}" for path, names in items]
    return subprocess.run(
        [sys.executable, "-I", str(RUNNER), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )


def reports(proc: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def group_result(snippet: SnippetMeta, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    key = tuple(sorted(snippet.requires))
    if key not in _RESULTS:
        cwd = tmp_path_factory.mktemp("snippet-run")
        proc = run_snippets([(s.path, s.import_names) for s in GROUPS[key]], cwd)
        by_path = {r["path"]: r for r in reports(proc)}
        by_path["__stderr__"] = {"output": proc.stderr}
        _RESULTS[key] = by_path
    results = _RESULTS[key]
    return results.get(
        str(snippet.path),
        {"attempted": 0, "failed": 1, "output": results["__stderr__"]["output"]},
    )


def test_library_is_not_empty() -> None:
    assert len(SNIPPETS) >= 40, f"only {len(SNIPPETS)} snippets in {SNIPPETS_DIR}"


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[s.name for s in SNIPPETS])
def test_examples_pass_with_only_declared_requirements(
    snippet: SnippetMeta, tmp_path_factory: pytest.TempPathFactory
) -> None:
    result = group_result(snippet, tmp_path_factory)
    assert result["attempted"] > 0 and result["failed"] == 0, (
        f"{snippet.name}: {result['failed']} of {result['attempted']} examples failed\n"
        + result["output"]
    )


def _plant(tmp_path: Path, body: str, requires: str, example: str = ">>> answer()\n    42") -> Path:
    path = tmp_path / "planted.py"
    path.write_text(
        f'"""Planted snippet.\n\ntags: test\nrequires: {requires}\nversion: 1\n\n'
        f'Example:\n    {example}\n"""\n\n{body}\n',
        encoding="utf-8",
    )
    return path


def _run_one(path: Path, allowed: tuple[str, ...], cwd: Path) -> dict[str, Any]:
    (report,) = reports(run_snippets([(path, allowed)], cwd))
    return report


def test_guard_blocks_undeclared_import(tmp_path: Path) -> None:
    """The guard really refuses a third-party import missing from ``requires:``."""
    path = _plant(tmp_path, "import numpy\n\n\ndef answer():\n    return 42", "none")
    report = _run_one(path, (), tmp_path)
    assert report["failed"] and "does not declare" in report["output"]


def test_guard_blocks_undeclared_import_in_example(tmp_path: Path) -> None:
    path = _plant(tmp_path, "", "none", example=">>> import numpy\n    >>> 1\n    1")
    report = _run_one(path, (), tmp_path)
    assert report["failed"] and "does not declare" in report["output"]


def test_guard_blocks_toolkit(tmp_path: Path) -> None:
    path = _plant(tmp_path, "import toolkit\n\n\ndef answer():\n    return 42", "none")
    assert _run_one(path, (), tmp_path)["failed"]


def test_guard_is_per_snippet_in_a_shared_interpreter(tmp_path: Path) -> None:
    """Snippet 1 may import numpy; snippet 2 in the same process may not."""
    one = tmp_path / "one"
    two = tmp_path / "two"
    one.mkdir()
    two.mkdir()
    body = "import numpy\n\n\ndef answer():\n    return int(numpy.int64(42))"
    proc = run_snippets(
        [(_plant(one, body, "numpy"), ("numpy",)), (_plant(two, body, "none"), ())], tmp_path
    )
    first, second = reports(proc)
    assert first["failed"] == 0 and first["attempted"] == 1
    assert second["failed"] and "does not declare" in second["output"]
    assert proc.returncode == 1


def test_guard_allows_transitive_and_lazy_imports(tmp_path: Path) -> None:
    """pandas imports numpy internally, and ndarray.std imports numpy lazily from C: allowed."""
    body = (
        "import pandas as pd\n\n\ndef answer():\n"
        "    s = pd.Series([40, 2])\n    s.to_numpy().std()\n    return int(s.sum())"
    )
    report = _run_one(_plant(tmp_path, body, "pandas"), ("pandas",), tmp_path)
    assert report["failed"] == 0 and report["attempted"] == 1, report["output"]


def test_runner_reports_wrong_output(tmp_path: Path) -> None:
    report = _run_one(_plant(tmp_path, "def answer():\n    return 41", "none"), (), tmp_path)
    assert report["failed"] == 1


def test_runner_reports_missing_examples(tmp_path: Path) -> None:
    path = tmp_path / "bare.py"
    path.write_text('"""No examples.\n\ntags: t\nrequires: none\n"""\n', encoding="utf-8")
    proc = run_snippets([(path, ())], tmp_path)
    assert reports(proc)[0]["attempted"] == 0 and proc.returncode == 1
