"""Shortest paths between actors: who can introduce whom, through which arrangements,
posts and meetings (pure functions on the path view)."""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx

from graph.naming import Named, resolve_name

__all__ = ["resolve_node", "introduction_path", "distances_from"]


def resolve_node(graph: nx.Graph, text: str) -> Hashable:
    """The node ``text`` names, by :func:`graph.naming.resolve_name`: its IRI, the end of its
    IRI (``GM0203``, ``gemeente/GM0203``) or its label (folded). :class:`NotFound` otherwise.

    >>> G = nx.Graph(); G.add_node("https://x/gemeente/GM0203", label="Heerenveen")
    >>> resolve_node(G, "heerenveen"), resolve_node(G, "GM0203")
    ('https://x/gemeente/GM0203', 'https://x/gemeente/GM0203')

    Complexity: O(n).
    """
    named = (Named(str(node), (label,) if label else ()) for node, label in graph.nodes(data="label"))
    iri = resolve_name(text, named)
    return next(node for node in graph if str(node) == iri)


def introduction_path(graph: nx.Graph, source: Hashable, target: Hashable) -> dict:
    """The shortest chain from ``source`` to ``target`` with every step explained.

    Returns ``{"length": hops, "steps": [{"node", "label", "kind", "relation"}]}``, where
    ``relation`` is how a node connects to the previous one (None for the first);
    ``length`` is None and ``steps`` empty when no chain exists.

    >>> G = nx.Graph()
    >>> G.add_edge("a", "X", relation="member"); G.add_edge("b", "X", relation="member")
    >>> [s["node"] for s in introduction_path(G, "a", "b")["steps"]]
    ['a', 'X', 'b']

    Complexity: O(n + m) (breadth-first search).
    """
    try:
        nodes = nx.shortest_path(graph, source, target)
    except nx.NetworkXNoPath:
        return {"length": None, "steps": []}
    steps = []
    for index, node in enumerate(nodes):
        data = graph.nodes[node]
        relation = None
        if index:
            edge = graph.edges[nodes[index - 1], node]
            relation = edge.get("relation")
            if edge.get("roles"):
                relation = f"{relation}: {', '.join(edge['roles'])}"
        steps.append({"node": node, "label": data.get("label", str(node)),
                      "kind": data.get("kind"), "relation": relation})
    return {"length": len(nodes) - 1, "steps": steps}


def distances_from(graph: nx.Graph, source: Hashable, *, cutoff: int | None = None) -> dict:
    """Hop distance from ``source`` to every reachable node (for tie-breaking by nearness).

    >>> distances_from(nx.path_graph(3), 0)
    {0: 0, 1: 1, 2: 2}

    Complexity: O(n + m).
    """
    return dict(nx.single_source_shortest_path_length(graph, source, cutoff=cutoff))
