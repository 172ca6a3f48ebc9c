from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from toolkit.checks import health_report
from toolkit.cli.main import cli, main
from toolkit.errors import UsageError


def test_health_report_clean_and_planted(clean_split):
    train, test = clean_split
    train, test = train.drop(columns="patient"), test.drop(columns="patient")
    clean = health_report(train, test, target="y")
    assert not clean.has_high, str(clean)
    names = [r.name for r in clean.results]
    assert names == [
        "data_quality",
        "leakage",
        "drift",
        "new_labels",
        "adversarial_validation",
        "label_issues",
    ]
    json.dumps(clean.to_dict())
    page = clean.to_html()
    assert page.startswith("<!DOCTYPE html>") and "data:image/png;base64," in page
    bad = health_report(train.assign(leak=train.y), test.assign(leak=test.y), target="y")
    assert bad.has_high and bad.findings[0].columns == ["leak"]


def test_health_report_bad_inputs(clean_split):
    train, test = clean_split
    with pytest.raises(UsageError, match="missing x1"):
        health_report(train, test.drop(columns="x1"), target="y")
    with pytest.raises(UsageError, match="target"):
        health_report(train, target="label")
    weird = train.assign(x1=np.r_[np.inf, train.x1[1:]], empty=np.nan, const=5)
    rep = health_report(weird, target="y")
    found = {(f.check, f.columns[0]) for f in rep.findings if f.columns}
    assert {("infinite", "x1"), ("empty_column", "empty"), ("constant_column", "const")} <= found


@pytest.fixture
def csvs(tmp_path, clean_split):
    train, test = clean_split
    train.drop(columns="patient").to_csv(tmp_path / "train.csv", index=False)
    test.drop(columns="patient").to_parquet(tmp_path / "test.parquet")
    return tmp_path


def test_cli_clean_exit_0_with_html_and_json(csvs):
    out = csvs / "r.html"
    res = CliRunner().invoke(
        cli,
        [
            "check",
            "data",
            str(csvs / "train.csv"),
            "--test",
            str(csvs / "test.parquet"),
            "--target",
            "y",
            "--html",
            str(out),
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)  # stderr holds the auto engine note
    assert payload["counts"]["high"] == 0
    assert out.read_text(encoding="utf-8").count("base64,") >= 2


def test_cli_high_finding_exits_1(csvs):
    df = pd.read_csv(csvs / "train.csv")
    pd.concat([df, df.iloc[:300]]).to_csv(csvs / "dup_test.csv", index=False)
    res = CliRunner().invoke(
        cli,
        [
            "check",
            "data",
            str(csvs / "train.csv"),
            "--test",
            str(csvs / "dup_test.csv"),
            "--target",
            "y",
            "--quiet",
        ],
    )
    assert res.exit_code == 1
    assert "duplicates" in res.output


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["missing.csv", "--target", "y"], 2, "missing.csv"),
        (["{d}/train.csv", "--target", "nope"], 2, "--target 'nope'"),
        (["{d}/empty.csv", "--target", "y"], 2, "empty.csv"),  # bad input, not a finding
        (["{d}/zero.csv", "--target", "y"], 2, "zero.csv"),
        (["{d}/train.csv", "--test", "{d}/other.csv", "--target", "y"], 2, "columns differ"),
        (["{d}/notes.xlsx", "--target", "y"], 2, "unknown format"),
        (["{d}/train.csv", "--target", "y", "--html", "{d}/train.csv/r.html"], 2, "--html"),
        (["{d}/train.csv", "--target", "y", "--html", "{d}"], 2, "is a folder"),
    ],
)
def test_cli_bad_input_one_line(csvs, capsys, args, code, needle):
    (csvs / "empty.csv").write_text("x1,y\n", encoding="utf-8")
    (csvs / "zero.csv").write_bytes(b"")
    (csvs / "notes.xlsx").write_bytes(b"x")
    pd.DataFrame({"a": [1, 2], "y": [0, 1]}).to_csv(csvs / "other.csv", index=False)
    with pytest.raises(SystemExit) as exc:
        main(["check", "data", *[a.format(d=csvs) for a in args]])
    assert exc.value.code == code
    err = capsys.readouterr().err.strip()
    assert needle in err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_cli_module_and_package_import_light():
    import subprocess
    import sys

    code = (
        "import sys, toolkit.cli.check, toolkit.checks;"
        "print([m for m in ('numpy', 'pandas', 'polars', 'sklearn', 'matplotlib')"
        " if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cli_string_labels_and_text_dates(tmp_path):
    rng = np.random.default_rng(0)
    n = 1200
    df = pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "动物": rng.choice(["猫", "狗"], n),
            "date": pd.date_range("2024-01-01", periods=n, freq="h").astype(str),
        }
    )
    df["label"] = np.where(df.a + rng.normal(size=n) > 0, "yes", "no")
    df.iloc[:900].to_csv(tmp_path / "tr.csv", index=False)
    df.iloc[900:].to_csv(tmp_path / "te.csv", index=False)
    shuffled = df.sample(frac=1.0, random_state=0).iloc[900:]
    shuffled.to_csv(tmp_path / "te_mixed.csv", index=False)
    args = ["check", "data", str(tmp_path / "tr.csv"), "--target", "label", "--time", "date"]
    ok = CliRunner().invoke(cli, [*args, "--test", str(tmp_path / "te.csv")])
    assert ok.exit_code == 0, ok.output
    bad = CliRunner().invoke(cli, [*args, "--test", str(tmp_path / "te_mixed.csv")])
    assert bad.exit_code == 1 and "time_overlap" in bad.output


@pytest.mark.parametrize("as_polars", [False, True])
def test_unseen_categories_and_classes_in_test_are_named(clean_split, as_polars):
    """deepchecks' 'new category' and 'new label' checks: test values train never shows."""
    train, test = clean_split
    train = train.drop(columns="patient").assign(city="北京")
    test = test.drop(columns="patient").assign(city=["深圳"] * 30 + ["北京"] * (len(test) - 30))
    test.loc[test.index[:5], "y"] = 7  # a class the model never saw
    if as_polars:
        import polars as pl

        train, test = pl.from_pandas(train), pl.from_pandas(test)
    report = health_report(train, test, target="y")
    by_check = {f.check: f for f in report.findings}
    city = by_check["new_categories"]
    assert city.columns == ["city"] and "'深圳'" in city.message
    assert city.evidence["rows"] == 30
    label = by_check["new_labels"]
    assert label.severity == "high" and label.columns == ["y"] and "'7'" in label.message
    assert label.evidence["rows"] == 5
    assert [f.columns for f in report.findings if f.check == "new_categories"] == [["city"]]


def test_test_set_precision_is_stated(clean_split):
    """'Is the test set trustworthy?': the report says how precisely it can measure a model."""
    train, test = clean_split
    train, test = train.drop(columns="patient"), test.drop(columns="patient")
    small = health_report(train, test.iloc[:100], target="y")
    [size] = [f for f in small.findings if f.check == "test_size"]
    assert size.evidence["rows"] == 100 and size.severity == "medium"
    # 1.96 * sqrt(0.9 * 0.1 / 100) = 5.9 points
    assert abs(size.evidence["accuracy_ci_points_at_90"] - 5.88) < 0.01
    rare = test[test.y == test.y.iloc[0]].iloc[:10]
    rare_report = health_report(
        train, pd.concat([test[test.y != rare.y.iloc[0]], rare]), target="y"
    )
    assert any("fewer than 30 test rows" in f.message for f in rare_report.findings)


def test_cli_creates_the_output_folder(csvs):
    out = csvs / "reports" / "2026" / "health.html"
    res = CliRunner().invoke(
        cli,
        ["check", "data", str(csvs / "train.csv"), "--target", "y", "--html", str(out), "-q"],
    )
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_timestamps_are_not_called_identifiers():
    n = 500
    frame = pd.DataFrame(
        {
            "when": pd.date_range("2024-01-01", periods=n, freq="h"),
            "row_id": np.arange(n),
            "x": np.random.default_rng(0).normal(size=n),
            "y": np.arange(n) % 2,
        }
    )
    report = health_report(frame, target="y")
    flagged = {c for f in report.findings if f.check == "id_like" for c in f.columns}
    assert flagged == {"row_id"}


def test_polars_object_columns_are_refused_in_one_line():
    import polars as pl

    from toolkit.preprocessing import make_preprocessor

    frame = pl.DataFrame({"a": [1.0, 2.0] * 20, "y": [0, 1] * 20}).with_columns(
        pl.Series("o", np.array([None, 1.0] * 20, dtype=object))
    )
    with pytest.raises(UsageError, match="column 'o' holds Python objects"):
        health_report(frame, target="y")
    with pytest.raises(UsageError, match="column 'o' holds Python objects"):
        make_preprocessor(frame, target="y")


def test_nested_polars_columns_are_checked_by_their_printed_form():
    import polars as pl

    n = 200
    rng = np.random.default_rng(0)
    frame = pl.DataFrame(
        {
            "x": rng.normal(size=n),
            "tags": [["a", "b"]] * n,
            "meta": [{"k": 1}] * n,
            "y": rng.integers(0, 2, n),
        }
    )
    report = health_report(frame[:150], frame[150:], target="y")
    constant = {c for f in report.findings if f.check == "constant_column" for c in f.columns}
    assert {"tags", "meta"} <= constant


def test_cli_reads_gbk_csv_from_excel_on_a_chinese_system(tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "城市": rng.choice(["北京", "上海"], 300),
            "收入": rng.normal(size=300),
            "标签": rng.integers(0, 2, 300),
        }
    )
    path = tmp_path / "训练.csv"
    frame.to_csv(path, index=False, encoding="gbk")
    res = CliRunner().invoke(cli, ["check", "data", str(path), "--target", "标签", "-q", "--json"])
    assert res.exit_code == 0, res.output
    assert "GB18030" in res.stderr
    assert json.loads(res.stdout)["meta"]["train_rows"] == 300


def test_booleans_match_across_polars_and_pandas():
    """polars casts booleans to 'true', pandas to 'True': a polars train and a pandas test
    must still see the same categories."""
    import polars as pl

    from toolkit.checks import drift

    rng = np.random.default_rng(0)
    train = pd.DataFrame({"flag": rng.choice([True, False], 400), "x": rng.normal(size=400)})
    result = drift(pl.from_pandas(train), train.iloc[:150])
    assert not [f for f in result.findings if f.check == "new_categories"], str(result)
