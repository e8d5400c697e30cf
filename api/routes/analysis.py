"""GET /api/analysis/...: the network analyses as JSON (the same results the CLI prints).

Every analysis result is also written back to ``graph/analysis/<name>`` and reused while
the data is unchanged; the ``run`` entry of each answer says which graph and whether the
stored run was reused.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse

from api.deps import get_kg
from api.routes.analysis_models import (
    CentralityAnswer,
    CommunitiesAnswer,
    CongruenceAnswer,
    LoadAnswer,
    OverlapAnswer,
    PathAnswer,
)
from graph import analysis
from graph.kg import KnowledgeGraph

router = APIRouter(prefix="/api/analysis", tags=["analysis"])

KINDS = ("municipality", "province", "water-board", "regional-body", "organisation")
KIND_HELP = "Actor kinds (repeatable): " + ", ".join(KINDS) + ", all"


class FilterParams:
    """Membership filters shared by the analyses (all optional)."""

    def __init__(
        self,
        domain: str | None = Query(None, description="Policy domain: label, slug or IRI"),
        form: str | None = Query(None, description="Cooperation form: label, slug or IRI"),
        province: str | None = Query(None, description="Province: name, code (PV25) or IRI"),
        date: str | None = Query(None, description="Only memberships running on this date (YYYY-MM-DD)"),
        kind: list[str] | None = Query(None, description=KIND_HELP),
    ):
        self.filters = analysis.Filters(domain=domain, form=form, province=province, on_date=date)
        self.kind = kind

    def kinds(self, default):
        if not self.kind:
            return default
        if "all" in self.kind:
            return None
        unknown = [k for k in self.kind if k not in KINDS]
        if unknown:
            from graph.errors import BadInput

            raise BadInput(f"unknown actor kind(s) {', '.join(unknown)}; use {', '.join(KINDS)} or all")
        return tuple(self.kind)


@router.get("/load", response_model=LoadAnswer)
def get_load(params: FilterParams = Depends(), top: int | None = Query(None, ge=1),
             kg: KnowledgeGraph = Depends(get_kg)) -> dict[str, Any]:
    """Arrangements per actor (administrative load), highest first, with the distribution."""
    result = analysis.administrative_load(kg, filters=params.filters, kinds=params.kinds(("municipality",)))
    if top:
        result["ranking"] = result["ranking"][:top]
    return result


@router.get("/centrality", response_model=CentralityAnswer)
def get_centrality(params: FilterParams = Depends(), top: int | None = Query(None, ge=1),
                   seed: int = 42, kg: KnowledgeGraph = Depends(get_kg)) -> dict[str, Any]:
    """Degree, weighted degree, betweenness (exact or sampled, as stated), PageRank, closeness."""
    result = analysis.centrality(kg, filters=params.filters, kinds=params.kinds(("municipality",)), seed=seed)
    if top:
        result["ranking"] = result["ranking"][:top]
    return result


@router.get("/overlap", response_model=OverlapAnswer)
def get_overlap(params: FilterParams = Depends(), min_jaccard: float = Query(0.9, ge=0, le=1),
                top: int = Query(50, ge=1), kg: KnowledgeGraph = Depends(get_kg)) -> dict[str, Any]:
    """Arrangement pairs by shared members; (near-)identical ones as consolidation candidates."""
    return analysis.overlap(kg, filters=params.filters, kinds=params.kinds(None), min_jaccard=min_jaccard, top=top)


@router.get("/communities", response_model=CommunitiesAnswer)
def get_communities(params: FilterParams = Depends(), seed: int = 42, resolution: float = Query(1.0, gt=0),
                    kg: KnowledgeGraph = Depends(get_kg)) -> dict[str, Any]:
    """Louvain communities of the co-membership network (seeded, reproducible)."""
    return analysis.communities(kg, filters=params.filters, kinds=params.kinds(("municipality",)), seed=seed,
                                resolution=resolution)


@router.get("/congruence", response_model=CongruenceAnswer)
def get_congruence(params: FilterParams = Depends(), seed: int = 42, resolution: float = Query(1.0, gt=0),
                   kg: KnowledgeGraph = Depends(get_kg)) -> dict[str, Any]:
    """Agreement (ARI, NMI) of the communities with every regional division."""
    return analysis.congruence(kg, filters=params.filters, kinds=params.kinds(("municipality",)), seed=seed,
                               resolution=resolution)


@router.get("/path", response_model=PathAnswer)
def get_path(source: str = Query(..., description="Name, CBS code or IRI"),
             target: str = Query(..., description="Name, CBS code or IRI"),
             kg: KnowledgeGraph = Depends(get_kg)) -> dict[str, Any]:
    """Shortest chain between two actors or people through arrangements, posts and meetings."""
    return analysis.path(kg, source, target)


@router.get("/experts", include_in_schema=False)
def get_experts(request: Request) -> RedirectResponse:
    """Moved: the one experts endpoint is /api/experts (``q`` is its ``topic``)."""
    params = [("topic" if key == "q" else key, value) for key, value in request.query_params.multi_items()]
    return RedirectResponse("/api/experts" + ("?" + urlencode(params) if params else ""), status_code=308)
