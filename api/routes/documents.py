"""/api/documents: ingest a document over HTTP, read its proposals, accept or reject them.

``POST /api/documents?filename=nota.pdf[&title=&publisher=&date=]`` (write token) takes the
document's bytes as the body (any Content-Type; the kind is read from the bytes and the
name), queues the proposals and answers the document view (201). ``GET /api/documents``
lists the queue, ``GET /api/documents/{id}`` is one document with its text, proposals and
the highlighted segments (the ``/invoer`` page is a view of it), and
``POST /api/documents/{id}/decisions`` (write token) takes ``{"accept": [ids], "reject":
[ids], "accept_kind": "experience", "reject_kind": ...}``. The same code as
``regiokg ingest`` / ``regiokg review`` (graph.ingest.review).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.deps import get_kg, get_settings, require_write_token
from api.routes.protocol import read_body
from graph.errors import BadInput
from graph.ingest.readers import MAX_DOCUMENT_BYTES, read_bytes
from graph.ingest.review import ReviewQueue
from graph.kg import KnowledgeGraph
from graph.settings import Settings

router = APIRouter(prefix="/api", tags=["documents"])

KINDS = ["actor", "person", "post", "topic", "experience", "membership", "meeting", "agreement"]


class DocumentSummary(BaseModel):
    doc_id: str
    filename: str
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    graph: str
    pending: int
    accepted: int
    rejected: int


class DocumentView(BaseModel):
    doc_id: str
    sha256: str
    filename: str
    kind: str
    size: int
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    found: dict[str, str]
    graph: str
    text: str
    proposals: list[dict[str, Any]] = Field(description="Each with id, kind, summary, start, end, sentence, "
                                                        "confidence, method, data, status, text.")
    segments: list[dict[str, Any]] = Field(description="The text cut at every span boundary: {text, ids}.")
    counts: dict[str, dict[str, int]] = Field(description="Proposals per kind and status.")
    new: list[str] | None = None


class Decisions(BaseModel):
    accept: list[str] = Field(default_factory=list)
    reject: list[str] = Field(default_factory=list)
    accept_kind: str | None = Field(None, description="Accept every pending proposal of this kind.")
    reject_kind: str | None = Field(None, description="Reject every pending proposal of this kind.")


def segments(text: str, proposals: list[dict]) -> list[dict]:
    """The text cut at every proposal span's start and end; each piece lists the proposals
    covering it (empty for text no proposal points at).

    >>> [(s["text"], s["ids"]) for s in segments("Dronten bouwt", [{"id": "a", "start": 0, "end": 7}])]
    [('Dronten', ['a']), (' bouwt', [])]
    """
    cuts = sorted({0, len(text), *(p["start"] for p in proposals), *(p["end"] for p in proposals)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a >= b:
            continue
        ids = [p["id"] for p in proposals if p["start"] <= a and b <= p["end"]]
        out.append({"text": text[a:b], "ids": ids, "start": a})
    return out


def document_view(entry: dict, new: list[str] | None = None) -> dict:
    """The JSON (and page) view of one queued document."""
    proposals = [{**p, "text": entry["text"][p["start"]:p["end"]]} for p in entry["proposals"]]
    counts: dict[str, dict[str, int]] = {}
    for p in proposals:
        counts.setdefault(p["kind"], {"pending": 0, "accepted": 0, "rejected": 0})[p["status"]] += 1
    keys = ("doc_id", "sha256", "filename", "kind", "size", "title", "publisher", "date", "found", "graph", "text")
    return {**{k: entry.get(k) for k in keys}, "proposals": proposals, "segments": segments(entry["text"], proposals),
            "counts": counts, "new": new}


def summaries(kg: KnowledgeGraph) -> list[dict]:
    out = []
    for e in ReviewQueue(kg).entries():
        status = [p["status"] for p in e["proposals"]]
        out.append({"doc_id": e["doc_id"], "filename": e["filename"], "title": e.get("title"),
                    "publisher": e.get("publisher"), "date": e.get("date"), "graph": e["graph"],
                    "pending": status.count("pending"), "accepted": status.count("accepted"),
                    "rejected": status.count("rejected")})
    return out


@router.post("/documents", response_model=DocumentView, status_code=201,
             dependencies=[Depends(require_write_token)])
async def post_document(
    request: Request,
    filename: str = Query(..., min_length=1, max_length=200, description="The file's name (its suffix hints the type)."),
    title: str | None = Query(None, max_length=500),
    publisher: str | None = Query(None, max_length=300),
    date: str | None = Query(None, max_length=10, description="YYYY-MM-DD or YYYY."),
    kg: KnowledgeGraph = Depends(get_kg),
    settings: Settings = Depends(get_settings),
) -> JSONResponse:
    """Read the body as a document (text, HTML, PDF, DOCX) and queue its proposals (nothing is written to the graph)."""
    body = await read_body(request, settings.max_request_bytes)
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    if not name or name.startswith("."):
        raise BadInput(f"filename {filename!r} is not a file name")
    # parsing a PDF or DOCX takes a while: off the event loop; the document limit of the CLI holds too
    document = await run_in_threadpool(read_bytes, body, name,
                                       max_bytes=min(settings.max_request_bytes, MAX_DOCUMENT_BYTES))
    result = await run_in_threadpool(ReviewQueue(kg).ingest, document, title=title, publisher=publisher, date=date)
    return JSONResponse(document_view(result, result["new"]), status_code=201)


@router.get("/documents", response_model=list[DocumentSummary])
async def list_documents(kg: KnowledgeGraph = Depends(get_kg)) -> list[dict]:
    """Every document in the review queue with its counts of pending, accepted and rejected proposals."""
    return await run_in_threadpool(summaries, kg)


@router.get("/documents/{doc_id}", response_model=DocumentView)
async def get_document(doc_id: str, kg: KnowledgeGraph = Depends(get_kg)) -> dict:
    """One queued document: its text, proposals (with spans) and highlighted segments."""
    entry = await run_in_threadpool(ReviewQueue(kg).entry, _check_id(doc_id))
    return document_view(entry)


@router.post("/documents/{doc_id}/decisions", response_model=DocumentView,
             dependencies=[Depends(require_write_token)])
async def post_decisions(doc_id: str, decisions: Decisions = Body(...),
                         kg: KnowledgeGraph = Depends(get_kg)) -> dict:
    """Accept or reject proposals of one document; accepted facts are written (validated) to its graph."""
    queue = ReviewQueue(kg)
    entry = await run_in_threadpool(queue.entry, _check_id(doc_id))
    ids = {p["id"] for p in entry["proposals"]}
    for kind in (decisions.accept_kind, decisions.reject_kind):
        if kind is not None and kind not in KINDS:
            raise BadInput(f"unknown kind {kind!r}; kinds: {', '.join(KINDS)}")
    unknown = [i for i in decisions.accept + decisions.reject if i not in ids]
    if unknown:
        raise BadInput(f"no proposal {', '.join(unknown)} in document {entry['doc_id']}")
    if set(decisions.accept) & set(decisions.reject):
        raise BadInput("a proposal cannot be accepted and rejected at once")
    if not (decisions.accept or decisions.reject or decisions.accept_kind or decisions.reject_kind):
        raise BadInput("nothing to decide: give accept, reject, accept_kind or reject_kind")

    def apply() -> dict:
        doc = entry["doc_id"]
        if decisions.accept:
            queue.decide("accepted", decisions.accept, doc=doc)
        if decisions.reject:
            queue.decide("rejected", decisions.reject, doc=doc)
        if decisions.accept_kind:
            queue.decide("accepted", everything=True, doc=doc, kind=decisions.accept_kind)
        if decisions.reject_kind:
            queue.decide("rejected", everything=True, doc=doc, kind=decisions.reject_kind)
        return document_view(queue.entry(doc))

    return await run_in_threadpool(apply)


def _check_id(doc_id: str) -> str:
    if not (4 <= len(doc_id) <= 64 and all(c in "0123456789abcdef" for c in doc_id)):
        raise BadInput(f"{doc_id!r} is not a document id (hexadecimal, as /api/documents lists them)")
    return doc_id
