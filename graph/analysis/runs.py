"""The analyses as the CLI and the API call them: build the view from the store, compute
the measure, write the result back as RDF (``graph/analysis/<name>``) and return plain
JSON-ready dicts. A stored run with the same parameters on unchanged data is reused.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import networkx as nx
import pyoxigraph as ox

from graph.analysis import measures, paths, views
from graph.analysis.writeback import Run, data_fingerprint, stored_run
from graph.namespaces import RKID

__all__ = ["administrative_load", "centrality", "overlap", "communities", "congruence", "path"]

DEFAULT_KINDS = ("municipality",)


def _slug(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _kinds_param(kinds) -> list[str] | None:
    return sorted(kinds) if kinds is not None else None


def _run(kg, name: str, *, title_nl: str, title_en: str, method: str, parameters: dict,
         compute: Callable[[Run], dict], reuse: bool) -> dict:
    """Reuse the stored run when parameters and data are unchanged, else compute and write."""
    started = time.perf_counter()
    fingerprint, inputs = data_fingerprint(kg)
    if reuse:
        hit = stored_run(kg, name, parameters=parameters, fingerprint=fingerprint)
        if hit is not None:
            hit["run"]["seconds"] = round(time.perf_counter() - started, 3)
            return hit
    run = Run(name, title_nl=title_nl, title_en=title_en, method=method, parameters=parameters)
    result = run.write(kg, fingerprint=fingerprint, inputs=inputs, result=compute(run))
    result["run"]["seconds"] = round(time.perf_counter() - started, 3)
    return result


def administrative_load(kg, *, kinds=DEFAULT_KINDS, filters: views.Filters | None = None,
                        top: int | None = None, reuse: bool = True) -> dict:
    """Arrangements per actor (administrative load) with the distribution; current
    municipalities without any arrangement count 0 when municipalities are asked for.

    In the example store (:mod:`graph.analysis.examples`) dissolved Omega counts as
    Epsilon, which was in Zorg Zuid already, and Zeta is in no arrangement:

    >>> from graph.analysis.examples import example_kg
    >>> result = administrative_load(example_kg())
    >>> [(row["label"], row["count"]) for row in result["ranking"]]
    [('Alpha', 2), ('Beta', 2), ('Gamma', 2), ('Delta', 2), ('Epsilon', 1), ('Zeta', 0)]
    >>> result["distribution"]["histogram"]
    {'0': 1, '1': 1, '2': 4}

    Complexity: one membership query + O(n log n).
    """
    filters = filters or views.Filters()
    parameters = {"kinds": _kinds_param(kinds), "filters": filters.as_dict(), "top": top}

    def compute(run: Run) -> dict:
        names = views.labels(kg)
        graph = views.bipartite_view(kg, filters=filters, kinds=kinds, names=names)
        actors = set(measures.actor_nodes(graph))
        if kinds is None or "municipality" in kinds:
            actors |= set(views.current_municipalities(kg, province=filters.province))
        result = measures.administrative_load(graph, actors=sorted(actors))
        for actor, count in result["ranking"]:
            run.add(actor, "arrangementCount", count)
        ranking = result["ranking"] if top is None else result["ranking"][:top]
        return {
            "analysis": "load",
            "ranking": [{"actor": a, "label": names.get(a, a), "count": c} for a, c in ranking],
            "distribution": result["distribution"],
            "arrangements": len(measures.arrangement_nodes(graph)),
        }

    return _run(kg, "load", title_nl="Analyse: samenwerkingsverbanden per actor (bestuurlijke drukte)",
                title_en="Analysis: arrangements per actor (administrative load)",
                method="degree of each actor in the actor-arrangement graph", parameters=parameters,
                compute=compute, reuse=reuse)


def centrality(kg, *, kinds=DEFAULT_KINDS, filters: views.Filters | None = None,
               exact_max_nodes: int = 2000, sample_size: int = 64, seed: int = 42,
               network: str = "auto", max_projection_pairs: int = 2_000_000,
               top: int | None = None, reuse: bool = True) -> dict:
    """Degree, weighted degree, betweenness, PageRank and closeness of the actors.

    ``network``: ``"projection"`` (actors linked by shared arrangements, weight = number
    shared), ``"bipartite"`` (the actor-arrangement graph itself) or ``"auto"``: the
    projection unless it would enumerate more than ``max_projection_pairs`` pairs.
    Betweenness is exact up to ``exact_max_nodes`` nodes, else sampled from
    ``sample_size`` seeded sources; closeness only when exact. The output says which.

    In the example projection Gamma lies on the shortest path of 4 of the 6 pairs of
    other municipalities (Alpha or Beta to Delta or Epsilon), Delta on that of 3 (Alpha,
    Beta or Gamma to Epsilon):

    >>> from graph.analysis.examples import example_kg
    >>> result = centrality(example_kg())
    >>> [(row["label"], round(row["betweenness"], 2)) for row in result["ranking"][:2]]
    [('Gamma', 0.67), ('Delta', 0.5)]
    >>> result["method"]["betweenness"]["exact"], result["nodes"], result["edges"]
    (True, 5, 5)

    Complexity: O(n·m) exact, O(k·m) sampled.
    """
    if network not in ("auto", "projection", "bipartite"):
        from graph.errors import BadInput

        raise BadInput(f"network {network!r}: use auto, projection or bipartite")
    filters = filters or views.Filters()
    parameters = {"kinds": _kinds_param(kinds), "filters": filters.as_dict(), "exact_max_nodes": exact_max_nodes,
                  "sample_size": sample_size, "seed": seed, "network": network,
                  "max_projection_pairs": max_projection_pairs, "top": top}

    def compute(run: Run) -> dict:
        names = views.labels(kg)
        bipartite = views.bipartite_view(kg, filters=filters, kinds=kinds, names=names)
        pairs = measures.projection_size(bipartite)
        chosen = network if network != "auto" else ("projection" if pairs <= max_projection_pairs else "bipartite")
        if chosen == "projection":
            graph = measures.co_membership_graph(bipartite)
            result = measures.centrality(graph, exact_max_nodes=exact_max_nodes, sample_size=sample_size, seed=seed)
            description = "co-membership projection (actors linked by shared arrangements)"
        else:
            graph = bipartite
            result = measures.bipartite_centrality(bipartite, exact_max_nodes=exact_max_nodes, sample_size=sample_size,
                                                   seed=seed)
            description = (f"actor-arrangement graph (the projection would enumerate {pairs} pairs, "
                           f"above {max_projection_pairs})" if network == "auto" else "actor-arrangement graph")
        rows = []
        for actor, scores in result["scores"].items():
            for measure, predicate in (("degree", "degree"), ("weighted_degree", "weightedDegree"),
                                       ("betweenness", "betweenness"), ("pagerank", "pageRank"),
                                       ("closeness", "closeness")):
                if measure in scores:
                    run.add(actor, predicate, scores[measure])
            rows.append({"actor": actor, "label": names.get(actor, actor), **scores})
        rows.sort(key=lambda r: (-r["betweenness"], -r["pagerank"], r["actor"]))
        method = {**result["method"], "network": chosen}
        run.add(run.iri, "betweennessExact", method["betweenness"]["exact"])
        run.add(run.iri, "sampleSize", method["betweenness"]["k"])
        run.add(run.iri, "seed", seed)
        return {"analysis": "centrality", "graph": description, "nodes": graph.number_of_nodes(),
                "edges": graph.number_of_edges(), "method": method, "ranking": rows if top is None else rows[:top]}

    return _run(kg, "centrality", title_nl="Analyse: centraliteit in het samenwerkingsnetwerk",
                title_en="Analysis: centrality in the co-membership network",
                method="networkx betweenness_centrality (Brandes; k-sample above a size threshold), "
                       "pagerank, closeness_centrality, degree", parameters=parameters, compute=compute, reuse=reuse)


def overlap(kg, *, kinds=None, filters: views.Filters | None = None, min_jaccard: float = 0.9,
            min_members: int = 2, top: int = 50, reuse: bool = True) -> dict:
    """Arrangement pairs by shared members (Jaccard, containment) and the pairs with
    (near-)identical membership (Jaccard ≥ ``min_jaccard``) as consolidation candidates.
    Memberships of every kind of actor count unless ``kinds`` narrows them.

    In the example store Belastingen Noord {Alpha, Beta} lies inside Afval Noord
    {Alpha, Beta, Gamma}: Jaccard 2/3, a candidate only below the default threshold:

    >>> from graph.analysis.examples import example_kg
    >>> result = overlap(example_kg(), min_jaccard=0.6)
    >>> result["overlapping_pairs"], [(c["label_a"], c["label_b"]) for c in result["candidates"]]
    (3, [('Afval Noord', 'Belastingen Noord')])

    Complexity: O(sum over actors of arrangements²).
    """
    filters = filters or views.Filters()
    parameters = {"kinds": _kinds_param(kinds), "filters": filters.as_dict(), "min_jaccard": min_jaccard,
                  "min_members": min_members, "top": top}

    def compute(run: Run) -> dict:
        names = views.labels(kg)
        members = measures.membership_sets(views.bipartite_view(kg, filters=filters, kinds=kinds, names=names))
        pairs = measures.arrangement_overlap(members)
        candidates = [p for p in pairs if p["jaccard"] >= min_jaccard
                      and min(p["size_a"], p["size_b"]) >= min_members]

        def labelled(pair: dict) -> dict:
            return {**pair, "label_a": names.get(pair["a"], pair["a"]), "label_b": names.get(pair["b"], pair["b"])}

        for pair in {(p["a"], p["b"]): p for p in pairs[:top] + candidates}.values():
            node = ox.NamedNode(f"{RKID}analyse/overlap/{_slug(pair['a'])}--{_slug(pair['b'])}")
            run.add_type(node, "ArrangementOverlap")
            run.add(node, "arrangement", ox.NamedNode(pair["a"]))
            run.add(node, "arrangement", ox.NamedNode(pair["b"]))
            run.add(node, "sharedMembers", pair["shared"])
            run.add(node, "jaccard", pair["jaccard"])
            run.add(node, "containment", pair["containment"])
            run.add(node, "consolidationCandidate", pair in candidates)
        return {"analysis": "overlap", "arrangements": len(members), "overlapping_pairs": len(pairs),
                "candidates": [labelled(p) for p in candidates], "pairs": [labelled(p) for p in pairs[:top]]}

    return _run(kg, "overlap", title_nl="Analyse: overlap van samenwerkingsverbanden",
                title_en="Analysis: overlap of cooperation arrangements",
                method="shared members per arrangement pair (inverted index), Jaccard and containment",
                parameters=parameters, compute=compute, reuse=reuse)


def _louvain(kg, *, kinds, filters, resolution, seed):
    names = views.labels(kg)
    projection = measures.co_membership_graph(views.bipartite_view(kg, filters=filters, kinds=kinds, names=names))
    found = measures.communities(projection, resolution=resolution, seed=seed)
    return names, projection, found


def communities(kg, *, kinds=DEFAULT_KINDS, filters: views.Filters | None = None, resolution: float = 1.0,
                seed: int = 42, reuse: bool = True) -> dict:
    """Louvain communities of the co-membership projection (seeded, reproducible).

    The example projection is a triangle Alpha–Beta–Gamma joined by one edge to the pair
    Delta–Epsilon (modularity 5/24 for that split):

    >>> from graph.analysis.examples import example_kg
    >>> result = communities(example_kg())
    >>> [[m["label"] for m in c["members"]] for c in result["communities"]]
    [['Alpha', 'Beta', 'Gamma'], ['Delta', 'Epsilon']]
    >>> round(result["modularity"], 4)
    0.2083

    Complexity: about O(m) per Louvain pass.
    """
    filters = filters or views.Filters()
    parameters = {"kinds": _kinds_param(kinds), "filters": filters.as_dict(), "resolution": resolution, "seed": seed}

    def compute(run: Run) -> dict:
        names, projection, found = _louvain(kg, kinds=kinds, filters=filters, resolution=resolution, seed=seed)
        groups = []
        for index, group in enumerate(found, start=1):
            node = ox.NamedNode(f"{RKID}analyse/gemeenschap/{index}")
            run.add_type(node, "Community", f"Gemeenschap {index}")
            run.add(node, "size", len(group))
            members = sorted(group, key=lambda a: names.get(a, a))
            for actor in members:
                run.add(actor, "community", node)
            groups.append({"community": node.value, "size": len(group),
                           "members": [{"actor": a, "label": names.get(a, a)} for a in members]})
        modularity = nx.community.modularity(projection, found) if found else 0.0
        run.add(run.iri, "modularity", modularity)
        return {"analysis": "communities", "nodes": projection.number_of_nodes(),
                "modularity": modularity, "communities": groups}

    return _run(kg, "communities", title_nl="Analyse: gemeenschappen in het samenwerkingsnetwerk (Louvain)",
                title_en="Analysis: communities in the co-membership network (Louvain)",
                method="networkx louvain_communities (weighted by shared arrangements)",
                parameters=parameters, compute=compute, reuse=reuse)


def congruence(kg, *, kinds=DEFAULT_KINDS, filters: views.Filters | None = None, resolution: float = 1.0,
               seed: int = 42, reuse: bool = True) -> dict:
    """How congruent the formal regions are with how municipalities work together: the
    Louvain communities compared with every regional division (adjusted Rand index and
    normalised mutual information over the municipalities both know), best match first.

    The example communities are exactly the two regions of the example division (Zeta,
    in no arrangement, is in no community, so 5 municipalities are compared):

    >>> from graph.analysis.examples import example_kg
    >>> [division] = congruence(example_kg())["divisions"]
    >>> division["label"], division["ari"], division["nmi"], division["nodes"]
    ('Voorbeeldindeling', 1.0, 1.0, 5)

    Complexity: Louvain (or reading the stored communities run) plus O(n) per division.
    """
    filters = filters or views.Filters()
    parameters = {"kinds": _kinds_param(kinds), "filters": filters.as_dict(), "resolution": resolution, "seed": seed}

    def compute(run: Run) -> dict:
        # The communities shown by communities() with the same parameters: its stored run
        # when the data is unchanged (Louvain is seeded, so recomputing would give the same).
        found = communities(kg, kinds=kinds, filters=filters, resolution=resolution, seed=seed, reuse=True)
        partition = measures.partition_of([[m["actor"] for m in c["members"]] for c in found["communities"]])
        rows = []
        for division, data in views.region_partitions(kg).items():
            scores = measures.congruence(partition, data["regions"])
            node = ox.NamedNode(f"{RKID}analyse/congruentie/{_slug(division)}")
            run.add_type(node, "CongruenceResult", f"Congruentie met {data['label']}")
            run.add(node, "division", ox.NamedNode(division))
            run.add(node, "adjustedRandIndex", scores["ari"])
            run.add(node, "normalizedMutualInformation", scores["nmi"])
            run.add(node, "comparedMunicipalities", scores["nodes"])
            plain = {k: (None if isinstance(v, float) and v != v else v) for k, v in scores.items()}  # NaN -> null
            rows.append({"division": division, "label": data["label"], "split_municipalities": data["split"],
                         **plain})
        rows.sort(key=lambda r: (-(r["ari"] if r["ari"] is not None else -2), r["division"]))
        return {"analysis": "congruence", "communities": len(found["communities"]), "nodes": found["nodes"],
                "divisions": rows}

    return _run(kg, "congruence", title_nl="Analyse: congruentie van regio-indelingen met samenwerking",
                title_en="Analysis: congruence of regional divisions with cooperation",
                method="Louvain communities vs. each division: adjusted Rand index, "
                       "normalised mutual information (arithmetic mean)", parameters=parameters, compute=compute, reuse=reuse)


def path(kg, source: str, target: str) -> dict:
    """Shortest chain between two actors (or people) through arrangements, posts and
    meetings: who can introduce whom. Not written back (it answers one question).

    In the example store Piet Jansen (a post in Alpha) reaches Delta only through Gamma:

    >>> from graph.analysis.examples import example_kg
    >>> result = path(example_kg(), "Piet Jansen", "GM9904")
    >>> result["length"], [step["label"] for step in result["steps"]]
    (5, ['Piet Jansen', 'Alpha', 'Afval Noord', 'Gamma', 'Wegen Midden', 'Delta'])

    Complexity: building the path view plus O(n + m).
    """
    network = views.path_view(kg)
    start, end = paths.resolve_node(network, source), paths.resolve_node(network, target)
    result = paths.introduction_path(network, start, end)
    return {"analysis": "path", "source": start, "target": end, **result}
