"""The curated reference graph of regional bodies (seeds/reference/regionale-samenwerkingen.trig).

Every membership cites a public page; end dates of dissolved municipalities agree with the
lineage import; the file is what seeds/build_regional.py writes.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF

ROOT = Path(__file__).resolve().parents[1]
FILE = ROOT / "seeds" / "reference" / "regionale-samenwerkingen.trig"
GRAPH = "https://w3id.org/regiokg/graph/reference/regionale-samenwerkingen"
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
RK = rdflib.Namespace("https://w3id.org/regiokg/def#")
SCHEMA = rdflib.Namespace("https://schema.org/")
TIME = rdflib.Namespace("http://www.w3.org/2006/time#")
ID = "https://w3id.org/regiokg/id/"

sys.path.insert(0, str(ROOT / "seeds"))
import build_regional  # noqa: E402

from graph.queries import with_prefixes  # noqa: E402


def graph() -> rdflib.Graph:
    dataset = rdflib.Dataset()
    dataset.parse(FILE, format="trig")
    return dataset.graph(URIRef(GRAPH))


def test_file_is_what_the_generator_writes(tmp_path: Path):
    out = tmp_path / "x.trig"
    assert build_regional.main(["--out", str(out)]) == 0
    assert out.read_bytes() == FILE.read_bytes(), "re-run: python seeds/build_regional.py"


def test_every_membership_cites_a_described_public_page():
    g = graph()
    memberships = list(g.subjects(RDF.type, ORG.Membership))
    assert len(memberships) > 100
    for m in memberships:
        pages = list(g.objects(m, DCTERMS.source))
        assert pages, f"{m} cites no page"
        for page in pages:
            assert str(page).startswith(("https://", "http://")), page
            assert (page, RDF.type, SCHEMA.WebPage) in g and g.value(page, DCTERMS.title) is not None, page
        attested = g.value(m, RK.attestedOn)
        if attested is not None:   # the date a page states, never a made-up one
            assert str(attested) in {str(g.value(p, DCTERMS.date)) for p in pages}, m


def test_shortcut_only_for_memberships_without_an_end():
    g = graph()
    for m in g.subjects(RDF.type, ORG.Membership):
        ended = g.value(g.value(m, ORG.memberDuring), TIME.hasEnd) is not None if g.value(m, ORG.memberDuring) else False
        shortcut = (g.value(m, ORG.organization), ORG.hasMember, g.value(m, ORG.member)) in g
        assert shortcut != ended, m


def test_end_dates_are_the_day_before_the_lineage_dissolution(imported_kg):
    """Each ended municipal membership ends the day before the lineage import dissolves the member."""
    rows = imported_kg.select_text(with_prefixes(f"""
        SELECT ?m ?member ?end ?dissolved WHERE {{
          GRAPH <{GRAPH}> {{ ?m a org:Membership ; org:member ?member ; org:memberDuring/time:hasEnd/time:inXSDDate ?end }}
          GRAPH <https://w3id.org/regiokg/graph/import/lineage> {{ ?member rk:dissolvedOn ?dissolved }} }}"""))
    ended = imported_kg.select_text(with_prefixes(f"""SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{
        ?m a org:Membership ; org:member ?member ; org:memberDuring/time:hasEnd ?e }}
        FILTER(STRSTARTS(STR(?member), "https://w3id.org/regiokg/id/gemeente/")) }}"""))
    assert len(rows) == int(ended[0]["n"].value) >= 10
    for r in rows:
        assert date.fromisoformat(r["end"].value) == date.fromisoformat(r["dissolved"].value) - timedelta(days=1), r


def members_on(kg, body: str, on: str) -> set[str]:
    rows = kg.select("api_arrangement_members", arrangement=ox.NamedNode(ID + body),
                     onDate=ox.Literal(on, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")))
    return {r["label"].value for r in rows if r.get("label")}


def test_groningen_assen_over_time(imported_kg):
    kg = imported_kg
    then = members_on(kg, "samenwerking/assen-groningen-2030", "2016-03-01")
    now = members_on(kg, "samenwerking/assen-groningen-2030", "2025-01-01")
    assert {"Bedum", "Ten Boer", "Slochteren", "Assen", "Groningen"} <= then
    assert not {"Het Hogeland", "Westerkwartier", "Midden-Groningen"} & then
    assert now == {"Assen", "Groningen", "Het Hogeland", "Midden-Groningen", "Noordenveld", "Tynaarlo",
                   "Westerkwartier", "Drenthe"} | {"Groningen"}
    assert len([r for r in kg.select("api_arrangement_members", arrangement=ox.NamedNode(ID + "samenwerking/assen-groningen-2030"),
                                     onDate=ox.Literal("2025-01-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")))]) == 9


def test_g40_over_time_and_not_the_g4(imported_kg):
    kg = imported_kg
    now = members_on(kg, "organisatie/g32", "2025-01-01")
    assert len(now) == 41
    assert "Amstelveen" in now and not {"Amsterdam", "Rotterdam", "'s-Gravenhage", "Utrecht"} & now
    assert "Amstelveen" not in members_on(kg, "organisatie/g32", "2020-01-01")
    assert not {"Assen", "Hilversum"} & members_on(kg, "organisatie/g32", "2017-06-01")


def test_cleantech_heerde_joined_in_2018(imported_kg):
    kg = imported_kg
    assert "Heerde" not in members_on(kg, "samenwerking/cleantech-regio", "2018-01-01")
    assert members_on(kg, "samenwerking/cleantech-regio", "2024-01-01") == {
        "Apeldoorn", "Brummen", "Deventer", "Epe", "Heerde", "Lochem", "Voorst", "Zutphen"}
