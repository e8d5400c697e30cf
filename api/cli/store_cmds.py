"""Store commands: load, validate, query, stats, graphs, dump, restore."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click
import pyoxigraph as ox

from api.cli.common import open_kg, progress, settings_from
from graph import rdfio
from graph.errors import BadInput, QueryError
from graph.kg import KnowledgeGraph, file_graph_iri
from graph.queries import with_prefixes
from graph.terms import to_python

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


@click.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--graph", "graph", default=None, help="Named graph for triples outside any graph "
              "(default: https://w3id.org/regiokg/graph/file/<file-name>).")
@click.option("--title", default=None, help="Describe the graph(s) with this title if they lack one.")
@click.option("--publisher", default=None, help="... and this publisher.")
@click.option("--date", "date", default=None, help="... and this date (YYYY-MM-DD).")
@click.pass_context
def load_command(ctx, files, graph, title, publisher, date):
    """Parse, SHACL-validate and load RDF files in one atomic write.

    Formats by extension: .ttl .trig .nt .nq .jsonld .rdf/.xml/.owl .n3. Invalid input is
    refused whole: nothing is written.
    """
    kg = open_kg(ctx)
    describe = {k: v for k, v in (("title", title), ("publisher", publisher), ("date", date)) if v}
    with progress(f"loading {len(files)} file(s)"):
        counts = kg.load_files(files, graph=graph, describe=describe or None)
    for g, n in sorted(counts.items()):
        click.echo(f"{n}\t{g}")
    click.echo(f"loaded {sum(counts.values())} quads into {len(counts)} graph(s)")


@click.command("validate")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--graph", "graph", default=None, help="Named graph for triples outside any graph.")
@click.pass_context
def validate_command(ctx, files, graph):
    """SHACL-validate RDF files (or, with no FILE, every graph in the store) without writing."""
    kg = open_kg(ctx)
    with progress("validating"):
        if files:
            quads = []
            for f in files:
                quads.extend(rdfio.parse_file(f, graph=graph or file_graph_iri(f)))
        else:
            quads = list(kg.store.quads())
        kg.validate(quads)
    click.echo(f"valid: {len(quads)} quads in {len(rdfio.graph_names(quads))} graph(s) conform to the shapes")


@click.command("query")
@click.argument("sparql")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv", "turtle", "nquads"]),
              default="table", show_default=True, help="Output format (json = SPARQL 1.1 JSON results).")
@click.pass_context
def query_command(ctx, sparql, fmt):
    """Run a SPARQL query given as text or as @file.rq."""
    if sparql.startswith("@"):
        path = Path(sparql[1:])
        if not path.is_file():
            raise BadInput(f"{path}: no such query file")
        sparql = path.read_text(encoding="utf-8")
    kg = open_kg(ctx)
    full = with_prefixes(sparql)
    try:
        result = kg.query(full)
    except QueryError as exc:
        if full is sparql:
            raise
        # positions as in the text the user gave, not in the one with PREFIX lines added
        message = re.sub(r"error at (\d+):", lambda m: f"error at {int(m.group(1)) - 1}:", str(exc), count=1)
        raise QueryError(message) from None
    out = sys.stdout.buffer
    out = sys.stdout.buffer
    if isinstance(result, ox.QueryBoolean):
        if fmt in RESULT_FORMATS:
            result.serialize(out, RESULT_FORMATS[fmt])
            out.write(b"\n")
        else:
            click.echo("true" if bool(result) else "false")
    elif isinstance(result, ox.QueryTriples):
        rdf_fmt = ox.RdfFormat.N_QUADS if fmt == "nquads" else ox.RdfFormat.TURTLE
        if fmt not in ("turtle", "nquads", "table"):
            raise BadInput(f"--format {fmt} is for SELECT/ASK; CONSTRUCT/DESCRIBE give turtle or nquads")
        result.serialize(out, rdf_fmt)
    else:
        if fmt in RESULT_FORMATS:
            result.serialize(out, RESULT_FORMATS[fmt])
            if fmt == "json":
                out.write(b"\n")
        elif fmt == "table":
            _print_table(result)
        else:
            raise BadInput(f"--format {fmt} is for CONSTRUCT/DESCRIBE; SELECT gives table, json, csv or tsv")


def _print_table(solutions: ox.QuerySolutions) -> None:
    from rich.console import Console
    from rich.table import Table

    names = [v.value for v in solutions.variables]
    table = Table(*names, show_lines=False)
    count = 0
    for row in solutions:
        table.add_row(*("" if row[n] is None else str(to_python(row[n])) for n in names))
        count += 1
    console = Console(width=max(120, Console().width))
    console.print(table)
    console.print(f"{count} row(s)")


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def stats_command(ctx, as_json):
    """Triples per named graph and instances per class."""
    stats = open_kg(ctx).stats()
    if as_json:
        click.echo(json.dumps(stats, indent=2))
        return
    click.echo(f"{stats['triples']} triples in {len(stats['graphs'])} named graphs")
    click.echo("\ntriples per graph:")
    for g, n in stats["graphs"].items():
        click.echo(f"  {n:>9}  {g}")
    click.echo("\ninstances per class:")
    for c, n in stats["classes"].items():
        click.echo(f"  {n:>9}  {c}")


@click.command("graphs")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def graphs_command(ctx, as_json):
    """The named graphs with their size and description (where each fact comes from)."""
    graphs = open_kg(ctx).graphs()
    if as_json:
        click.echo(json.dumps([g.__dict__ for g in graphs], indent=2))
        return
    for g in graphs:
        click.echo(f"{g.triples:>9}  {g.iri}\n           {g.title or '(no title)'} | {g.publisher or '?'} | {g.date or '?'}")


@click.command("dump")
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_context
def dump_command(ctx, file):
    """Write the whole store to FILE: N-Quads (.nq) or TriG (.trig), sorted."""
    rdfio.format_for(file, formats=rdfio.DUMP_FORMATS)
    kg = open_kg(ctx)
    with progress(f"dumping to {file}"):
        n = kg.dump(file)
    click.echo(f"dumped {n} quads to {file}")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.pass_context
def restore_command(ctx, file):
    """Replace the whole store by a dump (.nq or .trig) on the fast bulk path (no validation).

    The old store stays intact until the new one is complete.
    """
    rdfio.format_for(file, formats=rdfio.DUMP_FORMATS)
    kg = KnowledgeGraph.open(settings_from(ctx), bootstrap=False)
    ctx.call_on_close(kg.close)
    with progress(f"restoring from {file}"):
        kg.restore(file)
    click.echo(f"restored {kg.store.count()} quads from {file}")


commands = [load_command, validate_command, query_command, stats_command, graphs_command, dump_command,
            restore_command]
