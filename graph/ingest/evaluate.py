"""Measure ingestion against a hand-made graph: recall of its facts, precision of the proposals.

For a source document with a seed graph (``seeds/<stem>.trig`` → ``graph/source/<stem>``),
the document is ingested with a gazetteer that leaves that graph out (so the document's
own hand-made names do not help), and compared per kind of fact:

=============  ============================================================================
kind           a seed fact counts as found when a proposal ...
=============  ============================================================================
actors         names the same organisation, municipality, arrangement, party (IRI or label)
people         names a person of the same (folded) name
topics         has the topic (``rk:topic``, ``schema:about``, ``dcterms:subject`` of the seed)
experience     has the same actor and kind and a shared topic; a seed *bijeenkomst*
               statement also counts as found by a proposed meeting with the actor among its
               attendees and a shared topic
posts          same person, role and organisation
meetings       a proposed meeting on the same date
=============  ============================================================================

A proposal is right when the seed graph holds it (the rule above, read the other way) or
when a reviewer judged that its sentence supports it (``judged``: ``{proposal id: verdict}``).
Unjudged proposals the seed does not hold count as wrong.
"""

from __future__ import annotations

from collections import defaultdict

from graph.namespaces import RKG
from graph.text import fold

KINDS = ["actors", "people", "topics", "experience", "posts", "meetings"]
ACTOR_TYPES = ("Municipality", "Province", "WaterBoard", "RegionalBody", "CooperationArrangement",
               "Organization", "OrganizationalUnit", "PoliticalParty")
SEED_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }
"""


def seed_facts(kg, stem: str) -> dict:
    """The facts of one seed graph, by kind."""
    graph = f"{RKG}source/{stem}"
    import pyoxigraph as ox
    rows = kg.select_text(SEED_QUERY, g=ox.NamedNode(graph))
    by_s: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        by_s[r["s"].value][r["p"].value].append(r["o"].value)
    RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    types = {s: {t.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for t in p.get(RDF_TYPE, [])} for s, p in by_s.items()}
    names = {s: {fold(n) for key in ("http://www.w3.org/2000/01/rdf-schema#label",
                                     "http://www.w3.org/2004/02/skos/core#altLabel",
                                     "http://xmlns.com/foaf/0.1/name") for n in p.get(key, [])}
             for s, p in by_s.items()}
    actors = {s for s, t in types.items() if t & set(ACTOR_TYPES)}
    people = {s for s, t in types.items() if "Person" in t}
    topics = {o for p in by_s.values() for key in ("https://w3id.org/regiokg/def#topic", "https://schema.org/about",
                                                   "http://purl.org/dc/terms/subject") for o in p.get(key, [])}
    experience = []
    for s, p in by_s.items():
        if "Experience" in types.get(s, ()):
            experience.append({"id": s, "actor": p["https://w3id.org/regiokg/def#actor"][0],
                               "kind": p["https://w3id.org/regiokg/def#experienceKind"][0].rsplit("/", 1)[-1],
                               "topics": set(p.get("https://w3id.org/regiokg/def#topic", []))})
    posts = []
    for s, p in by_s.items():
        if "Post" in types.get(s, ()):
            holder = p["http://www.w3.org/ns/org#heldBy"][0]
            posts.append((names.get(holder, {holder}), p["http://www.w3.org/ns/org#role"][0],
                          p["http://www.w3.org/ns/org#postIn"][0]))
    meetings = [{"id": s, "date": next(iter(p.get("https://schema.org/startDate", [])), None)}
                for s, p in by_s.items() if "Event" in types.get(s, ())]
    return {"actors": actors, "people": people, "topics": topics, "experience": experience, "posts": posts,
            "meetings": meetings, "names": names}


def _same_actor(proposed: str, proposed_label: str | None, seed: str, names: dict) -> bool:
    if proposed == seed:
        return True
    return proposed_label is not None and fold(proposed_label) in names.get(seed, set())


def evaluate(seed: dict, proposals: list[dict], judged: dict[str, str] | None = None) -> dict:
    """Recall and precision per kind (see the module docstring). ``proposals`` are queue items."""
    judged = judged or {}
    names = seed["names"]
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for p in proposals:
        by_kind[p["kind"]].append(p)

    def actor_of(p):
        d = p["data"]
        return d.get("actor"), d.get("label") or d.get("actor_label")

    found: dict[str, set] = defaultdict(set)
    right: dict[str, set] = defaultdict(set)
    # actors
    for p in by_kind["actor"]:
        iri, label = actor_of(p)
        for a in seed["actors"] | seed["people"]:
            if _same_actor(iri, label, a, names):
                (found["actors"] if a in seed["actors"] else found["people"]).add(a)
                right["actor"].add(p["id"])
    for p in by_kind["person"]:
        for a in seed["people"]:
            if fold(p["data"]["name"]) in names.get(a, set()) or p["data"].get("person") == a:
                found["people"].add(a)
                right["person"].add(p["id"])
    for p in by_kind["topic"]:
        if p["data"]["topic"] in seed["topics"]:
            found["topics"].add(p["data"]["topic"])
            right["topic"].add(p["id"])
    for p in by_kind["post"]:
        d = p["data"]
        for i, (holder_names, role, org) in enumerate(seed["posts"]):
            if fold(d["name"]) in holder_names and d["role"] == role and \
                    _same_actor(d["organisation"], d.get("organisation_label"), org, names):
                found["posts"].add(i)
                right["post"].add(p["id"])
    for p in by_kind["experience"]:
        d = p["data"]
        for e in seed["experience"]:
            if d["experience_kind"] == e["kind"] and set(d["topics"]) & e["topics"] and \
                    _same_actor(d["actor"], d.get("actor_label"), e["actor"], names):
                found["experience"].add(e["id"])
                right["experience"].add(p["id"])
    for p in by_kind["meeting"]:
        d = p["data"]
        for m in seed["meetings"]:
            if m["date"] and m["date"][:len(d["date"])] == d["date"]:
                found["meetings"].add(m["id"])
                right["meeting"].add(p["id"])
        for e in seed["experience"]:
            if e["kind"] == "bijeenkomst" and e["actor"] in d.get("attendees", []) and set(d.get("topics", [])) & e["topics"]:
                found["experience"].add(e["id"])
    totals = {"actors": len(seed["actors"]), "people": len(seed["people"]), "topics": len(seed["topics"]),
              "experience": len(seed["experience"]), "posts": len(seed["posts"]), "meetings": len(seed["meetings"])}
    recall = {k: (len(found[k]), totals[k]) for k in KINDS}
    precision = {}
    for kind, items in by_kind.items():
        ok = sum(1 for p in items if p["id"] in right[kind] or judged.get(p["id"]) == "right")
        precision[kind] = (ok, len(items))
    unjudged = [p for p in proposals if p["id"] not in right[p["kind"]] and p["id"] not in judged]
    missed = {k: sorted(set(x if isinstance(x, str) else str(x) for x in
                            (seed[k] if k in ("actors", "people", "topics") else []) ) - set(map(str, found[k])))
              for k in ("actors", "people", "topics")}
    missed["experience"] = sorted(e["id"] for e in seed["experience"] if e["id"] not in found["experience"])
    return {"recall": recall, "precision": precision, "unjudged": unjudged, "missed": missed}
