"""Real HTTP over seeds + every import of ../shared/data: the curated members of the Metropoolregio
Amsterdam over time (each with a cited page), coverage of the sources, and empty member lists
that say what was searched."""

from __future__ import annotations

import httpx
import pytest
from apiserver import Server, make_settings

from graph.importers import import_all
from graph.kg import KnowledgeGraph

ID = "https://w3id.org/regiokg/id/"
MRA = "/api/arrangements/metropoolregio-amsterdam"
BEEMSTER, WEESP, HAARLEMMERLIEDE = ID + "gemeente/GM0370", ID + "gemeente/GM0457", ID + "gemeente/GM0393"
PROVINCES = {ID + "provincie/PV27", ID + "provincie/PV24"}
VERVOERREGIO = ID + "samenwerking/vervoerregio-amsterdam"


@pytest.fixture(scope="module")
def imported_client(tmp_path_factory, shared_dir):
    settings = make_settings(tmp_path_factory.mktemp("api-imported"))
    kg = KnowledgeGraph.open(settings)
    import_all(kg, shared_dir / "data")
    kg.close()
    with Server(settings) as srv, httpx.Client(base_url=srv.url, timeout=60) as client:
        yield client


def members(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.text
    body = response.json()
    return body


def test_mra_today_30_municipalities_two_provinces_and_the_vervoerregio(imported_client):
    body = members(imported_client, MRA)
    items = body["members"]
    municipalities = [m for m in items if m["cbs_code"] and m["cbs_code"].startswith("GM")]
    assert len(municipalities) == 30
    assert {m["member"]["iri"] for m in items if m["cbs_code"] and m["cbs_code"].startswith("PV")} == PROVINCES
    assert VERVOERREGIO in {m["member"]["iri"] for m in items}
    assert len(items) == 33
    # not members today: the merged municipalities
    assert not {BEEMSTER, WEESP, HAARLEMMERLIEDE} & {m["member"]["iri"] for m in items}
    # every fact with a cited page
    assert all(m["pages"] and all(p.startswith("https://") for p in m["pages"]) for m in items)
    assert body["members_on"] and body["members_complete"] is True and body["members_note"] is None


def test_mra_at_earlier_dates_has_the_members_of_then(imported_client):
    in_2018 = {m["member"]["iri"]: m for m in members(imported_client, MRA + "?date=2018-06-01")["members"]}
    assert {BEEMSTER, WEESP, HAARLEMMERLIEDE} <= set(in_2018)
    assert len([i for i in in_2018 if "/gemeente/" in i]) == 33   # 33 municipalities in 2018 (NH Nieuws, Oct 2018)
    assert in_2018[BEEMSTER]["end"] == "2021-12-31" and in_2018[BEEMSTER]["pages"]
    in_2020 = {m["member"]["iri"] for m in members(imported_client, MRA + "?date=2020-01-01")["members"]}
    assert BEEMSTER in in_2020 and WEESP in in_2020 and HAARLEMMERLIEDE not in in_2020
    in_2016 = {m["member"]["iri"] for m in members(imported_client, MRA + "?date=2016-06-01")["members"]}
    assert VERVOERREGIO not in in_2016 and in_2016 >= PROVINCES   # the Vervoerregio exists since 2017
    in_2022 = {m["member"]["iri"] for m in members(imported_client, MRA + "?date=2022-02-01")["members"]}
    assert BEEMSTER not in in_2022 and WEESP in in_2022


def test_the_list_count_does_not_count_former_members(imported_client):
    body = imported_client.get("/api/arrangements", params={"name": "Metropoolregio Amsterdam"}).json()
    [row] = [i for i in body["items"] if i["iri"] == ID + "samenwerking/metropoolregio-amsterdam"]
    assert row["members"] == 33


def test_sources_state_their_coverage(imported_client):
    body = imported_client.get("/api/sources", params={"limit": 1000}).json()
    by_graph = {i["graph"]: i for i in body["items"]}
    opengr = by_graph["https://w3id.org/regiokg/graph/import/opengr"]["coverage"]
    assert opengr["lists_members"] is True and opengr["period"] == "2015/2016"
    assert "Wgr-vorm" in opengr["kinds"]
    assert 5 < opengr["per_municipality"] < 12
    studies = {round(c["per_municipality"]) for c in opengr["compared_with"]}
    assert studies == {27, 33}
    assert all(c["pages"] and c["completeness"] < 0.5 for c in opengr["compared_with"])
    regioatlas = by_graph["https://w3id.org/regiokg/graph/import/regioatlas"]["coverage"]
    assert regioatlas["lists_members"] is False
    reference = by_graph["https://w3id.org/regiokg/graph/reference/regionale-samenwerkingen"]["coverage"]
    assert reference["lists_members"] is True
    assert "Wgr" in body["coverage_note"] and "27" in body["coverage_note"]


def test_an_empty_member_list_says_which_sources_were_searched(imported_client):
    # every arrangement without members says so, naming the sources that list members
    listing = imported_client.get("/api/arrangements", params={"limit": 1000}).json()["items"]
    empty = [i for i in listing if i["members"] == 0]
    assert empty, "expected at least one arrangement no source lists members of"
    for item in empty[:3]:
        body = members(imported_client, item["api"])
        if body["members"]:
            continue   # members only through ended memberships or dated later: not the case here
        searched = {s["graph"] for s in body["members_searched"]}
        assert {"https://w3id.org/regiokg/graph/import/opengr",
                "https://w3id.org/regiokg/graph/reference/regionale-samenwerkingen"} <= searched
        assert "doorzocht" in body["members_note"] and item["name"] in body["members_note"]
    full = members(imported_client, MRA)
    assert full["members_searched"] == []


def test_a_list_known_to_be_incomplete_says_so(imported_client):
    body = members(imported_client, "/api/arrangements/agrifood-capital")
    assert body["members"] and body["members_complete"] is False and "onvolledig" in body["members_note"]


def test_domain_and_form_filters_answer_over_http(imported_client):
    def names(**params):
        body = imported_client.get("/api/arrangements", params={"limit": 1000, **params})
        assert body.status_code == 200, body.text
        return [i["name"] for i in body.json()["items"]]

    safety = names(domain="veiligheid")
    assert len(safety) >= 20 and "Veiligheidsregio Utrecht" in safety
    assert not [n for n in safety if n.startswith(("GGD", "Omgevingsdienst", "Recreatieschap"))]
    assert names(domain=ID + "beleidsdomein/veiligheid") == safety
    health = names(domain="zorg-en-gezondheid")
    assert "GGD Drenthe" in health and "Veiligheidsregio Utrecht" not in health
    centre = names(form="centrumgemeenteconstructie")
    assert centre and all("entrum" in n for n in centre)
