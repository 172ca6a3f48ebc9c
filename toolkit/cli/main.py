"""Entry point of the ``toolkit`` command.

Command groups are registered by import path and imported only when invoked, so
``toolkit --help`` and the pre-commit hooks never pay for matplotlib, pandas or nbconvert.
Click was chosen over typer: typer builds on click anyway, but imports rich and inspects type
hints at start-up; click alone keeps ``toolkit --help`` light and its ``Group`` API makes lazy
loading a few lines.

Example:
    $ toolkit --version
    $ toolkit new --list
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from toolkit import __version__
from toolkit.errors import ToolkitError

# name -> ("module:attribute", one-line help shown by `toolkit --help` without importing it)
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "new": ("toolkit.cli.new:new", "Create a project from a template (cookiecutter)."),
    "nb": ("toolkit.cli.nb:nb", "Notebook tools: strip outputs, check order and errors, filters."),
    "report": ("toolkit.cli.report:report", "Turn notebooks into results-only HTML reports."),
    "check": ("toolkit.cli.check:check", "Data checks: leakage, drift, labels, health report."),
    "snippet": ("toolkit.cli.snippet:snippet", "The snippet library: find, add, sync code pieces."),
    "reuse": ("toolkit.cli.reuse:reuse", "Find the code you repeat across projects and notebooks."),
    "runs": ("toolkit.cli.runs:runs", "Experiment runs: list, compare, audit, export to MLflow."),
    "update": ("toolkit.cli.update:update", "Merge a newer template version into a project."),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            target, _ = LAZY_COMMANDS[cmd_name]
            module_name, attribute = target.split(":")
            command = getattr(importlib.import_module(module_name), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{target} is not a click command")
            return command
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Use the registered one-line help so listing commands imports none of them.
        rows = [(name, LAZY_COMMANDS[name][1]) for name in sorted(LAZY_COMMANDS)]
        rows += [
            (name, cmd.get_short_help_str())
            for name, cmd in sorted(self.commands.items())
            if name not in LAZY_COMMANDS and not cmd.hidden
        ]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        *,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Standalone (the ``toolkit`` command, click's ``CliRunner``): expected errors become
        one line on stderr and their exit code, so tests see what users see."""
        if not standalone_mode:
            return super().main(args, prog_name, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("toolkit: aborted", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except ToolkitError as exc:
            click.echo(f"toolkit: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except OSError as exc:
            # A file the user named cannot be read or written (a file where a folder should be,
            # no permission, disk full): the environment, not a bug, so one line and exit 1.
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"toolkit: error: {where}{exc.strerror or exc}", err=True)
            sys.exit(1)
        except ModuleNotFoundError as exc:
            from toolkit._extras import missing_extra_message

            message = missing_extra_message(exc)
            if message is None:
                raise
            click.echo(f"toolkit: error: {message}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("toolkit: interrupted", err=True)
            sys.exit(130)
        # With standalone_mode=False click returns ctx.exit(code)'s code instead of exiting.
        if isinstance(result, int) and result != 0:
            sys.exit(result)
        return result


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="toolkit")
def cli() -> None:
    """compound-toolkit: your repeated ML work, pulled into a tested library.

    Every command has --help. Exit codes: 0 ok, 1 findings or a failed check, 2 bad input or
    usage (a bad argument, a missing or malformed file).
    """


def main(argv: list[str] | None = None) -> Any:
    """Run the CLI; expected errors become one line on stderr and exit code 1 or 2."""
    return cli.main(args=argv, prog_name="toolkit")
