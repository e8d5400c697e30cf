"""Whole-graph views for the matrix, the network and the analysis figures on pages.

Built from :meth:`UIData.memberships` with the analysis measures of
:mod:`graph.analysis.measures`, cached per data state by :class:`UIData`.
"""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

import networkx as nx
import numpy as np
from scipy.cluster.hierarchy import leaves_list, linkage
from scipy.spatial.distance import pdist

from api.ui.data import UIData
from api.ui.geo import centroids
from graph.analysis import measures

COMMUNITY_SEED = 42


def bipartite(data: UIData) -> nx.Graph:
    """Actor-arrangement graph (``bipartite`` 0 for actors, 1 for arrangements)."""
    def compute():
        g = nx.Graph()
        for r in data.memberships():
            g.add_node(r["member"], bipartite=0, kind=r["memberKind"])
            g.add_node(r["arrangement"], bipartite=1, kind="arrangement")
            g.add_edge(r["member"], r["arrangement"])
        return g
    return data.cached("bipartite", compute)


def community_of(data: UIData) -> dict[str, int]:
    """Louvain community index of every node of the bipartite graph (largest community 0)."""
    return data.cached("communities", lambda: measures.partition_of(
        measures.communities(bipartite(data), weight=None, seed=COMMUNITY_SEED)))


def figures(data: UIData) -> dict[str, dict[str, Any]]:
    """Per actor: arrangements, rank among municipalities by that count, partners
    (co-members), PageRank and sampled betweenness on the bipartite graph, community."""
    def compute():
        g = bipartite(data)
        municipalities = [n for n, d in g.nodes(data=True) if d.get("kind") == "municipality"]
        load = measures.administrative_load(g, actors=municipalities)["ranking"]
        ranks, previous, rank = {}, None, 0
        for position, (actor, count) in enumerate(load, start=1):
            if count != previous:
                rank, previous = position, count
            ranks[actor] = rank
        between, _ = measures.betweenness(g, exact_max_nodes=400, sample_size=120, seed=COMMUNITY_SEED)
        pagerank = nx.pagerank(g) if g.number_of_edges() else {}
        community = community_of(data)
        out = {}
        for node, attrs in g.nodes(data=True):
            if attrs["bipartite"] != 0:
                continue
            partners = {m for a in g[node] for m in g[a]} - {node}
            out[node] = {"arrangements": g.degree(node), "rank": ranks.get(node),
                         "of": len(municipalities), "partners": len(partners),
                         "betweenness": between.get(node, 0.0), "pagerank": pagerank.get(node, 0.0),
                         "community": community.get(node)}
        return out
    return data.cached("figures", compute)


# -- matrix -----------------------------------------------------------------------------------
def _active(row: dict[str, Any], on: str | None) -> bool:
    if not on:
        return True
    begin, end = row.get("begin"), row.get("end")
    return (not begin or str(begin) <= on) and (not end or str(end) >= on)


def filtered_memberships(data: UIData, *, province: str | None = None, domain: str | None = None,
                         form: str | None = None, on: str | None = None,
                         kinds: tuple[str, ...] = ("municipality",)) -> list[dict[str, Any]]:
    """Memberships of actors of ``kinds`` passing the filters (IRIs; ``on`` an ISO date)."""
    return [r for r in data.memberships()
            if r["memberKind"] in kinds
            and (not province or r.get("province") == province)
            and (not domain or r.get("domain") == domain)
            and (not form or r.get("form") == form)
            and _active(r, on)]


def similarity_order(keys: list[str], sets: dict[str, set[str]]) -> list[str]:
    """``keys`` ordered so that similar member sets sit together (average-linkage
    clustering on Jaccard distance, optimal leaf order for small inputs).

    >>> similarity_order(["a", "b", "c"], {"a": {1, 2}, "b": {9}, "c": {1, 2, 3}})
    ['b', 'a', 'c']
    """
    if len(keys) < 3:
        return sorted(keys)
    universe = sorted({x for k in keys for x in sets[k]}, key=str)
    column = {x: i for i, x in enumerate(universe)}
    matrix = np.zeros((len(keys), len(universe)), dtype=bool)
    for i, key in enumerate(keys):
        for x in sets[key]:
            matrix[i, column[x]] = True
    tree = linkage(pdist(matrix, metric="jaccard"), method="average", optimal_ordering=len(keys) <= 400)
    return [keys[i] for i in leaves_list(tree)]


def matrix(data: UIData, *, lang: str = "nl", order: str = "similarity", **filters: Any) -> dict:
    """Municipalities × arrangements for the filters: ``rows``, ``cols``, ``cells``
    (``[row, col, source index, begin, end, attested]``) and ``sources``."""
    rows_ = filtered_memberships(data, **filters)
    by_member: dict[str, set[str]] = defaultdict(set)
    by_arrangement: dict[str, set[str]] = defaultdict(set)
    for r in rows_:
        by_member[r["member"]].add(r["arrangement"])
        by_arrangement[r["arrangement"]].add(r["member"])
    members, arrangements = sorted(by_member), sorted(by_arrangement)
    if order == "similarity":
        members = similarity_order(members, by_member)
        arrangements = similarity_order(arrangements, by_arrangement)
    elif order == "community":
        community = community_of(data)
        members.sort(key=lambda m: (community.get(m, 1 << 30), -len(by_member[m]), data.label(m)))
        arrangements.sort(key=lambda a: (community.get(a, 1 << 30), -len(by_arrangement[a]), data.label(a)))
    else:
        members.sort(key=lambda m: data.label(m, lang).lower())
        arrangements.sort(key=lambda a: data.label(a, lang).lower())
    row_index = {m: i for i, m in enumerate(members)}
    col_index = {a: i for i, a in enumerate(arrangements)}
    sources: list[str] = []
    source_index: dict[str, int] = {}
    cells = []
    for r in rows_:
        g = r["g"]
        if g not in source_index:
            source_index[g] = len(sources)
            sources.append(g)
        cells.append([row_index[r["member"]], col_index[r["arrangement"]], source_index[g],
                      r.get("begin"), r.get("end"), r.get("attested")])
    cells.sort()
    return {
        "rows": [{"iri": m, "label": data.label(m, lang), "url": data.page_url(m),
                  "n": len(by_member[m])} for m in members],
        "cols": [{"iri": a, "label": data.label(a, lang), "url": data.page_url(a),
                  "n": len(by_arrangement[a])} for a in arrangements],
        "cells": cells,
        "sources": [{"iri": g, "title": (data.source(g) or {}).get("title"),
                     "date": (data.source(g) or {}).get("date")} for g in sources],
    }


def matrix_csv(data: UIData, *, lang: str = "nl", **filters: Any) -> str:
    """The filtered memberships as CSV (one line per membership, with its source)."""
    import csv
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["municipality", "cbs_code", "municipality_iri", "arrangement", "arrangement_iri",
                     "begin", "end", "attested", "source_title", "source_date", "source_graph"])
    for r in sorted(filtered_memberships(data, **filters),
                    key=lambda r: (r.get("cbs") or "", data.label(r["arrangement"], lang))):
        source = data.source(r["g"]) or {}
        writer.writerow([data.label(r["member"], lang), r.get("cbs", ""), r["member"],
                         data.label(r["arrangement"], lang), r["arrangement"],
                         r.get("begin") or "", r.get("end") or "", r.get("attested") or "",
                         source.get("title") or "", source.get("date") or "", r["g"]])
    return buffer.getvalue()


# -- network ----------------------------------------------------------------------------------
def positions(data: UIData) -> dict[str, tuple[float, float]]:
    """Geographic starting positions (lon, lat): municipalities at their centroid,
    arrangements at their members' mean, other actors at their arrangements' mean."""
    def compute():
        pos = dict(centroids(data.municipalities()))
        members, arrangements_of = data.members_of(), data.arrangements_of()
        for _ in range(2):
            for node_sets in (members, arrangements_of):
                for node, neighbours in node_sets.items():
                    if node in pos:
                        continue
                    known = [pos[n] for n in neighbours if n in pos]
                    if known:
                        pos[node] = (sum(p[0] for p in known) / len(known),
                                     sum(p[1] for p in known) / len(known))
        return pos
    return data.cached("positions", compute)


def network(data: UIData, *, lang: str = "nl", kinds: tuple[str, ...] | None = None,
            domain: str | None = None) -> nx.Graph:
    """The bipartite network restricted to actor ``kinds`` and arrangements of ``domain``,
    with node attributes label, kind, community, url, domain, x, y."""
    full = bipartite(data)
    community = community_of(data)
    pos = positions(data)
    domain_of = {r["arrangement"]: r.get("domain") for r in data.memberships()}
    g = nx.Graph()
    for r in data.memberships():
        if kinds and r["memberKind"] not in kinds:
            continue
        if domain and r.get("domain") != domain:
            continue
        g.add_edge(r["member"], r["arrangement"])
    for node in g.nodes:
        kind = full.nodes[node]["kind"]
        x, y = pos.get(node, (5.3, 52.2))
        g.nodes[node].update({
            "label": data.label(node, lang), "kind": kind, "community": community.get(node, -1),
            "url": data.page_url(node), "domain": data.label(domain_of.get(node), lang) if kind == "arrangement" else "",
            "x": round(x, 5), "y": round(y, 5),
        })
    return g


def network_json(g: nx.Graph) -> dict:
    """Nodes and links of a network as JSON for the page."""
    index = {n: i for i, n in enumerate(sorted(g.nodes))}
    nodes = [{"id": n, **g.nodes[n], "degree": g.degree(n)} for n in sorted(g.nodes)]
    links = sorted([index[a], index[b]] for a, b in g.edges)
    return {"nodes": nodes, "links": links}


def network_export(g: nx.Graph, *, fmt: str) -> bytes:
    """GraphML or GEXF bytes of a network (for Gephi)."""
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(g, buffer)
    elif fmt == "gexf":
        nx.write_gexf(g, buffer)
    else:
        raise ValueError(f"unknown network format {fmt!r}: use graphml or gexf")
    return buffer.getvalue()
