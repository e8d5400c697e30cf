"""Dereferenceable identifiers: ``/id/<path>`` describes ``<REGIOKG_BASE_IRI><path>``.

Content negotiation: HTML for a browser (the web UI's page when it is installed), Turtle,
JSON-LD, N-Triples or RDF/XML for clients; ``?format=html|ttl|jsonld|nt|rdfxml`` for links.

Why 200 and not 303: the base IRI (https://w3id.org/regiokg/id/...) is a persistent
identifier that w3id redirects to this server, so the thing's IRI is never served by us
directly; ``/id/...`` is already a document about the thing. We answer that document
directly with ``Content-Location`` naming the representation sent and ``Vary: Accept``,
which the W3C TAG's httpRange-14 follow-up (2012) allows, and saves clients a round trip.
"""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from api.deps import get_kg, get_settings
from api.routes.protocol import FORMAT_NAMES, choose_format
from graph.baseiri import Rebase
from graph.errors import BadInput, NotFound
from graph.kg import KnowledgeGraph
from graph.labels import label_key
from graph.settings import Settings

router = APIRouter(tags=["linked data"])

OFFERED = ["text/html", "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
ALIASES = {"application/xhtml+xml": "text/html", "application/x-turtle": "text/turtle",
           "application/json": "application/ld+json", "text/plain": "application/n-triples"}
SHORT = {"text/html": "html", "text/turtle": "ttl", "application/ld+json": "jsonld",
         "application/n-triples": "nt", "application/rdf+xml": "rdfxml"}
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def describe(kg: KnowledgeGraph, iri: str) -> tuple[list[ox.Triple], list[dict]]:
    """The resource's outgoing and incoming triples plus labels of the linked resources."""
    node = ox.NamedNode(iri)
    rows = kg.select("api_describe", iri=node)
    triples: dict[tuple, ox.Triple] = {}
    for r in rows:
        t = ox.Triple(node, r["p"], r["o"]) if r["direction"].value == "out" else ox.Triple(r["o"], r["p"], node)
        triples.setdefault((str(t.subject), str(t.predicate), str(t.object)), t)
    best: dict[str, tuple[tuple, ox.Literal]] = {}
    for r in kg.select("api_describe_labels", iri=node):
        literal = r["label"]
        key = label_key(r["p"].value, literal.language, literal.value)
        if r["node"].value not in best or key < best[r["node"].value][0]:
            best[r["node"].value] = (key, literal)
    for linked, (_, literal) in best.items():
        t = ox.Triple(ox.NamedNode(linked), LABEL, literal)
        triples.setdefault((str(t.subject), str(t.predicate), str(t.object)), t)
    return [triples[k] for k in sorted(triples)], rows


@router.get("/id/{path:path}", summary="Dereference an identifier (HTML or RDF by Accept)")
async def get_identifier(request: Request, path: str, kg: KnowledgeGraph = Depends(get_kg),
                         settings: Settings = Depends(get_settings)) -> Response:
    """The description of ``<base IRI><path>`` in the negotiated format."""
    if not path or ".." in path.split("/"):
        raise BadInput("give an identifier path such as /id/gemeente/GM0203")
    iri = settings.base_iri + path
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise BadInput(f"/id/{path} is not a valid identifier") from None
    names = dict(FORMAT_NAMES, html="text/html", rdfxml="application/rdf+xml")
    media = choose_format(request, OFFERED, aliases=ALIASES, what=f"<{iri}>", name_overrides=names)
    from graph.identity import canonical_iri

    canonical = await run_in_threadpool(canonical_iri, kg, iri)
    if canonical != iri and canonical.startswith(settings.base_iri):
        # the old IRI of a reconciled body: the description lives at the canonical one
        target = "/id/" + quote(canonical[len(settings.base_iri):])
        query = request.url.query
        return RedirectResponse(target + (f"?{query}" if query else ""), status_code=301,
                                headers={"Vary": "Accept", "Link": f'<{canonical}>; rel="canonical"'})
    triples, rows = await run_in_threadpool(describe, kg, iri)
    if not rows:
        raise NotFound(f"nothing is known about <{iri}>")
    headers = {"Vary": "Accept", "Content-Location": f"/id/{quote(path)}?format={SHORT[media]}",
               "Link": ", ".join(f'</id/{quote(path)}?format={SHORT[m]}>; rel="alternate"; type="{m}"'
                                 for m in OFFERED if m != media)}
    if media == "text/html":
        page = await _ui_page(request, iri)
        page.headers.update(headers)
        return page
    fmt = ox.RdfFormat.from_media_type(media)
    prefixes = Rebase(settings.base_iri).prefixes if fmt == ox.RdfFormat.TURTLE else None
    body = ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
    return Response(body, media_type=media, headers=headers)


async def _ui_page(request: Request, iri: str) -> Response:
    from api.routes.ui import render_entity_page

    return await render_entity_page(request, iri)
