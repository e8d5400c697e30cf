"""Pure rules of the importers: name repair, arrangement deduplication, participant resolution,
TopoJSON decoding and lineage. Small inputs worked out by hand; no ../shared needed."""

from __future__ import annotations

from collections import Counter

import pytest
from shapely.geometry import box

from graph.errors import BadInput
from graph.importers.lineage import derive_lineage
from graph.importers.names import (
    arrangement_key,
    clean,
    dedupe_arrangements,
    fold,
    preferred_label,
    repair_mojibake,
    slugify,
    spelling_variants,
)
from graph.importers.resolve import Gazetteer, HistoricMerger, MunicipalityRecord, load_historic_mergers
from graph.importers.topojson import Feature, read_features, read_topology

GBLT = [
    "Gemeenschappelijk Belastingkantoor Lococensus - Tricijn (GBLT)",
    "Gemeenschappelijk Belastingkantoor gezamenlijke waterschappen Locosensus-Tricijn",
    "Gemeenschappelijk Belastingkantoor gezamenlijke waterschappen Locosensus-Tricijn (GBLT)",
]


# -- names ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("broken, repaired", [
    ("Provincie FryslÃ¢n", "Provincie Fryslân"),
    ("CoÃ¶peratie ParkeerService", "Coöperatie ParkeerService"),
    ("SÃºdwest-FryslÃ¢n", "Súdwest-Fryslân"),
    ("BarÃŸel (Duitsland)", "Barßel (Duitsland)"),
    ("Waterschap â€™t Suydevelt", "Waterschap ’t Suydevelt"),
])
def test_repair_mojibake_restores_utf8(broken, repaired):
    assert repair_mojibake(broken) == repaired
    assert repair_mojibake(repaired) == repaired  # idempotent


def test_clean_trims_whitespace_and_stray_commas():
    assert clean("Dronten ") == "Dronten"
    assert clean("Overbetuwe,") == "Overbetuwe"
    assert clean("Steenwijkerland en  Westerveld") == "Steenwijkerland en Westerveld"


def test_fold_ignores_case_diacritics_and_punctuation():
    assert fold("EnkHuizen") == fold("Enkhuizen")
    assert fold("Sint Oedenrode") == fold("Sint-Oedenrode")
    assert fold("Nuenen. Gerwen en Nederwetten") == fold("Nuenen, Gerwen en Nederwetten")
    assert fold("Súdwest-Fryslân") == "sudwest fryslan"


def test_slugify_is_ascii_lowercase_with_hyphens():
    assert slugify("Wetterskip FryslÃ¢n") == "wetterskip-fryslan"
    assert slugify("'s-Hertogenbosch") == "s-hertogenbosch"


# -- arrangement deduplication -----------------------------------------------------------------
def test_dedupe_merges_the_three_gblt_spellings():
    groups = dedupe_arrangements(GBLT + ["Regio Twente"])
    assert sorted(GBLT) in groups
    assert ["Regio Twente"] in groups
    assert len(groups) == 2


def test_dedupe_merges_reordered_words():
    assert dedupe_arrangements(["Erfgoedcentrum Nieuw Land", "Nieuw Land Erfgoedcentrum"]) == [
        ["Erfgoedcentrum Nieuw Land", "Nieuw Land Erfgoedcentrum"]]


def test_dedupe_keeps_same_abbreviation_of_different_arrangements_apart():
    names = ["Bedrijfsvoeringsorganisatie West Betuwe (BWB)", "Belastingsamenwerking West-Brabant (BWB)"]
    assert dedupe_arrangements(names) == [[names[0]], [names[1]]]


def test_dedupe_ignores_a_type_abbreviation_inside_the_name():
    names = ["Gemeentelijke Gezondheidsdienst (GGD) Brabant-Zuidoost",
             "Gemeentelijke Gezondheidsdienst (GGD) Hart voor Brabant"]
    assert len(dedupe_arrangements(names)) == 2


def test_dedupe_keeps_equal_names_with_different_seats_apart():
    names = ["Samenwerking Sociale Zaken", "Gemeenschappelijke regeling Samenwerking Sociale Zaken "]
    assert len(dedupe_arrangements(names)) == 1  # without seats the words are equal
    seats = {names[0]: {"huizen"}, names[1]: {"heemstede"}}
    assert len(dedupe_arrangements(names, seats=seats)) == 2


def test_spelling_variants_only_for_long_words_one_letter_apart():
    variants = spelling_variants(["lococensus", "locosensus", "gelderland", "nederland", "biesbosch",
                                  "bieschbosch", "oostelijk", "westelijk"])
    assert variants == {"locosensus": "lococensus", "bieschbosch": "biesbosch"}


def test_arrangement_key_drops_remarks_and_keeps_trailing_abbreviation():
    key = arrangement_key("Streekraad Oost-Groningen (in liquidatie)")
    assert key.words == frozenset({"streekraad", "oost", "groningen"})
    assert key.abbreviation is None
    assert arrangement_key("Regionale Uitvoeringsdienst Noord-Holland Noord (RUD NHN)").abbreviation == "RUD NHN"


def test_preferred_label_is_the_most_frequent_variant():
    assert preferred_label(GBLT, Counter({GBLT[0]: 11, GBLT[1]: 10, GBLT[2]: 10})) == GBLT[0]


# -- participant resolution -------------------------------------------------------------------
@pytest.fixture
def gazetteer() -> Gazetteer:
    municipalities = [
        MunicipalityRecord("GM1966", ("Het Hogeland",), "PV20"),
        MunicipalityRecord("GM0005", ("Bedum",), "PV20", successor="GM1966"),
        MunicipalityRecord("GM0164", ("Hengelo (O.)", "Hengelo"), "PV23"),
        MunicipalityRecord("GM0373", ("Bergen (NH.)",), "PV27"),
        MunicipalityRecord("GM0893", ("Bergen (L.)",), "PV31"),
        MunicipalityRecord("GM0158", ("Haaksbergen",), "PV23"),
        MunicipalityRecord("GM1900", ("Súdwest-Fryslân",), "PV21"),
        MunicipalityRecord("GM0018", ("Hoogezand-Sappemeer",), "PV20", successor="GM1952"),
        MunicipalityRecord("GM1952", ("Midden-Groningen",), "PV20"),
    ]
    provinces = {"PV20": "Groningen", "PV21": "Fryslân", "PV23": "Overijssel", "PV27": "Noord-Holland",
                 "PV31": "Limburg"}
    historic = [HistoricMerger("Sneek", "Súdwest-Fryslân", "2011-01-01")]
    return Gazetteer(municipalities, provinces, historic=historic,
                     arrangement_names=["Stadsregio Amsterdam", "Regio Twente"])


def test_resolve_exact_current_and_2016_names(gazetteer):
    assert gazetteer.resolve("Het Hogeland").target == "GM1966"
    hengelo = gazetteer.resolve("Hengelo")
    assert (hengelo.kind, hengelo.target, hengelo.category) == ("municipality", "GM0164", "exact")


def test_resolve_follows_lineage_and_keeps_the_old_code(gazetteer):
    bedum = gazetteer.resolve("Bedum")
    assert (bedum.target, bedum.via, bedum.category) == ("GM1966", ("GM0005",), "lineage")
    sneek = gazetteer.resolve("Sneek")
    assert (sneek.target, sneek.historic, sneek.category) == ("GM1900", "Sneek", "lineage")


def test_resolve_repairs_mojibake_and_typos(gazetteer):
    assert gazetteer.resolve("SÃºdwest-FryslÃ¢n").target == "GM1900"
    haasbergen = gazetteer.resolve("Haasbergen")
    assert (haasbergen.target, haasbergen.method) == ("GM0158", "spelling")
    hoogezand = gazetteer.resolve("Hoogezand")
    assert (hoogezand.target, hoogezand.method, hoogezand.via) == ("GM1952", "short-form", ("GM0018",))


def test_resolve_bergen_suffixes_and_bare_name_by_province(gazetteer):
    assert gazetteer.resolve("Bergen (L.)").target == "GM0893"
    assert gazetteer.resolve("Bergen (NH.)").target == "GM0373"
    bare = gazetteer.resolve("Bergen")
    assert bare.kind == "ambiguous" and bare.candidates == ("GM0373", "GM0893")
    assert gazetteer.disambiguate(bare, Counter({"PV31": 5, "PV27": 1})).target == "GM0893"
    assert gazetteer.disambiguate(bare, Counter({"PV27": 2, "PV31": 2})).kind == "ambiguous"  # a tie stays open


def test_resolve_provinces_with_typos_and_mojibake(gazetteer):
    assert gazetteer.resolve("Provincie Overrijssel").target == "PV23"
    assert gazetteer.resolve("Provincie FryslÃ¢n").target == "PV21"
    assert gazetteer.resolve("Provincie Noord Holland").target == "PV27"


def test_resolve_water_boards_groups_spellings(gazetteer):
    names = ["Hoogheemraadschap van Rijnland", "Hoogheermraadschap van Rijnland", "Wetterskip FryslÃ¢n",
             "Hoogheemraadschap van Schieland en Krimpenerwaard",
             "Hoogheemraadschap van Schieland en de Krimpenerwaard", "Waterschap De Dommel", "De Dommel"]
    resolved = gazetteer.resolve_all(names)
    assert resolved["Hoogheermraadschap van Rijnland"].target == resolved["Hoogheemraadschap van Rijnland"].target
    assert resolved["Hoogheemraadschap van Schieland en de Krimpenerwaard"].target == \
        resolved["Hoogheemraadschap van Schieland en Krimpenerwaard"].target
    assert resolved["Wetterskip FryslÃ¢n"].target == "wetterskip-fryslan"
    assert resolved["De Dommel"].kind == "water_board"
    assert resolved["De Dommel"].target == resolved["Waterschap De Dommel"].target


def test_resolve_other_bodies_and_unresolved(gazetteer):
    german = gazetteer.resolve("Noordrijn-Westfalen (Duitsland)")
    assert (german.kind, german.label) == ("foreign", "Noordrijn-Westfalen")
    assert gazetteer.resolve("Stadsregio Amsterdam").kind == "arrangement"
    assert gazetteer.resolve("Stichting ISOB").kind == "organisation"
    unknown = gazetteer.resolve("Zaanstreek")
    assert (unknown.kind, unknown.category) == ("unresolved", "unresolved")


def test_bundled_historic_mergers_name_known_successors():
    mergers = load_historic_mergers()
    assert {m.name for m in mergers} >= {"Sneek", "Bussum", "Abcoude"}
    assert all(m.date[:4].isdigit() and m.date < "2016-12-31" for m in mergers)


# -- TopoJSON and lineage --------------------------------------------------------------------
def _topology(polygons: dict[str, list[list[int]]]) -> dict:
    """A quantized topology with one square arc per code (no shared arcs)."""
    arcs, geometries = [], []
    for i, (code, (x, y, size)) in enumerate(polygons.items()):
        arcs.append([[x, y], [size, 0], [0, size], [-size, 0], [0, -size]])
        geometries.append({"type": "Polygon", "arcs": [[i]],
                           "properties": {"statcode": code, "statnaam": code.lower(), "jrstatcode": "2025" + code}})
    return {"type": "Topology", "transform": {"scale": [0.5, 0.5], "translate": [3.0, 50.0]}, "arcs": arcs,
            "objects": {"gemeente": {"type": "GeometryCollection", "geometries": geometries}}}


def test_read_topology_applies_transform_and_delta_decoding():
    (feature,) = read_topology(_topology({"GM0001": [2, 4, 2]}))
    assert feature.geometry.bounds == (4.0, 52.0, 5.0, 53.0)
    assert feature.geometry.area == 1.0


def test_read_topology_reversed_arc_gives_the_same_ring():
    topo = _topology({"GM0001": [0, 0, 2]})
    topo["objects"]["gemeente"]["geometries"][0]["arcs"] = [[~0]]
    assert read_topology(topo)[0].geometry.area == 1.0


def test_read_features_reports_bad_input_with_location():
    with pytest.raises(BadInput, match="x.topojson: not valid JSON"):
        read_features(b"{", where="x.topojson")
    with pytest.raises(BadInput, match="neither TopoJSON"):
        read_features(b'{"type": "Point"}', where="y.json")


def _feature(code: str, geometry) -> Feature:
    return Feature({"statcode": code, "statnaam": code.lower()}, geometry)


def test_derive_lineage_by_largest_area_share_and_code_persistence():
    old = [_feature("GM0001", box(0, 0, 1, 1)), _feature("GM0002", box(1, 0, 2, 1)),
           _feature("GM0003", box(2, 0, 4, 1))]
    # GM0001 absorbs GM0002; GM0003 is divided 3:1 over GM0009 and GM0001.
    new = [_feature("GM0001", box(0, 0, 2.5, 1)), _feature("GM0009", box(2.5, 0, 4, 1))]
    lineage = {s.old_code: s for s in derive_lineage(old, new)}
    assert lineage["GM0001"].continues and lineage["GM0001"].successor_code == "GM0001"
    assert (lineage["GM0002"].continues, lineage["GM0002"].successor_code) == (False, "GM0001")
    assert lineage["GM0003"].successor_code == "GM0009"
    assert lineage["GM0003"].shares == (("GM0009", 0.75), ("GM0001", 0.25))
    assert lineage["GM0003"].is_split


@pytest.mark.parametrize("module", ["graph.importers.names", "graph.importers.topojson"])
def test_docstring_examples_hold(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
