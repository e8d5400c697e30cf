"""Analysis measures on graphs small enough to work the answer out by hand."""

import math

import networkx as nx
import pytest

from graph.analysis import measures


def bipartite(edges):
    """Actor-arrangement graph from (actor, arrangement) pairs; arrangements are upper case."""
    graph = nx.Graph(edges)
    for node in graph:
        graph.nodes[node]["bipartite"] = 1 if str(node).isupper() else 0
    return graph


def test_betweenness_of_path_middle_is_one():
    # a-b-c: the only path between a and c passes b; normalised over (n-1)(n-2)/2 = 1 pair.
    scores, method = measures.betweenness(nx.path_graph(["a", "b", "c"]))
    assert scores == {"a": 0.0, "b": 1.0, "c": 0.0}
    assert method == {"exact": True, "k": 3, "seed": 42, "nodes": 3}


def test_betweenness_of_star_centre_above_threshold_is_sampled_and_stated():
    # Star with 1 centre + 9 leaves: every leaf-leaf path goes through the centre, so even
    # a sample of sources gives the centre betweenness 1.0 and every leaf 0.
    star = nx.star_graph(9)
    scores, method = measures.betweenness(star, exact_max_nodes=5, sample_size=4, seed=7)
    assert method == {"exact": False, "k": 4, "seed": 7, "nodes": 10}
    assert scores[0] == pytest.approx(1.0)
    assert all(scores[leaf] == 0 for leaf in range(1, 10))


def test_sampled_betweenness_is_reproducible_for_a_seed():
    graph = nx.connected_watts_strogatz_graph(60, 4, 0.2, seed=1)
    first, _ = measures.betweenness(graph, exact_max_nodes=10, sample_size=8, seed=3)
    second, _ = measures.betweenness(graph, exact_max_nodes=10, sample_size=8, seed=3)
    assert first == second


def test_centrality_of_path_by_hand():
    result = measures.centrality(nx.path_graph(["a", "b", "c"]))
    b = result["scores"]["b"]
    assert b["degree"] == 2
    assert b["weighted_degree"] == 2  # no weights: each edge counts 1
    assert b["betweenness"] == 1.0
    # closeness of b: 2 other nodes at distance 1 -> 2/2 = 1; of a: 2/(1+2) = 2/3
    assert b["closeness"] == 1.0
    assert result["scores"]["a"]["closeness"] == pytest.approx(2 / 3)
    # PageRank of the middle of a path exceeds that of the ends and all sum to 1
    ranks = [result["scores"][n]["pagerank"] for n in "abc"]
    assert ranks[1] > ranks[0] == pytest.approx(ranks[2])
    assert sum(ranks) == pytest.approx(1.0)


def test_weighted_degree_sums_shared_arrangements():
    graph = nx.Graph()
    graph.add_edge("a", "b", weight=3)
    graph.add_edge("a", "c", weight=1)
    result = measures.centrality(graph)
    assert result["scores"]["a"]["degree"] == 2
    assert result["scores"]["a"]["weighted_degree"] == 4


def test_administrative_load_counts_and_distribution():
    # a in X, Y, Z; b in X, Y; c in X; d in nothing
    graph = bipartite([("a", "X"), ("a", "Y"), ("a", "Z"), ("b", "X"), ("b", "Y"), ("c", "X")])
    result = measures.administrative_load(graph, actors=["a", "b", "c", "d"])
    assert result["ranking"] == [("a", 3), ("b", 2), ("c", 1), ("d", 0)]
    distribution = result["distribution"]
    assert distribution["n"] == 4
    assert (distribution["min"], distribution["max"]) == (0, 3)
    assert distribution["mean"] == 1.5
    assert distribution["median"] == 1.5
    assert distribution["q1"] == 0.75  # between 0 and 1 at 3/4 of the way
    assert distribution["histogram"] == {0: 1, 1: 1, 2: 1, 3: 1}
    assert measures.administrative_load(graph, top=1)["ranking"] == [("a", 3)]


def test_co_membership_weight_is_number_of_shared_arrangements():
    graph = bipartite([("a", "X"), ("b", "X"), ("a", "Y"), ("b", "Y"), ("c", "Y")])
    projection = measures.co_membership_graph(graph)
    assert projection["a"]["b"]["weight"] == 2
    assert projection["a"]["b"]["arrangements"] == ["X", "Y"]
    assert projection["a"]["c"]["weight"] == 1
    assert projection["b"]["c"]["weight"] == 1
    assert set(projection) == {"a", "b", "c"}


def test_overlap_jaccard_and_containment_by_hand():
    pairs = measures.arrangement_overlap({"A": {1, 2, 3}, "B": {2, 3, 4}, "C": {9}})
    assert len(pairs) == 1  # C shares nobody with A or B
    pair = pairs[0]
    assert (pair["a"], pair["b"], pair["shared"]) == ("A", "B", 2)
    assert pair["jaccard"] == 0.5  # 2 shared / 4 in the union
    assert pair["containment"] == pytest.approx(2 / 3)  # 2 shared / 3 in the smaller


def test_overlap_containment_is_one_for_a_subset():
    pair = measures.arrangement_overlap({"big": {1, 2, 3, 4}, "small": {2, 3}})[0]
    assert pair["containment"] == 1.0
    assert pair["jaccard"] == 0.5


def test_consolidation_candidates_identical_membership_first():
    members = {"A": {1, 2, 3}, "B": {3, 2, 1}, "C": {1, 2, 3, 4, 5}, "D": {1}, "E": {1}}
    candidates = measures.consolidation_candidates(members, min_jaccard=0.6)
    # A-B identical (1.0); A-C and B-C 3/5 = 0.6; D and E have one member and are skipped
    assert [(c["a"], c["b"], c["jaccard"]) for c in candidates] == [
        ("A", "B", 1.0),
        ("A", "C", 0.6),
        ("B", "C", 0.6),
    ]


def test_louvain_splits_two_triangles_joined_by_a_bridge():
    graph = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f")])
    graph.add_edge("c", "d")  # the bridge
    found = measures.communities(graph, seed=1)
    assert found == [frozenset("abc"), frozenset("def")]
    assert measures.communities(graph, seed=1) == found  # reproducible


def test_congruence_identical_partitions_is_one():
    partition = measures.partition_of([{"a", "b"}, {"c", "d"}])
    result = measures.congruence(partition, {"a": "north", "b": "north", "c": "south", "d": "south"})
    assert result == {"ari": 1.0, "nmi": 1.0, "nodes": 4, "communities": 2, "regions": 2}


def test_congruence_of_crossing_partitions_is_below_zero():
    # communities {a,b},{c,d} against regions {a,c},{b,d}: every pair disagrees.
    # ARI by hand: index 0, expected index 2/3 (sum comb rows 2, cols 2, n pairs 6),
    # max index 2 -> (0 - 2/3) / (2 - 2/3) = -0.5; mutual information 0.
    result = measures.congruence(
        {"a": 0, "b": 0, "c": 1, "d": 1}, {"a": "x", "c": "x", "b": "y", "d": "y"}
    )
    assert result["ari"] == pytest.approx(-0.5)
    assert result["nmi"] == pytest.approx(0.0)


def test_congruence_uses_only_shared_nodes():
    result = measures.congruence({"a": 0, "b": 0}, {"b": "x", "z": "y"})
    assert result["nodes"] == 1
    assert math.isnan(result["ari"])


def test_empty_graph_has_no_communities():
    assert measures.communities(nx.Graph()) == []


def _shuffled_copy(graph: nx.Graph, seed: int) -> nx.Graph:
    """The same graph with nodes and edges inserted in another order."""
    import random

    rng = random.Random(seed)
    nodes, edges = list(graph.nodes(data=True)), list(graph.edges(data=True))
    rng.shuffle(nodes)
    rng.shuffle(edges)
    copy = nx.Graph()
    copy.add_nodes_from(nodes)
    copy.add_edges_from((v, u, d) if rng.random() < 0.5 else (u, v, d) for u, v, d in edges)
    return copy


def test_communities_and_sampled_betweenness_do_not_depend_on_insertion_order():
    # Views are built from query results and Python sets, whose order varies between runs;
    # "seeded, reproducible" must hold for the same data in any order.
    base = nx.relabel_nodes(nx.connected_caveman_graph(12, 8), lambda n: f"gm{n:03d}")
    for u, v in nx.gnm_random_graph(96, 60, seed=3).edges():
        base.add_edge(f"gm{u:03d}", f"gm{v:03d}")
    nx.set_edge_attributes(base, 1, "weight")
    reference = measures.communities(base, seed=7)
    reference_bc, _ = measures.betweenness(base, exact_max_nodes=0, sample_size=10, seed=7)
    for shuffle in range(5):
        other = _shuffled_copy(base, shuffle)
        assert measures.communities(other, seed=7) == reference
        assert measures.betweenness(other, exact_max_nodes=0, sample_size=10, seed=7)[0] == reference_bc


@pytest.mark.parametrize("seed", range(40))
def test_ari_and_nmi_equal_scikit_learn(seed):
    """Our contingency formulas give scikit-learn's values on random labelings, including
    degenerate ones (one group, all singletons)."""
    import random

    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    rng = random.Random(seed)
    n = rng.randint(2, 60)
    groups_a = 1 if seed % 10 == 0 else (n if seed % 10 == 1 else rng.randint(1, n))
    groups_b = rng.randint(1, n)
    a = [rng.randrange(groups_a) if groups_a < n else i for i in range(n)]
    b = [rng.randrange(groups_b) for _ in range(n)] if seed % 7 else list(a)
    assert measures.adjusted_rand_index(a, b) == pytest.approx(adjusted_rand_score(a, b), abs=1e-12)
    assert measures.normalized_mutual_information(a, b) == pytest.approx(normalized_mutual_info_score(a, b),
                                                                         abs=1e-12)
