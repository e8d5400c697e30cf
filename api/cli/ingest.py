"""Document ingestion commands: ``regiokg ingest PATH`` and ``regiokg review list|show|accept|reject``."""

from __future__ import annotations

import json

import click

from api.cli.common import open_kg, progress, settings_from


def _queue(*args, **kwargs):
    """The review queue (graph.ingest is imported when a command runs, not at every CLI start)."""
    from graph.ingest.review import ReviewQueue

    return ReviewQueue(*args, **kwargs)


def _quote(text: str, start: int, end: int, width: int = 70) -> str:
    span = " ".join(text[start:end].split())
    return span if len(span) <= width else span[:width - 1] + "…"


def _print_proposals(entry: dict, proposals: list[dict]) -> None:
    for p in proposals:
        click.echo(f"{p['id']}  {p['status']:8} {p['kind']:10} {p['confidence']:.2f}  {p['summary']}")
        click.echo(f"{'':14}[{p['start']}-{p['end']}] \"{_quote(entry['text'], p['start'], p['end'])}\""
                   f"  ({p['method']})")


@click.command("ingest")
@click.argument("path", metavar="PATH_OR_URL")
@click.option("--title", default=None, help="The document's title (default: from the file).")
@click.option("--publisher", default=None, help="Its publisher (a name; a known organisation becomes its IRI).")
@click.option("--date", "date", default=None, help="Its date, YYYY-MM-DD or YYYY (default: from the file).")
@click.option("--json", "as_json", is_flag=True, help="Print the document and its proposals as JSON.")
@click.pass_context
def ingest_command(ctx, path, title, publisher, date, as_json):
    """Read a document (text, HTML, PDF, DOCX; a file or an http(s) address) and queue the facts it
    supports for review.

    Nothing is written to the graph: proposals wait in the review queue
    (regiokg review list). Ingesting the same file again keeps every decision made.
    """
    from graph.ingest.readers import is_url, read_path, read_url

    document = read_url(path) if is_url(path) else read_path(path)   # bad input is refused before the store opens
    kg = open_kg(ctx)
    with progress(f"reading {document.filename}"):
        result = _queue(kg).ingest(document, title=title, publisher=publisher, date=date)
    if as_json:
        out = {k: v for k, v in result.items() if k != "text"}
        out["proposals"] = [{**p, "text": result["text"][p["start"]:p["end"]],
                             "sentence_text": result["text"][p["sentence"][0]:p["sentence"][1]]}
                            for p in result["proposals"]]
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    click.echo(f"document {result['doc_id']}  {result['filename']} ({result['kind']}, {result['size']:,} bytes)")
    for key in ("title", "publisher", "date"):
        where = result["found"].get(key)
        click.echo(f"  {key:9} {result.get(key) or '-'}" + (f"  [{where}]" if where else "  [not found: give --" + key + "]"))
    click.echo(f"  graph     {result['graph']} (written when proposals are accepted)")
    click.echo(f"{len(result['proposals'])} proposal(s), {len(result['new'])} new, "
               f"{len(result['known'])} already in the queue (decisions kept)")
    _print_proposals(result, result["proposals"])


@click.group("review")
def review_group():
    """The review queue of ingested documents: list, show, accept, reject."""


@review_group.command("list")
@click.option("--status", type=click.Choice(["pending", "accepted", "rejected", "all"]), default="all")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def review_list(ctx, status, as_json):
    """Documents in the queue with their proposals (by status). Works while a server runs."""
    queue = _queue(settings=settings_from(ctx))
    entries = queue.entries()
    if as_json:
        click.echo(json.dumps([{k: v for k, v in e.items() if k != "text"} for e in entries], indent=2,
                              ensure_ascii=False))
        return
    if not entries:
        click.echo("the review queue is empty (regiokg ingest PATH adds a document)")
        return
    for e in entries:
        counts = {s: sum(p["status"] == s for p in e["proposals"]) for s in ("pending", "accepted", "rejected")}
        click.echo(f"document {e['doc_id']}  {e['filename']}  {e.get('title') or ''}")
        click.echo(f"  {counts['pending']} pending, {counts['accepted']} accepted, {counts['rejected']} rejected")
        shown = [p for p in e["proposals"] if status == "all" or p["status"] == status]
        _print_proposals(e, shown)


@review_group.command("show")
@click.argument("ident")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def review_show(ctx, ident, as_json):
    """One proposal (its sentence and the triples it would add), or one document by id."""
    queue = _queue(settings=settings_from(ctx))
    for e in queue.entries():
        for p in e["proposals"]:
            if p["id"] == ident:
                triples = queue.triples(e, p)
                sentence = e["text"][p["sentence"][0]:p["sentence"][1]]
                if as_json:
                    click.echo(json.dumps({**p, "document": e["doc_id"], "sentence_text": sentence,
                                           "triples": triples}, indent=2, ensure_ascii=False))
                    return
                _print_proposals(e, [p])
                click.echo(f"  document: {e['doc_id']} {e['filename']}")
                click.echo(f"  sentence: {sentence}")
                click.echo("  would add:")
                for t in triples:
                    click.echo(f"    {t}")
                return
    entry = queue.entry(ident)
    if as_json:
        click.echo(json.dumps(entry, indent=2, ensure_ascii=False))
        return
    click.echo(f"document {entry['doc_id']}  {entry['filename']}  {entry.get('title')}")
    _print_proposals(entry, entry["proposals"])


def _decide(ctx, status, ids, everything, doc, kind):
    queue = _queue(open_kg(ctx))
    result = queue.decide(status, list(ids), everything=everything, doc=doc, kind=kind)
    click.echo(f"{status} {len(result['proposals'])} proposal(s)")
    for doc_id, quads in result["graphs"].items():
        click.echo(f"  graph of document {doc_id}: {quads} quads written (validated)")


@review_group.command("accept")
@click.argument("ids", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Every pending proposal (of --document, of --kind).")
@click.option("--document", "doc", default=None, help="Only proposals of this document id.")
@click.option("--kind", default=None, help="Only proposals of this kind (actor, topic, experience, ...).")
@click.pass_context
def review_accept(ctx, ids, everything, doc, kind):
    """Accept proposals: their facts go into the document's named graph (SHACL-validated)."""
    _decide(ctx, "accepted", ids, everything, doc, kind)


@review_group.command("reject")
@click.argument("ids", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Every pending proposal (of --document, of --kind).")
@click.option("--document", "doc", default=None, help="Only proposals of this document id.")
@click.option("--kind", default=None, help="Only proposals of this kind.")
@click.pass_context
def review_reject(ctx, ids, everything, doc, kind):
    """Reject proposals: remembered, so ingesting the document again does not propose them."""
    _decide(ctx, "rejected", ids, everything, doc, kind)


commands = [ingest_command, review_group]
