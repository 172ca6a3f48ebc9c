"""``forbid-data-files`` on hostile names, sizes and options: data in any wrapping is caught,
sizes read as they compare, files are measured as git stores them (links, LFS pointers)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.hooks import data_files as hook
from toolkit.notebooks.data_files import (
    COMPRESSION_SUFFIXES,
    DATA_EXTENSIONS,
    data_file_violations,
    format_kb,
    parse_extensions,
)

from ._examples import counted

# The 4 MB files that passed, and the model formats users commit by accident.
MUST_BE_CAUGHT = [
    "train.csv.gz",
    "dump.zip",
    "pytorch_model.bin",
    "model.keras",
    "model.tflite",
    "llama.gguf",
    "events.jsonl",
    "app.sqlite",
    "report.xls",
    "table.parquet",
    "feats.TSV.bz2",
    "data.tar.gz",
    "weights.safetensors",
]


@pytest.mark.parametrize("name", MUST_BE_CAUGHT)
def test_data_and_model_files_over_the_limit_are_caught(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    with open(path, "wb") as handle:
        handle.truncate(4 * 1024 * 1024)  # 4 MB, sparse: costs no disk
    [violation] = data_file_violations([path])
    assert violation.reason.startswith("data file over 100 KB")


BASES = st.text(st.characters(codec="utf-8", exclude_characters="/\0."), min_size=1, max_size=12)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=BASES,
    ext=st.sampled_from(DATA_EXTENSIONS),
    wrapper=st.sampled_from(["", *sorted(COMPRESSION_SUFFIXES)]),
    upper=st.booleans(),
    limit_kb=st.integers(0, 300),
    delta=st.integers(-3000, 3000),
)
@counted
def test_size_is_judged_and_shown_consistently(
    base: str, ext: str, wrapper: str, upper: bool, limit_kb: int, delta: int
) -> None:
    """A data file (bare, compressed, any case) is a violation exactly when it is larger than
    the limit, and the size shown is then never at or below the limit."""
    name = f"{base}.{ext}" + (f".{wrapper}" if wrapper else "")
    name = name.upper() if upper else name
    size = max(0, limit_kb * 1024 + delta)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        with open(path, "wb") as handle:
            handle.truncate(size)
        found = data_file_violations([path], extensions=[ext], data_limit_kb=limit_kb)
    assert bool(found) == (size > limit_kb * 1024)
    if found:
        shown = float(format_kb(found[0].size).split()[0])
        assert shown > limit_kb, (size, format_kb(size))


@settings(max_examples=200, deadline=None)
@given(
    exts=st.lists(st.from_regex(r"\A\.?[A-Za-z0-9]{1,8}\Z"), min_size=1, max_size=5),
    seps=st.lists(st.sampled_from([",", ", ", " ", " ,", ",,", "\t"]), min_size=5, max_size=5),
)
@counted
def test_extension_lists_parse_whatever_the_separators(exts: list[str], seps: list[str]) -> None:
    text = "".join(e + s for e, s in zip(exts, seps, strict=False))
    assert parse_extensions(text) == [e.lower().lstrip(".") for e in exts]


def test_extensions_option_with_spaces(tmp_path: Path) -> None:
    gz = tmp_path / "x.gz"
    gz.write_bytes(b"\0" * 200_000)
    assert hook.main(["--extensions", "csv, gz", str(gz)]) == 1


@pytest.mark.parametrize("argv", [["--max-data-kb", "-1"], ["--max-kb", "-5"], ["--max-kb", "x"]])
def test_negative_or_bad_limits_are_usage_errors(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        hook.main([*argv, "a.csv"])
    assert exc.value.code == 2
    assert "is not a size in KB" in capsys.readouterr().err


def test_100_4_kb_reads_as_over_100_kb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"x" * 102_800)  # 100.39 KB
    assert hook.main([str(path)]) == 1
    assert f"{path} (100.4 KB): data file over 100 KB" in capsys.readouterr().err


def test_a_symlink_is_measured_as_the_link(tmp_path: Path) -> None:
    big = tmp_path / "big.parquet"
    with open(big, "wb") as handle:
        handle.truncate(10 * 1024 * 1024)
    link = tmp_path / "data.parquet"
    link.symlink_to(big)
    assert data_file_violations([link], hard_limit_kb=1024) == []  # git stores ~20 bytes
    assert len(data_file_violations([big])) == 1


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def test_a_git_lfs_file_is_measured_as_its_pointer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitattributes").write_text("*.bin filter=lfs diff=lfs merge=lfs -text\n")
    (tmp_path / "models").mkdir()
    for name in ("models/model.bin", "model.onnx"):
        with open(tmp_path / name, "wb") as handle:
            handle.truncate(4 * 1024 * 1024)
    monkeypatch.chdir(tmp_path)
    found = data_file_violations(["models/model.bin", "model.onnx"])
    assert [v.path for v in found] == ["model.onnx"], "the LFS file is a 132-byte pointer"
    os.remove(".gitattributes")
    assert len(data_file_violations(["models/model.bin"])) == 1


def test_outside_a_repository_every_file_is_measured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    with open("m.bin", "wb") as handle:
        handle.truncate(300_000)
    assert len(data_file_violations(["m.bin"])) == 1
