"""The analysis figures of one actor, read from the stored analysis runs.

The pages and their JSON twins show the figures of the default runs of
:func:`graph.analysis.runs.administrative_load`, :func:`~graph.analysis.runs.centrality`
and :func:`~graph.analysis.runs.communities` (municipalities, no filters, seed 42): the
same runs ``/api/analysis/load``, ``/api/analysis/centrality`` and
``/api/analysis/communities`` answer without parameters, so every surface shows one set
of figures computed once. A run is computed (and written back) only when no stored run
matches the data.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from graph.analysis import runs

__all__ = ["actor_figures", "default_run", "default_runs", "arrangement_overlap"]

RUNS: dict[str, Callable[..., dict]] = {"load": runs.administrative_load, "centrality": runs.centrality, "communities": runs.communities,
        "overlap": runs.overlap}
_LOCKS = {name: threading.Lock() for name in RUNS}
_CACHE: dict[tuple[int, str], tuple[set, dict]] = {}


def default_run(kg, name: str) -> dict:
    """The result of the default run ``name`` (``load``, ``centrality``, ``communities`` or
    ``overlap``; a stored one reused), cached per data state (Store.change_marker). Each analysis has its
    own lock, so a page needing only the load does not wait for the centrality.

    Complexity: a stored-run lookup (a fingerprint of the graphs) while the data is
    unchanged; the analysis itself once per data state.
    """
    generation = kg.store.change_marker()
    with _LOCKS[name]:
        hit = _CACHE.get((id(kg), name))
        if hit is not None and generation in hit[0]:
            return hit[1]
        result = RUNS[name](kg)
        # writing the run's own graph bumps the generation: the result holds for both states
        _CACHE[(id(kg), name)] = ({generation, kg.store.change_marker()}, result)
        return result


def default_runs(kg) -> dict[str, dict]:
    """All four default runs (see :func:`default_run`)."""
    return {name: default_run(kg, name) for name in RUNS}


def _run_info(result: dict) -> dict[str, Any]:
    run = result.get("run", {})
    return {"graph": run.get("graph"), "algorithm": run.get("algorithm"), "parameters": run.get("parameters"),
            "started": run.get("started")}


def actor_figures(kg, actor: str) -> dict[str, Any] | None:
    """The figures of ``actor`` (IRI) in the default runs, or None when it is in none of them:
    ``arrangements`` (count), ``rank`` (competition rank by that count) ``of`` (actors
    ranked), ``degree`` (partners in the co-membership network), ``weighted_degree``,
    ``betweenness``, ``pagerank``, ``closeness`` (when exact), ``community`` (index from 1,
    as in ``/api/analysis/communities``) and ``community_size``, with the ``runs`` they come from.

    >>> from graph.analysis.examples import example_kg
    >>> kg = example_kg()
    >>> f = actor_figures(kg, "https://w3id.org/regiokg/id/gemeente/GM9903")
    >>> f["arrangements"], f["rank"], f["of"], round(f["betweenness"], 2), f["community"]
    (2, 1, 6, 0.67, 1)

    Complexity: O(actors) over the stored results.
    """
    found = {name: default_run(kg, name) for name in ("load", "centrality", "communities")}
    out: dict[str, Any] = {}
    ranking = found["load"]["ranking"]
    rank, previous = 0, None
    for position, row in enumerate(ranking, start=1):
        if row["count"] != previous:
            rank, previous = position, row["count"]
        if row["actor"] == actor:
            out.update(arrangements=row["count"], rank=rank, of=len(ranking))
            break
    for row in found["centrality"]["ranking"]:
        if row["actor"] == actor:
            for key in ("degree", "weighted_degree", "betweenness", "pagerank", "closeness"):
                if key in row:
                    out[key] = row[key]
            break
    for index, group in enumerate(found["communities"]["communities"], start=1):
        if any(m["actor"] == actor for m in group["members"]):
            out.update(community=index, community_iri=group["community"], community_size=group["size"])
            break
    if not out:
        return None
    out["betweenness_exact"] = found["centrality"]["method"]["betweenness"]["exact"]
    out["runs"] = [_run_info(found[name]) for name in ("load", "centrality", "communities")]
    return out


def arrangement_overlap(kg, arrangement: str) -> dict[str, Any]:
    """The pairs of the default overlap run that involve ``arrangement`` (the run keeps the
    50 largest pairs and every consolidation candidate), with the run they come from.

    Complexity: O(pairs kept by the run).
    """
    result = default_run(kg, "overlap")
    pairs = {(p["a"], p["b"]): p for p in result["pairs"] + result["candidates"]}.values()
    mine = []
    for p in pairs:
        if arrangement in (p["a"], p["b"]):
            other, label = (p["b"], p["label_b"]) if p["a"] == arrangement else (p["a"], p["label_a"])
            mine.append({"arrangement": other, "label": label, "shared": p["shared"], "jaccard": p["jaccard"],
                         "candidate": p in result["candidates"]})
    mine.sort(key=lambda p: (-p["jaccard"], -p["shared"], p["arrangement"]))
    return {"pairs": mine, "run": _run_info(result)}
