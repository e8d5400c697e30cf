"""Analysis commands: ``regiokg analyse ...`` and ``regiokg experts``.

Each prints a readable table, or the same result as JSON with ``--json``.
"""

from __future__ import annotations

import json

import click

from api.cli.common import open_kg, progress
from graph import analysis
from graph.coverage import coverage_note

KIND_CHOICE = click.Choice(["municipality", "province", "water-board", "regional-body", "organisation", "all"])


def _filter_options(command):
    """The membership filters shared by the network analyses."""
    for option in reversed([
        click.option("--domain", default=None, help="Only arrangements of this policy domain (label, slug or IRI)."),
        click.option("--form", default=None, help="Only arrangements of this cooperation form (label, slug or IRI)."),
        click.option("--province", default=None, help="Only members in this province (name, PV25 or IRI)."),
        click.option("--date", "on_date", default=None, help="Only memberships running on this date (YYYY-MM-DD)."),
        click.option("--kind", "kinds", multiple=True, type=KIND_CHOICE,
                     help="Actor kinds to include (repeatable; 'all' for every kind)."),
        click.option("--recompute", is_flag=True, help="Recompute even if a stored run on the same data exists."),
        click.option("--json", "as_json", is_flag=True, help="Print the result as JSON."),
    ]):
        command = option(command)
    return command


def _common(domain, form, province, on_date, kinds, default_kinds):
    filters = analysis.Filters(domain=domain, form=form, province=province, on_date=on_date)
    if not kinds:
        chosen = default_kinds
    elif "all" in kinds:
        chosen = None
    else:
        chosen = tuple(kinds)
    return filters, chosen


def _emit(result: dict, as_json: bool, table) -> None:
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False, default=str))
        return
    from rich.console import Console

    console = Console()
    table(console, result)
    run = result.get("run")
    if run:
        state = "reused stored run" if run.get("reused") else "computed"
        console.print(f"[dim]{state}; written to {run['graph']} ({run['seconds']} s)[/dim]")


def _table(title: str, columns: list[str]):
    from rich.table import Table

    table = Table(title=title)
    for column in columns:
        table.add_column(column, justify="right" if column in ("#", "count", "score") else "left")
    return table


@click.group("analyse")
def analyse_group():
    """Network analyses of cooperation (results are also written to graph/analysis/<name>)."""


@analyse_group.command("load")
@_filter_options
@click.option("--top", default=25, show_default=True, help="Rows to show.")
@click.pass_context
def load_command(ctx, domain, form, province, on_date, kinds, recompute, as_json, top):
    """Arrangements per municipality (administrative load) and the distribution."""
    filters, chosen = _common(domain, form, province, on_date, kinds, ("municipality",))
    kg = open_kg(ctx)
    with progress("counting arrangements"):
        result = analysis.administrative_load(kg, filters=filters, kinds=chosen, reuse=not recompute)
    result["ranking"] = result["ranking"][:top]
    result["coverage"] = coverage_note(kg)   # what these counts cover (graph/coverage.py)

    def show(console, r):
        table = _table("Arrangements per actor", ["#", "actor", "count"])
        for index, row in enumerate(r["ranking"], start=1):
            table.add_row(str(index), row["label"], str(row["count"]))
        console.print(table)
        d = r["distribution"]
        console.print(f"{d['n']} actors: min {d['min']}, q1 {d['q1']:g}, median {d['median']:g}, "
                      f"mean {d['mean']:.2f}, q3 {d['q3']:g}, max {d['max']}")
        console.print(r["coverage"])

    _emit(result, as_json, show)


@analyse_group.command("centrality")
@_filter_options
@click.option("--top", default=25, show_default=True, help="Rows to show.")
@click.option("--exact-max-nodes", default=2000, show_default=True, help="Exact betweenness up to this many nodes.")
@click.option("--sample-size", default=64, show_default=True, help="Sampled sources above that size.")
@click.option("--seed", default=42, show_default=True)
@click.option("--network", type=click.Choice(["auto", "projection", "bipartite"]), default="auto", show_default=True,
              help="Co-membership projection, the actor-arrangement graph, or auto (projection unless too large).")
@click.pass_context
def centrality_command(ctx, domain, form, province, on_date, kinds, recompute, as_json, top, exact_max_nodes,
                       sample_size, seed, network):
    """Degree, weighted degree, betweenness, PageRank and closeness (brokers first)."""
    filters, chosen = _common(domain, form, province, on_date, kinds, ("municipality",))
    with progress("computing centrality"):
        result = analysis.centrality(open_kg(ctx), filters=filters, kinds=chosen, exact_max_nodes=exact_max_nodes,
                                     sample_size=sample_size, seed=seed, network=network,
                                     reuse=not recompute)
    result["ranking"] = result["ranking"][:top]

    def show(console, r):
        table = _table("Centrality (by betweenness)", ["#", "actor", "degree", "weighted", "betweenness",
                                                        "pagerank", "closeness"])
        for index, row in enumerate(r["ranking"], start=1):
            table.add_row(str(index), row["label"], str(row["degree"]), str(row["weighted_degree"]),
                          f"{row['betweenness']:.4f}", f"{row['pagerank']:.4f}",
                          f"{row['closeness']:.4f}" if "closeness" in row else "-")
        console.print(table)
        b = r["method"]["betweenness"]
        how = "exact" if b["exact"] else f"approximated from {b['k']} sampled sources (seed {b['seed']})"
        console.print(f"{r['graph']}: {r['nodes']} nodes, {r['edges']} edges; betweenness {how}")

    _emit(result, as_json, show)


@analyse_group.command("overlap")
@_filter_options
@click.option("--top", default=25, show_default=True, help="Pairs to show.")
@click.option("--min-jaccard", default=0.9, show_default=True, help="Jaccard from which a pair is a candidate.")
@click.pass_context
def overlap_command(ctx, domain, form, province, on_date, kinds, recompute, as_json, top, min_jaccard):
    """Arrangement pairs by shared members; (near-)identical ones as consolidation candidates."""
    filters, chosen = _common(domain, form, province, on_date, kinds, None)
    with progress("comparing arrangements"):
        result = analysis.overlap(open_kg(ctx), filters=filters, kinds=chosen, min_jaccard=min_jaccard,
                                  top=top, reuse=not recompute)

    def show(console, r):
        table = _table(f"Consolidation candidates (Jaccard ≥ {min_jaccard:g})",
                       ["arrangement A", "arrangement B", "shared", "jaccard", "containment"])
        for p in r["candidates"][:top]:
            table.add_row(p["label_a"], p["label_b"], str(p["shared"]), f"{p['jaccard']:.2f}",
                          f"{p['containment']:.2f}")
        console.print(table)
        console.print(f"{r['arrangements']} arrangements, {r['overlapping_pairs']} pairs share members, "
                      f"{len(r['candidates'])} candidates")

    _emit(result, as_json, show)


@analyse_group.command("communities")
@_filter_options
@click.option("--seed", default=42, show_default=True)
@click.option("--resolution", default=1.0, show_default=True)
@click.pass_context
def communities_command(ctx, domain, form, province, on_date, kinds, recompute, as_json, seed, resolution):
    """Louvain communities of municipalities working together (seeded, reproducible)."""
    filters, chosen = _common(domain, form, province, on_date, kinds, ("municipality",))
    with progress("finding communities"):
        result = analysis.communities(open_kg(ctx), filters=filters, kinds=chosen, seed=seed,
                                      resolution=resolution, reuse=not recompute)

    def show(console, r):
        table = _table(f"Communities (modularity {r['modularity']:.3f})", ["#", "size", "members"])
        for index, group in enumerate(r["communities"], start=1):
            names = [m["label"] for m in group["members"]]
            table.add_row(str(index), str(group["size"]), ", ".join(names[:12]) + (" ..." if len(names) > 12 else ""))
        console.print(table)

    _emit(result, as_json, show)


@analyse_group.command("congruence")
@_filter_options
@click.option("--seed", default=42, show_default=True)
@click.option("--resolution", default=1.0, show_default=True)
@click.pass_context
def congruence_command(ctx, domain, form, province, on_date, kinds, recompute, as_json, seed, resolution):
    """How well each regional division matches the communities (ARI, NMI)."""
    filters, chosen = _common(domain, form, province, on_date, kinds, ("municipality",))
    with progress("comparing communities with divisions"):
        result = analysis.congruence(open_kg(ctx), filters=filters, kinds=chosen, seed=seed,
                                     resolution=resolution, reuse=not recompute)

    def show(console, r):
        table = _table(f"Congruence of {r['communities']} communities with regional divisions",
                       ["division", "ARI", "NMI", "municipalities", "regions"])
        for row in r["divisions"]:
            table.add_row(row["label"], "-" if row["ari"] is None else f"{row['ari']:.3f}",
                          "-" if row["nmi"] is None else f"{row['nmi']:.3f}", str(row["nodes"]), str(row["regions"]))
        console.print(table)

    _emit(result, as_json, show)


@analyse_group.command("path")
@click.argument("source")
@click.argument("target")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def path_command(ctx, source, target, as_json):
    """Shortest chain between two actors or people (name, CBS code or IRI): who can introduce whom."""
    result = analysis.path(open_kg(ctx), source, target)

    def show(console, r):
        if r["length"] is None:
            console.print(f"no chain between {source} and {target}")
            return
        table = _table(f"{r['length']} step(s)", ["#", "via", "kind", "name"])
        for index, step in enumerate(r["steps"]):
            table.add_row(str(index), step["relation"] or "", step["kind"] or "", step["label"])
        console.print(table)

    _emit(result, as_json, show)


@click.command("experts")
@click.argument("topic")
@click.option("--near", default=None,
              help="An actor (name, CBS code or IRI): within the same kind of evidence nearer actors "
                   "(km between centroids) come first; steps in the network are shown.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100),
              help="Most entries per list (experts, asking, interested).")
@click.option("--date", "on_date", default=None, help="Answer as known on this date (YYYY-MM-DD; default today).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (the answer of /api/experts).")
@click.pass_context
def experts_command(ctx, topic, near, limit, on_date, as_json):
    """Who has experience with a topic (Dutch or English), apart from who asked or attended."""
    result = analysis.rank_experts(open_kg(ctx), topic, near=near, limit=limit, date=on_date)

    def show(console, r):
        concepts = ", ".join(c["label"] for c in r["concepts"]) or "none"
        console.print(f"topic {topic!r} → {concepts} ({r['match']} match), as known on {r['date']}")
        if r["near"]:
            console.print(f"near {r['near']['label']}: {r['near_meaning']}")
        if r["message"]:
            console.print(r["message"])
        for key, title in (("experts", "Experience (expertise)"), ("asking", "Also asking"),
                           ("interested", "Interest only (not expertise)")):
            if not r[key]:
                continue
            columns = ["#", "actor", "score", "evidence", "contacts"] + (["km", "steps"] if r["near"] else [])
            table = _table(f"{title}: {len(r[key])} of {r['counts'][key]}", columns)
            for index, e in enumerate(r[key], start=1):
                first = e["evidence"][0] if e["evidence"] else {}
                evidence = (f"{first.get('kind')}: {first.get('description') or first.get('via_label') or ''} "
                            f"({first.get('date') or 'undated'}; {first.get('source_title') or first.get('source')})")
                contacts = ", ".join(c["name"] for c in e["contacts"][:3])
                row = [str(index), e["label"], "-" if e["score"] is None else f"{e['score']:.2f}", evidence, contacts]
                if r["near"]:
                    row += ["-" if e["distance_km"] is None else f"{e['distance_km']:g}",
                            "-" if e["steps"] is None else str(e["steps"])]
                table.add_row(*row)
            console.print(table)
        if r["experts"]:
            console.print(f"[dim]score of #1: {r['experts'][0]['explanation']}[/dim]")

    _emit(result, as_json, show)


commands = [analyse_group, experts_command]
