"""``toolkit runs …`` as a user types it, in a real subprocess for the journey."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import toolkit.runs as tr


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """Three runs of a small sweep, with curves and one NaN."""
    root = tmp_path / "runs"
    for i, lr in enumerate([0.1, 0.01, 0.001]):
        params = {"lr": lr, "epochs": 3, "model": {"depth": 4, "width": 64 * (i + 1)}}
        with tr.start("sweep" if i else "baseline", params=params, root=root, git=False) as run:
            for step in range(20):
                run.log("loss", 1 / (step + 1) + lr, step=step)
                run.log("val_acc", 0.7 + 0.01 * step - lr, step=step)
            if i == 2:
                run.log("loss", float("nan"))
    return root


def test_list_sort_and_where(invoke: Callable[..., tuple[int, str, str]], store: Path) -> None:
    code, out, _ = invoke("runs", "--dir", str(store), "list", "--sort", "val_acc", "--json")
    assert code == 0
    rows = json.loads(out)["runs"]
    assert [r["params"]["lr"] for r in rows] == [0.001, 0.01, 0.1]  # best val_acc first
    assert rows[0]["nonfinite"] == {"loss": 1}
    code, out, _ = invoke("runs", "--dir", str(store), "list", "--where", "params.lr<0.05")
    assert code == 0 and len(out.splitlines()) == 2 + 2 and "baseline" not in out
    assert "(!1 nan/inf)" in out
    code, out, _ = invoke("runs", "--dir", str(store), "list", "--where", "model.width=128")
    assert len(out.splitlines()) == 2 + 1
    code, _, err = invoke("runs", "--dir", str(store), "list", "--where", "lr")
    assert code == 2 and "FIELD OP VALUE" in err


def test_show_and_unknown_run(invoke: Callable[..., tuple[int, str, str]], store: Path) -> None:
    code, out, _ = invoke("runs", "--dir", str(store), "show", "baseline")
    assert code == 0 and "status    finished" in out and "model.width" in out
    code, _, err = invoke("runs", "--dir", str(store), "show", "nope")
    assert code == 2 and "run 'nope'" in err


def test_compare_shows_only_differing_params(
    invoke: Callable[..., tuple[int, str, str]], store: Path, tmp_path: Path
) -> None:
    code, out, _ = invoke("runs", "--dir", str(store), "compare", "--last", "3", "--json")
    assert code == 0
    data = json.loads(out)
    assert sorted(data["differing_params"]) == ["lr", "model.width"]
    assert data["constant_params"] == {"epochs": 3, "model.depth": 4}
    assert data["metrics"]["val_acc"]["best"].startswith("sweep")
    html = tmp_path / "out" / "compare.html"
    html.parent.mkdir()
    png = tmp_path / "out" / "curves.png"
    code, out, _ = invoke(
        "runs",
        "--dir",
        str(store),
        "compare",
        "--last",
        "3",
        "--html",
        str(html),
        "--plot",
        str(png),
    )
    assert code == 0 and png.stat().st_size > 1000 and "model.width" in out
    assert not (tmp_path / "out" / "curves.pdf").exists()
    page = html.read_text(encoding="utf-8")
    assert "<svg" in page and "git commit" in page and "model.width" in page
    # Self-contained: no scripts, style sheets or images fetched from anywhere.
    assert not re.search(r"<script|<link|(src|href)=\"(https?:|//)", page)
    code, _, err = invoke("runs", "--dir", str(store), "compare")
    assert code == 2 and "--last" in err


def test_compare_of_one_run_shows_it_as_it_is(
    invoke: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    """A project's first `make report` compares --last 5 of one run: exit 0, the run's own
    parameters and metrics, no "best" mark (nothing to be better than), a note to record more."""
    root = tmp_path / "runs"
    with tr.start("train", params={"C": 1.0, "seed": 0}, root=root, git=False) as run:
        run.log("accuracy", 0.9)
    html = tmp_path / "runs.html"
    code, out, err = invoke(
        "runs", "--dir", str(root), "compare", "--last", "5", "--html", str(html)
    )
    assert code == 0, err
    assert f"one run ({run.id}): nothing to compare it with yet" in out
    assert re.search(r"^C +1$", out, re.M) and re.search(r"^accuracy +0\.9$", out, re.M)
    assert "*" not in out and "equal in every run" not in out
    page = html.read_text(encoding="utf-8")
    assert "One run so far" in page and "<b>" not in page and ">C<" in page
    code, out, _ = invoke("runs", "--dir", str(root), "compare", "--last", "5", "--json")
    assert json.loads(out)["metrics"]["accuracy"]["best"] is None


def test_a_damaged_run_is_reported_by_id_and_the_others_still_list(
    invoke: Callable[..., tuple[int, str, str]], store: Path
) -> None:
    runs = sorted(p for p in store.iterdir() if p.is_dir())
    meta = runs[0] / "run.json"
    meta.write_text(meta.read_text()[:50])  # truncated by hand
    with open(runs[1] / "metrics.jsonl", "a") as handle:
        handle.write('{"m": "loss", "v": \n')  # a half line
    code, out, err = invoke("runs", "--dir", str(store), "list")
    assert code == 0
    assert f"run {runs[0].name}: unreadable, skipped (run.json is not valid JSON" in err
    assert f"run {runs[1].name}: metrics.jsonl: 1 unreadable line(s) skipped" in err
    assert runs[1].name in out and runs[2].name in out and runs[0].name not in out


def test_the_user_journey_in_a_subprocess(tmp_path: Path) -> None:
    """Train twice from a script, then list, compare and audit from the shell."""
    script = tmp_path / "train.py"
    script.write_text(
        "import sys, numpy as np\n"
        "import toolkit.runs as tr\n"
        "y = np.array([0, 1] * 250)\n"
        "wrong = int(sys.argv[1])\n"
        "with tr.start('model', params={'wrong': wrong}) as run:\n"
        "    for s in range(10):\n"
        "        run.log('loss', 1 / (s + 1), step=s)\n"
        "    pred = np.where(np.arange(500) < wrong, 1 - y, y)\n"
        "    print(run.evaluate('test', y, pred, metric='accuracy'))\n"
    )
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    toolkit = [sys.executable, "-m", "toolkit"]
    for wrong in ("50", "5"):  # 90% then 99%
        done = subprocess.run(
            [sys.executable, str(script), wrong], cwd=tmp_path, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    listed = subprocess.run(
        [*toolkit, "runs", "list"], cwd=tmp_path, capture_output=True, text=True
    )
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 2 + 2
    audit = subprocess.run(
        [*toolkit, "runs", "audit"], cwd=tmp_path, capture_output=True, text=True
    )
    assert audit.returncode == 1, audit.stderr
    assert "jump 0.9000 -> 0.9900" in audit.stdout and "toolkit check data" in audit.stdout
    compared = subprocess.run(
        [*toolkit, "runs", "compare", "--last", "2", "--html", "c.html"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert compared.returncode == 0, compared.stderr
    assert "wrong" in compared.stdout and (tmp_path / "c.html").is_file()


def test_audit_json_and_no_evaluations(
    invoke: Callable[..., tuple[int, str, str]], store: Path
) -> None:
    code, out, _ = invoke("runs", "--dir", str(store), "audit", "--json")
    assert code == 0 and json.loads(out) == {"flagged": False, "test_sets": []}
    code, _, err = invoke("runs", "--dir", str(store), "audit", "--test-set", "holdout")
    assert code == 2 and "holdout" in err
    assert np.isfinite(1.0)


def test_list_and_recording_import_no_heavy_library(store: Path) -> None:
    code = (
        "import sys\n"
        "from toolkit.cli.main import main\n"
        "import toolkit.runs.recording\n"
        "try:\n"
        f"    main(['runs', '--dir', {str(store)!r}, 'list'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'numpy', 'pandas', 'matplotlib', 'sklearn', 'jinja2'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
