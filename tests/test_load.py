"""Loading: every format, validation, and refusal that leaves the store exactly as before."""

from __future__ import annotations

import json

import pytest
from cli_helpers import run_cli
from pyoxigraph import NamedNode

from graph.errors import ParseError, ValidationFailed

G = "https://w3id.org/regiokg/graph/file/test"
DESCRIPTION_TTL = f"""
<{G}> a <https://w3id.org/regiokg/def#Source> ;
    <http://purl.org/dc/terms/title> "Test data" ;
    <http://purl.org/dc/terms/publisher> "regiokg tests" ;
    <http://purl.org/dc/terms/date> "2026-11-22"^^<http://www.w3.org/2001/XMLSchema#date> .
"""
ORG_TTL = """
<https://w3id.org/regiokg/id/organisatie/test-org> a <http://www.w3.org/ns/org#Organization> ;
    <http://www.w3.org/2000/01/rdf-schema#label> "Testorganisatie" .
"""

FORMATS = {
    "data.ttl": DESCRIPTION_TTL + ORG_TTL,
    "data.nt": None,  # filled from Turtle by serialising below
    "data.trig": f"<{G}> {{ {DESCRIPTION_TTL} {ORG_TTL} }}",
}


def _serialise(fmt: str) -> str:
    import rdflib

    g = rdflib.Graph().parse(data=DESCRIPTION_TTL + ORG_TTL, format="turtle")
    return g.serialize(format=fmt)


@pytest.mark.parametrize("name,fmt", [
    ("data.ttl", None), ("data.trig", None), ("data.nt", "nt"), ("data.jsonld", "json-ld"),
    ("data.rdf", "xml"), ("data.nq", "nquads"),
])
def test_load_each_format_lands_in_its_graph(kg, tmp_path, name, fmt):
    path = tmp_path / name
    if fmt == "nquads":
        import rdflib
        ds = rdflib.Dataset()
        ds.graph(rdflib.URIRef(G)).parse(data=DESCRIPTION_TTL + ORG_TTL, format="turtle")
        path.write_text(ds.serialize(format="nquads"))
    else:
        path.write_text(FORMATS.get(name) or _serialise(fmt))
    counts = kg.load_files([path], graph=G)
    assert counts == {G: 6}
    rows = kg.select_text("SELECT ?g ?o ?l WHERE { GRAPH ?g { ?o <http://www.w3.org/2000/01/rdf-schema#label> ?l } }",
                          g=NamedNode(G))
    assert [(r["o"].value, r["l"].value) for r in rows] == [
        ("https://w3id.org/regiokg/id/organisatie/test-org", "Testorganisatie")]


def test_load_syntax_error_names_file_and_line(kg, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(DESCRIPTION_TTL + '\n<http://x/a> <http://x/b> "unterminated .\n<http://x/c> <http://x/d> <http://x/e> .\n')
    before = kg.store.count()
    with pytest.raises(ParseError) as err:
        kg.load_files([bad], graph=G)
    assert f"{bad}:7" in err.value.message
    assert err.value.line == 7
    assert kg.store.count() == before


def test_load_undescribed_graph_is_refused_with_graph_named(kg, tmp_path):
    path = tmp_path / "plain.ttl"
    path.write_text(ORG_TTL)
    with pytest.raises(ValidationFailed) as err:
        kg.load_files([path], graph=G)
    assert G in err.value.message and "does not describe itself" in err.value.message
    assert G not in kg.store.named_graphs()


def test_load_describe_options_make_graph_loadable(kg, tmp_path):
    path = tmp_path / "plain.ttl"
    path.write_text(ORG_TTL)
    kg.load_files([path], graph=G, describe={"title": "T", "publisher": "P", "date": "2026-01-31"})
    info = {g.iri: g for g in kg.graphs()}[G]
    assert (info.title, info.publisher, info.date) == ("T", "P", "2026-01-31")


def test_load_default_graph_named_after_file(kg, tmp_path):
    path = tmp_path / "My Data.ttl"
    path.write_text(ORG_TTL)
    counts = kg.load_files([path], describe={"title": "T", "publisher": "P", "date": "2026-01-31"})
    assert list(counts) == ["https://w3id.org/regiokg/graph/file/my-data"]


def test_load_shacl_violation_names_focus_node_and_leaves_store_unchanged(kg, tmp_path):
    before = tmp_path / "before.nq"
    after = tmp_path / "after.nq"
    kg.dump(before)
    path = tmp_path / "invalid.trig"
    path.write_text(f"""<{G}> {{ {DESCRIPTION_TTL}
      <https://w3id.org/regiokg/id/gemeente/GM9999> a <https://w3id.org/regiokg/def#Municipality> ;
          <http://www.w3.org/2000/01/rdf-schema#label> "Nergenshuizen" . }}""")
    with pytest.raises(ValidationFailed) as err:
        kg.load_files([path])
    focus = [v["focus_node"] for v in err.value.violations]
    assert "https://w3id.org/regiokg/id/gemeente/GM9999" in focus
    assert "cbsCode" in json.dumps(err.value.violations)
    kg.dump(after)
    assert before.read_bytes() == after.read_bytes()


def test_bootstrap_is_idempotent(settings, tmp_path):
    from graph.kg import KnowledgeGraph

    with KnowledgeGraph.open(settings) as kg:
        graphs = kg.store.named_graphs()
        kg.dump(tmp_path / "one.nq")
    with KnowledgeGraph.open(settings) as kg:
        assert kg.store.named_graphs() == graphs
        kg.dump(tmp_path / "two.nq")
    assert (tmp_path / "one.nq").read_bytes() == (tmp_path / "two.nq").read_bytes()
    assert any(g.endswith("/ontology/regiokg") for g in graphs)
    assert any("/graph/source/" in g for g in graphs)


def test_every_bootstrapped_graph_describes_itself(kg):
    for info in kg.graphs():
        assert info.title and info.publisher and info.date, f"{info.iri} is not described"


def test_cli_load_invalid_file_exits_nonzero_with_one_line(tmp_path):
    store = tmp_path / "store"
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://x/a> <http://x/b> .\n")
    run_cli("dump", str(tmp_path / "before.nq"), store=store, check=True)
    proc = run_cli("load", str(bad), store=store)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"error: {bad}:1")
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    run_cli("dump", str(tmp_path / "after.nq"), store=store, check=True)
    assert (tmp_path / "before.nq").read_bytes() == (tmp_path / "after.nq").read_bytes()
    debug = run_cli("--debug", "load", str(bad), store=store)
    assert debug.returncode == 1 and "Traceback" in debug.stderr
