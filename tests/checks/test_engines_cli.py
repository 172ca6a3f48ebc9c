"""`toolkit check data` on folders, globs, SQL and engines, as a user runs it: CliRunner for the
many cases, a real subprocess of the installed ``toolkit`` (in a pseudo-terminal for the
progress bar). Bad input is one line on stderr, exit 2, and nothing written."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

pl = pytest.importorskip("polars")
pytest.importorskip("duckdb")

from toolkit.cli.main import cli, main  # noqa: E402

TOOLKIT = Path(sys.executable).with_name("toolkit")


def split_frames(n: int = 1_500, seed: int = 0) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    df = pl.DataFrame(
        {
            "x": x,
            "z": rng.normal(size=n),
            "city": rng.choice(["北京", "上海", "深圳"], n),
            "y": (x + rng.normal(0, 0.5, n) > 0).astype(np.int64),
        }
    )
    cut = n * 4 // 5
    return df[:cut], df[cut:]


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    """train/ hive-partitioned by day (as Spark writes it, with _SUCCESS), test/ by day too."""
    train, test = split_frames()
    root = tmp_path / "lake"
    for name, df, days in (("train", train, 3), ("test", test, 1)):
        size = -(-df.height // days)
        for d in range(days):
            part = root / name / f"dt=2024-01-0{d + 1 if name == 'train' else 9}"
            part.mkdir(parents=True)
            df[d * size : (d + 1) * size].write_parquet(part / "part-00000.parquet")
        (root / name / "_SUCCESS").write_bytes(b"")
    return root


def invoke(*args: str) -> object:
    return CliRunner().invoke(cli, ["check", "data", *args], catch_exceptions=False)


def test_hive_folder_and_glob_in_memory(lake: Path) -> None:
    """The partition column is read (as a column the checks see: it drifts, by design of
    the date partitions); the JSON names the engine and how each split was opened."""
    res = invoke(
        str(lake / "train"),
        "--test",
        str(lake / "test" / "*" / "*.parquet"),
        "--target",
        "y",
        "--engine",
        "polars",
        "--json",
    )
    assert res.exit_code == 1, res.output  # dt differs between splits: high drift
    payload = json.loads(res.stdout)
    assert (
        payload["meta"]["input"]["test"]["engine"] == "polars"
        and payload["meta"]["train_rows"] == 1200
    )
    assert payload["meta"]["input"]["train"]["source"].endswith(
        "(3 files, hive-partitioned) on polars"
    )
    drifted = {c for f in payload["checks"][2]["findings"] for c in f["columns"]}
    assert "dt" in drifted


def test_auto_says_which_engine_and_why(lake: Path) -> None:
    res = invoke(str(lake / "train"), "--target", "y", "-q")
    assert res.exit_code in (0, 1), res.output
    assert "note: auto engine: polars (data ~" in res.stderr and "available" in res.stderr


def test_csv_glob_with_the_existing_options(tmp_path: Path) -> None:
    train, test = split_frames()
    for i in range(3):
        train[i * 400 : (i + 1) * 400].write_csv(tmp_path / f"train-{i}.csv")
    test.write_csv(tmp_path / "test.csv")
    out, js = tmp_path / "r" / "health.html", tmp_path / "r" / "health.json"
    res = invoke(
        str(tmp_path / "train-*.csv"),
        "--test",
        str(tmp_path / "test.csv"),
        "--target",
        "y",
        "--html",
        str(out),
        "--json-out",
        str(js),
        "-q",
    )
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert json.loads(js.read_text(encoding="utf-8"))["meta"]["train_rows"] == 1200


DATED = ("--time", "day", "--engine", "duckdb")


def _bad_inputs(d: Path) -> None:
    train, test = split_frames()
    train.write_parquet(d / "train.parquet")
    test.drop("z").write_parquet(d / "fewer.parquet")
    test.drop("y").write_parquet(d / "unlabelled.parquet")
    test.with_columns(pl.col("x").cast(pl.String)).write_parquet(d / "text.parquet")
    day = pl.Series([f"2024-01-{i % 28 + 1:02d}" for i in range(train.height)])
    train.with_columns(day=day).write_parquet(d / "dated.parquet")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (
            ["{d}/nothing/*.parquet", "--target", "y"],
            "TRAIN {d}/nothing/*.parquet: matches no file",
        ),
        (["{d}/train.parquet", "--test", "{d}/tset/", "--target", "y"], "no such file or folder"),
        (["{d}/train.parquet", "--test", "{d}/fewer.parquet", "--target", "y"], "missing z"),
        (
            ["{d}/train.parquet", "--test", "{d}/text.parquet", "--target", "y"],
            "column 'x' is Float64 in TRAIN but String",
        ),
        (
            ["{d}/train.parquet", "--test", "{d}/unlabelled.parquet", "--target", "y"],
            "--target 'y': no such column in --test",
        ),
        (["{d}/train.parquet", "--target", "label"], "--target 'label': no such column in TRAIN"),
        (
            ["--sql", "SELECT 1 AS y", "--target", "y", "--engine", "polars"],
            "--sql 'SELECT 1 AS y' needs --engine duckdb or spark",
        ),
        (
            ["--table", "db.t", "--target", "y", "--engine", "duckdb"],
            "--table db.t needs --engine spark",
        ),
        (
            ["{d}/train.parquet", "--sql", "SELECT 1", "--target", "y"],
            "TRAIN and --sql: give the split one way only",
        ),
        (["--target", "y"], "give TRAIN (a file, folder or glob), --sql or --table"),
        (
            ["{d}/train.parquet", "--target", "y", "--engine", "duckdb", "--spark-master", "local"],
            "--spark-master needs --engine spark",
        ),
        (["--sql", "SELEC 1", "--target", "y"], "--sql 'SELEC 1': Parser Error"),
        (  # text dates: refused before any pass (the in-memory engines parse them)
            [*("{d}/dated.parquet", "--test", "{d}/dated.parquet", "--target", "y"), *DATED],
            "time='day': String in train; on a lazy engine the time column must be a date/time",
        ),
        (
            ["{d}/train.parquet", "--target", "y", "--engine", "duckdb", "--duckdb-memory", "lots"],
            "--duckdb-memory 'lots': expected a size such as 8GB or 512MB",
        ),
        (
            ["{d}/train.parquet", "--target", "y", "--engine", "polars", "--duckdb-memory", "2GB"],
            "--duckdb-memory needs --engine duckdb (got --engine polars)",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    _bad_inputs(tmp_path)
    out = tmp_path / "reports" / "health.html"
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(SystemExit) as exc:
        main(["check", "data", *[a.format(d=tmp_path) for a in args], "--html", str(out)])
    err = capsys.readouterr().err.strip()
    assert exc.value.code == 2, err
    assert needle.format(d=tmp_path) in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no report folder made


@pytest.mark.parametrize(
    ("module", "engine", "extra"), [("duckdb", "duckdb", "data"), ("pyspark", "spark", "spark")]
)
def test_missing_engine_package_names_the_extra(
    lake: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    module: str,
    engine: str,
    extra: str,
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # as if the extra were not installed
    with pytest.raises(SystemExit) as exc:
        main(["check", "data", str(lake / "train"), "--target", "y", "--engine", engine])
    err = capsys.readouterr().err.strip()
    assert exc.value.code == 2
    assert err == (
        f"toolkit: error: this command needs {module}, from an extra: "
        f'pip install "compound-toolkit[{extra}]"'
    )


def test_installed_toolkit_in_a_terminal_shows_a_progress_line_per_pass(lake: Path) -> None:
    """The console script in a pseudo-terminal (as a user's shell runs it): each pass is named
    on stderr while it runs; stdout holds only the report."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [
            str(TOOLKIT),
            "check",
            "data",
            str(lake / "train"),
            "--test",
            str(lake / "test"),
            "--target",
            "y",
            "--engine",
            "polars",
        ],
        stdout=subprocess.PIPE,
        stderr=follower,
        env={**os.environ, "COLUMNS": "100"},
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process ended
            break
        if not chunk:
            break
        seen += chunk
    stdout = proc.stdout.read().decode() if proc.stdout else ""
    assert proc.wait(timeout=300) == 1
    os.close(leader)
    terminal = seen.decode(errors="replace")
    for step in ("data quality", "leakage", "drift", "adversarial validation"):
        assert step in terminal, terminal[-2000:]
    assert stdout.startswith("data health: train 1,200 rows") and "\x1b[" not in stdout


def test_hive_folder_and_glob_on_duckdb_find_what_polars_finds(lake: Path) -> None:
    """The same command on DuckDB (lazy scans, the engine path): the same findings (check,
    severity, columns) as in memory."""
    args = [str(lake / "train"), "--test", str(lake / "test" / "*" / "*.parquet"), "--target", "y"]
    found = {}
    for engine in ("polars", "duckdb"):
        res = invoke(*args, "--engine", engine, "--json")
        assert res.exit_code == 1, res.output
        payload = json.loads(res.stdout)
        assert payload["meta"]["input"]["train"]["engine"] == engine
        found[engine] = {
            (f["check"], f["severity"], tuple(f["columns"]))
            for check in payload["checks"]
            for f in check["findings"]
            if check["name"] != "label_issues"  # a model on a sample: not row-for-row equal
        }
    assert found["duckdb"] == found["polars"] and ("drift", "high", ("dt",)) in found["duckdb"]


def test_out_of_memory_in_memory_is_one_line_naming_duckdb(
    lake: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the 10M-row benchmark under an 8 GB cap met on pandas: one line, not a traceback."""
    import toolkit.checks.report as report

    def no_memory(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(report, "health_report", no_memory)
    with pytest.raises(SystemExit) as exc:
        main(["check", "data", str(lake / "train"), "--target", "y", "--engine", "pandas"])
    err = capsys.readouterr().err.strip()
    assert exc.value.code == 1
    assert err == (
        "toolkit: error: out of memory running the checks on pandas; use --engine duckdb "
        "(it scans the files and spills to disk)"
    )


def test_duckdb_out_of_memory_is_one_line_naming_the_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """DuckDB's OutOfMemoryException (the 100M benchmark met it in the duplicates pass under
    3 GiB) is one line naming --duckdb-memory, not a traceback; nothing is written."""
    train, test = split_frames(200_000)
    train.write_parquet(tmp_path / "train.parquet")
    test.write_parquet(tmp_path / "test.parquet")
    out = tmp_path / "health.html"
    with pytest.raises(SystemExit) as exc:
        main(
            [
                *("check", "data", str(tmp_path / "train.parquet")),
                *("--test", str(tmp_path / "test.parquet"), "--target", "y"),
                *("--engine", "duckdb", "--duckdb-memory", "10MB", "--html", str(out)),
            ]
        )
    err = capsys.readouterr().err.strip()
    assert exc.value.code == 1
    assert err.startswith("toolkit: error: DuckDB ran out of memory (Out of Memory Error: ")
    assert err.endswith("raise its limit with --duckdb-memory SIZE (e.g. 8GB) or free memory")
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert not out.exists()
