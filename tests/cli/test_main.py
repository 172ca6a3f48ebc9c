"""The `toolkit` entry point: version, help, lazy loading, error handling, light start-up."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

import toolkit
from toolkit.cli import main as cli_main
from toolkit.errors import ToolkitError, UsageError

HEAVY = ["matplotlib", "pandas", "sklearn", "nbconvert", "cookiecutter", "numpy", "polars"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, check=False
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert toolkit.__version__ in result.stdout


def test_help_lists_every_group_without_importing_them() -> None:
    code = (
        "import sys; from toolkit.cli.main import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('LOADED=' + ','.join(m for m in sys.modules if m.startswith('toolkit.cli.')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for group in cli_main.LAZY_COMMANDS:
        assert group in result.stdout
    loaded = result.stdout.rsplit("LOADED=", 1)[1].strip().split(",")
    assert set(loaded) <= {"toolkit.cli.main", "toolkit.cli._common"}


@pytest.mark.parametrize("statement", ["import toolkit", "import toolkit.cli.main"])
def test_startup_imports_no_heavy_library(statement: str) -> None:
    code = f"import sys; {statement}; print(','.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    modules = set(result.stdout.strip().split(","))
    assert not [m for m in HEAVY if m in modules]


def test_unknown_command_is_a_usage_error() -> None:
    result = run("no-such-command")
    assert result.returncode == 2
    assert "no-such-command" in result.stderr
    assert "Traceback" not in result.stderr


def test_submodules_load_lazily() -> None:
    assert "scaffold" in dir(toolkit)
    with pytest.raises(AttributeError):
        _ = toolkit.not_a_module


@pytest.mark.parametrize(
    ("error", "code"), [(ToolkitError("bad file x.ipynb"), 1), (UsageError("bad name"), 2)]
)
def test_expected_errors_are_one_line_and_exit_code(
    error: ToolkitError,
    code: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    @click.command("boom")
    def boom() -> None:
        raise error

    monkeypatch.setitem(cli_main.cli.commands, "boom", boom)
    with pytest.raises(SystemExit) as exit_info:
        cli_main.main(["boom"])
    assert exit_info.value.code == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(error) in err and "Traceback" not in err


def test_ctx_exit_code_is_propagated(monkeypatch: pytest.MonkeyPatch) -> None:
    @click.command("findings")
    @click.pass_context
    def findings(ctx: click.Context) -> None:
        ctx.exit(1)

    monkeypatch.setitem(cli_main.cli.commands, "findings", findings)
    with pytest.raises(SystemExit) as exit_info:
        cli_main.main(["findings"])
    assert exit_info.value.code == 1


def test_json_helper_keeps_cjk_readable() -> None:
    from toolkit.cli._common import dumps_json

    assert json.loads(dumps_json({"标题": "中文"})) == {"标题": "中文"}
    assert "中文" in dumps_json({"x": "中文"})


def test_file_system_errors_are_one_line_not_a_traceback(tmp_path, capsys) -> None:
    """A file where a folder should be: the environment, not a bug."""
    from toolkit.cli.main import main

    blocker = tmp_path / "notes.txt"
    blocker.write_text("x")
    for argv in (
        ["snippet", "add", "cv/nms", "--to", str(blocker / "sub")],
        ["new", "ml-project", "--no-input", "-o", str(blocker)],
    ):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        err = capsys.readouterr().err.strip()
        assert exc.value.code == 1 and len(err.splitlines()) == 1, err
        assert err.startswith("toolkit: error: ") and "Traceback" not in err
    assert blocker.read_text() == "x"
