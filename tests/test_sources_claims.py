"""docs/sources-claims.md is true to the seeds: every triple it lists for a source is in that
source's named graph, and every experience statement and claim of the seeds has a row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "sources-claims.md"
RK = rdflib.Namespace("https://w3id.org/regiokg/def#")
SCHEMA = rdflib.Namespace("https://schema.org/")
GRAPH = "https://w3id.org/regiokg/graph/source/"


def sections() -> dict[str, list[tuple[str, list[str]]]]:
    """``{source number: [(row id, [triple text, ...])]}`` from the document's tables."""
    text = DOC.read_text(encoding="utf-8")
    found: dict[str, list[tuple[str, list[str]]]] = {}
    current = None
    for line in text.splitlines():
        heading = re.match(r"## (\d{3}):", line)
        if heading:
            current = heading.group(1)
            found[current] = []
            continue
        row = re.match(r"\| (\d{3}-\d+) \| .* \| (.*) \|$", line)
        if row and current:
            triples_cell = row.group(2)
            triples = [] if triples_cell.startswith("no ") else re.findall(r"`([^`]+)`", triples_cell)
            found[current].append((row.group(1), triples))
    return found


def prefixes() -> str:
    text = DOC.read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if line.startswith("@prefix"))


def source_graph(stem: str) -> rdflib.Graph:
    path = next((ROOT / "seeds").glob(f"{stem}_*.trig"))
    dataset = rdflib.Dataset()
    dataset.parse(path, format="trig")
    return dataset.graph(rdflib.URIRef(GRAPH + path.stem))


SECTIONS = sections()


def test_the_document_covers_the_five_sources():
    assert sorted(SECTIONS) == ["000", "001", "002", "003", "004"]
    assert all(len(rows) >= 5 for rows in SECTIONS.values())


@pytest.mark.parametrize("source", sorted(SECTIONS))
def test_every_listed_triple_is_in_the_source_graph(source):
    graph = source_graph(source)
    head = prefixes()
    listed = 0
    for row, triples in SECTIONS[source]:
        for triple in triples:
            parsed = rdflib.Graph().parse(data=f"{head}\n{triple} .", format="turtle")
            assert len(parsed) == 1, (row, triple)
            (statement,) = parsed
            assert statement in graph, f"{row}: {triple} is not in the graph of source {source}"
            listed += 1
    assert listed >= 10


@pytest.mark.parametrize("source", sorted(SECTIONS))
def test_every_statement_of_the_seeds_has_a_row(source):
    graph = source_graph(source)
    head = prefixes()
    subjects = set()
    for _, triples in SECTIONS[source]:
        for triple in triples:
            subjects |= set(rdflib.Graph().parse(data=f"{head}\n{triple} .", format="turtle").subjects())
    statements = set(graph.subjects(RDF.type, RK.Experience)) | set(graph.subjects(RDF.type, SCHEMA.Claim))
    missing = sorted(str(s) for s in statements - subjects)
    assert not missing, f"docs/sources-claims.md has no row for {missing}"
