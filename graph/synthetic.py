"""Synthetic regiokg data at any scale, for benchmarks and crash tests.

The data follows the real model (municipalities, arrangements, memberships, people with
posts, topics, experience) and passes the shapes, so the validated path can be measured
on it. It is written straight to N-Quads, deterministic for a given seed. About 430
triples per municipality with the defaults: 8,100 municipalities give ~3.5 million triples.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from graph.namespaces import RK, RKG, RKID

GRAPH = f"{RKG}synthetic"
ORG = "http://www.w3.org/ns/org#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
FOAF = "http://xmlns.com/foaf/0.1/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
GEO = "http://www.opengis.net/ont/geosparql#"
MAX_MUNICIPALITIES = 9999  # CBS codes have four digits


@dataclass(frozen=True)
class Scale:
    municipalities: int = 8100
    memberships_per_municipality: int = 60
    municipalities_per_arrangement: int = 8
    people_per_municipality: int = 10
    experiences_per_municipality: int = 5
    topics: int = 200
    window: int = 120  # a municipality joins arrangements among the `window` nearest to it

    @property
    def arrangements(self) -> int:
        return max(1, self.municipalities // self.municipalities_per_arrangement)


def generate(path: str | Path, scale: Scale = Scale(), *, seed: int = 42) -> int:
    """Write synthetic N-Quads to ``path``; returns the number of quads written."""
    if not 1 <= scale.municipalities <= MAX_MUNICIPALITIES:
        raise ValueError(f"municipalities must be 1..{MAX_MUNICIPALITIES} (four-digit CBS codes)")
    rng = random.Random(seed)
    g = f"<{GRAPH}>"
    count = 0
    out = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed by the `with out:` below, after q() is defined

    def q(s: str, p: str, o: str) -> None:
        nonlocal count
        out.write(f"{s} <{p}> {o} {g} .\n")
        count += 1

    def lit(text: str, dtype: str | None = None) -> str:
        return f'"{text}"' + (f"^^<{XSD}{dtype}>" if dtype else "")

    with out:
        me = f"<{GRAPH}>"
        q(me, RDF_TYPE, f"<{RK}DatasetImport>")
        q(me, DCT + "title", lit("Synthetic benchmark data"))
        q(me, DCT + "publisher", lit("regiokg bench"))
        q(me, DCT + "date", lit("2026-01-01", "date"))
        for t in range(scale.topics):
            topic = f"<{RKID}onderwerp/synthetisch-{t}>"
            q(topic, RDF_TYPE, f"<{SKOS}Concept>")
            q(topic, SKOS + "prefLabel", f'"synthetisch onderwerp {t}"@nl')
            q(topic, SKOS + "inScheme", f"<{RKID}onderwerp>")
            if t:
                q(topic, SKOS + "broader", f"<{RKID}onderwerp/synthetisch-{(t - 1) // 4}>")
        for a in range(scale.arrangements):
            arr = f"<{RKID}samenwerking/synthetisch-{a}>"
            q(arr, RDF_TYPE, f"<{RK}CooperationArrangement>")
            q(arr, RDFS_LABEL, lit(f"Synthetische regeling {a}"))
            q(arr, DCT + "subject", f"<{RKID}onderwerp/synthetisch-{a % scale.topics}>")
        for m in range(1, scale.municipalities + 1):
            code = f"GM{m:04d}"
            mun = f"<{RKID}gemeente/{code}>"
            q(mun, RDF_TYPE, f"<{RK}Municipality>")
            q(mun, RDFS_LABEL, lit(f"Gemeente {m}"))
            q(mun, f"{RK}cbsCode", lit(code))
            q(mun, f"{RK}province", f"<{RKID}provincie/PV{20 + m % 12}>")
            point = f"<{RKID}geometrie/{code}-punt>"
            q(mun, GEO + "hasCentroid", point)
            wkt = f"POINT({3.4 + (m % 90) * 0.04:.5f} {50.8 + (m // 90) * 0.03:.5f})"
            q(point, GEO + "asWKT", f'"{wkt}"^^<{GEO}wktLiteral>')
            centre = (m - 1) // scale.municipalities_per_arrangement
            chosen: set[int] = set()
            while len(chosen) < min(scale.memberships_per_municipality, scale.arrangements):
                a = centre + rng.randint(-scale.window // 2, scale.window // 2)
                chosen.add(a % scale.arrangements)
            for a in sorted(chosen):
                arr = f"<{RKID}samenwerking/synthetisch-{a}>"
                ms = f"<{RKID}lidmaatschap/synthetisch-{a}/{code}>"
                q(ms, RDF_TYPE, f"<{ORG}Membership>")
                q(ms, ORG + "member", mun)
                q(ms, ORG + "organization", arr)
                q(ms, f"{RK}attestedOn", lit("2016-01-01", "date"))
                q(arr, ORG + "hasMember", mun)
            for p in range(scale.people_per_municipality):
                person = f"<{RKID}persoon/synthetisch-{m}-{p}>"
                post = f"<{RKID}functie/synthetisch-{m}-{p}>"
                q(person, RDF_TYPE, f"<{FOAF}Person>")
                q(person, FOAF + "name", lit(f"Persoon {m}-{p}"))
                q(person, ORG + "holds", post)
                q(post, RDF_TYPE, f"<{ORG}Post>")
                q(post, ORG + "heldBy", person)
                q(post, ORG + "postIn", mun)
                q(post, ORG + "role", f"<{RKID}rol/{'wethouder' if p % 3 else 'raadslid'}>")
                q(post, f"{RK}attestedOn", lit("2017-01-01", "date"))
            for e in range(scale.experiences_per_municipality):
                exp = f"<{RKID}ervaring/synthetisch-{m}-{e}>"
                q(exp, RDF_TYPE, f"<{RK}Experience>")
                q(exp, f"{RK}actor", mun)
                q(exp, f"{RK}topic", f"<{RKID}onderwerp/synthetisch-{rng.randrange(scale.topics)}>")
                q(exp, f"{RK}experienceKind", f"<{RKID}ervaringssoort/{rng.choice(['heeft-gedaan', 'adviseert'])}>")
                q(exp, DCT + "description", lit(f"Ervaring {e} van gemeente {m}"))
                q(exp, f"{RK}attestedOn", lit(f"{2010 + e}-06-01", "date"))
                q(exp, DCT + "source", me)
    return count


def scale_for_triples(triples: int, base: Scale = Scale()) -> Scale:
    """A scale whose output is close to ``triples`` quads (municipality count adjusted)."""
    per = 9 + 5 * base.memberships_per_municipality + 9 * base.people_per_municipality \
        + 7 * base.experiences_per_municipality + 3 / base.municipalities_per_arrangement
    n = max(1, min(MAX_MUNICIPALITIES, round(triples / per)))
    return Scale(**{**base.__dict__, "municipalities": n})


# -- a network with realistic arrangement sizes (bench/scale.py) --------------------------------
@dataclass(frozen=True)
class NetworkScale:
    """Synthetic data shaped like the real arrangements (seeds + imports: median 5 members,
    largest ~90), grown by adding municipalities and their documents rather than by making
    every arrangement huge (graph ``Scale`` puts ~480 members in each at 3.4M)."""

    municipalities: int = 1000
    memberships_per_municipality: int = 20
    median_members: float = 5.0
    max_members: int = 100
    people_per_municipality: int = 10
    experiences_per_municipality: int = 5
    documents_per_municipality: int = 100
    topics: int = 200
    window: int = 200  # an arrangement's members are among `window` neighbouring municipalities

    @property
    def arrangements(self) -> int:
        mean = _mean_size(self.median_members, self.max_members)
        return max(1, round(self.municipalities * self.memberships_per_municipality / mean))


_SIGMA = 0.9  # spread of the log-normal arrangement sizes


def _mean_size(median: float, cap: int) -> float:
    import math

    return min(float(cap), median * math.exp(_SIGMA ** 2 / 2))


def network_scale_for_triples(triples: int, base: NetworkScale = NetworkScale()) -> NetworkScale:
    """A network of about ``triples`` quads: ~1000 per municipality (up to 9,999 of them),
    the documents filling what memberships, people and experience leave."""
    n = max(10, min(MAX_MUNICIPALITIES, round(triples / 1000)))
    probe = NetworkScale(**{**base.__dict__, "municipalities": n, "documents_per_municipality": 0})
    fixed = n * (6 + 9 * base.people_per_municipality + 7 * base.experiences_per_municipality) \
        + probe.arrangements * 3 + n * base.memberships_per_municipality * 5
    docs = max(0, round((triples - fixed) / (7 * n)))
    return NetworkScale(**{**base.__dict__, "municipalities": n, "documents_per_municipality": docs})


def generate_network(path: str | Path, scale: NetworkScale = NetworkScale(), *, seed: int = 42) -> dict[str, int]:
    """Write a synthetic network to ``path`` (N-Quads, one graph, deterministic for ``seed``).
    Returns counts: quads, arrangements, memberships, largest (most members of one arrangement),
    median (members), and the slug number of the largest arrangement."""
    if not 1 <= scale.municipalities <= MAX_MUNICIPALITIES:
        raise ValueError(f"municipalities must be 1..{MAX_MUNICIPALITIES} (four-digit CBS codes)")
    rng = random.Random(seed)
    g = f"<{GRAPH}>"
    count = 0
    n = scale.municipalities
    sizes = [max(2, min(scale.max_members, n, round(rng.lognormvariate(_log(scale.median_members), _SIGMA))))
             for _ in range(scale.arrangements)]
    with open(path, "w", encoding="utf-8") as out:
        def q(s: str, p: str, o: str) -> None:
            nonlocal count
            out.write(f"{s} <{p}> {o} {g} .\n")
            count += 1

        def lit(text: str, dtype: str | None = None) -> str:
            return f'"{text}"' + (f"^^<{XSD}{dtype}>" if dtype else "")

        q(g, RDF_TYPE, f"<{RK}DatasetImport>")
        q(g, DCT + "title", lit("Synthetic benchmark network"))
        q(g, DCT + "publisher", lit("regiokg bench"))
        q(g, DCT + "date", lit("2026-01-01", "date"))
        for t in range(scale.topics):
            topic = f"<{RKID}onderwerp/synthetisch-{t}>"
            q(topic, RDF_TYPE, f"<{SKOS}Concept>")
            q(topic, SKOS + "prefLabel", f'"synthetisch onderwerp {t}"@nl')
            q(topic, SKOS + "inScheme", f"<{RKID}onderwerp>")
            if t:
                q(topic, SKOS + "broader", f"<{RKID}onderwerp/synthetisch-{(t - 1) // 4}>")
        memberships = 0
        for a, size in enumerate(sizes):
            arr = f"<{RKID}samenwerking/synthetisch-{a}>"
            q(arr, RDF_TYPE, f"<{RK}CooperationArrangement>")
            q(arr, RDFS_LABEL, lit(f"Synthetische regeling {a}"))
            q(arr, DCT + "subject", f"<{RKID}onderwerp/synthetisch-{a % scale.topics}>")
            centre = rng.randrange(n)
            window = max(size, min(n, scale.window))
            for offset in sorted(rng.sample(range(window), size)):
                code = f"GM{(centre + offset) % n + 1:04d}"
                mun = f"<{RKID}gemeente/{code}>"
                ms = f"<{RKID}lidmaatschap/synthetisch-{a}/{code}>"
                q(ms, RDF_TYPE, f"<{ORG}Membership>")
                q(ms, ORG + "member", mun)
                q(ms, ORG + "organization", arr)
                q(ms, f"{RK}attestedOn", lit("2016-01-01", "date"))
                q(arr, ORG + "hasMember", mun)
                memberships += 1
        for m in range(1, n + 1):
            code = f"GM{m:04d}"
            mun = f"<{RKID}gemeente/{code}>"
            q(mun, RDF_TYPE, f"<{RK}Municipality>")
            q(mun, RDFS_LABEL, lit(f"Gemeente {m}"))
            q(mun, f"{RK}cbsCode", lit(code))
            q(mun, f"{RK}province", f"<{RKID}provincie/PV{20 + m % 12}>")
            point = f"<{RKID}geometrie/{code}-punt>"
            q(mun, GEO + "hasCentroid", point)
            wkt = f"POINT({3.4 + (m % 100) * 0.03:.5f} {50.8 + (m // 100) * 0.03:.5f})"
            q(point, GEO + "asWKT", f'"{wkt}"^^<{GEO}wktLiteral>')
            for p in range(scale.people_per_municipality):
                person = f"<{RKID}persoon/synthetisch-{m}-{p}>"
                post = f"<{RKID}functie/synthetisch-{m}-{p}>"
                q(person, RDF_TYPE, f"<{FOAF}Person>")
                q(person, FOAF + "name", lit(f"Persoon {m}-{p}"))
                q(person, ORG + "holds", post)
                q(post, RDF_TYPE, f"<{ORG}Post>")
                q(post, ORG + "heldBy", person)
                q(post, ORG + "postIn", mun)
                q(post, ORG + "role", f"<{RKID}rol/{'wethouder' if p % 3 else 'raadslid'}>")
                q(post, f"{RK}attestedOn", lit("2017-01-01", "date"))
            for e in range(scale.experiences_per_municipality):
                exp = f"<{RKID}ervaring/synthetisch-{m}-{e}>"
                q(exp, RDF_TYPE, f"<{RK}Experience>")
                q(exp, f"{RK}actor", mun)
                q(exp, f"{RK}topic", f"<{RKID}onderwerp/synthetisch-{rng.randrange(scale.topics)}>")
                q(exp, f"{RK}experienceKind", f"<{RKID}ervaringssoort/{rng.choice(['heeft-gedaan', 'adviseert'])}>")
                q(exp, DCT + "description", lit(f"Ervaring {e} van gemeente {m}"))
                q(exp, f"{RK}attestedOn", lit(f"{2010 + e}-06-01", "date"))
                q(exp, DCT + "source", g)
            for d in range(scale.documents_per_municipality):  # council documents (not read by the routes)
                doc = f"<{RKID}document/synthetisch-{m}-{d}>"
                q(doc, RDF_TYPE, f"<{FOAF}Document>")
                q(doc, DCT + "title", lit(f"Raadsstuk {d} van gemeente {m}"))
                q(doc, DCT + "date", lit(f"{2010 + d % 15}-{1 + d % 12:02d}-15", "date"))
                q(doc, DCT + "creator", mun)
                q(doc, DCT + "subject", f"<{RKID}onderwerp/synthetisch-{rng.randrange(scale.topics)}>")
                q(doc, DCT + "references", f"<{RKID}samenwerking/synthetisch-{rng.randrange(len(sizes))}>")
                q(doc, DCT + "identifier", lit(f"RS-{m}-{d}"))
    ordered = sorted(sizes)
    return {"quads": count, "arrangements": len(sizes), "memberships": memberships, "largest": ordered[-1],
            "median": ordered[len(ordered) // 2], "largest_arrangement": sizes.index(ordered[-1])}


def _log(x: float) -> float:
    import math

    return math.log(x)
