"""NetworkX views built from SPARQL (graph/queries/analysis_*.rq), never a second copy of
the truth: every view is rebuilt from the store on demand.

Nodes are IRIs (``str``) with ``label`` and ``kind`` attributes; bipartite views mark
actors ``bipartite=0`` and arrangements ``bipartite=1``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import networkx as nx
import pyoxigraph as ox

from graph import timeline
from graph.errors import BadInput
from graph.labels import best_label, best_labels
from graph.namespaces import RKID
from graph.queries import load_query
from graph.terms import to_python

__all__ = [
    "Filters",
    "labels",
    "memberships",
    "bipartite_view",
    "ActorFacts",
    "actor_facts",
    "current_municipalities",
    "region_partitions",
    "person_organisation_view",
    "path_view",
    "thesaurus",
]

ACTOR_KINDS = ("municipality", "province", "water-board", "regional-body", "organisation")


@dataclass(frozen=True)
class Filters:
    """Optional filters of the membership views (None = no filter).

    ``domain``, ``form`` and ``province`` take an IRI, a slug or code (``sociaal-domein``,
    ``openbaar-lichaam``, ``PV25``) or a label (``Gelderland``, ``afval``); with a store
    (``bindings(kg)``) they are resolved by :func:`graph.filters.resolve_filter`, so a value
    that names nothing is an error naming it and the allowed ones. ``on_date`` an ISO date.

    >>> Filters(province="PV25").bindings()["province"].value
    'https://w3id.org/regiokg/id/provincie/PV25'
    """

    domain: str | None = None
    form: str | None = None
    province: str | None = None
    on_date: str | None = None
    _prefixes: dict = field(default_factory=lambda: {
        "domain": "beleidsdomein/", "form": "samenwerkingsvorm/", "province": "provincie/"},
        repr=False, compare=False)

    def bindings(self, kg=None) -> dict:
        """Query parameters for analysis_memberships.rq (only the filters that are set);
        with ``kg`` each value is resolved and checked (graph/filters.py)."""
        bound: dict = {}
        for name in ("domain", "form", "province"):
            value = getattr(self, name)
            if value and kg is not None:
                from graph.filters import resolve_filter

                resolved = resolve_filter(kg, name, value)
                if resolved is not None:  # None: a blank value, no filter
                    bound[name] = ox.NamedNode(resolved)
            elif value:
                iri = value if value.startswith(("http://", "https://")) else str(RKID) + self._prefixes[name] + value
                try:
                    bound[name] = ox.NamedNode(iri)
                except ValueError:
                    raise BadInput(f"{name} filter {value!r} is not a slug, code or IRI",
                                   details={"parameter": name}) from None
        if self.on_date:
            try:
                dt.date.fromisoformat(self.on_date)
            except ValueError:
                raise BadInput(f"date filter {self.on_date!r} is not an ISO date (YYYY-MM-DD)") from None
            bound["onDate"] = ox.Literal(self.on_date, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
        return bound

    def as_dict(self) -> dict:
        """The filters that are set, as plain values (for run parameters)."""
        return {k: v for k, v in (("domain", self.domain), ("form", self.form),
                                  ("province", self.province), ("on_date", self.on_date)) if v}


def _value(row: dict, name: str):
    return to_python(row.get(name))


def labels(kg, *, lang: str = "nl") -> dict[str, str]:
    """``{IRI: display label}`` for every labelled resource, by the one label precedence
    (:mod:`graph.labels`).

    An ``rdfs:label`` wins, then a Dutch ``skos:prefLabel`` (example store, see
    :mod:`graph.analysis.examples`; the topic comes from the bundled thesaurus):

    >>> from graph.analysis.examples import ID, example_kg
    >>> names = labels(example_kg())
    >>> names[ID + "gemeente/GM9901"], names[ID + "onderwerp/windturbines"]
    ('Alpha', 'windturbines')

    Complexity: one query over all label triples; O(label triples) in Python.
    """
    return best_labels(((row["node"].value, row["p"].value, row["value"].language, row["value"].value)
                        for row in kg.select("analysis_node_labels") if isinstance(row["node"], ox.NamedNode)),
                       lang=lang)


class LabelLookup:
    """Display labels fetched one resource at a time and cached, by the same precedence as
    :func:`labels`. For answers about a few resources in a large store, where :func:`labels`
    would read every label. ``get`` works like a dict's.

    Complexity: one small query per distinct resource asked for.
    """

    def __init__(self, kg, *, lang: str = "nl"):
        self.kg = kg
        self.lang = lang
        self.cache: dict[str, str | None] = {}

    def get(self, iri: str, default=None):
        if iri not in self.cache:
            label = None
            if iri.startswith(("http://", "https://", "urn:")):
                rows = self.kg.select("analysis_node_labels", node=ox.NamedNode(iri))
                label = best_label(((row["p"].value, row["value"].language, row["value"].value) for row in rows),
                                   lang=self.lang)
            self.cache[iri] = label
        label = self.cache[iri]
        return default if label is None else label


@dataclass
class ActorFacts:
    """What the membership views need to know about actors (from small queries)."""

    kinds: dict[str, str]
    provinces: dict[str, str]
    successors: dict[str, str | None]  # dissolved actor -> current successor (None: none known)

    def current(self, actor: str) -> str | None:
        """The current actor standing for ``actor`` (itself, its successor, or None)."""
        return self.successors.get(actor, actor) if actor in self.successors else actor


_ACTOR_TYPE_KIND = {
    "https://w3id.org/regiokg/def#Municipality": "municipality",
    "https://w3id.org/regiokg/def#Province": "province",
    "https://w3id.org/regiokg/def#WaterBoard": "water-board",
    "https://w3id.org/regiokg/def#RegionalBody": "regional-body",
    "https://w3id.org/regiokg/def#UnresolvedActor": "unresolved",
}


def actor_facts(kg) -> ActorFacts:
    """Kinds, provinces and successors of actors.

    In the example store Omega was dissolved and replaced by Epsilon:

    >>> from graph.analysis.examples import ID, example_kg
    >>> facts = actor_facts(example_kg())
    >>> facts.current(ID + "gemeente/GM9909").removeprefix(ID), facts.kinds[ID + "provincie/PV90"]
    ('gemeente/GM9905', 'province')

    Complexity: two queries (actor types with provinces; dissolved actors with their
    successors, a transitive ``dcterms:isReplacedBy`` path); O(actors) in Python.
    """
    kinds, provinces = {}, {}
    for row in kg.select("analysis_actor_types"):
        actor, kind = row["actor"].value, _ACTOR_TYPE_KIND[row["type"].value]
        if kind == "unresolved" or actor not in kinds:  # an unresolved name stays unresolved
            kinds[actor] = kind
        if "province" in row:
            provinces[actor] = row["province"].value
    successors: dict[str, str | None] = {}
    for row in kg.select("analysis_successors"):
        old = row["dissolved"].value
        new = row["successor"].value if "successor" in row else None
        if successors.get(old) is None:
            successors[old] = new
    return ActorFacts(kinds, provinces, successors)


def memberships(kg, *, filters: Filters | None = None, facts: ActorFacts | None = None) -> list[tuple[str, str, str]]:
    """``(arrangement, actor, actor kind)`` for every current membership passing ``filters``.

    On ``filters.on_date`` (today when unset), following :mod:`graph.timeline`: a member
    dissolved by then counts as its successor(s) on that day (every successor of a divided
    municipality) and is left out without one; unresolved import names are left out; an
    arrangement that ended by then does not count; a membership with stated intervals counts
    only if one of them runs on that date (memberships without an interval count).

    The example arrangements have 3 + 2 + 3 + 2 stated members; Omega's membership of
    Zorg Zuid becomes Epsilon's, which it already is, so 9 are current:

    >>> from graph.analysis.examples import ID, example_kg
    >>> rows = memberships(example_kg())
    >>> len(rows), [actor.removeprefix(ID) for arrangement, actor, _ in rows if arrangement.endswith("/zorg-zuid")]
    (9, ['gemeente/GM9904', 'gemeente/GM9905'])
    >>> len(memberships(example_kg(), filters=Filters(province="PV91")))  # Delta twice, Epsilon once
    3

    Complexity: one scan of org:hasMember plus small queries; O(memberships) in Python.
    """
    filters = filters or Filters()
    bound = filters.bindings(kg)
    arrangements = {row["arrangement"].value for row in kg.select(
        "analysis_arrangements", **{k: v for k, v in bound.items() if k in ("domain", "form")})}
    facts = facts or actor_facts(kg)
    intervals: dict[tuple[str, str], list] = defaultdict(list)
    if filters.on_date:
        for row in kg.select("analysis_membership_intervals"):
            intervals[(row["arrangement"].value, row["member"].value)].append(
                (row["begin"].value if "begin" in row else None, row["end"].value if "end" in row else None))
    province = bound["province"].value if "province" in bound else None
    # who holds a membership on the day, and whether it counts then: graph.timeline (the
    # rule the API follows too): a dissolved member's successors hold it, each successor
    # of a divided one; an arrangement that ended ("opgeheven", "in liquidatie") does not count
    day = filters.on_date or timeline.today()
    line = timeline.lineage(kg)
    ends = timeline.arrangement_ends(kg)
    found: set[tuple[str, str, str]] = set()
    for solution in kg.query(load_query("analysis_memberships")):
        arrangement, member = solution["arrangement"], solution["member"]
        if arrangement.value not in arrangements or not isinstance(member, ox.NamedNode):
            continue
        if not timeline.membership_valid_on(day, arrangement_end=ends.get(arrangement.value)):
            continue
        key = (arrangement.value, member.value)
        if filters.on_date and key in intervals and not any(
                timeline.membership_valid_on(filters.on_date, begin=b, end=e) for b, e in intervals[key]):
            continue
        for holder in line.holders(member.value, day):
            actor = holder.actor
            kind = facts.kinds.get(actor, "organisation")
            if kind == "unresolved" or (province and facts.provinces.get(actor) != province):
                continue
            found.add((arrangement.value, actor, kind))
    return sorted(found)


def bipartite_view(
    kg, *, filters: Filters | None = None, kinds: tuple[str, ...] | None = ("municipality",),
    names: dict[str, str] | None = None,
) -> nx.Graph:
    """Actor-arrangement graph; actors limited to ``kinds`` (None: every kind of actor).

    Arrangements keep only the members of the chosen kinds; arrangements left without
    any such member are dropped.

    The example view has 5 municipalities (Zeta is in no arrangement, Omega counts as
    Epsilon), 4 arrangements and 9 memberships:

    >>> from graph.analysis.examples import ID, example_kg
    >>> B = bipartite_view(example_kg())
    >>> B.number_of_nodes(), B.number_of_edges()
    (9, 9)
    >>> sorted(B.nodes[arrangement]["label"] for arrangement in B[ID + "gemeente/GM9903"])
    ['Afval Noord', 'Wegen Midden']

    Complexity: :func:`labels` (unless ``names`` is given) and :func:`memberships`;
    O(memberships) to build the graph.
    """
    names = labels(kg) if names is None else names
    graph = nx.Graph()
    for arrangement, actor, kind in memberships(kg, filters=filters):
        if kinds is not None and kind not in kinds:
            continue
        graph.add_node(actor, bipartite=0, kind=kind, label=names.get(actor, actor))
        graph.add_node(arrangement, bipartite=1, kind="arrangement", label=names.get(arrangement, arrangement))
        graph.add_edge(actor, arrangement)
    return graph


def current_municipalities(kg, *, province: str | None = None, facts: ActorFacts | None = None) -> list[str]:
    """IRIs of the current (not dissolved) municipalities, optionally of one province.

    Province PV91 of the example store holds Delta, Epsilon, Zeta and dissolved Omega:

    >>> from graph.analysis.examples import ID, example_kg
    >>> [m.removeprefix(ID) for m in current_municipalities(example_kg(), province="PV91")]
    ['gemeente/GM9904', 'gemeente/GM9905', 'gemeente/GM9906']

    Complexity: :func:`actor_facts` (unless ``facts`` is given) plus O(a log a) for a actors.
    """
    facts = facts or actor_facts(kg)
    wanted = Filters(province=province).bindings(kg).get("province")
    return sorted(actor for actor, kind in facts.kinds.items()
                  if kind == "municipality" and actor not in facts.successors
                  and (wanted is None or facts.provinces.get(actor) == wanted.value))


def region_partitions(kg, *, facts: ActorFacts | None = None) -> dict[str, dict]:
    """``{division IRI: {"label": str, "regions": {municipality: region IRI}, "split": n}}``
    for current municipalities (a dissolved one's assignment counts for its successor).

    A municipality that (through its predecessors) lies in several regions of one division
    is put in the region most of them name (ties: the first IRI), and counted in
    ``split`` so the output can say so.

    The example division places 7 municipalities; dissolved Omega's assignment counts for
    Epsilon, in the same region, so 6 current ones remain and none is split:

    >>> from graph.analysis.examples import ID, example_kg
    >>> division = region_partitions(example_kg())[ID + "indeling/voorbeeld"]
    >>> division["label"], len(division["regions"]), division["split"]
    ('Voorbeeldindeling', 6, 0)
    >>> division["regions"][ID + "gemeente/GM9905"].removeprefix(ID)
    'regio/voorbeeld/zuid'

    Complexity: one query over the ``rk:inRegion`` assignments (plus :func:`actor_facts`
    unless ``facts`` is given); O(assignments) in Python.
    """
    facts = facts or actor_facts(kg)
    votes: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    division_labels: dict[str, str] = {}
    for row in kg.select("analysis_region_assignments"):
        municipality = facts.current(row["member"].value)
        if municipality is None or facts.kinds.get(municipality) != "municipality":
            continue
        division = row["division"].value
        votes[division][municipality][row["region"].value] += 1
        if "divisionLabel" in row:
            division_labels.setdefault(division, row["divisionLabel"].value)
    result = {}
    for division in sorted(votes):
        regions, split = {}, 0
        for municipality, counter in votes[division].items():
            best = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
            regions[municipality] = best[0][0]
            split += len(best) > 1
        result[division] = {"label": division_labels.get(division, division), "regions": regions, "split": split}
    return result


def person_organisation_view(kg, *, names: dict[str, str] | None = None) -> nx.Graph:
    """People linked to the organisations they hold posts in (edge ``roles``, ``sources``).

    The role label comes from the bundled role vocabulary:

    >>> from graph.analysis.examples import ID, example_kg
    >>> P = person_organisation_view(example_kg())
    >>> [(P.nodes[p]["label"], P.nodes[o]["label"], data["roles"]) for p, o, data in P.edges(data=True)]
    [('Piet Jansen', 'Alpha', ['wethouder'])]

    Complexity: one query over the posts (plus :func:`labels` unless ``names`` is
    given); O(posts) in Python.
    """
    names = labels(kg) if names is None else names
    graph = nx.Graph()
    for row in kg.select("analysis_posts"):
        person, organisation = row["person"].value, row["organisation"].value
        graph.add_node(person, kind="person", label=names.get(person, person))
        if organisation not in graph:
            graph.add_node(organisation, kind="organisation", label=names.get(organisation, organisation))
        data = graph.get_edge_data(person, organisation) or {"relation": "post", "roles": [], "sources": []}
        role = _value(row, "role")
        if role and names.get(role, role) not in data["roles"]:
            data["roles"].append(names.get(role, role))
        if row["g"].value not in data["sources"]:
            data["sources"].append(row["g"].value)
        graph.add_edge(person, organisation, **data)
    return graph


_TYPE_KIND = {
    "https://w3id.org/regiokg/def#Municipality": "municipality",
    "https://w3id.org/regiokg/def#Province": "province",
    "https://w3id.org/regiokg/def#WaterBoard": "water-board",
    "https://w3id.org/regiokg/def#RegionalBody": "regional-body",
    "https://w3id.org/regiokg/def#CooperationArrangement": "arrangement",
    "http://xmlns.com/foaf/0.1/Person": "person",
    "https://schema.org/Event": "event",
    "http://www.w3.org/ns/org#Organization": "organisation",
}
_KIND_ORDER = list(_TYPE_KIND.values())


def path_view(kg, *, names: dict[str, str] | None = None) -> nx.Graph:
    """The whole network an introduction can travel: actors—arrangements (membership),
    people—organisations (posts), participants—events. Regions are left out: sharing a
    region is not an acquaintance. Edges carry ``relation``.

    The example network: Piet Jansen, 5 municipalities and 4 arrangements joined by his
    post and the 9 memberships:

    >>> from graph.analysis.examples import ID, example_kg
    >>> G = path_view(example_kg())
    >>> G.number_of_nodes(), G.number_of_edges(), G.nodes[ID + "persoon/piet-jansen"]["kind"]
    (10, 10, 'person')

    Complexity: :func:`labels` (unless ``names`` is given), one query each over node
    types, posts, memberships and event participants; O(n + m) to build the graph.
    """
    names = labels(kg) if names is None else names
    kinds: dict[str, str] = {}
    for row in kg.select("analysis_node_types"):
        kind = _TYPE_KIND[row["type"].value]
        node = row["node"].value
        if node not in kinds or _KIND_ORDER.index(kind) < _KIND_ORDER.index(kinds[node]):
            kinds[node] = kind
    graph = person_organisation_view(kg, names=names)
    for arrangement, actor, _kind in memberships(kg):
        graph.add_edge(actor, arrangement, relation="member")
    for row in kg.select("analysis_event_participants"):
        graph.add_edge(row["participant"].value, row["event"].value, relation=row["relation"].value)
    for node in graph:
        graph.nodes[node]["kind"] = kinds.get(node, graph.nodes[node].get("kind", "organisation"))
        graph.nodes[node]["label"] = names.get(node, node)
    return graph


def thesaurus(kg) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """``(labels, narrower)``: every (concept, label) pair and ``{concept: narrower concepts}``.

    From the bundled topic thesaurus in the example store:

    >>> from graph.analysis.examples import ID, example_kg
    >>> pairs, narrower = thesaurus(example_kg())
    >>> narrower[ID + "onderwerp/windenergie"] == [ID + "onderwerp/windturbines"]
    True
    >>> (ID + "onderwerp/windturbines", "windmolens") in pairs
    True

    Complexity: one query over the concepts' labels and hierarchy; O(rows) in Python,
    times the (small) number of narrower concepts per concept to drop duplicates.
    """
    pairs: list = []
    narrower: defaultdict[str, list[str]] = defaultdict(list)
    for row in kg.select("analysis_topic_concepts"):
        concept = row["concept"].value
        if "label" in row:
            pairs.append((concept, row["label"].value))
        if "narrower" in row and row["narrower"].value not in narrower[concept]:
            narrower[concept].append(row["narrower"].value)
    return pairs, dict(narrower)
