"""Knowledge integrity on the real data. Reconciliation: one resource per real body across seeds, OpenGR, DSTA
and Regioatlas; old IRIs resolve; the import reports say what was merged and what not.
Memberships in time: held by the actor of the time, passed on by lineage, dated answers.

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
    # 344 of 400 (86 %): the 56 rows left are bodies no other source lists (archives, former GGDs and
    # environment services merged into successors, business parks), each listed with the reason
    assert dsta.counts["rows matched"] >= 344
    print(f"DSTA rows matched: {dsta.counts['rows matched']} of {dsta.rows_read} ({dsta.counts['rows matched (%)']} %)")
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


@pytest.mark.parametrize("name, canonical", [
    ("GR Werkvoorzieningsschap De Avelingen Groep", "werkvoorzieningschap-de-avelingengroep-avres"),
    ("Intergemeentelijk Samenwerkingsorgaan Midden-Holland", "intergem-swo-midden-holland"),
    ("Sociaal Werkvoorzieningsbedrijf Midden- Twente", "s-w-b-midden-twente"),
    ("Openbaar Lichaam Ontwikkelingsmaatschappij Bedrijvenpark A-7", "bedrijvenpark-a7"),
    ("Delta", "werkvoorzieningschap-delta"),
    ("Regio Zuid-Holland Zuid", "dienst-gezondheidszorg-en-jeugd"),
    ("GGD Zuid-Limburg", "ggd-zuid-limburg"),   # no OpenGR arrangement: the Regioatlas GGD region
])
def test_dsta_rows_written_otherwise_find_their_body(served, name, canonical):
    server, reports = served
    merged = {m["name"]: m for m in reports["dsta"].details["merged"]}
    assert merged[name]["canonical"] == SW + canonical and merged[name]["note"]
    labels = server.kg.select_text(f"""SELECT ?l WHERE {{ <{SW}{canonical}> ?p ?l
        FILTER(?p IN (<http://www.w3.org/2000/01/rdf-schema#label>, <http://www.w3.org/2004/02/skos/core#altLabel>)) }}""")
    assert name in {r["l"].value for r in labels}


def test_a_dsta_body_only_regioatlas_holds_is_the_region(served):
    server, reports = served
    assert reports["dsta"].counts["  matched to a Regioatlas region by the reconciliation table"] == 3
    detail = get(server, "/api/arrangements/ggd-zuid-limburg").json()
    assert detail["gr_code"] == "GR0520"
    assert [r["iri"] for r in detail["regions"]] == [f"{RKID}regio/ggds/ggd-zuid-limburg"]


@pytest.mark.parametrize("wrong, dsta_name", [
    ("omgevingsdienst-midden-holland", "Intergemeentelijk Samenwerkingsorgaan Midden-Holland"),  # same postcode only
    ("regio-twente", "Sociaal Werkvoorzieningsbedrijf Midden- Twente"),                           # shares "Twente"
    ("natuur-en-recreatieschap-zuidwestelijke-delta", "Delta"),                                   # shares "Delta"
    ("veiligheidsregio-zuid-holland-zuid", "Regio Zuid-Holland Zuid"),                            # same postbox range
    ("ggd-haaglanden", "GGD Zuid-Holland West"),                                                  # its successor
    ("omgevingsdienst-regio-arnhem-odra", "Milieusamenwerking Regio Arnhem"),                     # its successor
    ("werkvoorzieningschap-emco-groep", "GR Werkvoorzieningsschap De Avelingen Groep"),           # shares "Groep"
    ("sociale-werkvoorziening-fryslan", "Samenwerkingsverband Sociale Werkvoorziening 'Fryslân-west' ( NV Empatec)"),
])
def test_bodies_that_share_words_stay_apart(served, wrong, dsta_name):
    server, reports = served
    assert server.kg.ask(f"ASK {{ <{SW}{wrong}> a <https://w3id.org/regiokg/def#CooperationArrangement> }}")
    merged = {m["name"]: m["canonical"] for m in reports["dsta"].details["merged"]}
    assert dsta_name in merged or dsta_name in {u["name"] for u in reports["dsta"].details["unmatched"]}
    assert merged.get(dsta_name) != SW + wrong
    assert not server.kg.ask(f"""ASK {{ <{SW}{wrong}> <http://www.w3.org/2004/02/skos/core#altLabel> {_literal(dsta_name)} }}""")


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.mark.parametrize("value, slug", [("openbare orde en veiligheid", "veiligheid"), ("gezondheid", "zorg-en-gezondheid"),
                                         ("Zorg en Gezondheid", "zorg-en-gezondheid"), ("afval", "afval")])
def test_the_domain_filter_takes_a_label(served, value, slug):
    server, _ = served
    r = get(server, "/api/arrangements", params={"domain": value, "limit": 500})
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert items and all(i["domain"]["iri"] == f"{RKID}beleidsdomein/{slug}" for i in items)


@pytest.mark.parametrize("value", ["nonsense", "en"])
def test_a_domain_that_names_nothing_is_a_400_listing_the_allowed_ones(served, value):
    server, _ = served
    r = get(server, "/api/arrangements", params={"domain": value})
    assert r.status_code == 400
    assert f"domain={value!r} names no domain" in r.json()["error"]["message"]
    assert "zorg-en-gezondheid (zorg en gezondheid)" in r.json()["error"]["message"]


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
    # 8 Drechtsteden and FoodValley regions, 6 GGD, social-service and sheltered-work regions (the table)
    assert reports["regioatlas"].counts["regions linked to an arrangement"] == 14


def test_reconciliation_words_and_similarity():
    assert reconciliation_words("Regio Stedendriehoek") == reconciliation_words("Stedendriehoek")
    assert name_similarity("GGD Zeeland", "Gemeentelijke Gezondheidsdienst Zeeland (GGD)")[0] == 1.0
    assert name_similarity("Servicebureau | Gemeenten (opgeheven)", "WOT (TOP-Craft) (in 2016 opgeheven)")[0] < 0.5
    assert name_similarity("Regio Twente", "Regio Rivierenland")[0] == 0.0
    # written-apart letters and compounds are one body's names; the word they share does not make two one
    assert name_similarity("S.W.B. Midden-Twente", "Sociaal Werkvoorzieningsbedrijf Midden- Twente")[0] == 1.0
    assert name_similarity("Intergem. SWO Midden Holland", "Intergemeentelijk Samenwerkingsorgaan Midden-Holland")[0] == 1.0
    assert name_similarity("Omgevingsdienst Midden-Holland", "Intergemeentelijk Samenwerkingsorgaan Midden-Holland")[0] < 1.0
    assert name_similarity("Werkvoorzieningschap EMCO Groep", "GR Werkvoorzieningsschap De Avelingen Groep")[0] < 0.9


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


# -- memberships in time -----------------------------------------------------------------------

def iris(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    return {i["iri"] for i in response.json()["items"]}


def test_bedums_2016_arrangements_are_bedums_and_not_het_hogelands(served):
    server, _ = served
    bedum_2016 = iris(get(server, "/api/arrangements", params={"member": "GM0005", "date": "2016-03-01"}))
    # 8 from OpenGR, plus the Regio Groningen-Assen (graph/reference/regionale-samenwerkingen, until 2018-12-31)
    assert len(bedum_2016) == 9 and SW + "afvalbeheer-regio-centraal-groningen-arcg" in bedum_2016
    assert SW + "assen-groningen-2030" in bedum_2016
    assert iris(get(server, "/api/arrangements", params={"member": "GM1966", "date": "2016-03-01"})) == set()
    # today Bedum holds nothing (dissolved 2019); Het Hogeland holds them through the lineage
    assert iris(get(server, "/api/arrangements", params={"member": "GM0005", "date": "2026-01-01"})) == set()
    answer = get(server, "/api/arrangements", params={"member": "GM1966", "date": "2026-01-01"}).json()
    assert answer["as_of"] >= "2016-03-01"  # the newest source behind the answer
    now = answer["items"]
    assert bedum_2016 <= {i["iri"] for i in now}
    arcg = next(i for i in now if i["iri"] == SW + "afvalbeheer-regio-centraal-groningen-arcg")
    assert arcg["inherited"] is True and "via Bedum (dissolved 2019-01-01), attested 2016-03-01" in arcg["note"]


def test_het_hogeland_lists_inherited_memberships_naming_the_predecessor_and_date(served):
    server, _ = served
    detail = get(server, "/api/municipalities/GM1966").json()
    assert detail["arrangements"], "the inherited memberships are listed"
    # its own: the Regio Groningen-Assen since 2019 (graph/reference/regionale-samenwerkingen); the rest inherited
    own = [m for m in detail["arrangements"] if not m["inherited"]]
    assert [m["arrangement"]["iri"] if isinstance(m.get("arrangement"), dict) else m.get("iri") for m in own] == [
        SW + "assen-groningen-2030"]
    detail["arrangements"] = [m for m in detail["arrangements"] if m["inherited"]]
    via = {v["label"] for m in detail["arrangements"] for v in m["via"]}
    assert via == {"Bedum", "De Marne", "Eemsmond", "Winsum"}
    bedum = [m for m in detail["arrangements"] if m["held_by"]["label"] == "Bedum"]
    assert len(bedum) == 8 and all(m["since"] == "2019-01-01" and m["attested_on"] == "2016-03-01" for m in bedum)
    assert all("via Bedum" in m["note"] for m in bedum)
    assert detail["as_of"] and detail["as_of"] >= "2016-03-01"
    # Bedum's own page: its memberships are its own, not inherited
    own = get(server, "/api/municipalities/GM0005").json()["arrangements"]
    assert len(own) == 9 and not any(m["inherited"] for m in own)   # 8 OpenGR + Regio Groningen-Assen until 2018
    assert all(m["note"] == "held until 2019-01-01, when it was dissolved; now held by Het Hogeland" for m in own)
    assert get(server, "/api/municipalities/GM1966", params={"date": "2016-03-01"}).json()["arrangements"] == []


def test_a_divided_municipality_passes_its_memberships_to_every_successor(served):
    server, _ = served
    haaren = {i["iri"] for i in get(server, "/api/arrangements", params={"member": "GM0788", "date": "2016-03-01"}).json()["items"]}
    assert haaren
    for successor in ("GM0865", "GM0824", "GM0855", "GM0757"):  # Vught, Oisterwijk, Tilburg, Boxtel
        items = get(server, "/api/arrangements", params={"member": successor, "date": "2026-01-01"}).json()["items"]
        inherited = {i["iri"] for i in items if i["note"] and "Haaren" in i["note"]}
        assert inherited == haaren, successor
        assert all("divided" in i["note"] for i in items if i["iri"] in inherited and i["inherited"])


def test_dissolved_arrangements_are_not_current(served):
    server, _ = served
    zuidlaarder = SW + "samenwerkingsverband-zuidlaardermeergemeenten-opgeheven-per-25-januari-2016"
    assert zuidlaarder in iris(get(server, "/api/arrangements", params={"date": "2016-01-01", "limit": 1000}))
    assert zuidlaarder not in iris(get(server, "/api/arrangements", params={"date": "2016-03-01", "limit": 1000}))
    streekraad = get(server, "/api/arrangements", params={"name": "Streekraad Oost-Groningen"}).json()["items"]
    assert streekraad and streekraad[0]["ended"] == "2016-03-01"
    assert streekraad[0]["iri"] not in iris(get(server, "/api/arrangements", params={"date": "2026-01-01", "limit": 1000}))
    detail = get(server, f"/api/arrangements/{zuidlaarder.removeprefix(SW)}", params={"date": "2026-01-01"}).json()
    assert detail["ended"] == "2016-01-25" and detail["members"] == []


def test_dates_give_different_answers_and_the_analysis_view_agrees(served):
    from graph.analysis.views import Filters, memberships

    server, _ = served
    then = iris(get(server, "/api/arrangements", params={"date": "2016-03-01", "limit": 1000}))
    now = iris(get(server, "/api/arrangements", params={"date": "2026-01-01", "limit": 1000}))
    assert now < then  # the arrangements that ended since are gone
    view_then = {(a, m) for a, m, _ in memberships(server.kg, filters=Filters(on_date="2016-03-01"))}
    view_now = {(a, m) for a, m, _ in memberships(server.kg, filters=Filters(on_date="2026-01-01"))}
    gm = f"{RKID}gemeente/"
    assert (SW + "afvalbeheer-regio-centraal-groningen-arcg", gm + "GM0005") in view_then
    assert (SW + "afvalbeheer-regio-centraal-groningen-arcg", gm + "GM1966") in view_now
    assert not any(m == gm + "GM1966" for _, m in view_then) and not any(m == gm + "GM0005" for _, m in view_now)
    # the API's member answer and the view agree on Het Hogeland today
    api_now = iris(get(server, "/api/arrangements", params={"member": "GM1966", "date": "2026-01-01"}))
    assert api_now == {a for a, m in view_now if m == gm + "GM1966"}


# -- filters never fail silently --------------------------------------------------------------

def test_province_filter_by_name_code_or_iri_gives_one_answer(served):
    server, _ = served
    answers = [iris(get(server, "/api/municipalities", params={"province": p, "limit": 1000}))
               for p in ("Gelderland", "PV25", f"{RKID}provincie/PV25", "provincie gelderland")]
    assert answers[0] and all(a == answers[0] for a in answers)
    assert f"{RKID}gemeente/GM0203" in answers[0]  # Barneveld
    assert f"{RKID}gemeente/GM0363" not in answers[0]  # Amsterdam


@pytest.mark.parametrize("path, params, value", [
    ("/api/arrangements", {"domain": "nonsense"}, "nonsense"),
    ("/api/arrangements", {"form": "Gemeenschappelijke fantasie"}, "Gemeenschappelijke fantasie"),
    ("/api/municipalities", {"province": "Atlantis"}, "Atlantis"),
    ("/api/analysis/load", {"province": "Narnia"}, "Narnia"),
])
def test_a_filter_naming_nothing_is_a_400_naming_the_value_and_the_allowed_ones(served, path, params, value):
    server, _ = served
    response = get(server, path, params=params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert repr(value) in error["message"] and "allowed" in error["message"]
    assert error["details"]["value"] == value and error["details"]["allowed"]
    if "province" in params:
        assert "PV25 (Gelderland)" in error["details"]["allowed"]


def test_domain_and_form_accept_label_code_or_iri(served):
    from graph.filters import resolve_filter

    server, _ = served
    for text in ("afval", "waste", "beleidsdomein/afval", f"{RKID}beleidsdomein/afval", "Afval"):
        assert resolve_filter(server.kg, "domain", text) == f"{RKID}beleidsdomein/afval"
    for text in ("openbaar-lichaam", "Openbaar lichaam"):
        assert resolve_filter(server.kg, "form", text) == f"{RKID}samenwerkingsvorm/openbaar-lichaam"
    ok = get(server, "/api/arrangements", params={"domain": "afval"})
    assert ok.status_code == 200


def test_cli_filters_by_province_name_and_refuses_an_unknown_domain(tmp_path):
    from cli_helpers import run_cli

    store = tmp_path / "store"
    good = run_cli("analyse", "load", "--province", "Gelderland", "--json", store=store)
    assert good.returncode == 0, good.stderr
    bad = run_cli("analyse", "load", "--domain", "nonsense", store=store)
    assert bad.returncode != 0
    assert "domain='nonsense' names no domain" in bad.stderr and "afval" in bad.stderr


def test_the_arrangement_list_agrees_with_sparql_on_names_member_counts_and_order(served):
    """/api/arrangements folds its rows in Python (api/routes/arrangements.py): every item's
    name is graph/labels.py's pick of its rdfs:labels and its member count the distinct
    org:hasMember objects, both read here over /sparql; the items are ordered by name. (Each
    arrangement here has one rdfs:label; test_api_json's Regio FoodValley has two.)"""
    from graph.labels import RDFS_LABEL, best_label

    server, _ = served
    listed = get(server, "/api/arrangements", params={"limit": 1000}).json()
    assert listed["total"] == len(listed["items"]) > 400
    query = ("PREFIX rk: <https://w3id.org/regiokg/def#> PREFIX org: <http://www.w3.org/ns/org#> "
             "SELECT ?a ?l ?m WHERE { ?a a rk:CooperationArrangement "
             "{ ?a <http://www.w3.org/2000/01/rdf-schema#label> ?l } UNION { ?a org:hasMember ?m } }")
    r = httpx.post(server.url + "/sparql", data={"query": query}, timeout=60,
                   headers={"accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    labels: dict[str, list] = {}
    members: dict[str, set] = {}
    for b in r.json()["results"]["bindings"]:
        if "l" in b:
            labels.setdefault(b["a"]["value"], []).append((RDFS_LABEL, b["l"].get("xml:lang"), b["l"]["value"]))
        if "m" in b:
            members.setdefault(b["a"]["value"], set()).add(b["m"]["value"])
    for item in listed["items"]:
        assert item["name"] == best_label(labels.get(item["iri"], [])), item["iri"]
        assert item["members"] == len(members.get(item["iri"], ())), item["iri"]
    names = [(i["name"] is not None, i["name"] or "", i["iri"]) for i in listed["items"]]
    assert names == sorted(names)


def test_the_form_filter_shows_each_arrangement_with_that_form(served):
    server, _ = served
    every = get(server, "/api/arrangements", params={"limit": 1000}).json()["items"]
    form = next(i["form"] for i in every if i["form"])
    r = get(server, "/api/arrangements", params={"form": form["iri"], "limit": 1000})
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert items and all(i["form"] == form for i in items)
    assert len(items) < len(every)
    assert {i["iri"] for i in items} >= {i["iri"] for i in every if i["form"] == form}
