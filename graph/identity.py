"""Identity of resources: old IRIs of reconciled bodies resolve to the canonical one.

When the reconciliation table (graph/importers/reconcile.py) decides that two IRIs name one
body, the facts sit on the canonical IRI and the old one is ``owl:sameAs`` it. Every place
that takes an IRI from a user (API paths and filters, ``/id/`` pages, CLI filters) passes it
through :func:`canonical_iri` first.
"""

from __future__ import annotations


def canonical_iri(kg, iri: str) -> str:
    """The canonical IRI for ``iri``: the target of its ``owl:sameAs`` under the instance
    base (followed transitively), else ``iri`` itself. External identifiers (TOOI) that our
    resources are ``owl:sameAs`` are not followed: only links to our own IRIs are aliases."""
    import pyoxigraph as ox

    from graph.filters import base_of

    base = base_of(kg)
    seen = {iri}
    current = iri
    while True:
        rows = kg.select("canonical_iri", iri=ox.NamedNode(current))
        targets = sorted(r["canonical"].value for r in rows if r["canonical"].value.startswith(base))
        if not targets or targets[0] in seen:
            return current
        current = targets[0]
        seen.add(current)
