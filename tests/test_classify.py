"""The policy-domain / form classifier (graph/classify.py) on the real data.

Checked against a hand-labelled sample of real arrangements (tests/data/classification_sample.csv,
labelled by reading the names and what is known of the bodies; ``a|b`` accepts either domain, an
empty label means the name does not tell). Precision and coverage are printed (pytest -s shows them).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox

from graph.classify import GRAPH, classify_names
from graph.identity import canonical_iri
from graph.queries import with_prefixes

SAMPLE = Path(__file__).with_name("data") / "classification_sample.csv"
ID = "https://w3id.org/regiokg/id/"
DOMAIN = ID + "beleidsdomein/"


def sample() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def domains_in_store(kg) -> dict[str, set[str]]:
    rows = kg.select_text(with_prefixes("SELECT ?a ?d WHERE { ?a a rk:CooperationArrangement . OPTIONAL { ?a rk:policyDomain ?d } }"))
    out: dict[str, set[str]] = {}
    for r in rows:
        out.setdefault(r["a"].value, set())
        if r.get("d") is not None:
            out[r["a"].value].add(r["d"].value[len(DOMAIN):])
    return out


def test_sample_precision_and_coverage_on_the_imported_store(imported_kg):
    rows = sample()
    assert len(rows) >= 100
    found = domains_in_store(imported_kg)
    # an arrangement reconciled with another answers under the canonical IRI (old IRI owl:sameAs it)
    iri = {r["slug"]: canonical_iri(imported_kg, ID + "samenwerking/" + r["slug"]) for r in rows}
    missing = [slug for slug, i in iri.items() if i not in found]
    assert not missing, f"sample names arrangements the store does not hold: {missing}"
    classified = correct = labelled = 0
    wrong = []
    for r in rows:
        got = found[iri[r["slug"]]]
        expected = {d for d in r["domain"].split("|") if d}
        if got:
            classified += 1
        if not expected:
            continue
        labelled += 1
        if got and got & expected:
            correct += 1
        elif got:
            wrong.append((r["name"], sorted(got), sorted(expected)))
    judged = sum(1 for r in rows if r["domain"] and found[iri[r["slug"]]])
    precision = correct / judged
    coverage = classified / len(rows)
    print(f"\nclassification sample: {len(rows)} arrangements, {labelled} with a label; "
          f"coverage {coverage:.1%} ({classified}/{len(rows)}), precision {precision:.1%} ({correct}/{judged})")
    for name, got, expected in wrong:
        print(f"  wrong: {name}: {got}, label {expected}")
    assert precision >= 0.90
    assert coverage >= 0.90


def test_at_least_90_percent_of_all_arrangements_have_a_domain(imported_kg):
    found = domains_in_store(imported_kg)
    share = sum(1 for d in found.values() if d) / len(found)
    print(f"\narrangements with a policy domain: {share:.1%} of {len(found)}")
    assert len(found) > 400 and share >= 0.90


def test_classification_graph_states_its_method_and_every_domain_is_a_scheme_concept(imported_kg):
    rows = imported_kg.select_text(with_prefixes(
        "SELECT ?t ?d WHERE { GRAPH ?g { ?g a rk:DerivedData ; dcterms:title ?t ; dcterms:description ?d } }"),
        g=ox.NamedNode(GRAPH))
    assert rows and "regels" in rows[0]["d"].value
    unknown = imported_kg.select_text(with_prefixes("""SELECT DISTINCT ?d WHERE {
        GRAPH ?g { ?a rk:policyDomain ?d } FILTER NOT EXISTS { ?d skos:inScheme <https://w3id.org/regiokg/id/beleidsdomein> } }"""),
        g=ox.NamedNode(GRAPH))
    assert unknown == []
    # every derived value says which rule gave it
    without_rule = imported_kg.select_text(with_prefixes("""SELECT ?a WHERE { GRAPH ?g { ?a rk:policyDomain ?d
        FILTER NOT EXISTS { ?a rk:classificationRule ?r FILTER(STRSTARTS(?r, "domain:")) } } }"""), g=ox.NamedNode(GRAPH))
    assert without_rule == []


def test_specific_rules_win_over_general_ones():
    assert classify_names(["Regionaal Archief Rivierenland (RAR)"])[0] == "cultuur-en-erfgoed"
    assert classify_names(["Regio Twente"])[0] == "bestuur"
    assert classify_names(["Afvalwater Vught"])[0] == "water"
    assert classify_names(["Veiligheids- en Gezondheidsregio Groningen"])[0] == "veiligheid"
    assert classify_names(["Omgevingsdienst Groningen"])[0] == "milieu"
    assert classify_names(["Centrumregeling samenwerking Leeuwarden en Ferwerderadiel"])[2] == "centrumgemeenteconstructie"
    assert classify_names(["WOT (TOP-Craft) (in 2016 opgeheven)"])[0] is None   # abstains rather than guess


def test_stated_values_are_kept(imported_kg):
    """The MRA's form comes from the curated graph (convenant), not from a rule."""
    rows = imported_kg.select_text(with_prefixes("SELECT ?f ?g WHERE { GRAPH ?g { ?a rk:cooperationForm ?f } }"),
                                   a=ox.NamedNode(ID + "samenwerking/metropoolregio-amsterdam"))
    assert [(r["f"].value.rsplit("/", 1)[-1], r["g"].value.rsplit("/", 1)[-1]) for r in rows] == [
        ("convenant", "regionale-samenwerkingen")]
