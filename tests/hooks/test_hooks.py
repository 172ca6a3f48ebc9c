"""Hook entry points and `toolkit nb`: exit codes, messages, the git filter end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _helpers import git, toolkit_cli

from toolkit.hooks import data_files, errors, order, strip
from toolkit.notebooks.git_filter import ATTRIBUTE_LINE


def notebook(counts: list[int | None], *, error: bool = False) -> dict:
    cells = []
    for i, count in enumerate(counts):
        outputs = [{"output_type": "stream", "name": "stdout", "text": "hi\n"}] if count else []
        if error and i == len(counts) - 1:
            outputs = [
                {"output_type": "error", "ename": "ValueError", "evalue": "bad", "traceback": []}
            ]
        cells.append(
            {
                "cell_type": "code",
                "execution_count": count,
                "id": f"c{i}",
                "metadata": {},
                "outputs": outputs,
                "source": f"x{i} = {i}",
            }
        )
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def write(path: Path, nb: dict) -> Path:
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_strip_hook_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "a.ipynb", notebook([1, 2]))
    assert strip.main(["--check", str(path)]) == 1
    assert "would strip" in capsys.readouterr().err
    assert strip.main([str(path)]) == 1
    assert strip.main([str(path)]) == 0, "second run: already clean"
    assert strip.main(["--check", str(path)]) == 0


def test_strip_hook_bad_file_one_line_others_processed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{oops")
    good = write(tmp_path / "good.ipynb", notebook([1]))
    assert strip.main([str(bad), str(good)]) == 2  # bad input (2) wins over a stripped file (1)
    err = capsys.readouterr().err.splitlines()
    assert any(line.startswith(f"{bad}: invalid JSON") for line in err)
    assert bad.read_text() == "{oops"
    assert json.loads(good.read_text())["cells"][0]["outputs"] == []


@pytest.mark.parametrize(
    ("counts", "args", "expected", "needle"),
    [
        ([1, 2, 3], [], 0, ""),
        ([None, None], [], 0, ""),
        ([2, 1], [], 1, "cell 2 ran before cell 1"),
        ([1, 3], [], 1, "expected 2"),
        ([1, 3], ["--allow-gaps"], 0, ""),
        ([1, None, 2], [], 1, "cell 2 was not executed"),
        ([1, None, 2], ["--allow-unexecuted"], 0, ""),
        ([5, 6], [], 1, "expected 1"),
    ],
)
def test_order_hook(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    counts: list[int | None],
    args: list[str],
    expected: int,
    needle: str,
) -> None:
    path = write(tmp_path / "n.ipynb", notebook(counts))
    assert order.main([*args, str(path)]) == expected
    assert needle in capsys.readouterr().err


def test_errors_hook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = write(tmp_path / "ok.ipynb", notebook([1, 2]))
    broken = write(tmp_path / "err.ipynb", notebook([1, 2], error=True))
    assert errors.main([str(clean)]) == 0
    assert errors.main([str(broken)]) == 1
    assert "cell 2 has an error output (ValueError: bad)" in capsys.readouterr().err


def test_data_files_hook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    small_csv = tmp_path / "small.csv"
    small_csv.write_text("a,b\n1,2\n")
    big_csv = tmp_path / "big.csv"
    big_csv.write_bytes(b"0" * 200_000)
    weights = tmp_path / "model.PT"
    weights.write_bytes(b"0" * 150_000)
    huge = tmp_path / "video.mp4"
    huge.write_bytes(b"0" * (6 * 1024 * 1024))
    code = tmp_path / "big.py"
    code.write_bytes(b"#" * 200_000)
    paths = [str(p) for p in [small_csv, big_csv, weights, huge, code]]
    assert data_files.main(paths) == 1
    err = capsys.readouterr().err
    assert "big.csv" in err and "model.PT" in err and "video.mp4" in err
    assert "small.csv" not in err and "big.py" not in err
    assert "data/" in err  # says where such files belong
    assert data_files.main(["--max-data-kb", "500", "--max-kb", "10000", *paths]) == 0
    assert data_files.main(["--extensions", "mp4", "--max-data-kb", "1", str(huge)]) == 1


def test_nb_cli_strip_check_json_and_directories(tmp_path: Path) -> None:
    sub = tmp_path / "notebooks"
    sub.mkdir()
    write(sub / "a.ipynb", notebook([1]))
    write(sub / "b.ipynb", notebook([None]))
    checked = toolkit_cli("nb", "strip", "--check", "--json", "notebooks", cwd=tmp_path)
    assert checked.returncode == 1
    report = {Path(r["path"]).name: r["changed"] for r in json.loads(checked.stdout)}
    assert report == {"a.ipynb": True, "b.ipynb": False}
    assert toolkit_cli("nb", "strip", "notebooks", cwd=tmp_path).returncode == 1
    assert toolkit_cli("nb", "strip", "--check", "notebooks", cwd=tmp_path).returncode == 0
    order_result = toolkit_cli("nb", "check-order", "notebooks", cwd=tmp_path)
    assert order_result.returncode == 0


def test_git_filter_strips_index_keeps_working_copy(tmp_path: Path) -> None:
    git("init", "-q", cwd=tmp_path)
    installed = toolkit_cli("nb", "install-filter", cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    assert toolkit_cli("nb", "install-filter", cwd=tmp_path).returncode == 0  # idempotent
    assert (tmp_path / ".gitattributes").read_text().count(ATTRIBUTE_LINE) == 1
    nb_path = write(tmp_path / "分析.ipynb", notebook([1, 2]))
    git("add", ".", cwd=tmp_path)
    staged = json.loads(git("show", ":分析.ipynb", cwd=tmp_path).stdout)
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in staged["cells"])
    assert json.loads(nb_path.read_text())["cells"][0]["outputs"], "working copy keeps outputs"
    assert git("config", "--get", "filter.toolkit-nbstrip.process", cwd=tmp_path).stdout
    toolkit_cli("nb", "uninstall-filter", cwd=tmp_path)
    assert ATTRIBUTE_LINE not in (tmp_path / ".gitattributes").read_text()


def test_git_filter_refuses_to_stage_an_invalid_notebook(tmp_path: Path) -> None:
    """Neither an invalid blob nor one with its outputs may be staged: git add stops, naming
    the file in one line, and the good notebook of the same add is still cleaned."""
    git("init", "-q", cwd=tmp_path)
    assert toolkit_cli("nb", "install-filter", cwd=tmp_path).returncode == 0
    bad = tmp_path / "broken.ipynb"
    bad.write_text("{not json")
    added = subprocess.run(
        ["git", "add", "broken.ipynb"], cwd=tmp_path, capture_output=True, text=True
    )
    assert added.returncode != 0
    assert "broken.ipynb: not staged: invalid JSON" in added.stderr
    assert "Traceback" not in added.stderr
    staged = subprocess.run(["git", "ls-files", "--stage"], cwd=tmp_path, capture_output=True)
    assert b"broken.ipynb" not in staged.stdout
    assert bad.read_text() == "{not json", "working copy untouched"


def test_install_filter_global_covers_every_repository(tmp_path: Path) -> None:
    """--global writes the global git config and the global attributes file, so a repository
    that never ran install-filter strips notebooks on git add."""
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
    }
    env.pop("GIT_CONFIG_NOSYSTEM", None)
    installed = subprocess.run(
        [sys.executable, "-m", "toolkit", "nb", "install-filter", "--global"],
        cwd=tmp_path,  # not a repository: --global needs none
        env=env,
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stderr
    attributes = home / ".config" / "git" / "attributes"
    assert ATTRIBUTE_LINE in attributes.read_text()
    other = tmp_path / "other-repo"
    other.mkdir()
    git("init", "-q", cwd=other, env=env)
    write(other / "nb.ipynb", notebook([1]))
    git("add", "nb.ipynb", cwd=other, env=env)
    staged = json.loads(git("show", ":nb.ipynb", cwd=other, env=env).stdout)
    assert staged["cells"][0]["outputs"] == []
    assert not (other / ".gitattributes").exists(), "the repository itself is untouched"
    removed = subprocess.run(
        [sys.executable, "-m", "toolkit", "nb", "uninstall-filter", "--global"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert removed.returncode == 0, removed.stderr
    assert ATTRIBUTE_LINE not in attributes.read_text()


def test_install_filter_outside_git_is_one_line_error(tmp_path: Path) -> None:
    result = toolkit_cli("nb", "install-filter", cwd=tmp_path)
    assert result.returncode == 2 and "not inside a git repository" in result.stderr
    assert "Traceback" not in result.stderr


def test_filter_refuses_on_internal_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug in stripping must not stage the file unstripped: one line, nothing returned."""
    from toolkit.notebooks import git_filter

    def boom(*args: object, **kwargs: object) -> str:
        raise RuntimeError("bug")

    monkeypatch.setattr(git_filter, "strip_bytes", boom)
    data = json.dumps(notebook([1])).encode()
    assert git_filter.clean_bytes(data, "x.ipynb") is None
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "toolkit-nbstrip: x.ipynb: not staged: internal error RuntimeError; please report it"
    ]


def test_filter_process_protocol_round_trip() -> None:
    """Speak the pkt-line protocol as git does: handshake, two files to clean (one bad), one
    to smudge, then EOF."""
    import io

    from toolkit.notebooks import git_filter

    def pkt(payload: bytes) -> bytes:
        return b"%04x" % (len(payload) + 4) + payload

    big = json.dumps(notebook([1, 2]), indent=1).encode() + b" " * 70_000  # > one packet
    request = b"".join(
        [
            pkt(b"git-filter-client\n"),
            pkt(b"version=2\n"),
            b"0000",
            pkt(b"capability=clean\n"),
            pkt(b"capability=smudge\n"),
            b"0000",
        ]
    )
    files = [(b"clean", b"a.ipynb", big), (b"clean", b"bad.ipynb", b"{nope")]
    for command, name, content in [*files, (b"smudge", b"a.ipynb", big)]:
        request += pkt(b"command=" + command + b"\n") + pkt(b"pathname=" + name + b"\n")
        request += b"0000"
        chunks = [content[i : i + 65516] for i in range(0, len(content), 65516)]
        request += b"".join(pkt(c) for c in chunks) + b"0000"
    out = io.BytesIO()
    git_filter.serve_process(io.BytesIO(request), out)
    stream = io.BytesIO(out.getvalue())

    def until_flush() -> list[bytes]:  # read as git does, not with the filter's own reader
        packets = []
        while (size := int(stream.read(4), 16)) != 0:
            packets.append(stream.read(size - 4))
        return packets

    def text_list() -> list[str]:
        return [packet.decode().rstrip("\n") for packet in until_flush()]

    assert text_list() == ["git-filter-server", "version=2"]
    assert text_list() == ["capability=clean", "capability=smudge"]
    assert text_list() == ["status=success"]
    cleaned = json.loads(b"".join(until_flush()))
    assert text_list() == []
    assert all(c["outputs"] == [] for c in cleaned["cells"])
    assert text_list() == ["status=error"], "bad.ipynb is refused"
    assert text_list() == ["status=success"]
    assert b"".join(until_flush()) == big, "smudge: the blob as it is"
    assert text_list() == []
    assert stream.read() == b""


def test_strip_hook_nbstripout_style_options(tmp_path: Path) -> None:
    nb = notebook([1, 2])
    nb["cells"][0]["metadata"] = {"scrolled": True, "tags": ["scratch"], "mine": 1}
    nb["cells"][1]["metadata"] = {"tags": ["debug"]}
    nb["metadata"]["team"] = "x"
    path = write(tmp_path / "o.ipynb", nb)
    args = ["--keep-count", "--keep-metadata-keys", "scrolled", "--extra-keys"]
    args += ["metadata.team cell.metadata.mine", str(path)]
    assert strip.main(args) == 1
    out = json.loads(path.read_text())
    assert out["cells"][0]["execution_count"] == 1 and out["cells"][0]["outputs"] == []
    assert out["cells"][0]["metadata"] == {"scrolled": True, "tags": ["scratch"]}
    assert "team" not in out["metadata"]
    assert strip.main(["--drop-tagged-cells", "scratch debug", str(path)]) == 1
    assert json.loads(path.read_text())["cells"] == []


def test_list_options_do_not_swallow_file_names(tmp_path: Path) -> None:
    """pre-commit appends file names after `args:`; an option must take exactly one value."""
    path = write(tmp_path / "s.ipynb", notebook([1]))
    assert strip.main(["--drop-tagged-cells", "scratch", str(path)]) == 1
    assert json.loads(path.read_text())["cells"][0]["outputs"] == []


# Each of these costs a hook process 7-15 ms to import on a slow machine (nbstripout's whole
# per-file budget is ~150 ms; ours is ~11 ms), so the usual hook call must not load them.
HEAVY_FOR_A_HOOK = {"typing", "re", "json", "argparse", "pathlib", "tempfile", "concurrent"}


@pytest.mark.parametrize(
    "module", ["strip", "order", "errors", "data_files"], ids=lambda name: f"hook-{name}"
)
def test_hook_run_on_file_names_imports_nothing_heavy(tmp_path: Path, module: str) -> None:
    path = write(tmp_path / "nb.ipynb", notebook([1, 2]))
    script = (
        "import sys\n"
        f"from toolkit.hooks.{module} import main\n"
        f"main([{str(path)!r}])\n"
        "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    loaded = set(result.stdout.split())
    assert loaded & HEAVY_FOR_A_HOOK == set(), result.stdout


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("toolkit-strip-notebook", "stripped"),
        ("toolkit-check-notebook-order", "cell 2"),
        ("toolkit-check-notebook-errors", "error output"),
    ],
)
def test_console_scripts_exit_fast_with_status_and_messages(
    tmp_path: Path, script: str, expected: str
) -> None:
    """The scripts skip interpreter teardown (os._exit): status and stderr must survive it."""
    executable = Path(sys.executable).parent / script
    if not executable.exists():
        pytest.skip(f"{script} not installed in this environment")
    path = write(tmp_path / "nb.ipynb", notebook([2, 1], error=True))
    result = subprocess.run([str(executable), str(path)], capture_output=True, text=True)
    assert result.returncode == 1 and expected in result.stderr, result.stderr
    if script == "toolkit-strip-notebook":
        assert json.loads(path.read_text(encoding="utf-8"))["cells"][0]["outputs"] == []


def test_strip_options_parse_the_same_in_hook_cli_and_filter(tmp_path: Path) -> None:
    """Issue 12 item 24: one definition of the options, so "scratch debug" is two tags and
    "metadata.foo cell.metadata.bar" two keys in the hook, `toolkit nb strip` and the filter;
    all three write the same bytes."""
    nb = notebook([1, 2, 3, 4])
    for cell, tag in zip(nb["cells"], ["scratch", "debug", "keep", "x"], strict=True):
        cell["metadata"] = {"tags": [tag], "bar": 1, "other": 2}
    nb["metadata"] = {"foo": 1, "kept": 2}
    args = [
        "--drop-tagged-cells",
        "scratch debug",
        "--extra-keys",
        "metadata.foo cell.metadata.bar",
    ]
    hook_file = write(tmp_path / "hook.ipynb", nb)
    assert strip.main([*args, str(hook_file)]) == 1
    cli_file = write(tmp_path / "cli.ipynb", nb)
    assert toolkit_cli("nb", "strip", *args, str(cli_file), cwd=tmp_path).returncode == 1
    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    installed = toolkit_cli("nb", "install-filter", *args, cwd=repo)
    assert installed.returncode == 0, installed.stderr
    write(repo / "nb.ipynb", nb)
    git("add", "nb.ipynb", cwd=repo)
    staged = git("show", ":nb.ipynb", cwd=repo).stdout.encode()
    assert hook_file.read_bytes() == cli_file.read_bytes() == staged
    result = json.loads(staged)
    assert [c["metadata"] for c in result["cells"]] == [
        {"tags": ["keep"], "other": 2},
        {"tags": ["x"], "other": 2},
    ]
    assert result["metadata"] == {"kept": 2}
