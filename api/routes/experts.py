"""/api/experts: who has experience with a topic, ranked, with evidence and sources."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.deps import get_kg
from api.routes.common import Answer, QueryInfo, SourceRef
from graph.analysis import rank_experts
from graph.kg import KnowledgeGraph
from graph.queries import load_query

router = APIRouter(prefix="/api", tags=["experts"])


class ExpertsAnswer(BaseModel):
    text: str
    match: str
    concepts: list[dict[str, Any]]
    near: str | None = None
    experts: list[dict[str, Any]] = Field(description="Ranked actors with score, explanation, evidence, contacts.")
    sources: list[SourceRef]
    query: list[QueryInfo]


@router.get("/experts", response_model=ExpertsAnswer)
async def list_experts(
    topic: str = Query(..., min_length=1, description="A topic in Dutch or English (a synonym or broader term works)."),
    near: str | None = Query(None, description="An actor (name, CBS code or IRI): closer actors rank higher."),
    limit: int = Query(10, ge=1, le=100, description="Most experts returned."),
    explain: bool = Query(False, description="Include the SPARQL text behind the answer."),
    kg: KnowledgeGraph = Depends(get_kg),
) -> ExpertsAnswer:
    """Actors ranked by evidence of experience with a topic (graph.analysis.rank_experts)."""
    result = await run_in_threadpool(rank_experts, kg, topic, near=near, limit=limit)
    answer = Answer(kg, explain=explain)
    for expert in result["experts"]:
        for item in expert.get("evidence", []):
            answer.cite(item.get("source"))
        for contact in expert.get("contacts", []):
            for s in contact.get("sources", []) or []:
                answer.cite(s if isinstance(s, str) else None)
    query = [QueryInfo(name=name, params={"root": c["concept"]}, sparql=load_query(name) if explain else None)
             for c in result["concepts"] if c["depth"] == 0
             for name in ("analysis_topic_experiences", "analysis_topic_arrangements",
                          "analysis_topic_membership_dates", "analysis_topic_events")]
    return ExpertsAnswer(text=result["text"], match=result["match"], concepts=result["concepts"],
                         near=result.get("near"), experts=result["experts"], sources=await answer.sources(),
                         query=query)
