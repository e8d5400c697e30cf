"""The store interface and the one write path (graph/store.py, graph/write.py, graph/update_eval.py):
a default graph that is a set, updates evaluated once, validation of what changes, refused IRIs,
no leftovers. Real stores on disk."""

from __future__ import annotations

import ast
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.errors import BadInput, QueryTooComplex, RefusedOperation, ValidationFailed
from graph.kg import KnowledgeGraph
from graph.settings import PROJECT_ROOT, Settings

GM = "https://w3id.org/regiokg/id/gemeente/"
RK = "https://w3id.org/regiokg/def#"
G1 = "https://w3id.org/regiokg/graph/reference/write-test-1"
G2 = "https://w3id.org/regiokg/graph/reference/write-test-2"
PREFIXES = """PREFIX rk: <https://w3id.org/regiokg/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def described(graph: str, body: str = "") -> str:
    return (f"GRAPH <{graph}> {{ <{graph}> a rk:ReferenceData ; dcterms:title \"t\" ; dcterms:publisher \"tests\" ; "
            f"dcterms:date \"2024-01-01\"^^xsd:date . {body} }}")


def count(kg: KnowledgeGraph, where: str) -> int:
    return int(kg.select_text(PREFIXES + f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")[0]["n"].value)


# -- the interface ------------------------------------------------------------------------------
STORAGE_MODULES = {"graph/store.py": "the embedded backend",
                   "graph/sandbox.py": "opens the embedded backend's read-only checkpoints"}


def _store_uses(path: Path) -> list[str]:
    """Uses of pyoxigraph's Store class, and of a store's raw handle, in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "pyoxigraph" and any(a.name == "Store" for a in node.names):
            found.append(f"{path}:{node.lineno}: from pyoxigraph import Store")
        if isinstance(node, ast.Attribute) and node.attr == "Store" and isinstance(node.value, ast.Name) \
                and node.value.id in ("ox", "pyoxigraph"):
            found.append(f"{path}:{node.lineno}: {node.value.id}.Store")
        if isinstance(node, ast.Attribute) and node.attr in ("raw", "_raw", "write_lock"):
            found.append(f"{path}:{node.lineno}: .{node.attr}")
    return found


def test_no_module_outside_the_backend_uses_pyoxigraph_storage():
    uses = []
    for folder in ("graph", "api"):
        for path in sorted((PROJECT_ROOT / folder).rglob("*.py")):
            rel = path.relative_to(PROJECT_ROOT).as_posix()
            if rel not in STORAGE_MODULES:
                uses += _store_uses(path)
    assert uses == [], "pyoxigraph storage used outside graph/store.py:\n" + "\n".join(uses)
    # the check itself finds what it looks for
    assert _store_uses(PROJECT_ROOT / "graph/store.py")


# -- the default graph is a set -----------------------------------------------------------------
def test_default_graph_counts_a_triple_once_whatever_the_graphs(kg):
    s, p = f"<{GM}GM0203>", "rk:testFact"
    before_named = count(kg, "GRAPH ?g { ?s ?p ?o }")
    kg.update(PREFIXES + f"INSERT DATA {{ {described(G1, f'{s} {p} 1 .')} {described(G2, f'{s} {p} 1 .')} }}")
    assert count(kg, f"{s} {p} ?o") == 1
    assert count(kg, f"GRAPH ?g {{ {s} {p} ?o }}") == 2
    # GRAPH ?g ranges over the named graphs only: the derived default graph is not one of them
    assert count(kg, "GRAPH ?g { ?s ?p ?o }") == before_named + 2 * 4 + 2
    assert kg.store.named_graphs().count(G1) == 1 and "" not in kg.store.named_graphs()
    # removed from one graph: still stated by the other, still seen once
    kg.update(PREFIXES + f"DELETE DATA {{ GRAPH <{G1}> {{ {s} {p} 1 }} }}")
    assert count(kg, f"{s} {p} ?o") == 1
    kg.update(PREFIXES + f"DELETE WHERE {{ GRAPH ?g {{ {s} {p} ?o }} }}")
    assert count(kg, f"{s} {p} ?o") == 0
    # the default graph is exactly the set of the named graphs' triples
    named = {(q.subject, q.predicate, q.object) for q in kg.store.quads()}
    default = {(q.subject, q.predicate, q.object) for q in kg.store.quads("")}
    assert named == default


def test_a_literal_written_again_in_another_lexical_form_stays(kg):
    """The engine keeps "+00:00" as "Z" and "01" as "1": replacing a graph by the same
    facts in the other spelling (an analysis run re-written within the second) keeps them."""
    g, s = "https://w3id.org/regiokg/graph/test/lexical", ox.NamedNode(f"{GM}GM0203")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    facts = [ox.Quad(s, ox.NamedNode(RK + "testTime"),
                     ox.Literal("2026-12-02T12:00:00+00:00", datatype=ox.NamedNode(xsd + "dateTime")), ox.NamedNode(g)),
             ox.Quad(s, ox.NamedNode(RK + "testCount"), ox.Literal("01", datatype=ox.NamedNode(xsd + "integer")),
                     ox.NamedNode(g))]
    for _ in range(3):
        kg.replace_graph(g, facts, validate=False)
        assert len(list(kg.store.quads(g))) == 2
        assert count(kg, f"<{s.value}> ?p ?o FILTER(?p IN (rk:testTime, rk:testCount))") == 2


def test_seed_facts_stated_twice_are_seen_once(kg):
    # every municipality's label is stated by the reference graph and by seeds
    dupes = count(kg, "{ SELECT ?s ?p ?o (COUNT(?g) AS ?k) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?s ?p ?o "
                      "HAVING (COUNT(?g) > 1) }")
    assert dupes > 0, "the seeds restate facts in several graphs"
    rows = kg.select_text("SELECT ?s ?p ?o (COUNT(*) AS ?k) WHERE { ?s ?p ?o } GROUP BY ?s ?p ?o HAVING (COUNT(*) > 1)")
    assert rows == []


def test_store_without_default_graph_is_rebuilt_on_open(tmp_path):
    path = tmp_path / "old"
    raw = ox.Store(str(path))  # a store as older versions wrote it: named graphs only
    g = ox.NamedNode(G1)
    raw.extend([ox.Quad(ox.NamedNode(GM + "GM0203"), ox.NamedNode(RK + "x"), ox.Literal("1"), g),
                ox.Quad(ox.NamedNode(GM + "GM0203"), ox.NamedNode(RK + "x"), ox.Literal("1"), ox.NamedNode(G2))])
    del raw
    with KnowledgeGraph.open(Settings(store=path), bootstrap=False) as kg:
        assert kg.store.count("") == 1
        assert count(kg, "?s ?p ?o") == 1
        assert kg.store.count() == 2


def test_dump_leaves_out_the_default_graph_and_restore_rebuilds_it(kg, tmp_path):
    first = tmp_path / "a.nq"
    n = kg.dump(first)
    assert n == kg.store.count()
    assert all(line.rstrip().endswith("> .") and line.count(" <https://w3id.org/regiokg/graph/") >= 1
               for line in first.read_text(encoding="utf-8").splitlines()), "a dump line without its graph"
    size = kg.store.count("")
    kg.restore(first)
    assert kg.store.count("") == size
    second = tmp_path / "b.nq"
    kg.dump(second)
    assert first.read_bytes() == second.read_bytes()


# -- updates evaluated once ---------------------------------------------------------------------
def test_random_graph_update_never_stores_into_an_undescribed_graph(kg):
    kg.update(PREFIXES + f"INSERT DATA {{ {described(G1)} }}")
    before = kg.store.count()
    refused = applied = 0
    for i in range(20):
        text = (f"INSERT {{ GRAPH ?g {{ <urn:x:s{i}> <urn:x:p> 1 }} }} WHERE {{ "
                f"BIND(IF(RAND() < 0.5, <{G1}>, <urn:undescribed-{i}>) AS ?g) }}")
        try:
            result = kg.update(text)
        except ValidationFailed as exc:
            assert f"urn:undescribed-{i}" in exc.message
            refused += 1
        else:
            assert result.graphs == [G1]
            applied += 1
    assert not [g for g in kg.store.named_graphs() if g.startswith("urn:undescribed")]
    assert kg.store.count() == before + applied
    assert count(kg, f"GRAPH <{G1}> {{ ?s <urn:x:p> 1 }}") == applied
    assert refused + applied == 20


def test_code_swap_that_keeps_graph_sizes_is_refused(kg):
    before = kg.store.count()
    text = PREFIXES + (f"DELETE {{ GRAPH ?g {{ <{GM}GM0203> rk:cbsCode ?c }} }} "
                       f"INSERT {{ GRAPH ?g {{ <{GM}GM0203> rk:cbsCode \"not a code\" }} }} "
                       f"WHERE {{ GRAPH ?g {{ <{GM}GM0203> rk:cbsCode ?c }} }}")
    with pytest.raises(ValidationFailed) as info:
        kg.update(text)
    assert info.value.violations[0]["focus_node"] == GM + "GM0203"
    assert kg.store.count() == before
    assert count(kg, f"<{GM}GM0203> rk:cbsCode \"GM0203\"") == 1
    assert count(kg, "GRAPH ?g { ?s rk:cbsCode \"not a code\" }") == 0


def test_update_reports_exactly_what_it_changed(kg):
    kg.update(PREFIXES + f"INSERT DATA {{ {described(G1)} {described(G2)} }}")
    result = kg.update(PREFIXES + f"INSERT {{ GRAPH <{G2}> {{ ?m rk:testFlag true }} }} WHERE {{ "
                                  f"?m rk:cbsCode ?c FILTER(?c IN (\"GM0203\", \"GM0034\")) }}")
    assert result.graphs == [G2] and result.added == {G2: 2} and result.removed == {}
    again = kg.update(PREFIXES + f"INSERT {{ GRAPH <{G2}> {{ ?m rk:testFlag true }} }} WHERE {{ ?m rk:testFlag true }}")
    assert again.graphs == [] and again.added == {}
    # DATA operations compose in order; WITH / USING are honoured
    kg.update(PREFIXES + f"INSERT DATA {{ GRAPH <{G1}> {{ <urn:x:a> <urn:x:p> 1 }} }} ; "
                         f"DELETE DATA {{ GRAPH <{G1}> {{ <urn:x:a> <urn:x:p> 1 }} }} ; "
                         f"INSERT DATA {{ GRAPH <{G1}> {{ <urn:x:b> <urn:x:p> 2 }} }}")
    assert count(kg, "<urn:x:a> ?p ?o") == 0 and count(kg, "<urn:x:b> ?p ?o") == 1
    kg.update(f"WITH <{G1}> DELETE {{ ?s <urn:x:p> ?o }} INSERT {{ ?s <urn:x:q> ?o }} WHERE {{ ?s <urn:x:p> ?o }}")
    assert count(kg, f"GRAPH <{G1}> {{ <urn:x:b> <urn:x:q> 2 }}") == 1 and count(kg, "<urn:x:b> <urn:x:p> ?o") == 0
    kg.update(f"DROP GRAPH <{G2}>")
    assert G2 not in kg.store.named_graphs() and count(kg, "?m rk:testFlag true") == 0


def test_update_refusals_are_clear(kg):
    with pytest.raises(BadInput, match="must come first"):
        kg.update(f"INSERT DATA {{ GRAPH <{G1}> {{ <urn:x:a> <urn:x:p> 1 }} }} ; "
                  "DELETE WHERE { GRAPH ?g { <urn:x:a> ?p ?o } }")
    with pytest.raises(BadInput, match="default graph"):
        kg.update("DELETE WHERE { ?s <https://w3id.org/regiokg/def#cbsCode> ?o }")
    with pytest.raises(BadInput, match="default graph"):
        kg.update("CLEAR DEFAULT")
    with pytest.raises(RefusedOperation):
        kg.update("LOAD <http://127.0.0.1:9/x> INTO GRAPH <urn:x>")
    with pytest.raises(RefusedOperation):
        kg.update("INSERT { GRAPH <urn:x> { ?a ?b ?c } } WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?a ?b ?c } }")
    with pytest.raises(BadInput, match="malformed"):
        kg.update("INSERT DATA { GRAPH <urn:x> { <a> <b> } }")
    # the sandbox's one depth check, with its setting, before Oxigraph's parser sees the text
    deep = "INSERT { GRAPH <urn:x> { ?s ?p ?o } } WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
    with pytest.raises(QueryTooComplex, match="REGIOKG_QUERY_MAX_DEPTH=100"):
        kg.update(deep)
    settings, kg.settings = kg.settings, kg.settings.model_copy(update={"query_max_depth": 4000})
    try:
        with pytest.raises(QueryTooComplex, match="REGIOKG_QUERY_MAX_DEPTH=4000"):
            kg.update("INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> 1 } }" + "{" * 4001)
    finally:
        kg.settings = settings


def test_iri_schemes_that_are_no_identifiers_are_refused(kg):
    before = kg.store.count()
    for bad in ("javascript:alert(document.domain)//", "data:text/html,<b>x</b>".replace("<", "%3C").replace(">", "%3E"),
                "file:///etc/passwd"):
        with pytest.raises(ValidationFailed) as info:
            kg.update(PREFIXES + f"INSERT DATA {{ {described(G1, f'<urn:x:arr> org:member <{bad}> .')} }}")
        assert info.value.status == 422 and info.value.code == "iri_scheme_refused"
        assert bad.split(":")[0] in info.value.message
    assert kg.store.count() == before


# -- validation by what changes -----------------------------------------------------------------
def test_validation_covers_the_changed_nodes_not_the_whole_graph(kg):
    # a graph holding a node that was invalid before (loaded without validation)
    bad_node = f"<{GM}GM9998> a rk:Municipality ; rk:cbsCode \"bad\" ; rdfs:label \"Oud\" ."
    kg.update(PREFIXES + f"INSERT DATA {{ {described(G1, bad_node)} }}", validate=False)
    # a valid write elsewhere in the same graph is accepted ...
    kg.update(PREFIXES + f"INSERT DATA {{ GRAPH <{G1}> {{ <{GM}GM0203> rk:testFact 1 }} }}")
    # ... a write that leaves the old violation as it was is accepted too ...
    kg.update(PREFIXES + f"INSERT DATA {{ GRAPH <{G1}> {{ <{GM}GM9998> rdfs:comment \"x\" }} }}")
    # ... and a new violation on a changed node is refused, naming it
    with pytest.raises(ValidationFailed) as info:
        kg.update(PREFIXES + f"INSERT DATA {{ GRAPH <{G1}> {{ <{GM}GM0203> rk:cbsCode \"GM0999\" }} }}")
    assert info.value.violations[0]["focus_node"] == GM + "GM0203"
    assert "exactly one rk:cbsCode" in info.value.message
    # removing a fact the node needs is refused as well
    with pytest.raises(ValidationFailed):
        kg.update(PREFIXES + f"DELETE WHERE {{ GRAPH ?g {{ <{GM}GM0203> rdfs:label ?l }} }}")
    assert count(kg, f"<{GM}GM0203> rdfs:label ?l") == 1


def test_description_of_a_touched_graph_is_required_afterwards(kg):
    kg.update(PREFIXES + f"INSERT DATA {{ {described(G1, '<urn:x:a> <urn:x:p> 1 .')} }}")
    with pytest.raises(ValidationFailed, match="does not describe itself"):
        kg.update(PREFIXES + f"DELETE WHERE {{ GRAPH <{G1}> {{ <{G1}> dcterms:title ?t }} }}")
    kg.update(f"CLEAR GRAPH <{G1}>")  # an empty graph needs no description
    assert kg.store.count(G1) == 0


# -- no leftovers -------------------------------------------------------------------------------
def test_trial_folders_from_a_crash_are_removed_when_the_store_opens(tmp_path):
    store = tmp_path / "store"
    with KnowledgeGraph.open(Settings(store=store), bootstrap=False):
        pass
    leftover = tmp_path / "store.update-1a2b3c4d"
    (leftover / "sub").mkdir(parents=True)
    (leftover / "sub" / "000001.sst").write_bytes(b"x" * 1000)
    with KnowledgeGraph.open(Settings(store=store), bootstrap=False) as kg:
        assert not leftover.exists()
        entries = sorted(p.name for p in tmp_path.iterdir())
        kg.update(PREFIXES + f"INSERT DATA {{ {described(G1)} }}")
        assert sorted(p.name for p in tmp_path.iterdir()) == entries, "a write left a folder beside the store"


# -- the default graph on the real data, over HTTP ----------------------------------------------
DRECHTSTEDEN_MEMBERS = """PREFIX org: <http://www.w3.org/ns/org#> PREFIX rk: <https://w3id.org/regiokg/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT (COUNT(?m) AS ?n) WHERE { <https://w3id.org/regiokg/id/samenwerking/drechtsteden> org:hasMember ?m .
  ?m a rk:Municipality ; rdfs:label ?l }"""


@pytest.fixture(scope="module")
def imported_http(imported_kg):
    """The session's seeds + imports store served by the real app over HTTP (read only)."""
    import sys
    import threading
    import time

    import httpx
    import uvicorn

    from api.app import create_app

    sys.path.insert(0, str(Path(__file__).parent / "test_api"))
    from apiserver import free_port

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(imported_kg, imported_kg.settings), host="127.0.0.1",
                                           port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if server.started and httpx.get(url + "/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    yield url
    server.should_exit = True
    thread.join(timeout=30)


@pytest.mark.shared
def test_drechtsteden_has_seven_members_over_sparql_and_in_the_core(imported_kg, imported_http):
    import httpx

    resp = httpx.get(imported_http + "/sparql", params={"query": DRECHTSTEDEN_MEMBERS},
                     headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert resp.status_code == 200, resp.text
    over_http = int(resp.json()["results"]["bindings"][0]["n"]["value"])
    in_core = int(imported_kg.select_text(DRECHTSTEDEN_MEMBERS)[0]["n"].value)
    distinct = imported_kg.select_text(DRECHTSTEDEN_MEMBERS.replace("COUNT(?m)", "COUNT(DISTINCT ?m)"))
    assert over_http == in_core == int(distinct[0]["n"].value) == 7
    # each municipality once in a plain listing, although several graphs state its label
    rows = imported_kg.select_text("PREFIX rk: <https://w3id.org/regiokg/def#> PREFIX rdfs: "
                                   "<http://www.w3.org/2000/01/rdf-schema#> SELECT ?m ?l WHERE "
                                   "{ ?m a rk:Municipality ; rdfs:label ?l }")
    pairs = [(r["m"].value, r["l"].value) for r in rows]
    assert len(pairs) == len(set(pairs)) > 300
