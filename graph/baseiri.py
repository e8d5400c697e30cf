"""The instance base IRI (``REGIOKG_BASE_IRI``), honoured by the core.

Seeds, the ontology's concept schemes, the importers and the analysis name instances
under :data:`~graph.namespaces.RKID` (``https://w3id.org/regiokg/id/``). A store opened
with another base holds them under that base instead: :class:`KnowledgeGraph
<graph.kg.KnowledgeGraph>` passes everything it writes (bootstrap, ``load_files``,
``replace_graph``) through :meth:`Rebase.quads`, and every query it runs (named queries,
bound parameters) through :meth:`Rebase.text` / :meth:`Rebase.term`, so code and queries
keep naming instances one way while the data, the answers and ``/id/...`` use the
configured base.

>>> r = Rebase("https://example.org/kg/")
>>> r.iri("https://w3id.org/regiokg/id/gemeente/GM0203")
'https://example.org/kg/gemeente/GM0203'
>>> r.text('SELECT * { <https://w3id.org/regiokg/id/gemeente/GM0203> ?p "https://w3id.org/regiokg/id/x" }')
'SELECT * { <https://example.org/kg/gemeente/GM0203> ?p "https://w3id.org/regiokg/id/x" }'
>>> Rebase(str(RKID)).active
False
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from graph.namespaces import PREFIXES, RKID

__all__ = ["DEFAULT_BASE_IRI", "Rebase"]

DEFAULT_BASE_IRI = str(RKID)
_IRI_REF = re.compile("<" + re.escape(DEFAULT_BASE_IRI))


class Rebase:
    """Maps IRIs under :data:`DEFAULT_BASE_IRI` to ``base`` (the identity for the default)."""

    def __init__(self, base: str):
        self.base = base
        self.active = base != DEFAULT_BASE_IRI

    def iri(self, value: str) -> str:
        if self.active and value.startswith(DEFAULT_BASE_IRI):
            return self.base + value[len(DEFAULT_BASE_IRI):]
        return value

    def term(self, term: Any) -> Any:
        """A pyoxigraph term, quad or triple with its IRIs rebased (literals unchanged)."""
        if not self.active:
            return term
        if isinstance(term, ox.NamedNode):
            return ox.NamedNode(self.iri(term.value)) if term.value.startswith(DEFAULT_BASE_IRI) else term
        if isinstance(term, ox.Quad):
            return ox.Quad(self.term(term.subject), self.term(term.predicate), self.term(term.object),
                           self.term(term.graph_name))
        if isinstance(term, ox.Triple):
            return ox.Triple(self.term(term.subject), self.term(term.predicate), self.term(term.object))
        return term

    def quads(self, quads: Iterable[ox.Quad]) -> list[ox.Quad]:
        return [self.term(q) for q in quads] if self.active else list(quads)

    @property
    def prefixes(self) -> dict[str, str]:
        """The project's prefix table with ``rkid:`` at the configured base (for serialising)."""
        return {**PREFIXES, "rkid": self.base}

    def text(self, sparql: str) -> str:
        """A SPARQL text with every ``<`` + default base IRI (also in PREFIX lines) rebased."""
        return _IRI_REF.sub(lambda _: "<" + self.base, sparql) if self.active else sparql
