"""Data checks on hostile input: files in the encodings users' tools write, Parquet binary
columns, frames whose column labels or values no check can read. Never a garbled category,
never a traceback: the values as written, or one line naming the column."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

pytest.importorskip("polars")
import numpy as np
import pandas as pd
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.cli.main import main
from toolkit.errors import ToolkitError, UsageError
from toolkit.reading import read_table

from ._examples import counted

# Words as users' data holds them, by the encoding their tools save them in.
WORDS = {
    "cp1252": ["Zürich", "Genève", "Köln", "Málaga", "São Paulo", "Straße", "Besançon", "Ærø",
               "Øresund", "Côte d'Ivoire", "naïve", "Reykjavík", "Kraków", "Preis 12 €",
               "“quoted”"],
    "gb18030": ["北京", "上海", "广州", "深圳", "杭州", "成都", "重庆", "西安", "男", "女", "未知",
                "收入（元）", "是", "否"],
    "utf-8": ["Zürich", "北京", "Москва", "東京", "서울", "🙂", "naïve", "Ελλάδα"],
}  # fmt: skip
ENCODINGS = {  # the encoding written -> the text written in it
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8",
    "utf-16": "utf-8",
    "utf-16-le": "utf-8",
    "cp1252": "cp1252",
    "gb18030": "gb18030",
}


@st.composite
def encoded_csv(draw: st.DrawFn) -> tuple[str, list[str]]:
    encoding = draw(st.sampled_from(sorted(ENCODINGS)))
    pool = WORDS[ENCODINGS[encoding]]
    words = draw(st.lists(st.sampled_from(pool), min_size=3, max_size=40))
    if len(set(words)) < 2:
        words = [*words, next(w for w in pool if w != words[0])]
    return encoding, words


# HOSTILE_EXAMPLES=2000 runs a longer campaign (passed 2,000 when written).
@settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(case=encoded_csv())
@counted
def test_a_csv_reads_back_as_written_whatever_its_encoding(case: tuple[str, list[str]]) -> None:
    encoding, words = case
    header = "城市" if ENCODINGS[encoding] == "gb18030" else "city"
    text = f"{header},label\n" + "".join(f'"{w}",{i % 2}\n' for i, w in enumerate(words))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.csv"
        path.write_bytes(text.encode(encoding))
        read = read_table(path, "TRAIN")
    assert read.frame.columns == [header, "label"], "never 'no such column'"
    assert read.frame[header].to_list() == words, (read.encoding, encoding)
    if encoding not in ("utf-8", "utf-8-sig") and any(ord(c) > 127 for c in text):
        assert read.notes and "not UTF-8" in read.notes[0], "the encoding used is named"


def run_check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`toolkit check data ARGS -q` as the console script runs it: (exit code, stdout, stderr)."""
    capsys.readouterr()
    try:
        main(["check", "data", *args, "-q"])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def western_csv(path: Path, encoding: str) -> Path:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "city": rng.choice(["Zürich", "Genève", "Köln", "Málaga"], 300),
            "x": rng.normal(size=300),
            "label": rng.integers(0, 2, 300),
        }
    )
    frame.to_csv(path, index=False, encoding=encoding)
    return path


def test_windows_1252_csv_is_not_read_as_gb18030(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = western_csv(tmp_path / "orte.csv", "cp1252")
    assert set(read_table(path, "TRAIN").frame["city"]) == {"Zürich", "Genève", "Köln", "Málaga"}
    code, out, err = run_check(capsys, str(path), "--target", "label", "--json")
    assert code in (0, 1)
    assert "read as Windows-1252 (not UTF-8)" in err and "GB18030" not in err
    assert json.loads(out)["meta"]["input"]["train"]["encoding"] == "cp1252"
    page = tmp_path / "report.html"
    run_check(capsys, str(path), "--target", "label", "--html", str(page))
    assert "read as Windows-1252 (not UTF-8)" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_csv_finds_its_columns(
    tmp_path: Path, encoding: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = western_csv(tmp_path / "export.csv", encoding)
    code, out, err = run_check(capsys, str(path), "--target", "label", "--json")
    assert code in (0, 1) and "no such column" not in err, err
    assert json.loads(out)["meta"]["train_rows"] == 300


def test_wrong_encoding_option_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes("城市,label\n北京,1\n上海,0\n".encode("gbk"))
    code, _, err = run_check(capsys, str(path), "--target", "label", "--encoding", "ascii")
    assert code == 2 and err.startswith(f"toolkit: error: {path}: cannot read as ascii")
    assert len(err.strip().splitlines()) == 1
    code, _, err = run_check(capsys, str(path), "--target", "label", "--encoding", "no-such-codec")
    assert code == 2 and "--encoding no-such-codec: no such encoding" in err


def test_binary_file_posing_as_csv_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(bytes(range(256)) * 50)
    code, _, err = run_check(capsys, str(path), "--target", "label")
    assert code in (1, 2) and len(err.strip().splitlines()) == 1, err


def test_parquet_binary_columns_are_read_as_text_or_hex(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    n = 200
    frame = pl.DataFrame(
        {
            "blob": [bytes([0xFF, i % 256, 0x80]) for i in range(n)],  # not UTF-8
            "city": [("北京" if i % 2 else "上海").encode() for i in range(n)],  # Spark strings
            "x": np.arange(n, dtype=float),
            "label": [i % 2 for i in range(n)],
        },
        schema_overrides={"blob": pl.Binary, "city": pl.Binary},
    )
    path = tmp_path / "part-0000.parquet"
    frame.write_parquet(path)
    read = read_table(path, "TRAIN")
    assert read.frame["blob"][0] == "ff0080" and set(read.frame["city"]) == {"北京", "上海"}
    assert any("'blob' is not text; read as hex" in note for note in read.notes)
    code, _, err = run_check(capsys, str(path), "--target", "label")
    assert code in (0, 1) and "ComputeError" not in err, err


N = 60
HOSTILE_FRAMES = {
    "duplicate names": (
        lambda: pd.DataFrame(
            np.c_[np.arange(N), np.arange(N) % 2, np.arange(N)], columns=["x", "y", "x"]
        ),
        "duplicate column names ['x']",
    ),
    "integer names": (
        lambda: pd.DataFrame({0: np.arange(N) * 1.0, "y": np.arange(N) % 2}),
        "column name 0 (int) is not a string",
    ),
    "MultiIndex columns": (
        lambda: pd.DataFrame(
            np.c_[np.arange(N), np.arange(N) % 2],
            columns=pd.MultiIndex.from_tuples([("a", "x"), ("a", "y")]),
        ),
        "MultiIndex columns such as ('a', 'x')",
    ),
    "bytes values (pandas)": (
        lambda: pd.DataFrame({"b": [bytes([0xFF, i % 7]) for i in range(N)], "y": [0, 1] * 30}),
        "column 'b' holds bytes",
    ),
    "bytes values (polars)": (
        lambda: pl.DataFrame({"b": [bytes([0xFF, i % 7]) for i in range(N)], "y": [0, 1] * 30}),
        "column 'b' holds bytes",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_FRAMES))
def test_health_report_names_the_column_it_cannot_read(case: str) -> None:
    from toolkit.checks import health_report

    make, message = HOSTILE_FRAMES[case]
    with pytest.raises(UsageError) as exc:
        health_report(make(), target="y")
    assert message in str(exc.value) and "\n" not in str(exc.value)


LABELS = st.one_of(
    st.text(max_size=8),
    st.integers(-3, 3),
    st.tuples(st.text(max_size=3), st.text(max_size=3)),
    st.floats(allow_nan=False),
    st.binary(max_size=3),
)
VALUES = st.sampled_from(["numbers", "strings", "bytes", "mixed bytes", "none", "unicode"])


def column(kind: str, rng: np.random.Generator) -> list[object]:
    return {
        "numbers": list(rng.normal(size=N)),
        "strings": list(rng.choice(["a", "b", "c"], N)),
        "bytes": [bytes([0xFF, int(i)]) for i in rng.integers(0, 5, N)],
        "mixed bytes": [b"\xff" if i % 3 else "x" for i in range(N)],
        "none": [None] * N,
        "unicode": list(rng.choice(["北京", "Zürich", "\ud800x"[1:], "🙂"], N)),
    }[kind]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(labels=st.lists(LABELS, min_size=1, max_size=4), kinds=st.lists(VALUES, min_size=4))
@counted
def test_health_report_on_any_frame_is_a_report_or_one_toolkit_error(
    labels: list[object], kinds: list[str]
) -> None:
    from toolkit.checks import health_report

    rng = np.random.default_rng(0)
    data = {label: column(kind, rng) for label, kind in zip(labels, kinds, strict=False)}
    frame = pd.DataFrame({**data, "y": [0, 1] * (N // 2)})
    try:
        report = health_report(frame, target="y")
    except ToolkitError as exc:
        assert "\n" not in str(exc)
    else:
        assert str(report).startswith("data health:")
