"""What the ingestion looks for: the actors the graph knows (by every name it has for
them) and the topic thesaurus, indexed for scanning a text token by token.

Actors come from the store (:file:`graph/queries/ingest_actor_names.rq`): municipalities
(today's and former names; a dissolved municipality carries its successor, so a mention
can show the lineage), provinces, water boards, arrangements, organisations, parties and
known people. Municipalities merged before 2016 that the store does not hold come from the
resolver's table (:func:`graph.importers.resolve.load_historic_mergers`). Names are
compared by the project's one name key (:func:`graph.importers.names.fold`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.analysis import views
from graph.analysis.textmatch import LabelIndex
from graph.importers.resolve import load_historic_mergers
from graph.labels import best_label
from graph.text import fold

KIND_OF_TYPE = {
    "Municipality": "municipality", "Province": "province", "WaterBoard": "water-board",
    "RegionalBody": "regional-body", "CooperationArrangement": "arrangement", "Organization": "organisation",
    "OrganizationalUnit": "organisation", "PoliticalParty": "party", "Person": "person",
}
KIND_RANK = ["municipality", "province", "water-board", "arrangement", "regional-body", "organisation", "party",
             "person"]
MAX_NAME_WORDS = 8
TOPIC_PATH = "/onderwerp/"   # concepts of the topic scheme (roles, kinds, forms are concepts too)


@dataclass
class Actor:
    """An actor the graph knows, with every name it goes by."""

    iri: str
    kind: str
    label: str
    names: set[str] = field(default_factory=set)
    successor: str | None = None      # a dissolved municipality: its successor's IRI
    dissolved: str | None = None      # ... and the date


@dataclass(frozen=True)
class Entry:
    """One surface name → one actor."""

    actor: str
    name: str          # the name as the graph has it
    exact_case: bool   # short or all-capitals names must match in the same case (SER, MRA, Oss)
    historic: str | None = None   # a pre-2016 merger: the former name (the actor is the successor)
    date: str | None = None


class ActorGazetteer:
    """Actor names indexed by folded word sequence (``"rijssen holten"`` → Rijssen-Holten)."""

    def __init__(self, actors: Iterable[Actor], historic: Iterable[tuple[str, str, str]] = ()):
        self.actors: dict[str, Actor] = {a.iri: a for a in actors}
        self.by_key: dict[str, list[Entry]] = defaultdict(list)
        for actor in self.actors.values():
            for name in sorted(actor.names):
                self._add(name, Entry(actor.iri, name, _needs_exact_case(name)))
        current_by_name = {fold(a.label): a.iri for a in self.actors.values()
                           if a.kind == "municipality" and not a.successor}
        for old, successor_name, date in historic:
            target = current_by_name.get(fold(successor_name))
            if target and fold(old) not in self.by_key:
                self._add(old, Entry(target, old, _needs_exact_case(old), historic=old, date=date))
        self.max_words = min(MAX_NAME_WORDS, max((len(k.split()) for k in self.by_key), default=1))

    def _add(self, name: str, entry: Entry) -> None:
        key = fold(name)
        if key and entry not in self.by_key[key]:
            self.by_key[key].append(entry)

    def lookup(self, words: list[str], text: str) -> list[Entry]:
        """Entries for the folded ``words`` whose case rule ``text`` (the span as written) meets."""
        entries = self.by_key.get(" ".join(words), [])
        return [e for e in entries if _case_ok(e, text)]


def _needs_exact_case(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(name) <= 4 or (len(letters) > 1 and all(c.isupper() for c in letters))


def _case_ok(entry: Entry, text: str) -> bool:
    if entry.exact_case:
        return fold(text) == fold(entry.name) and _same_case(text, entry.name)
    return text[:1].isupper() or text[:1].isdigit() or text[:1] in "'’"


def _same_case(text: str, name: str) -> bool:
    a = [c for c in text if c.isalpha()]
    b = [c for c in name if c.isalpha()]
    return a == b or (len(a) == len(b) and all(x.isupper() == y.isupper() for x, y in zip(a, b, strict=True)))


def actors_from_store(kg, *, exclude_graphs: Iterable[str] = ()) -> list[Actor]:
    """Every actor of the store with its names, leaving out what only ``exclude_graphs``
    state (used to measure ingestion of a source without its own hand-made graph)."""
    excluded = set(exclude_graphs)
    typed_elsewhere: dict[str, bool] = defaultdict(bool)
    if excluded:
        for row in kg.select("ingest_type_graphs"):
            if row["g"].value not in excluded:
                typed_elsewhere[row["actor"].value] = True
    actors: dict[str, Actor] = {}
    statements: dict[str, list[tuple[str, str | None, str]]] = defaultdict(list)
    for row in kg.select("ingest_actor_names"):
        iri, graph = row["actor"].value, row["g"].value
        if graph in excluded or (excluded and not typed_elsewhere[iri]):
            continue
        type_name = row["type"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        kind = KIND_OF_TYPE.get(type_name, "organisation")
        actor = actors.get(iri)
        if actor is None:
            actor = actors[iri] = Actor(iri, kind, row["name"].value)
        elif KIND_RANK.index(kind) < KIND_RANK.index(actor.kind):
            actor.kind = kind
        actor.names.add(row["name"].value)
        statements[iri].append((row["p"].value, getattr(row["name"], "language", None), row["name"].value))
        if "successor" in row:
            actor.successor = row["successor"].value
        if "dissolved" in row:
            actor.dissolved = row["dissolved"].value
    for iri, actor in actors.items():   # the project's one label precedence (graph.labels)
        actor.label = best_label(statements[iri]) or actor.label
    return list(actors.values())


def build_gazetteer(kg, *, exclude_graphs: Iterable[str] = ()) -> ActorGazetteer:
    """The actor gazetteer of the store (see :func:`actors_from_store`)."""
    historic = [(m.name, m.successor_name, m.date) for m in load_historic_mergers()]
    return ActorGazetteer(actors_from_store(kg, exclude_graphs=exclude_graphs), historic)


def build_thesaurus(kg) -> tuple[LabelIndex, dict[str, str], dict[str, list[str]]]:
    """The topic thesaurus as a :class:`~graph.analysis.textmatch.LabelIndex`, each concept's
    Dutch preferred label, and the narrower links."""
    pairs, narrower = views.thesaurus(kg)
    pairs = [(c, label) for c, label in pairs if TOPIC_PATH in c]
    index = LabelIndex(pairs)
    labels: dict[str, str] = {}
    for row in kg.select_text(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?c ?l WHERE { ?c a skos:Concept ; "
            "skos:prefLabel ?l . FILTER(LANGMATCHES(LANG(?l), 'nl')) }"):
        if TOPIC_PATH in row["c"].value:
            labels.setdefault(row["c"].value, row["l"].value)
    return index, labels, narrower
