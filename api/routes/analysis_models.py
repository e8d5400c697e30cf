"""Response models of /api/analysis/* (so /docs shows their shape); the fields are those
:mod:`graph.analysis.runs` returns, extra fields are kept."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class RunInfo(_Open):
    """The stored run an answer comes from (its named graph under graph/analysis/)."""

    graph: str
    algorithm: str
    parameters: dict[str, Any]
    started: str
    fingerprint: str = Field(description="SHA-256 over the input graphs' state.")
    reused: bool = Field(description="True when the stored run was reused (same parameters, unchanged data).")
    seconds: float | None = None


class LoadRow(_Open):
    actor: str
    label: str
    count: int


class Distribution(_Open):
    n: int
    min: float | None = None
    max: float | None = None
    mean: float | None = None
    median: float | None = None
    q1: float | None = None
    q3: float | None = None
    histogram: dict[str, int] = Field(default_factory=dict, description="Number of actors per count.")


class LoadAnswer(_Open):
    analysis: str
    ranking: list[LoadRow]
    distribution: Distribution
    arrangements: int
    run: RunInfo


class CentralityRow(_Open):
    actor: str
    label: str
    degree: int | None = None
    weighted_degree: float | None = None
    betweenness: float
    pagerank: float
    closeness: float | None = None


class CentralityAnswer(_Open):
    analysis: str
    graph: str = Field(description="Which network the measures were computed on.")
    nodes: int
    edges: int
    method: dict[str, Any] = Field(description="Betweenness exact or sampled (k, seed), PageRank options, network.")
    ranking: list[CentralityRow]
    run: RunInfo


class OverlapPair(_Open):
    a: str
    b: str
    label_a: str
    label_b: str
    shared: int
    size_a: int
    size_b: int
    jaccard: float
    containment: float


class OverlapAnswer(_Open):
    analysis: str
    arrangements: int
    overlapping_pairs: int
    candidates: list[OverlapPair] = Field(description="Pairs with (near-)identical members: consolidation candidates.")
    pairs: list[OverlapPair]
    run: RunInfo


class CommunityMember(_Open):
    actor: str
    label: str


class Community(_Open):
    community: str
    size: int
    members: list[CommunityMember]


class CommunitiesAnswer(_Open):
    analysis: str
    nodes: int
    modularity: float
    communities: list[Community]
    run: RunInfo


class DivisionCongruence(_Open):
    division: str
    label: str
    ari: float | None = Field(None, description="Adjusted Rand index (null when undefined).")
    nmi: float | None = Field(None, description="Normalised mutual information (null when undefined).")
    nodes: int | None = None
    split_municipalities: int | None = None


class CongruenceAnswer(_Open):
    analysis: str
    communities: int
    nodes: int
    divisions: list[DivisionCongruence]
    run: RunInfo


class PathStep(_Open):
    node: str
    label: str
    kind: str | None = None
    relation: str | None = None


class PathAnswer(_Open):
    analysis: str
    source: str
    target: str
    length: int | None = None
    steps: list[PathStep] = Field(default_factory=list)
