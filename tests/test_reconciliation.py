"""Reconciliation on the real data: one resource per real body across seeds, OpenGR, DSTA
and Regioatlas; old IRIs resolve; the import reports say what was merged and what not.

One store per module: seeds plus ``import_all`` of ../shared/data, served over real HTTP.
"""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

from graph.errors import BadInput
from graph.importers import import_all
from graph.importers.names import name_similarity, reconciliation_words
from graph.importers.reconcile import load_table, parse_table
from graph.kg import KnowledgeGraph
from graph.namespaces import RKID
from graph.settings import Settings

sys.path.insert(0, str(Path(__file__).parent / "test_api"))
from apiserver import Server  # noqa: E402

pytestmark = [pytest.mark.shared, pytest.mark.slow]

SW = f"{RKID}samenwerking/"
#: (seed slug, the slug the OpenGR import used to mint for the same body)
SEED_PAIRS = [("stedendriehoek", "regio-stedendriehoek"), ("west-brabant", "regio-west-brabant"),
              ("rivierenland", "regio-rivierenland"), ("regio-noord-veluwe", "samenwerkingsregeling-noord-veluwe"),
              ("parkstad-limburg", "stadsregio-parkstad-limburg"), ("bel", "bel-combinatie"),
              ("k5", "samenwerking-kempengemeenten")]
OPENGR_PAIRS = [("regionale-sociale-dienst-alblasserwaard-oost-vijfheerenlanden-rsdav",
                 "regionale-sociale-dienst-alblasserwaard-vijfheerenlanden"),
                ("recreatieschap-plassenschap-loosdrecht-en-omgeving", "plassenschap-loosdrecht-en-omgeving"),
                ("afvalbeheer-regio-centraal-groningen-arcg", "samenwerkingsverband-afvalbeheer-regio-centraal-groningen")]


@pytest.fixture(scope="module")
def served(tmp_path_factory, shared_dir: Path):
    root = tmp_path_factory.mktemp("reconcile")
    settings = Settings(store=root / "store", query_workers=1)
    kg = KnowledgeGraph.open(settings)
    reports = {r.dataset: r for r in import_all(kg, shared_dir / "data")}
    kg.close()
    with Server(settings) as server:
        yield server, reports


def get(server, path: str, **kw) -> httpx.Response:
    return httpx.get(server.url + path, timeout=60, **kw)


@pytest.mark.parametrize("seed, old", SEED_PAIRS + OPENGR_PAIRS)
def test_each_pair_is_one_arrangement_with_its_members(served, seed, old):
    server, _ = served
    canonical = get(server, f"/api/arrangements/{seed}").json()
    assert canonical["iri"] == SW + seed
    assert len(canonical["members"]) >= 3, "the import's members are on the canonical IRI"
    via_old = get(server, f"/api/arrangements/{old}").json()
    assert via_old["iri"] == SW + seed and via_old["members"] == canonical["members"]
    assert SW + old in canonical["aliases"]
    page = get(server, f"/id/samenwerking/{old}", headers={"Accept": "text/turtle"})
    assert page.status_code == 301 and page.headers["location"] == f"/id/samenwerking/{seed}"
    # the old IRI is not an arrangement of its own any more
    assert not server.kg.ask(f"ASK {{ <{SW}{old}> a <https://w3id.org/regiokg/def#CooperationArrangement> }}")
    assert server.kg.ask(f"ASK {{ <{SW}{old}> <http://www.w3.org/2002/07/owl#sameAs> <{SW}{seed}> }}")


@pytest.mark.parametrize("query, iri", [("stedendriehoek", "stedendriehoek"), ("kempengemeenten", "k5"),
                                        ("noord-veluwe", "regio-noord-veluwe"), ("plassenschap", None),
                                        ("centraal groningen", "afvalbeheer-regio-centraal-groningen-arcg")])
def test_a_name_search_lists_a_reconciled_body_once(served, query, iri):
    server, _ = served
    items = get(server, "/api/arrangements", params={"name": query}).json()["items"]
    iris = [i["iri"] for i in items]
    assert len(iris) == len(set(iris))
    if iri:
        assert iris.count(SW + iri) == 1
    plassenschap = [i for i in iris if "plassenschap-loosdrecht" in i]
    assert len(plassenschap) <= 1


def test_seed_label_stays_the_one_label_and_import_names_are_variants(served):
    server, _ = served
    rows = server.kg.select_text(f"""SELECT ?p ?l WHERE {{ <{SW}stedendriehoek> ?p ?l
        FILTER(?p IN (<http://www.w3.org/2000/01/rdf-schema#label>, <http://www.w3.org/2004/02/skos/core#altLabel>)) }}""")
    labels = {r["l"].value for r in rows if r["p"].value.endswith("#label")}
    alts = {r["l"].value for r in rows if r["p"].value.endswith("#altLabel")}
    assert labels == {"Stedendriehoek"} and "Regio Stedendriehoek" in alts


def test_dsta_code_goes_to_the_canonical_noord_veluwe_and_most_rows_match(served):
    server, reports = served
    detail = get(server, "/api/arrangements/GR0024").json()
    assert detail["iri"] == SW + "regio-noord-veluwe" and len(detail["members"]) >= 5
    dsta = reports["dsta"]
    assert dsta.rows_read == 400
    assert dsta.counts["rows matched"] >= 330
    unmatched = dsta.details["unmatched"]
    assert len(unmatched) == 400 - dsta.counts["rows matched"]
    assert all(u["reason"] for u in unmatched)
    matched_names = {m["name"]: m["canonical"] for m in dsta.details["merged"]}
    assert matched_names["GGD Zeeland"] == SW + "gemeentelijke-gezondheidsdienst-zeeland-ggd"
    assert matched_names["Gewest Gooi en Vechtstreek"] == SW + "regio-gooi-en-vechtstreek"
    assert matched_names["Samenwerking K5-gemeenten"] == SW + "k5"
    # a rejected candidate is not merged, and says why
    stadsregio = next(u for u in unmatched if u["name"] == "Stadsregio Rotterdam")
    assert "not GGD Rotterdam Rijnmond" in stadsregio["reason"]
    assert not server.kg.ask(f"""ASK {{ <{SW}ggd-rotterdam-rijnmond> <http://www.w3.org/2004/02/skos/core#altLabel>
        "Stadsregio Rotterdam" }}""")
    text = dsta.to_text()
    assert "GGD Zeeland -> " in text and "Stadsregio Rotterdam: reconciliation table line" in text


def test_opengr_report_lists_merged_and_candidates(served):
    _, reports = served
    opengr = reports["opengr"]
    merged = {m["name"]: m for m in opengr.details["reconciliation"]["merged"]}
    assert merged["Regio Stedendriehoek"]["old_iris"] == [SW + "regio-stedendriehoek"]
    assert all(m["found"] for m in merged.values())
    candidates = opengr.details["reconciliation"]["candidates"]
    assert candidates and all(c["score"] >= 0.9 for c in candidates)
    assert opengr.counts["candidates left for review"] == len(candidates)
    text = opengr.to_text()
    assert "Regio Stedendriehoek -> " in text and "candidates left for review (not merged):" in text
    assert "464 names -> 455 after deduplication" in text


def test_regioatlas_regions_are_linked_to_the_body_they_are(served):
    server, reports = served
    detail = get(server, "/api/arrangements/drechtsteden").json()
    regions = {r["iri"].removeprefix(f"{RKID}regio/") for r in detail["regions"]}
    assert regions == {"arbeidsmarktregios/drechtsteden", "hlzregioshervorminglangdurigezorg/drechtsteden",
                       "wmoregios/drechtsteden", "intergemeentelijkesocialediensten/sociale-dienst-drechtsteden"}
    assert "coropplusregios/drechtsteden" not in regions  # the table says: a statistical area, not the body
    food = get(server, "/api/arrangements/regio-foodvalley").json()
    assert len(food["regions"]) == 4
    assert reports["regioatlas"].counts["regions linked to an arrangement"] == 8


def test_reconciliation_words_and_similarity():
    assert reconciliation_words("Regio Stedendriehoek") == reconciliation_words("Stedendriehoek")
    assert name_similarity("GGD Zeeland", "Gemeentelijke Gezondheidsdienst Zeeland (GGD)")[0] == 1.0
    assert name_similarity("Servicebureau | Gemeenten (opgeheven)", "WOT (TOP-Craft) (in 2016 opgeheven)")[0] < 0.5
    assert name_similarity("Regio Twente", "Regio Rivierenland")[0] == 0.0


def test_the_table_is_well_formed_and_bad_tables_are_refused():
    table = load_table()
    assert len(table.of_source("opengr")) >= 10 and len(table.of_source("dsta")) >= 130
    assert all(d.note for d in table.decisions), "every decision carries the reviewer's note"
    header = "source,other,decision,canonical,reason,note\n"
    with pytest.raises(BadInput, match="line 2: decision 'maybe'"):
        parse_table(header + "dsta,X,maybe,samenwerking/x,,\n")
    with pytest.raises(BadInput, match="decided twice"):
        parse_table(header + "dsta,X,same,samenwerking/x,,n\ndsta,x,different,,,n\n")
    with pytest.raises(BadInput, match="needs the canonical"):
        parse_table(header + "opengr,X,same,,,n\n")
