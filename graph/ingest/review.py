"""The review queue: proposals wait beside the store until a person accepts or rejects them.

The queue is a folder next to the store directory (``<store>.review/``), one JSON file per
document (``<doc_id>.json``: metadata, text, proposals with their status). It is not a graph
in the store on purpose: proposals are not facts, and a graph would make them visible to
every query (the experts ranking would count proposed experience). Files are written
atomically (temporary file, then rename) and deterministically (sorted keys, no clock), so
ingesting the same file twice leaves them byte-identical.

Accepting rebuilds the document's named graph from all its accepted proposals and writes it
through the knowledge graph's validated write (:meth:`graph.kg.KnowledgeGraph.replace_graph`:
SHACL, then one atomic replace); if that fails, no status changes. Rejected proposals stay in
the file as ``rejected``, so a re-ingest does not propose them again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from graph.errors import BadInput, NotFound
from graph.ingest import build_extractor
from graph.ingest.facts import document_graph, document_quads, proposal_triples
from graph.ingest.readers import Document
from graph.text import fold

STATUSES = ("pending", "accepted", "rejected")


def review_dir(settings) -> Path:
    """``<store>.review/`` beside the store directory of ``settings`` (for a remote store:
    ``data/remote-store.review/`` in the working directory, one per machine)."""
    if settings.store_is_remote():
        return Path("data/remote-store.review").resolve()
    store = settings.store_path()
    return store.with_name(store.name + ".review")


def proposal_id(doc_id: str, kind: str, key: Any) -> str:
    """A short stable id: 4 hex digits of the document, 6 of the fact."""
    digest = hashlib.sha1(json.dumps([kind, key], ensure_ascii=False).encode()).hexdigest()
    return f"{doc_id[:4]}-{digest[:6]}"


def _jsonable(value):
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


class ReviewQueue:
    """The queue of one store. Reading it needs only the settings (so ``review list`` works
    while a server holds the store); ingesting and deciding need the open knowledge graph."""

    def __init__(self, kg=None, *, settings=None):
        self.kg = kg
        self.settings = settings if settings is not None else kg.settings
        self.dir = review_dir(self.settings)

    # -- files ----------------------------------------------------------------------------------
    def _path(self, doc_id: str) -> Path:
        return self.dir / f"{doc_id}.json"

    def entries(self) -> list[dict]:
        if not self.dir.is_dir():
            return []
        return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(self.dir.glob("*.json"))]

    def entry(self, doc_id: str) -> dict:
        matches = [p for p in sorted(self.dir.glob(f"{doc_id}*.json"))] if self.dir.is_dir() else []
        if len(matches) != 1:
            raise NotFound(f"no ingested document {doc_id!r} in the review queue" if not matches else
                           f"{doc_id!r} names {len(matches)} documents; give more of the id")
        return json.loads(matches[0].read_text(encoding="utf-8"))

    def _save(self, entry: dict) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        text = json.dumps(entry, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        path = self._path(entry["doc_id"])
        if path.exists() and path.read_text(encoding="utf-8") == text:
            return
        fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)

    # -- ingest -----------------------------------------------------------------------------------
    def ingest(self, document: Document, *, title: str | None = None, publisher: str | None = None,
               date: str | None = None, exclude_graphs=(), extractor=None) -> dict:
        """Propose facts for ``document`` and queue them. Returns the entry plus ``new`` (ids
        proposed for the first time) and ``known`` (ids already in the queue, status kept)."""
        if date is not None:
            _check_date(date)
        # the document's own accepted facts must not change what it proposes on a re-ingest
        exclude = [*exclude_graphs, document_graph(document.doc_id)]
        extractor = extractor or build_extractor(self.kg, exclude_graphs=exclude)
        path = self._path(document.doc_id)
        old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        meta = {
            "title": title or (old or {}).get("title") or document.title,
            "publisher": publisher or (old or {}).get("publisher") or document.publisher,
            "date": date or (old or {}).get("date") or document.date,
        }
        found = dict((old or {}).get("found") or document.found)
        for key, given in (("title", title), ("publisher", publisher), ("date", date)):
            if given:
                found[key] = "given by the user"
        proposals = extractor.run(document.text, doc_date=meta["date"])
        publisher_iri = _publisher_iri(extractor, meta["publisher"])
        previous = {p["id"]: p for p in (old or {}).get("proposals", [])}
        items, new = [], []
        for p in proposals:
            key = _jsonable(p.key)
            pid = proposal_id(document.doc_id, p.kind, key)
            if pid in previous and previous[pid]["status"] != "pending":
                items.append(previous.pop(pid))   # a decision is kept as it was decided
                continue
            was_known = previous.pop(pid, None) is not None
            data = _jsonable(p.data)
            if p.kind == "meeting":
                data["place_labels"] = " en ".join(extractor.gaz.actors[a].label for a in data["places"]
                                                   if a in extractor.gaz.actors)
            if p.kind == "agreement" and p.data.get("form") in extractor.forms_by_word:
                data["form_iri"] = extractor.forms_by_word[p.data["form"]]
            items.append({"id": pid, "kind": p.kind, "key": key, "summary": p.summary, "start": p.start,
                          "end": p.end, "sentence": list(p.sentence), "confidence": p.confidence,
                          "method": p.method, "data": data, "status": "pending"})
            if not was_known:
                new.append(pid)
        items.extend(previous.values())   # decided proposals the extractors no longer make: kept
        items.sort(key=lambda p: (p["start"], p["kind"], p["id"]))
        entry = {
            "doc_id": document.doc_id, "sha256": document.sha256, "filename": document.filename,
            "kind": document.kind, "size": document.size, **meta, "publisher_iri": publisher_iri,
            "found": found, "graph": document_graph(document.doc_id), "text": document.text, "proposals": items,
        }
        self._save(entry)
        return {**entry, "new": new, "known": [p["id"] for p in items if p["id"] not in new]}

    # -- decisions --------------------------------------------------------------------------------
    def _select(self, ids: list[str], everything: bool, doc: str | None, kind: str | None) -> dict[str, list[str]]:
        chosen: dict[str, list[str]] = {}
        entries = [self.entry(doc)] if doc else self.entries()
        known = {p["id"]: e["doc_id"] for e in entries for p in e["proposals"]}
        if everything:
            for e in entries:
                chosen[e["doc_id"]] = [p["id"] for p in e["proposals"] if p["status"] == "pending"
                                       and (kind is None or p["kind"] == kind)]
            return chosen
        missing = [i for i in ids if i not in known]
        if missing:
            raise NotFound(f"no proposal {', '.join(missing)} in the review queue (regiokg review list shows them)")
        for i in ids:
            chosen.setdefault(known[i], []).append(i)
        return chosen

    def decide(self, status: str, ids: list[str] | tuple[str, ...] = (), *, everything: bool = False, doc: str | None = None,
               kind: str | None = None) -> dict:
        """Accept or reject proposals; rebuilds (and validates) the graphs whose accepted set changes."""
        if status not in ("accepted", "rejected"):
            raise BadInput(f"unknown decision {status!r}")
        if not ids and not everything:
            raise BadInput("name the proposals to decide (ids) or use --all")
        chosen = self._select(list(ids), everything, doc, kind)
        changed, written = [], {}
        for doc_id, pids in chosen.items():
            entry = json.loads(self._path(doc_id).read_text(encoding="utf-8"))
            before = {p["id"] for p in entry["proposals"] if p["status"] == "accepted"}
            for p in entry["proposals"]:
                if p["id"] in pids:
                    p["status"] = status
            after = {p["id"] for p in entry["proposals"] if p["status"] == "accepted"}
            if after != before:
                written[doc_id] = self.write_graph(entry)
            changed.extend(pids)
            self._save(entry)
        return {"decision": status, "proposals": changed, "graphs": written}

    def write_graph(self, entry: dict) -> int:
        """Replace the document's graph by its description and accepted facts (validated)."""
        accepted = [p for p in entry["proposals"] if p["status"] == "accepted"]
        if not accepted:
            return self.kg.replace_graph(entry["graph"], [])
        missing = [k for k in ("title", "publisher", "date") if not entry.get(k)]
        if missing:
            raise BadInput(f"{entry['filename']}: the document's {' and '.join(missing)} "
                           f"{'is' if len(missing) == 1 else 'are'} not known; ingest it again with "
                           + " ".join(f"--{k} ..." for k in missing), code="missing_metadata")
        quads = document_quads(self.kg.settings.base_iri, entry, accepted)
        return self.kg.replace_graph(entry["graph"], quads)

    def triples(self, entry: dict, proposal: dict) -> list[str]:
        return [f"{s} {p} {o}" for s, p, o in proposal_triples(self.settings.base_iri, entry, proposal)]


def _check_date(date: str) -> None:
    import re

    if not re.fullmatch(r"\d{4}(-\d{2}-\d{2})?", date):
        raise BadInput(f"--date {date!r} is not a date (YYYY-MM-DD or YYYY)")


def _publisher_iri(extractor, publisher: str | None) -> str | None:
    if not publisher:
        return None
    for entry in extractor.gaz.by_key.get(fold(publisher), []):
        actor = extractor.gaz.actors.get(entry.actor)
        if actor is not None and actor.kind != "person":
            return actor.iri
    return None
