"""The Spark engine as a user meets it: a local SparkSession (local[2]) reading a hive folder,
SQL and a catalog table; Java missing or broken is one line and exit 2, in a real subprocess of
the installed ``toolkit`` (no traceback, nothing written)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pl = pytest.importorskip("polars")
pytest.importorskip("pyspark")
import narwhals as nw  # noqa: E402

from toolkit.checks.sources import (  # noqa: E402
    CatalogTable,
    SqlQuery,
    open_sources,
    spark_local_config,
    spark_session,
)

pytestmark = pytest.mark.slow
TOOLKIT = Path(sys.executable).with_name("toolkit")


@pytest.fixture(scope="module")
def spark():  # type: ignore[no-untyped-def]
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java: .ci/run installs openjdk-17-jre-headless")
    session = spark_session("local[2]")  # getOrCreate: shared with other tests of this worker
    yield session


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    n = 300
    df = pl.DataFrame(
        {
            "x": rng.normal(size=n),
            "city": rng.choice(["北京", "上海"], n),
            "y": rng.integers(0, 2, n),
        }
    )
    for month in ("2024-01", "2024-02"):
        part = tmp_path / "lake" / f"month={month}"
        part.mkdir(parents=True)
        df.write_parquet(part / "part-0.parquet")
    (tmp_path / "lake" / "_SUCCESS").write_bytes(b"")
    return tmp_path / "lake"


def test_spark_reads_a_hive_folder_sql_and_a_table(spark, lake: Path) -> None:  # type: ignore[no-untyped-def]
    with open_sources(lake, target="y", spark=spark) as s:
        assert s.train.engine == "spark"
        frame = s.train.frame
        assert isinstance(frame, nw.LazyFrame)
        assert set(frame.columns) == {"x", "city", "y", "month"}
        assert frame.select(nw.len()).collect().item() == 600 and s.train.rows == 600
    # a session passed in is the user's: still running after close()
    assert not spark.sparkContext._jsc.sc().isStopped()
    spark.read.parquet(str(lake)).createOrReplaceTempView("toolkit_lake")
    with open_sources(
        CatalogTable("toolkit_lake"),
        SqlQuery("SELECT * FROM toolkit_lake WHERE month = '2024-02'"),
        target="y",
        spark=spark,
    ) as s:
        assert s.train.engine == s.test.engine == "spark"
        assert s.test.frame.select(nw.len()).collect().item() == 300
        assert "city" in s.train.frame.collect_schema()
    with pytest.raises(Exception, match=r"--table no_such_db\.t: .*(not found|cannot be found)"):
        open_sources(CatalogTable("no_such_db.t"), target="y", spark=spark)


def test_a_running_session_is_the_users_and_local_sessions_get_memory(spark, lake: Path) -> None:  # type: ignore[no-untyped-def]
    """A notebook's session, not passed in, is used as it is and left running; a local session
    we start has the driver memory and shuffle partitions of ``spark_local_config``."""
    with open_sources(lake, target="y", engine="spark") as s:
        assert s.train.engine == "spark"
        assert any("already running" in n for n in s.notes), s.notes
    assert not spark.sparkContext._jsc.sc().isStopped()
    wanted = spark_local_config("local[2]")
    assert spark.conf.get("spark.sql.shuffle.partitions") == wanted["spark.sql.shuffle.partitions"]
    memory = spark.sparkContext.getConf().get("spark.driver.memory")  # read as the JVM started
    assert memory.endswith("m") and 1024 <= int(memory[:-1]) <= 4096, memory
    heap = spark.sparkContext._jvm.java.lang.Runtime.getRuntime().maxMemory()
    assert heap >= 0.85 * int(memory[:-1]) * 2**20  # the JVM has it (not Spark's 1 GB default)


def _toolkit(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TOOLKIT), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300
    )


def test_no_java_is_one_line_exit_2_and_nothing_written(lake: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"}
    env["PATH"] = str(TOOLKIT.parent)  # the venv's scripts only: no java anywhere
    out = tmp_path / "out" / "report.html"
    args = ["check", "data", str(lake), "--target", "y", "--engine", "spark", "--html", str(out)]
    res = _toolkit(args, env, tmp_path)
    assert res.returncode == 2, res.stderr
    err = res.stderr.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "Spark needs Java 17+" in err and "openjdk-17-jre-headless" in err
    assert not (tmp_path / "out").exists()


def test_a_java_that_cannot_start_spark_is_one_line(lake: Path, tmp_path: Path) -> None:
    broken = tmp_path / "jdk" / "bin" / "java"
    broken.parent.mkdir(parents=True)
    broken.write_text("#!/bin/sh\necho 'Error: this java is broken' >&2\nexit 1\n")
    broken.chmod(0o755)
    env = {**os.environ, "JAVA_HOME": str(tmp_path / "jdk")}
    res = _toolkit(
        ["check", "data", str(lake), "--target", "y", "--engine", "spark"], env, tmp_path
    )
    assert res.returncode == 2, res.stderr
    last = res.stderr.strip().splitlines()[-1]
    assert "Traceback" not in res.stderr
    assert last.startswith("toolkit: error: Spark session on local[2] cannot start")
