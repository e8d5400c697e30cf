"""/invoer: the web page for ingesting documents and reviewing their proposals.

A view of /api/documents (same functions: :func:`api.routes.documents.document_view` and
:func:`summaries`): the list of queued documents with an upload form, and per document its
text with every proposal's span highlighted, accept/reject per fact and "accept all of this
kind". Writes go through the JSON API with the write token the user types (kept in the
tab's sessionStorage only), by ``/static/js/invoer.js``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from api.routes.documents import KINDS, _check_id, document_view, summaries
from api.routes.ui import render
from graph.ingest.review import ReviewQueue

router = APIRouter(tags=["web UI"])

KIND_NL = {"actor": "actor", "person": "persoon", "post": "functie", "topic": "onderwerp", "experience": "ervaring",
           "membership": "lidmaatschap", "meeting": "bijeenkomst", "agreement": "afspraak"}
STATUS_NL = {"pending": "te beoordelen", "accepted": "aanvaard", "rejected": "afgewezen"}
ACTOR_KIND_NL = {"municipality": "gemeente", "province": "provincie", "water-board": "waterschap",
                 "arrangement": "samenwerkingsverband", "regional-body": "regionaal orgaan", "organisation": "organisatie",
                 "party": "partij", "person": "persoon"}
EXPERIENCE_NL = {"heeft-gedaan": "heeft het gedaan", "adviseert": "kan adviseren", "portefeuille": "heeft de portefeuille",
                 "vraagt-hulp": "vraagt hulp", "heeft-interesse": "heeft interesse"}


def summary_nl(p: dict) -> str:
    """A proposal in Dutch, from its data (the ``summary`` field is the CLI's English line)."""
    d = p["data"]
    kind = p["kind"]
    if kind == "actor":
        text = f"{ACTOR_KIND_NL.get(d.get('actor_kind'), 'actor')} {d['label']}" + (" (nieuw)" if d.get("new") else "")
        return text + (f"; herindeling: {d['lineage']}" if d.get("lineage") else "")
    if kind == "topic":
        return f"onderwerp {d['label']}"
    if kind == "person":
        return f"persoon {d['name']}" + (" (bekend)" if d.get("known") else " (nieuw)")
    if kind == "post":
        joiner = "bij" if d["role_label"] == "rol onbekend" else "van"
        return f"{d['name']}: {d['role_label']} {joiner} {d['organisation_label']}"
    if kind == "experience":
        return f"{d['actor_label']} — {EXPERIENCE_NL.get(d['experience_kind'], d['experience_kind'])} — " \
               + ", ".join(d.get("topic_labels") or [])
    if kind == "membership":
        verb = "treedt toe tot" if d["edge"] == "begin" else "treedt uit"
        return f"{d['member_label']} {verb} {d['organisation_label']}" + (f" per {d['date']}" if d.get("date") else "")
    if kind == "meeting":
        return f"bijeenkomst '{d['label']}' op {d['date']}" + (f" in {d['place_labels']}" if d.get("place_labels") else "")
    if kind == "agreement":
        if d["form"] == "samenwerking":
            return f"{d['party_labels'][0]} werkt samen met {d['party_labels'][1]}"
        return f"{d['form']} tussen {', '.join(d['party_labels'])}"
    return p["summary"]


@router.get("/invoer", response_class=HTMLResponse, include_in_schema=False)
async def page_documents(request: Request) -> HTMLResponse:
    """Upload a document; the documents in the review queue."""
    docs = await run_in_threadpool(summaries, request.app.state.kg)
    return render(request, "invoer.html", documents=docs, alternate="/api/documents")


@router.get("/invoer/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
async def page_document(request: Request, doc_id: str) -> HTMLResponse:
    """One document: its text with highlighted spans and the proposals to decide."""
    entry = await run_in_threadpool(ReviewQueue(request.app.state.kg).entry, _check_id(doc_id))
    view = document_view(entry)
    order = {k: i for i, k in enumerate(KINDS)}
    by_kind: dict[str, list[dict]] = {}
    for p in sorted(view["proposals"], key=lambda p: (order.get(p["kind"], 99), p["start"])):
        by_kind.setdefault(p["kind"], []).append({**p, "summary_nl": summary_nl(p)})
    kinds = {p["id"]: p["kind"] for p in view["proposals"]}
    statuses = {p["id"]: p["status"] for p in view["proposals"]}
    return render(request, "invoer_document.html", doc=view, by_kind=by_kind, kinds=kinds, statuses=statuses,
                  kind_nl=KIND_NL, status_nl=STATUS_NL, alternate=f"/api/documents/{view['doc_id']}")
