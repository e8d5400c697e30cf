"""A new document through the whole path: the real ``regiokg`` command (ingest, review), the
store on disk, and the experts answer over real HTTP and the CLI.

The document is our own short news item: Zeewolde built a wind farm; Lelystad asks how.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import httpx
from cli_helpers import run_cli

sys.path.insert(0, str(Path(__file__).parent / "test_api"))
from apiserver import Server  # noqa: E402

DOCS = Path(__file__).parent / "ingest_docs"
NEWS = DOCS / "nieuws_windpark_zeewolde.txt"
ZEEWOLDE = "https://w3id.org/regiokg/id/gemeente/GM0050"


def ingest(store: Path, path: Path, *extra: str) -> dict:
    proc = run_cli("ingest", str(path), "--json", *extra, store=store, check=True)
    return json.loads(proc.stdout)


def dump(store: Path, out: Path) -> bytes:
    """The whole store, sorted (opened in this process between two commands)."""
    from graph.kg import KnowledgeGraph
    from graph.settings import Settings

    with KnowledgeGraph.open(Settings(store=store)) as kg:
        kg.dump(out)
    return out.read_bytes()


def select(store: Path, query: str) -> str:
    from graph.kg import KnowledgeGraph
    from graph.settings import Settings
    from graph.terms import to_python

    with KnowledgeGraph.open(Settings(store=store)) as kg:
        return json.dumps([{k: to_python(v) for k, v in row.items()} for row in kg.select_text(query)], default=str)


def experts_cli(store: Path) -> dict:
    return json.loads(run_cli("experts", "windmolens", "--json", store=store, check=True).stdout)


def test_accepted_news_item_makes_zeewolde_an_expert_with_the_document_as_source(tmp_path):
    store = tmp_path / "store"
    before = experts_cli(store)
    assert ZEEWOLDE not in {e["actor"] for e in before["experts"]}
    doc = ingest(store, NEWS, "--publisher", "Gemeente Zeewolde")
    assert doc["date"] == "2025-03-14" and doc["title"] == "Windpark Zeewolde in gebruik genomen"
    built = [p for p in doc["proposals"] if p["kind"] == "experience" and p["data"]["actor"] == ZEEWOLDE]
    assert len(built) == 1 and built[0]["data"]["experience_kind"] == "heeft-gedaan"
    assert "windpark Zeewolde gebouwd" in built[0]["sentence_text"]
    offset = built[0]["start"] - built[0]["sentence"][0]
    assert built[0]["sentence_text"][offset:offset + len(built[0]["text"])] == built[0]["text"]
    assert built[0]["text"].startswith("Zeewolde") and built[0]["text"].endswith("gebouwd")
    asks = [p for p in doc["proposals"] if p["kind"] == "experience" and p["data"]["actor_label"] == "Lelystad"]
    assert [p["data"]["experience_kind"] for p in asks] == ["vraagt-hulp"]
    # nothing is written by ingesting
    assert ZEEWOLDE not in {e["actor"] for e in experts_cli(store)["experts"]}

    out = run_cli("review", "accept", "--all", "--document", doc["doc_id"], store=store, check=True).stdout
    assert "quads written (validated)" in out
    after = experts_cli(store)
    zeewolde = next(e for e in after["experts"] if e["actor"] == ZEEWOLDE)
    assert zeewolde["expertise"] is True
    graph = f"https://w3id.org/regiokg/graph/document/{doc['doc_id']}"
    assert graph in {i["source"] for i in zeewolde["evidence"]}
    # Lelystad asked: never an expert, listed as asking, with the document as source
    assert "Lelystad" not in {e["label"] for e in after["experts"]}
    lelystad = next(a for a in after["asking"] if a["label"] == "Lelystad")
    assert {i["source"] for i in lelystad["evidence"]} == {graph}

    # the same answer over HTTP, with the document among the cited sources
    from graph.settings import Settings
    with Server(Settings(store=store)) as server:
        answer = httpx.get(f"{server.url}/api/experts", params={"topic": "windmolens"}, timeout=60).json()
    api_zeewolde = next(e for e in answer["experts"] if e["actor"] == ZEEWOLDE)
    assert api_zeewolde["expertise"] is True
    cited = {s["graph"]: s for s in answer["sources"]}
    assert cited[graph]["title"] == "Windpark Zeewolde in gebruik genomen" and cited[graph]["date"] == "2025-03-14"
    assert [e["actor"] for e in answer["experts"]] == [e["actor"] for e in after["experts"]]

    # the document graph describes itself, with the file's sha256
    rows = select(store, f"SELECT ?p ?o WHERE {{ GRAPH <{graph}> {{ <{graph}> ?p ?o }} }}")
    assert doc["sha256"] in rows and "Gemeente Zeewolde" in rows and "2025-03-14" in rows

    # re-ingesting the same file changes nothing: same queue file, same store
    queue_file = store.with_name("store.review") / f"{doc['doc_id']}.json"
    queue_before = queue_file.read_bytes()
    first = dump(store, tmp_path / "a.nq")
    again = ingest(store, NEWS)
    assert again["new"] == [] and queue_file.read_bytes() == queue_before
    assert dump(store, tmp_path / "b.nq") == first


def test_rejecting_leaves_the_graph_unchanged_and_is_remembered(tmp_path):
    store = tmp_path / "store"
    ingest(store, NEWS, "--publisher", "Gemeente Zeewolde")
    first = dump(store, tmp_path / "a.nq")
    run_cli("review", "reject", "--all", store=store, check=True)
    assert dump(store, tmp_path / "b.nq") == first
    assert ZEEWOLDE not in {e["actor"] for e in experts_cli(store)["experts"]}
    again = ingest(store, NEWS)
    assert again["new"] == []
    assert {p["status"] for p in again["proposals"]} == {"rejected"}   # not proposed again
    listing = run_cli("review", "list", "--status", "pending", store=store, check=True).stdout
    assert "0 pending" in listing


def test_accept_by_id_and_per_kind_then_reject_an_accepted_fact(tmp_path):
    store = tmp_path / "store"
    doc = ingest(store, DOCS / "raadsvoorstel_foodvalley.txt", "--publisher", "Gemeente Renswoude")
    membership = next(p for p in doc["proposals"] if p["kind"] == "membership")
    assert membership["data"]["date"] == "2025-12-01" and membership["data"]["member_label"] == "Renswoude"
    assert "treedt per 1 december toe tot" in membership["sentence_text"]
    run_cli("review", "accept", membership["id"], store=store, check=True)
    q = ("SELECT ?d WHERE { ?m a <http://www.w3.org/ns/org#Membership> ; <http://www.w3.org/ns/org#member> "
         "<https://w3id.org/regiokg/id/gemeente/GM0339> ; <http://www.w3.org/ns/org#memberDuring>/"
         "<http://www.w3.org/2006/time#hasBeginning>/<http://www.w3.org/2006/time#inXSDDate> ?d }")
    assert "2025-12-01" in select(store, q)
    run_cli("review", "accept", "--all", "--kind", "post", store=store, check=True)
    shown = json.loads(run_cli("review", "show", doc["doc_id"], "--json", store=store, check=True).stdout)
    statuses = {p["kind"]: p["status"] for p in shown["proposals"] if p["kind"] in ("membership", "post", "topic")}
    assert statuses == {"membership": "accepted", "post": "accepted", "topic": "pending"}
    run_cli("review", "reject", membership["id"], store=store, check=True)
    assert "2025-12-01" not in select(store, q)
    unknown = run_cli("review", "accept", "ffff-000000", store=store)
    assert unknown.returncode == 1 and "no proposal ffff-000000" in unknown.stderr


def test_every_accepted_fact_says_where_it_comes_from(tmp_path):
    """Accept everything of the council paper: every fact node in the document's graph carries
    the sentence it rests on, and the graph names the document, its date and that it was
    reviewed."""
    store = tmp_path / "store"
    paper = DOCS / "raadsvoorstel_foodvalley.txt"
    doc = ingest(store, paper, "--publisher", "Gemeente Renswoude")
    run_cli("review", "accept", "--all", store=store, check=True)
    graph = f"https://w3id.org/regiokg/graph/document/{doc['doc_id']}"
    rows = json.loads(select(store, f"""
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?node ?type ?sentence WHERE {{ GRAPH <{graph}> {{
          ?node a ?type . OPTIONAL {{ ?node dcterms:description ?sentence }}
          VALUES ?type {{ <https://w3id.org/regiokg/def#CooperationArrangement> <http://www.w3.org/ns/org#Post>
                         <http://www.w3.org/ns/org#Membership> <https://schema.org/Event> }} }} }}"""))
    kinds = {r["type"].rsplit("#", 1)[-1].rsplit("/", 1)[-1] for r in rows}
    assert kinds == {"CooperationArrangement", "Post", "Membership", "Event"}   # experience: the news test
    text = " ".join(paper.read_text(encoding="utf-8").split())
    for r in rows:   # each with a sentence, and the sentence is the document's own
        assert r.get("sentence") and r["sentence"] in text, r
    membership = next(r for r in rows if r["type"].endswith("#Membership"))
    assert "treedt per 1 december toe tot Regio FoodValley" in membership["sentence"]
    described = json.loads(select(store, f"""
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?title ?date ?publisher ?sha ?how WHERE {{ GRAPH <{graph}> {{ <{graph}> a
          <https://w3id.org/regiokg/def#SourceDocument> ; dcterms:title ?title ; dcterms:date ?date ;
          dcterms:publisher ?publisher ; <https://w3id.org/regiokg/def#sha256> ?sha ; dcterms:description ?how }} }}"""))
    assert len(described) == 1
    assert described[0]["title"] == "Raadsvoorstel: toetreding tot Regio FoodValley"
    assert str(described[0]["date"]) == "2025-11-03" and described[0]["sha"] == doc["sha256"]
    assert "beoordeeld" in described[0]["how"] and "aanvaard" in described[0]["how"]


def test_accepting_goes_through_the_validated_write_path(tmp_path):
    """A proposal whose facts break a SHACL shape (an experience statement without a topic: the
    queue file edited by hand) is refused at accept: an error, its status stays pending and the
    store is unchanged."""
    store = tmp_path / "store"
    doc = ingest(store, NEWS, "--publisher", "Gemeente Zeewolde")
    built = next(p for p in doc["proposals"] if p["kind"] == "experience" and p["data"]["actor"] == ZEEWOLDE)
    queue_file = store.with_name("store.review") / f"{doc['doc_id']}.json"
    entry = json.loads(queue_file.read_text(encoding="utf-8"))
    next(p for p in entry["proposals"] if p["id"] == built["id"])["data"]["topics"] = []
    queue_file.write_text(json.dumps(entry), encoding="utf-8")
    first = dump(store, tmp_path / "a.nq")
    proc = run_cli("review", "accept", built["id"], store=store)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "validation" in proc.stderr.lower() and "topic" in proc.stderr, proc.stderr
    assert dump(store, tmp_path / "b.nq") == first
    shown = json.loads(run_cli("review", "show", built["id"], "--json", store=store, check=True).stdout)
    assert shown["status"] == "pending"
