"""/api/experts: who has experience with a topic, who asked about it, who showed interest.

The one experts endpoint; the answer is :func:`graph.analysis.rank_experts` as it is (the
CLI's ``regiokg experts --json`` and the page ``/ervaring`` show the same function's answer),
plus the sources it cites and the queries behind it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.deps import get_kg
from api.routes.common import Answer, QueryInfo, SourceRef
from graph.analysis import rank_experts
from graph.kg import KnowledgeGraph
from graph.queries import load_query

router = APIRouter(prefix="/api", tags=["experts"])

EVIDENCE_QUERIES = ("analysis_topic_experiences", "analysis_topic_events", "analysis_topic_member_counts",
                    "analysis_topic_arrangements", "analysis_topic_membership_dates", "analysis_topic_contacts")


class ExpertsAnswer(BaseModel):
    topic: str = Field(description="The topic as asked.")
    match: str = Field(description="How the topic matched the thesaurus: exact, partial or none.")
    concepts: list[dict[str, Any]] = Field(description="Matched concepts (depth 0) and their narrower ones.")
    date: str = Field(description="The answer is as known on this date (YYYY-MM-DD).")
    limit: int | None = Field(description="Most entries per list.")
    near: dict[str, Any] | None = Field(None, description="The actor 'near' resolved to.")
    near_meaning: str = Field(description="What 'near' means for the order.")
    message: str | None = Field(None, description="Why a list is empty (no topic matched, no experience).")
    counts: dict[str, int] = Field(description="Entries per list before the limit.")
    experts: list[dict[str, Any]] = Field(description="Actors the sources attribute experience to (expertise: true), "
                                                       "ranked, with score, explanation, evidence and contacts.")
    asking: list[dict[str, Any]] = Field(description="Actors who asked about it (no experience): to connect.")
    interested: list[dict[str, Any]] = Field(description="Actors with interest only: attended a meeting on it, "
                                                         "member of an arrangement on it, raised it.")
    sources: list[SourceRef]
    query: list[QueryInfo]


@router.get("/experts", response_model=ExpertsAnswer)
async def list_experts(
    topic: Annotated[str, Query(min_length=1, max_length=200,
                                description="A topic in Dutch or English (a synonym or broader term works).")],
    near: Annotated[str | None, Query(min_length=1, max_length=200,
                                      description="An actor (name, CBS code or IRI): within the same kind of "
                                                  "evidence, nearer actors (km between centroids) first; steps "
                                                  "in the network shown.")] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="Most entries per list (experts, asking, interested).")] = 10,
    date: Annotated[str | None, Query(description="Answer as known on this date (YYYY-MM-DD; default today).")] = None,
    explain: Annotated[bool, Query(description="Include the SPARQL text behind the answer.")] = False,
    kg: KnowledgeGraph = Depends(get_kg),
) -> ExpertsAnswer:
    """Who has experience with a topic (graph.analysis.rank_experts), apart from who asked."""
    result = await run_in_threadpool(rank_experts, kg, topic, near=near, limit=limit, date=date)
    answer = Answer(kg, explain=explain)
    for entry in result["experts"] + result["asking"] + result["interested"]:
        for item in entry.get("evidence", []):
            answer.cite(item.get("source"))
        for contact in entry.get("contacts", []):
            for source in contact.get("sources", []):
                answer.cite(source)
    query = [QueryInfo(name=name, params={"root": c["concept"]}, sparql=load_query(name) if explain else None)
             for c in result["concepts"] if c["depth"] == 0 for name in EVIDENCE_QUERIES]
    return ExpertsAnswer(**result, sources=await answer.sources(), query=query)
