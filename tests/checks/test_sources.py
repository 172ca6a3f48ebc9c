"""toolkit.checks.sources: every kind of TRAIN/TEST spec opens on the engine asked for (or the
one auto picks, saying why), and bad specs are one UsageError naming what and what to do."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

pl = pytest.importorskip("polars")
duckdb = pytest.importorskip("duckdb")
import narwhals as nw  # noqa: E402
import pandas as pd  # noqa: E402

from toolkit.checks import sources as src  # noqa: E402
from toolkit.checks.sources import (  # noqa: E402
    CatalogTable,
    EngineError,
    SqlQuery,
    open_sources,
)
from toolkit.errors import UsageError  # noqa: E402


def frame(n: int = 600, seed: int = 0) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    return pl.DataFrame(
        {
            "x": rng.normal(size=n),
            "city": rng.choice(["北京", "上海", "深圳"], n),
            "y": rng.integers(0, 2, n),
        }
    )


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    """A hive-partitioned Parquet folder as Spark writes it: key=value folders, a _SUCCESS
    marker, a hidden .crc file."""
    df = frame()
    for i, month in enumerate(("2024-01", "2024-02", "2024-03")):
        part = tmp_path / "lake" / "train" / f"month={month}" / f"region={i % 2}"
        part.mkdir(parents=True)
        df[i * 200 : (i + 1) * 200].write_parquet(part / "part-0000.parquet")
        (part / ".part-0000.parquet.crc").write_bytes(b"\0\1")
    (tmp_path / "lake" / "train" / "_SUCCESS").write_bytes(b"")
    return tmp_path / "lake" / "train"


def columns(source: src.Source) -> list[str]:
    f = source.frame
    return list((f if type(f).__module__.startswith("narwhals") else nw.from_native(f)).columns)


def collect(source: src.Source) -> pl.DataFrame:
    f = source.frame
    wrapped = f if type(f).__module__.startswith("narwhals") else nw.from_native(f)
    if isinstance(wrapped, nw.LazyFrame):
        wrapped = wrapped.collect()
    return pl.from_arrow(wrapped.to_arrow())


@pytest.mark.parametrize("engine", ["polars", "pandas", "duckdb"])
def test_hive_folder_becomes_partition_columns_on_every_engine(lake: Path, engine: str) -> None:
    with open_sources(lake, target="y", engine=engine) as s:
        assert s.train.engine == engine
        assert columns(s.train)[:3] == ["x", "city", "y"]
        assert set(columns(s.train)) == {"x", "city", "y", "month", "region"}
        data = collect(s.train)
        assert data.height == 600 and s.train.rows == 600  # from the Parquet footers
        assert sorted(set(data["month"].to_list())) == ["2024-01", "2024-02", "2024-03"]
        assert data["region"].dtype == pl.Int64  # typed as DuckDB and Spark type it
        assert data["month"].dtype == pl.String  # 2024-01 is no date: text everywhere
        assert "3 files, hive-partitioned" in s.train.description
    if engine in ("polars", "pandas"):
        assert isinstance(s.train.frame, pl.DataFrame if engine == "polars" else pd.DataFrame)
    else:
        assert isinstance(s.train.frame, nw.LazyFrame)
        assert isinstance(s.train.frame.to_native(), duckdb.DuckDBPyRelation)


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_date_partitions_are_dates_on_every_engine(tmp_path: Path, engine: str) -> None:
    for day in ("2024-01-30", "2024-01-31"):
        (tmp_path / f"dt={day}").mkdir()
        frame().write_parquet(tmp_path / f"dt={day}" / "part-0.parquet")
    with open_sources(tmp_path, target="y", engine=engine) as s:
        assert collect(s.train)["dt"].dtype == pl.Date


def test_glob_and_recursive_glob(lake: Path) -> None:
    one = str(lake / "month=2024-01" / "*" / "*.parquet")
    with open_sources(one, target="y", engine="duckdb") as s:
        assert collect(s.train).height == 200
    every = str(lake / "**" / "*.parquet")
    with open_sources(every, target="y", engine="polars") as s:
        assert s.train.rows == 600 and "month" in columns(s.train)


def test_csv_file_and_folder(tmp_path: Path) -> None:
    df = frame()
    (tmp_path / "csv").mkdir()
    df[:300].write_csv(tmp_path / "csv" / "a.csv")
    df[300:].write_csv(tmp_path / "csv" / "b.csv")
    for engine in ("polars", "duckdb"):
        with open_sources(
            tmp_path / "csv", tmp_path / "csv" / "b.csv", target="y", engine=engine
        ) as s:
            assert collect(s.train).height == 600 and collect(s.test).height == 300
            assert collect(s.train)["city"].to_list()[:3] == df["city"].to_list()[:3]


def test_frames_keep_their_engine_and_convert_only_through_arrow() -> None:
    df = frame()
    cases = [
        (df.to_pandas(), "pandas"),
        (df, "polars"),
        (df.lazy(), "polars"),
    ]
    for native, engine in cases:
        with open_sources(native, native, target="y") as s:
            assert s.train.engine == engine and s.test is not None
    con = duckdb.connect()
    rel = con.from_arrow(df.to_arrow())
    with open_sources(rel, target="y") as s:
        assert s.train.engine == "duckdb" and s.train.frame.to_native() is rel
    with open_sources(df.to_pandas(), df, target="y", engine="duckdb") as s:
        assert collect(s.test).equals(df)
    with pytest.raises(UsageError, match="runs on duckdb; use --engine duckdb"):
        open_sources(rel, target="y", engine="polars")
    with pytest.raises(UsageError, match="expected a path, a pandas/polars DataFrame"):
        open_sources([1, 2], target="y")


def test_sql_runs_on_duckdb_and_reads_files(lake: Path) -> None:
    query = f"SELECT * FROM read_parquet('{lake}/**/*.parquet', hive_partitioning=true)"
    with open_sources(
        SqlQuery(query), SqlQuery(query + " WHERE month = '2024-03'"), target="y"
    ) as s:
        assert s.train.engine == "duckdb" and "duckdb runs the SQL" in s.notes[0]
        assert collect(s.train).height == 600 and collect(s.test).height == 200
    with pytest.raises(UsageError, match=r"--sql 'SELEC nope'.*syntax"):
        open_sources(SqlQuery("SELEC nope"), target="y", engine="duckdb")


def test_auto_picks_in_memory_when_it_fits_and_duckdb_otherwise(
    lake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_sources(lake, target="y") as s:
        assert s.train.engine == "polars"
        [note] = s.notes
        assert note.startswith("auto engine: polars (data ~") and "available" in note
    monkeypatch.setattr(src, "IN_MEMORY_MAX_BYTES", 1_000)  # as if the folder were huge
    with open_sources(lake, target="y") as s:
        assert s.train.engine == "duckdb" and s.notes[0].startswith("auto engine: duckdb")


def test_memory_estimate_reads_parquet_footers(lake: Path) -> None:
    files = src._find_files(str(lake), "TRAIN")
    estimate = src._memory_estimate(files)
    in_memory = frame().estimated_size()
    assert in_memory / 4 < estimate < in_memory * 4  # footers, not a read


@pytest.mark.parametrize(
    ("spec", "needle"),
    [
        ("{d}/nothing/*.parquet", "matches no file"),
        ("{d}/no_such_dir", "no such file or folder"),
        ("{d}/empty", "is a folder with no data file"),
        ("{d}/notes", "(it holds readme.md)"),
        ("{d}/mixed", "mixes Parquet and CSV"),
    ],
)
def test_paths_that_name_no_data(tmp_path: Path, spec: str, needle: str) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.md").write_text("x", encoding="utf-8")
    (tmp_path / "mixed").mkdir()
    frame().write_csv(tmp_path / "mixed" / "a.csv")
    frame().write_parquet(tmp_path / "mixed" / "b.parquet")
    path = spec.format(d=tmp_path)
    with pytest.raises(
        UsageError, match="TRAIN .*" + needle.replace("(", r"\(").replace(")", r"\)")
    ):
        open_sources(path, target="y", engine="duckdb")


def test_splits_that_cannot_be_compared(tmp_path: Path) -> None:
    df = frame()
    df.write_parquet(tmp_path / "train.parquet")
    df.drop("city").write_parquet(tmp_path / "fewer.parquet")
    df.with_columns(pl.col("x").cast(pl.String)).write_parquet(tmp_path / "text.parquet")
    df.with_columns(pl.col("x").cast(pl.Float32)).write_parquet(tmp_path / "float32.parquet")
    df.drop("y").write_parquet(tmp_path / "unlabelled.parquet")
    train = tmp_path / "train.parquet"
    for engine in ("polars", "duckdb"):
        with pytest.raises(
            UsageError, match=r"--test .*fewer.parquet: columns differ .*missing city"
        ):
            open_sources(train, tmp_path / "fewer.parquet", target="y", engine=engine)
        with pytest.raises(UsageError, match=r"column 'x' is Float64 in TRAIN but String"):
            open_sources(train, tmp_path / "text.parquet", target="y", engine=engine)
        with pytest.raises(UsageError, match=r"--target 'y': no such column in --test .*unlab"):
            open_sources(train, tmp_path / "unlabelled.parquet", target="y", engine=engine)
        with pytest.raises(UsageError, match=r"--target 'label': no such column in TRAIN"):
            open_sources(train, target="label", engine=engine)
        # numbers of another width are the same kind: compared, not refused
        open_sources(train, tmp_path / "float32.parquet", target="y", engine=engine).close()


def test_queries_need_an_engine_that_runs_them() -> None:
    with pytest.raises(UsageError, match="--sql 'SELECT 1' needs --engine duckdb or spark"):
        open_sources(SqlQuery("SELECT 1"), target="y", engine="polars")
    with pytest.raises(UsageError, match=r"--table db\.t needs --engine spark"):
        open_sources(CatalogTable("db.t"), target="y", engine="duckdb")
    with pytest.raises(UsageError, match="--spark-master needs --engine spark"):
        open_sources(frame(), target="y", engine="duckdb", spark_master="local[1]")
    with pytest.raises(UsageError, match="--engine dask: expected one of auto, pandas"):
        open_sources(frame(), target="y", engine="dask")


@pytest.mark.parametrize(("module", "extra"), [("duckdb", "data"), ("pyspark", "spark")])
def test_a_missing_engine_names_its_extra(
    monkeypatch: pytest.MonkeyPatch, module: str, extra: str, lake: Path
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # as if not installed
    engine = "spark" if module == "pyspark" else "duckdb"
    with pytest.raises(EngineError, match=rf'pip install "compound-toolkit\[{extra}\]"'):
        open_sources(lake, target="y", engine=engine)


def test_non_utf8_csv_is_refused_by_duckdb_not_misread(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("城市,y\n北京,1\n上海,0\n".encode("gbk") * 50)
    with pytest.raises(UsageError, match=r"gb18030 text; DuckDB reads CSV as UTF-8 only"):
        open_sources(path, target="y", engine="duckdb")
    with open_sources(path, target="y", engine="polars") as s:  # the in-memory path reads it
        assert "北京" in collect(s.train)["城市"].to_list()


def test_duckdb_connection_spills_to_a_temp_dir_it_removes() -> None:
    con, close = src.duckdb_connection("256MB")
    spill = Path(con.execute("SELECT current_setting('temp_directory')").fetchone()[0])
    limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert spill.is_dir() and limit.replace(" ", "") in ("256.0MiB", "244.1MiB", "256MB")
    close()
    assert not spill.exists()
