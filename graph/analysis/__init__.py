"""Network analysis of regiokg: NetworkX views built from SPARQL, measures on them, and
the results written back as RDF (one named graph per algorithm, ``graph/analysis/<name>``).

Public functions (each takes the :class:`graph.kg.KnowledgeGraph` first):

* :func:`administrative_load` — arrangements per actor and its distribution
* :func:`centrality` — degree, weighted degree, betweenness, PageRank, closeness
* :func:`overlap` — arrangement pairs by shared members; consolidation candidates
* :func:`communities` — Louvain communities (seeded)
* :func:`congruence` — communities vs. every regional division (ARI, NMI)
* :func:`path` — shortest chain between two actors (who can introduce whom)
* :func:`rank_experts` — who has experience with a topic, with evidence

The pure measures are in :mod:`graph.analysis.measures`, the SPARQL views in
:mod:`graph.analysis.views`.
"""

from graph.analysis.expertise import rank_experts
from graph.analysis.runs import administrative_load, centrality, communities, congruence, overlap, path
from graph.analysis.views import Filters

__all__ = ["Filters", "administrative_load", "centrality", "overlap", "communities", "congruence", "path",
           "rank_experts"]
