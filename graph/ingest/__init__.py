"""Document ingestion: a report, council paper or news item → proposed facts with evidence
→ review → one self-described named graph per document.

>>> from graph.ingest.readers import read_bytes
>>> doc = read_bytes("Raadsvoorstel windpark. Gemeente Dronten heeft een windpark gebouwd.".encode(), "nota.txt")
>>> doc.kind, doc.title
('text', 'Raadsvoorstel windpark. Gemeente Dronten heeft een windpark gebouwd.')

Modules: :mod:`~graph.ingest.readers` (text, HTML, PDF, DOCX), :mod:`~graph.ingest.gazetteer`
(what the graph knows), :mod:`~graph.ingest.extract` (the extractors),
:mod:`~graph.ingest.facts` (proposals → RDF), :mod:`~graph.ingest.review` (the queue and
the write). See ``docs/ingest.md``.
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.ingest.extract import Extractor, Proposal
from graph.ingest.gazetteer import build_gazetteer, build_thesaurus
from graph.text import fold

ROLE_QUERY = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?c ?l WHERE { ?c skos:inScheme ?s ; skos:prefLabel|skos:altLabel ?l .
  FILTER(STRENDS(STR(?s), "/rol")) FILTER(LANGMATCHES(LANG(?l), "nl")) }"""
FORM_QUERY = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?c ?l WHERE { ?c skos:inScheme ?s ; skos:prefLabel|skos:altLabel ?l .
  FILTER(STRENDS(STR(?s), "/samenwerkingsvorm")) }"""
#: role words the texts use that are inflections of the scheme's labels
ROLE_VARIANTS = {"wethouders": "wethouder", "burgemeesters": "burgemeester", "raadsleden": "raadslid",
                 "kamerleden": "kamerlid", "tweede kamerleden": "tweede kamerlid"}


def build_extractor(kg, *, exclude_graphs: Iterable[str] = ()) -> Extractor:
    """An :class:`Extractor` over what ``kg`` knows (``exclude_graphs`` left out)."""
    gazetteer = build_gazetteer(kg, exclude_graphs=exclude_graphs)
    index, labels, _ = build_thesaurus(kg)
    roles: dict[str, str] = {}
    for row in kg.select_text(ROLE_QUERY):
        roles[row["l"].value.lower()] = row["c"].value
    for variant, base in ROLE_VARIANTS.items():
        if base in roles:
            roles[variant] = roles[base]
    forms = {fold(row["l"].value): row["c"].value for row in kg.select_text(FORM_QUERY)}
    roles.pop("lid", None)          # "lid" alone is membership, not a post
    roles.pop("deelnemer", None)
    try:
        from graph.importers.gazetteer import gazetteer_from_store
        resolver = gazetteer_from_store(kg)
    except Exception as exc:  # noqa: BLE001 - a store without reference data has no resolver
        from graph.errors import NotFound
        if not isinstance(exc, NotFound):
            raise
        resolver = None
    return Extractor(gazetteer, index, labels, resolver=resolver, roles=roles, forms=forms,
                     base=kg.settings.base_iri)


def propose(kg, text: str, *, doc_date: str | None = None, exclude_graphs: Iterable[str] = (),
            extractor: Extractor | None = None) -> list[Proposal]:
    """Every proposal the extractors make for ``text``."""
    extractor = extractor or build_extractor(kg, exclude_graphs=exclude_graphs)
    return extractor.run(text, doc_date=doc_date)


__all__ = ["build_extractor", "propose", "Proposal", "Extractor"]
