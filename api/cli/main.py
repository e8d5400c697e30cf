"""The ``regiokg`` command line: one group, command modules registered below.

Errors are one line on stderr (``error: ...``) and exit code 1 (2 for usage errors); a
traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback

import click

from graph.errors import RegiokgError
from graph.settings import SETTINGS_DOC, settings_help

# Each module exposes ``commands``: a list of click commands/groups to add to the CLI.
COMMAND_MODULES = [
    "api.cli.store_cmds",
    "api.cli.imports",
    "api.cli.serve",
    "api.cli.analysis",
    "api.cli.ingest",
]


class RegiokgGroup(click.Group):
    """A click group that turns errors into one clear line and a non-zero exit."""

    def invoke(self, ctx: click.Context):  # noqa: D401 - click API
        try:
            return super().invoke(ctx)
        except RegiokgError as exc:
            if ctx.find_root().params.get("debug"):
                traceback.print_exc()
            click.echo(f"error: {exc.message}", err=True)
            violations = getattr(exc, "violations", None)
            if violations:
                for v in violations[1:20]:
                    click.echo(f"  - {v.get('focus_node') or ''} {v.get('path') or ''}: {v['message']}", err=True)
            ctx.exit(1)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except BrokenPipeError:
            # The reader stopped early (``regiokg stats | head``): what it read is all it
            # wanted. Point stdout at /dev/null so the interpreter's final flush is quiet.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except KeyboardInterrupt:
            click.echo("error: interrupted; nothing was written by the interrupted step", err=True)
            ctx.exit(130)
        except Exception as exc:  # an unexpected failure: still one line unless --debug
            if ctx.find_root().params.get("debug"):
                traceback.print_exc()
            else:
                click.echo(f"error: unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)",
                           err=True)
            ctx.exit(1)


STORE = next(doc for doc in SETTINGS_DOC if doc.name == "store")


@click.group(cls=RegiokgGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=settings_help())
@click.option("--store", "store", type=click.Path(file_okay=False), default=None, envvar=STORE.env,
              help=f"{STORE.description} (env {STORE.env}, default {STORE.default}).")
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
@click.version_option(package_name="regiokg")
@click.pass_context
def cli(ctx: click.Context, store: str | None, debug: bool) -> None:
    """regiokg: a knowledge graph of Dutch public actors and their cooperation."""
    ctx.ensure_object(dict)
    ctx.obj["store"] = store
    ctx.obj["debug"] = debug


def _register() -> None:
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        for command in module.commands:
            cli.add_command(command)


_register()


def main() -> None:
    cli(prog_name="regiokg")


if __name__ == "__main__":
    main()
