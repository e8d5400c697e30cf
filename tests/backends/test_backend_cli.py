"""The CLI on every backend: the real ``regiokg`` command in a subprocess, pointed at an
embedded store (``--store DIR``) or at Virtuoso / the Oxigraph server (``--store URL`` and
the REGIOKG_STORE_* environment), each test on an empty store that the first command fills
with ontology and seeds."""

from __future__ import annotations

import json

import pytest
from cli_helpers import run_cli

from graph.kg import KnowledgeGraph
from graph.settings import Settings

DESCRIBED = """@prefix rk: <https://w3id.org/regiokg/def#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/regiokg/graph/reference/cli-backend> a rk:ReferenceData ; dcterms:title "CLI-test"@nl ;
    dcterms:publisher "tests" ; dcterms:date "2024-03-03"^^xsd:date .
<https://w3id.org/regiokg/id/organisatie/cli-backend> a org:Organization ; rdfs:label "Súdwest-Fryslân test"@nl .
"""
GRAPH = "https://w3id.org/regiokg/graph/reference/cli-backend"
# a municipality without its label and with a malformed CBS code
INVALID = """@prefix rk: <https://w3id.org/regiokg/def#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/regiokg/graph/reference/cli-bad> a rk:ReferenceData ; dcterms:title "bad" ;
    dcterms:publisher "tests" ; dcterms:date "2024-03-03"^^xsd:date .
<https://w3id.org/regiokg/id/gemeente/GM9998> a rk:Municipality ; rk:cbsCode "XX98" .
"""


@pytest.fixture
def cli(backend):
    """``cli(*args)``: run ``regiokg`` on a fresh store of the backend; ``cli.settings`` opens it in-process."""
    settings = backend.settings()
    store, env = backend.cli_store(settings)

    def run(*args: str, check: bool = False):
        return run_cli(*args, store=store, env=env, check=check)

    run.settings = settings
    return run


def test_cli_query_stats_and_graphs(cli):
    q = "SELECT ?g WHERE { GRAPH ?g { ?g a ?k } } ORDER BY ?g LIMIT 2"
    as_json = json.loads(cli("query", q, "--format", "json", check=True).stdout)
    assert as_json["head"]["vars"] == ["g"] and len(as_json["results"]["bindings"]) == 2
    assert all(not b["g"]["value"].startswith("urn:regiokg:") for b in as_json["results"]["bindings"])
    rows = cli("query", "SELECT ?m ?code WHERE { ?m a rk:Municipality ; rk:cbsCode ?code } ORDER BY ?code LIMIT 2",
               "--format", "csv", check=True).stdout.splitlines()
    assert rows[0] == "m,code" and len(rows) == 3 and rows[1].endswith(",GM" + rows[1][-4:])
    assert cli("query", "PREFIX rk: <urn:nothing#> ASK { ?m a rk:Municipality }", check=True).stdout.strip() == "false"
    turtle = cli("query", "CONSTRUCT WHERE { <https://w3id.org/regiokg/id/gemeente/GM0203> ?p ?o }", check=True).stdout
    assert "GM0203" in turtle and "Barneveld" in turtle
    bad = cli("query", "SELEC ?x")
    assert bad.returncode == 1 and bad.stderr.startswith("error: malformed SPARQL query")
    stats = json.loads(cli("stats", "--json", check=True).stdout)
    graphs = json.loads(cli("graphs", "--json", check=True).stdout)
    assert sum(stats["graphs"].values()) == stats["triples"] > 7000
    assert {g["iri"]: g["triples"] for g in graphs} == stats["graphs"]
    assert not any(iri.startswith("urn:regiokg:") for iri in stats["graphs"])  # registry, union: not graphs
    with KnowledgeGraph.open(cli.settings) as kg:
        assert kg.store.count() == stats["triples"]
        assert kg.store.named_graphs() == sorted(stats["graphs"])


def test_cli_load_valid_is_visible_and_invalid_is_refused_whole(cli, tmp_path):
    good = tmp_path / "good.ttl"
    good.write_text(DESCRIBED, encoding="utf-8")
    loaded = cli("load", str(good), "--graph", GRAPH, check=True)
    assert f"6\t{GRAPH}" in loaded.stdout
    label = cli("query", "SELECT ?l WHERE { <https://w3id.org/regiokg/id/organisatie/cli-backend> rdfs:label ?l }",
                "--format", "json", check=True).stdout
    assert json.loads(label)["results"]["bindings"][0]["l"] == {"type": "literal", "value": "Súdwest-Fryslân test",
                                                                "xml:lang": "nl"}
    with KnowledgeGraph.open(cli.settings) as kg:
        kg.dump(tmp_path / "before.nq")
    bad = tmp_path / "bad.ttl"
    bad.write_text(INVALID, encoding="utf-8")
    proc = cli("load", str(bad), "--graph", "https://w3id.org/regiokg/graph/reference/cli-bad")
    assert proc.returncode == 1 and "GM9998" in proc.stderr and "Traceback" not in proc.stderr
    with KnowledgeGraph.open(cli.settings) as kg:
        kg.dump(tmp_path / "after.nq")
    assert (tmp_path / "before.nq").read_bytes() == (tmp_path / "after.nq").read_bytes()


def test_seeds_dump_is_the_embedded_store_s_file(backend, tmp_path):
    """The same answers: the seeds dumped from a remote store are the very file the embedded store gives."""
    with KnowledgeGraph.open(backend.settings()) as kg:
        kg.dump(tmp_path / "first.nq")
    with KnowledgeGraph.open(Settings(store=tmp_path / "embedded-store")) as kg:
        kg.dump(tmp_path / "embedded.nq")
    assert (tmp_path / "first.nq").read_bytes() == (tmp_path / "embedded.nq").read_bytes()


def test_dump_restore_round_trip_is_identical(cli, tmp_path):
    """dump -> restore -> dump is byte-identical on every backend (N-Quads and TriG), and a
    restore replaces everything: a graph loaded since goes, the default graph is rebuilt."""
    first = tmp_path / "first.nq"
    cli("dump", str(first), check=True)
    good = tmp_path / "good.ttl"
    good.write_text(DESCRIBED, encoding="utf-8")
    with KnowledgeGraph.open(cli.settings) as kg:
        kg.load_files([good], graph=GRAPH)
        assert GRAPH in kg.store.named_graphs()
    cli("restore", str(first), check=True)
    with KnowledgeGraph.open(cli.settings, bootstrap=False) as kg:
        assert GRAPH not in kg.store.named_graphs()
        assert kg.store.count("") == 7522  # the default graph (set union) rebuilt with it
        kg.dump(tmp_path / "again.trig")
        kg.restore(tmp_path / "again.trig")
        kg.dump(tmp_path / "again.nq")
    assert (tmp_path / "again.nq").read_bytes() == first.read_bytes()
