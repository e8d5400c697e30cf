"""``regiokg serve``: the HTTP server (SPARQL protocol, JSON API, linked data, web UI)."""

from __future__ import annotations

import click

from api.cli.common import locked_message, settings_from
from graph.errors import StoreLocked


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="TCP port.")
@click.option("--store", "store", default=None,
              help="Store directory or remote SPARQL endpoint URL (overrides the global --store / REGIOKG_STORE).")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
@click.pass_context
def serve_command(ctx: click.Context, host: str, port: int, store: str | None, log_level: str) -> None:
    """Serve the knowledge graph over HTTP until interrupted (Ctrl-C).

    Limits come from the settings (REGIOKG_QUERY_TIMEOUT, REGIOKG_MAX_ROWS,
    REGIOKG_MAX_REQUEST_BYTES); writes need REGIOKG_TOKEN.
    """
    import uvicorn

    from api.app import create_app
    from graph.kg import KnowledgeGraph
    from graph.settings import Settings

    settings = settings_from(ctx)
    if store:
        settings = Settings(store=store)
    # Opened here, not in the app's start-up: a store in use by another server (or a restore)
    # is then one line (StoreLocked) instead of uvicorn's start-up traceback.
    try:
        kg = KnowledgeGraph.open(settings)
    except StoreLocked as exc:
        if exc.code == "store_restoring":
            raise
        raise StoreLocked(locked_message(settings.store_path()).replace(
            "run this command, then start it again", "or serve another --store")) from None
    try:
        app = create_app(kg, settings)
        click.echo(f"regiokg: serving {settings.store_location()} on http://{host}:{port}/ "
                   f"(SPARQL at /sparql, API docs at /docs); writes {'enabled' if settings.token else 'disabled'}",
                   err=True)
        uvicorn.run(app, host=host, port=port, log_level=log_level)
    finally:
        kg.close()


commands = [serve_command]
