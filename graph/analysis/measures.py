"""Pure analysis measures on NetworkX graphs (no store, no I/O).

Conventions
-----------
* A *bipartite* actor-arrangement graph marks actor nodes with ``bipartite=0`` and
  arrangement nodes with ``bipartite=1`` (the NetworkX bipartite convention).
* A *membership mapping* is ``{arrangement: set(members)}``.
* A *partition* is ``{node: label}``; communities come back as a list of sets.

Every function takes keyword arguments with defaults, is deterministic (random ones take
a ``seed``) and states its complexity, so a caller can predict what a larger graph costs.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence

import networkx as nx

__all__ = [
    "actor_nodes",
    "arrangement_nodes",
    "administrative_load",
    "co_membership_graph",
    "membership_sets",
    "arrangement_overlap",
    "consolidation_candidates",
    "betweenness",
    "centrality",
    "projection_size",
    "bipartite_centrality",
    "communities",
    "partition_of",
    "adjusted_rand_index",
    "normalized_mutual_information",
    "congruence",
]


def canonical(graph: nx.Graph) -> nx.Graph:
    """The same graph with nodes and edges inserted in sorted order (by ``str``), so that
    seeded algorithms that walk or sample nodes in insertion order (Louvain, sampled
    betweenness) give the same answer whatever order the view was built in.

    >>> list(canonical(nx.Graph([("b", "a"), ("c", "a")])).edges())
    [('a', 'b'), ('a', 'c')]

    Complexity: O(n log n + m log m).
    """
    ordered = graph.__class__()
    ordered.graph.update(graph.graph)
    ordered.add_nodes_from(sorted(graph.nodes(data=True), key=lambda item: str(item[0])))
    edges = ((u, v, d) if str(u) <= str(v) else (v, u, d) for u, v, d in graph.edges(data=True))
    ordered.add_edges_from(sorted(edges, key=lambda e: (str(e[0]), str(e[1]))))
    return ordered


def actor_nodes(bipartite_graph: nx.Graph) -> list:
    """Actor nodes (``bipartite=0``) of a bipartite graph, sorted.

    >>> B = nx.Graph([("a", "X")]); B.nodes["a"]["bipartite"] = 0; B.nodes["X"]["bipartite"] = 1
    >>> actor_nodes(B)
    ['a']

    Complexity: O(n log n).
    """
    return sorted(n for n, side in bipartite_graph.nodes(data="bipartite") if side == 0)


def arrangement_nodes(bipartite_graph: nx.Graph) -> list:
    """Arrangement nodes (``bipartite=1``) of a bipartite graph, sorted.

    >>> B = nx.Graph([("a", "X")]); B.nodes["a"]["bipartite"] = 0; B.nodes["X"]["bipartite"] = 1
    >>> arrangement_nodes(B)
    ['X']

    Complexity: O(n log n).
    """
    return sorted(n for n, side in bipartite_graph.nodes(data="bipartite") if side == 1)


def membership_sets(bipartite_graph: nx.Graph) -> dict[Hashable, frozenset]:
    """``{arrangement: frozenset(members)}`` read from a bipartite graph.

    >>> B = nx.Graph([("a", "X"), ("b", "X")])
    >>> nx.set_node_attributes(B, {"a": 0, "b": 0, "X": 1}, "bipartite")
    >>> sorted(membership_sets(B)["X"])
    ['a', 'b']

    Complexity: O(n + m).
    """
    return {
        arrangement: frozenset(bipartite_graph[arrangement])
        for arrangement in arrangement_nodes(bipartite_graph)
    }


def _quantile(sorted_values: list[float], q: float) -> float:
    """Linear-interpolation quantile of an already sorted list."""
    if not sorted_values:
        return 0.0
    position = (len(sorted_values) - 1) * q
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def administrative_load(
    bipartite_graph: nx.Graph, *, actors: Iterable[Hashable] | None = None, top: int | None = None
) -> dict:
    """Arrangements per actor (administrative load) and the distribution of that count.

    Parameters
    ----------
    bipartite_graph : actor-arrangement graph (``bipartite`` node attribute 0/1).
    actors : the actors to count (default: every actor node); an actor without
        arrangements counts 0, so the distribution covers all of them.
    top : keep only the ``top`` highest counts in ``ranking`` (default: all).

    Returns
    -------
    dict with ``ranking`` (list of ``(actor, count)``, highest first, ties by actor) and
    ``distribution`` (n, min, max, mean, median, q1, q3, and ``histogram``
    ``{count: number of actors}``).

    >>> B = nx.Graph([("a", "X"), ("a", "Y"), ("b", "X")])
    >>> nx.set_node_attributes(B, {"a": 0, "b": 0, "X": 1, "Y": 1}, "bipartite")
    >>> result = administrative_load(B, actors=["a", "b", "c"])
    >>> result["ranking"]
    [('a', 2), ('b', 1), ('c', 0)]
    >>> result["distribution"]["histogram"]
    {0: 1, 1: 1, 2: 1}

    Complexity: O(n log n) for n actors.
    """
    chosen = actor_nodes(bipartite_graph) if actors is None else list(actors)
    counts = {
        actor: (bipartite_graph.degree(actor) if actor in bipartite_graph else 0)
        for actor in chosen
    }
    ranking = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    values = sorted(counts.values())
    distribution = {
        "n": len(values),
        "min": values[0] if values else 0,
        "max": values[-1] if values else 0,
        "mean": statistics.fmean(values) if values else 0.0,
        "median": statistics.median(values) if values else 0,
        "q1": _quantile(values, 0.25),
        "q3": _quantile(values, 0.75),
        "histogram": dict(sorted(Counter(values).items())),
    }
    return {"ranking": ranking if top is None else ranking[:top], "distribution": distribution}


def co_membership_graph(
    bipartite_graph: nx.Graph, *, actors: Iterable[Hashable] | None = None
) -> nx.Graph:
    """Actor projection: an edge per pair of actors sharing an arrangement, ``weight`` = the
    number of arrangements they share (``arrangements`` lists them).

    >>> B = nx.Graph([("a", "X"), ("b", "X"), ("a", "Y"), ("b", "Y"), ("c", "Y")])
    >>> nx.set_node_attributes(B, {"a": 0, "b": 0, "c": 0, "X": 1, "Y": 1}, "bipartite")
    >>> P = co_membership_graph(B)
    >>> P["a"]["b"]["weight"], P["a"]["c"]["weight"]
    (2, 1)

    Complexity: O(sum over arrangements of members²).
    """
    keep = set(actor_nodes(bipartite_graph) if actors is None else actors)
    projection = nx.Graph()
    projection.add_nodes_from((n, bipartite_graph.nodes[n]) for n in keep if n in bipartite_graph)
    for arrangement in arrangement_nodes(bipartite_graph):
        members = sorted((m for m in bipartite_graph[arrangement] if m in keep), key=str)
        for left, right in itertools.combinations(members, 2):
            if projection.has_edge(left, right):
                edge = projection[left][right]
                edge["weight"] += 1
                edge["arrangements"].append(arrangement)
            else:
                projection.add_edge(left, right, weight=1, arrangements=[arrangement])
    return projection


def arrangement_overlap(
    members: Mapping[Hashable, Iterable[Hashable]], *, min_shared: int = 1
) -> list[dict]:
    """Pairs of arrangements that share members, with Jaccard and containment.

    ``jaccard`` = |A ∩ B| / |A ∪ B|; ``containment`` = |A ∩ B| / min(|A|, |B|) (1.0 when
    the smaller membership lies wholly inside the larger).

    >>> pairs = arrangement_overlap({"A": {1, 2, 3}, "B": {2, 3, 4}})
    >>> pairs[0]["shared"], pairs[0]["jaccard"], round(pairs[0]["containment"], 4)
    (2, 0.5, 0.6667)

    Complexity: O(sum over members of arrangements²) via an inverted index, so
    arrangements without a common member are never compared.
    """
    sets = {arrangement: frozenset(m) for arrangement, m in members.items()}
    by_member: dict[Hashable, list] = defaultdict(list)
    for arrangement in sorted(sets, key=str):
        for member in sets[arrangement]:
            by_member[member].append(arrangement)
    shared: Counter = Counter()
    for arrangements in by_member.values():
        for left, right in itertools.combinations(arrangements, 2):
            shared[(left, right)] += 1
    pairs = []
    for (left, right), count in shared.items():
        if count < min_shared:
            continue
        size_left, size_right = len(sets[left]), len(sets[right])
        pairs.append(
            {
                "a": left,
                "b": right,
                "size_a": size_left,
                "size_b": size_right,
                "shared": count,
                "jaccard": count / (size_left + size_right - count),
                "containment": count / min(size_left, size_right),
            }
        )
    pairs.sort(key=lambda p: (-p["jaccard"], -p["shared"], str(p["a"]), str(p["b"])))
    return pairs


def consolidation_candidates(
    members: Mapping[Hashable, Iterable[Hashable]],
    *,
    min_jaccard: float = 0.9,
    min_members: int = 2,
) -> list[dict]:
    """Arrangement pairs with (near-)identical membership: candidates to merge.

    A pair qualifies when both arrangements have at least ``min_members`` members and
    their Jaccard similarity is at least ``min_jaccard`` (1.0 = identical membership).

    >>> candidates = consolidation_candidates(
    ...     {"A": {1, 2, 3}, "B": {1, 2, 3}, "C": {1, 2, 3, 4}, "D": {9, 8}}, min_jaccard=0.75)
    >>> [(c["a"], c["b"], c["jaccard"]) for c in candidates]
    [('A', 'B', 1.0), ('A', 'C', 0.75), ('B', 'C', 0.75)]

    Complexity: that of :func:`arrangement_overlap`.
    """
    eligible = {a: m for a, m in members.items() if len(frozenset(m)) >= min_members}
    return [p for p in arrangement_overlap(eligible) if p["jaccard"] >= min_jaccard]


def betweenness(
    graph: nx.Graph,
    *,
    exact_max_nodes: int = 2000,
    sample_size: int = 200,
    seed: int = 42,
    normalized: bool = True,
) -> tuple[dict, dict]:
    """Betweenness centrality, exact up to ``exact_max_nodes`` nodes, else approximated
    from ``sample_size`` seeded source nodes (Brandes' pivot sampling).

    Returns ``(scores, method)``; ``method`` says which was used, so an output can state
    it (``{"exact": bool, "k": sources used, "seed": seed, "nodes": n}``). Edges count
    as one step each (unweighted shortest paths).

    >>> scores, method = betweenness(nx.path_graph(3))
    >>> scores[1], method["exact"]
    (1.0, True)

    Complexity: O(n·m) exact; O(k·m) with k sampled sources.
    """
    n = graph.number_of_nodes()
    exact = n <= exact_max_nodes or sample_size >= n
    k = None if exact else sample_size
    if not exact:
        graph = canonical(graph)  # the sample is drawn in node order
    scores = nx.betweenness_centrality(graph, k=k, normalized=normalized, seed=seed)
    return scores, {"exact": exact, "k": n if exact else sample_size, "seed": seed, "nodes": n}


def centrality(
    graph: nx.Graph,
    *,
    weight: str | None = "weight",
    exact_max_nodes: int = 2000,
    sample_size: int = 200,
    seed: int = 42,
    closeness: bool | None = None,
) -> dict:
    """Degree, weighted degree, betweenness, PageRank and closeness of every node.

    Parameters
    ----------
    graph : usually the co-membership projection (``weight`` = shared arrangements).
    weight : edge attribute for weighted degree and PageRank (None: unweighted).
    exact_max_nodes, sample_size, seed : see :func:`betweenness`.
    closeness : compute closeness (all-pairs BFS); default: only when the graph is at
        most ``exact_max_nodes`` nodes (it costs as much as exact betweenness).

    Returns
    -------
    ``{"scores": {node: {measure: value}}, "method": {...}}``; ``degree`` is the number
    of neighbours, the others are NetworkX's normalised values.

    >>> result = centrality(nx.path_graph(3))
    >>> result["scores"][1]["degree"], result["scores"][1]["betweenness"]
    (2, 1.0)
    >>> round(result["scores"][0]["closeness"], 4)
    0.6667

    Complexity: O(n·m) exact, O(k·m) sampled; PageRank O(m) per iteration.
    """
    n = graph.number_of_nodes()
    between, between_method = betweenness(
        graph, exact_max_nodes=exact_max_nodes, sample_size=sample_size, seed=seed
    )
    rank = nx.pagerank(graph, weight=weight) if graph.number_of_edges() else {v: 1 / max(n, 1) for v in graph}
    do_closeness = n <= exact_max_nodes if closeness is None else closeness
    close = nx.closeness_centrality(graph) if do_closeness else {}
    scores = {}
    for node in graph:
        scores[node] = {
            "degree": graph.degree(node),
            "weighted_degree": graph.degree(node, weight=weight) if weight else graph.degree(node),
            "betweenness": between[node],
            "pagerank": rank[node],
        }
        if do_closeness:
            scores[node]["closeness"] = close[node]
    method = {
        "betweenness": between_method,
        "pagerank": {"weight": weight, "alpha": 0.85},
        "closeness": {"computed": do_closeness},
    }
    return {"scores": scores, "method": method}


def projection_size(bipartite_graph: nx.Graph) -> int:
    """Pairs the co-membership projection would enumerate: sum over arrangements of
    C(members, 2) (an upper bound on its edges).

    >>> B = nx.Graph([("a", "X"), ("b", "X"), ("c", "X")])
    >>> nx.set_node_attributes(B, {"a": 0, "b": 0, "c": 0, "X": 1}, "bipartite")
    >>> projection_size(B)
    3

    Complexity: O(arrangements).
    """
    return sum(d * (d - 1) // 2 for d in (bipartite_graph.degree(a) for a in arrangement_nodes(bipartite_graph)))


def bipartite_centrality(
    bipartite_graph: nx.Graph,
    *,
    exact_max_nodes: int = 2000,
    sample_size: int = 200,
    seed: int = 42,
    closeness: bool | None = None,
) -> dict:
    """Centrality of the actors computed on the actor-arrangement graph itself, for when
    the co-membership projection is too large to build (it grows with members² per
    arrangement). Paths alternate actor-arrangement-actor, so betweenness still measures
    brokerage between actors. ``degree`` is the number of arrangements; ``weighted_degree``
    the sum over them of the other members, which equals the actor's weighted degree in
    the projection.

    >>> B = nx.Graph([("a", "X"), ("b", "X"), ("b", "Y"), ("c", "Y")])
    >>> nx.set_node_attributes(B, {"a": 0, "b": 0, "c": 0, "X": 1, "Y": 1}, "bipartite")
    >>> scores = bipartite_centrality(B)["scores"]
    >>> scores["b"]["degree"], scores["b"]["weighted_degree"], scores["a"]["betweenness"]
    (2, 2, 0.0)

    Complexity: O(n·m) exact, O(k·m) sampled, n and m of the bipartite graph.
    """
    result = centrality(bipartite_graph, weight=None, exact_max_nodes=exact_max_nodes,
                        sample_size=sample_size, seed=seed, closeness=closeness)
    actors = set(actor_nodes(bipartite_graph))
    scores = {}
    for actor, values in result["scores"].items():
        if actor not in actors:
            continue
        values["degree"] = bipartite_graph.degree(actor)
        values["weighted_degree"] = sum(bipartite_graph.degree(a) - 1 for a in bipartite_graph[actor])
        scores[actor] = values
    return {"scores": scores, "method": result["method"]}


def communities(
    graph: nx.Graph, *, weight: str | None = "weight", resolution: float = 1.0, seed: int = 42
) -> list[frozenset]:
    """Louvain communities, reproducible for a given ``seed``; largest first.

    >>> G = nx.barbell_graph(3, 0)   # two triangles joined by one edge
    >>> [sorted(c) for c in communities(G)]
    [[0, 1, 2], [3, 4, 5]]

    The graph is put in a canonical order first: Louvain visits nodes in insertion order.

    Complexity: about O(m) per pass (Louvain), a few passes in practice.
    """
    if graph.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(canonical(graph), weight=weight, resolution=resolution, seed=seed)
    return sorted((frozenset(c) for c in found), key=lambda c: (-len(c), sorted(map(str, c))))


def partition_of(groups: Iterable[Iterable[Hashable]]) -> dict[Hashable, int]:
    """``{node: index of its group}`` from a list of groups.

    >>> partition_of([{"a", "b"}, {"c"}]) == {"a": 0, "b": 0, "c": 1}
    True

    Complexity: O(n).
    """
    return {node: index for index, group in enumerate(groups) for node in group}



def _contingency(a: Sequence[Hashable], b: Sequence[Hashable]) -> tuple[Counter, Counter, Counter]:
    """Cell counts of the contingency table of two labelings, and its row and column sums."""
    return Counter(zip(a, b, strict=True)), Counter(a), Counter(b)


def adjusted_rand_index(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Adjusted Rand index of two labelings of the same items (Hubert & Arabie 1985): 1.0 for
    the same partition, about 0 for independent ones, negative below chance. Same value as
    scikit-learn's ``adjusted_rand_score`` (checked in the tests), without importing it
    (1.5 s of scipy and scikit-learn start-up for two formulas).

    >>> adjusted_rand_index(["x", "x", "y", "y"], [1, 1, 2, 2])
    1.0
    >>> adjusted_rand_index(["x", "x", "y", "y"], [1, 2, 1, 2])
    -0.5

    Complexity: O(n).
    """
    cells, rows, columns = _contingency(a, b)
    n = len(a)
    sum_squares = sum(v * v for v in cells.values())
    together_both = sum_squares - n  # ordered pairs in one group in both labelings
    only_b = sum(v * v for v in columns.values()) - sum_squares
    only_a = sum(v * v for v in rows.values()) - sum_squares
    apart_both = n * n - only_b - only_a - sum_squares
    if only_a == 0 and only_b == 0:
        return 1.0
    return 2.0 * (together_both * apart_both - only_a * only_b) / (
        (together_both + only_a) * (only_a + apart_both) + (together_both + only_b) * (only_b + apart_both))


def normalized_mutual_information(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Mutual information of two labelings divided by the mean of their entropies (natural
    logarithms): 1.0 for the same partition, 0 for independent ones. Same value as
    scikit-learn's ``normalized_mutual_info_score`` with its default arithmetic mean.

    >>> normalized_mutual_information(["x", "x", "y", "y"], [1, 1, 2, 2])
    1.0
    >>> normalized_mutual_information(["x", "x", "y", "y"], [1, 2, 1, 2])
    0.0

    Complexity: O(n).
    """
    cells, rows, columns = _contingency(a, b)
    n = len(a)
    if len(rows) == len(columns) <= 1:
        return 1.0
    # written so that identical partitions give exactly the entropy (and 1.0, not 0.99...)
    mutual = sum(count / n * ((math.log(n) - math.log(rows[x])) + (math.log(count) - math.log(columns[y])))
                 for (x, y), count in cells.items())
    mutual = max(mutual, 0.0)
    if mutual == 0.0:
        return 0.0

    def entropy(sizes: Counter) -> float:
        return sum(size / n * (math.log(n) - math.log(size)) for size in sizes.values())

    return mutual / ((entropy(rows) + entropy(columns)) / 2)


def congruence(
    partition: Mapping[Hashable, Hashable], division: Mapping[Hashable, Hashable]
) -> dict:
    """Agreement of two partitions over the nodes they share: adjusted Rand index and
    normalised mutual information (both 1.0 for identical partitions).

    >>> congruence({"a": 0, "b": 0, "c": 1}, {"a": "x", "b": "x", "c": "y", "d": "y"})["ari"]
    1.0

    Complexity: O(n) for n shared nodes.
    """
    common = sorted(set(partition) & set(division), key=str)
    left = [str(partition[node]) for node in common]
    right = [str(division[node]) for node in common]
    if len(common) < 2:
        ari = nmi = float("nan")
    else:
        ari = adjusted_rand_index(right, left)
        nmi = normalized_mutual_information(right, left)
    return {
        "ari": ari,
        "nmi": nmi,
        "nodes": len(common),
        "communities": len(set(left)),
        "regions": len(set(right)),
    }
