"""REGIOKG_BASE_IRI is honoured by the core: a store opened with another base holds the
seeds, imports and analysis under it, and the API, /id/... and the CLI answer with it."""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest
from apiserver import Server, make_settings
from cli_helpers import run_cli

from graph import analysis
from graph.kg import KnowledgeGraph
from graph.namespaces import RKID

BASE = "https://example.org/kg/"


@pytest.fixture(scope="module")
def rebased(tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("base-iri"), base_iri=BASE)
    kg = KnowledgeGraph.open(settings)
    yield settings, kg
    kg.close()


def test_the_store_holds_instances_under_the_configured_base(rebased):
    _, kg = rebased
    count = 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), ?base)) }'
    old = kg.select_text(count, base=ox.Literal(str(RKID)))
    new = kg.select_text(count, base=ox.Literal(BASE))
    assert int(old[0]["n"].value) == 0 and int(new[0]["n"].value) > 1000
    # named queries and bound parameters written with the default base find the data
    rows = kg.select("api_municipality_by_code", cbs="GM0203")
    assert [r["m"].value for r in rows] == [BASE + "gemeente/GM0203"]
    assert kg.ask("ASK { ?m ?p ?o }", m=ox.NamedNode(str(RKID) + "gemeente/GM0203"))


def test_analysis_and_experts_answer_under_the_base(rebased):
    _, kg = rebased
    result = analysis.rank_experts(kg, "windmolens", near="GM0203")
    assert [e["actor"] for e in result["experts"]] == [BASE + "gemeente/GM0303", BASE + "gemeente/GM0867"]
    assert result["near"]["actor"] == BASE + "gemeente/GM0203"
    load = analysis.administrative_load(kg)
    assert len(load["ranking"]) > 300 and all(m["actor"].startswith(BASE) for m in load["ranking"])
    assert kg.ask("ASK { GRAPH ?g { ?s ?p ?o } }", g=ox.NamedNode(load["run"]["graph"]))


def test_http_api_and_linked_data_use_the_base(rebased):
    settings, kg = rebased
    kg.close()
    with Server(settings) as srv, httpx.Client(base_url=srv.url, timeout=30) as client:
        body = client.get("/api/municipalities/GM0203").json()
        assert body["iri"] == BASE + "gemeente/GM0203" and body["page"] == "/id/gemeente/GM0203"
        turtle = client.get("/id/gemeente/GM0203", headers={"Accept": "text/turtle"})
        assert turtle.status_code == 200
        triples = list(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE))
        iris = {t.value for q in triples for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}
        assert BASE + "gemeente/GM0203" in iris and BASE + "provincie/PV25" in iris
        assert not [iri for iri in iris if iri.startswith(str(RKID))]
    out = run_cli("query", "SELECT DISTINCT ?m WHERE { ?m rk:cbsCode \"GM0203\" }", "--format", "csv",
                  store=settings.store, env={"REGIOKG_BASE_IRI": BASE}, check=True).stdout
    assert out.split() == ["m", BASE + "gemeente/GM0203"], out
