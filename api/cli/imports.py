"""``regiokg import``: open data into the graph (boundaries and lineage, OpenGR, Regioatlas)."""

from __future__ import annotations

import json

import click

from api.cli.common import open_kg, progress
from graph.importers import import_all, import_boundaries, import_dsta, import_opengr, import_regioatlas
from graph.importers.report import ImportReport

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print the report(s) as JSON.")
VALIDATE_OPTION = click.option("--validate/--no-validate", default=False, show_default=True,
                               help="SHACL-validate each import graph on its own before writing.")


def _print(reports: list[ImportReport], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in reports], indent=2, ensure_ascii=False))
    else:
        click.echo("\n\n".join(r.to_text() for r in reports))


@click.group("import")
def import_group() -> None:
    """Import open data (each into its own named graph, replaced atomically; re-runs change nothing).

    Without PATH_OR_URL each command downloads the dataset from its public location.
    Import the boundaries first: the other imports resolve names through them.
    """


@import_group.command("boundaries")
@click.argument("path_or_url", required=False)
@JSON_OPTION
@VALIDATE_OPTION
@click.pass_context
def boundaries_command(ctx, path_or_url, as_json, validate):
    """CBS municipality/province boundaries (TopoJSON or GeoJSON file, folder or URL).

    The newest year becomes geometry and centroids of today's municipalities; with an older
    municipality file as well (e.g. the 2016 one), the municipal lineage is derived too.
    """
    kg = open_kg(ctx)
    with progress("importing boundaries"):
        _print(import_boundaries(kg, path_or_url, validate=validate), as_json)


@import_group.command("opengr")
@click.argument("path_or_url", required=False)
@JSON_OPTION
@VALIDATE_OPTION
@click.pass_context
def opengr_command(ctx, path_or_url, as_json, validate):
    """OpenGR participants of joint arrangements (opengr_provincies.csv)."""
    kg = open_kg(ctx)
    with progress("importing OpenGR"):
        _print([import_opengr(kg, path_or_url, validate=validate)], as_json)


@import_group.command("dsta")
@click.argument("path_or_url", required=False)
@JSON_OPTION
@VALIDATE_OPTION
@click.pass_context
def dsta_command(ctx, path_or_url, as_json, validate):
    """DSTA list of arrangements: GR codes and addresses for arrangements already imported (after opengr)."""
    kg = open_kg(ctx)
    with progress("importing the DSTA list"):
        _print([import_dsta(kg, path_or_url, validate=validate)], as_json)


@import_group.command("regioatlas")
@click.argument("path_or_url", required=False)
@JSON_OPTION
@VALIDATE_OPTION
@click.pass_context
def regioatlas_command(ctx, path_or_url, as_json, validate):
    """Regioatlas regional divisions (a folder of <domain>/<division>.csv files, one file, or a URL)."""
    kg = open_kg(ctx)
    with progress("importing Regioatlas"):
        _print([import_regioatlas(kg, path_or_url, validate=validate)], as_json)


@import_group.command("classify")
@JSON_OPTION
@click.pass_context
def classify_command(ctx, as_json):
    """Policy domain and form of every arrangement by rules on its names (graph/derived/classification).

    Run after the imports (``import all`` runs it last); values another graph states are kept.
    """
    from graph.classify import classify

    kg = open_kg(ctx)
    with progress("classifying arrangements"):
        _print([classify(kg)], as_json)


@import_group.command("all")
@click.argument("data_dir", type=click.Path(file_okay=False, exists=True))
@JSON_OPTION
@VALIDATE_OPTION
@click.pass_context
def all_command(ctx, data_dir, as_json, validate):
    """Everything in a folder laid out like ../shared/data (geo/, opengr/, regioatlas/), in order."""
    kg = open_kg(ctx)
    with progress("importing all open data"):
        _print(import_all(kg, data_dir, validate=validate), as_json)


commands = [import_group]
