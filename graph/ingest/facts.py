"""Proposals → RDF: the triples an accepted proposal adds to its document's named graph.

The document graph ``graph/document/<sha256[:16]>`` describes itself (``rk:SourceDocument``
with title, publisher, date, file name and the file's SHA-256) and holds exactly the
triples of the accepted proposals; it is rebuilt from them on every accept or reject, so
the same decisions always give the same graph. Known actors are referred to, never
re-described; new people, posts, arrangements, experience statements, memberships and
meetings get IRIs of the conventions in ``docs/architecture.md``.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from graph.namespaces import RKG
from graph.text import slugify

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RK = "https://w3id.org/regiokg/def#"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
SCHEMA = "https://schema.org/"
DCT = "http://purl.org/dc/terms/"
TIME = "http://www.w3.org/2006/time#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def document_graph(doc_id: str) -> str:
    """The named graph of an ingested document."""
    return f"{RKG}document/{doc_id}"


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _lit(text: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(text, language=lang) if lang else ox.Literal(text)


def date_literal(value: str) -> ox.Literal:
    """``2017-09-29`` → xsd:date, ``2018-06`` → xsd:gYearMonth, ``2017`` → xsd:gYear."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return ox.Literal(value, datatype=_n(XSD + "date"))
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return ox.Literal(value, datatype=_n(XSD + "gYearMonth"))
    if re.fullmatch(r"\d{4}", value):
        return ox.Literal(value, datatype=_n(XSD + "gYear"))
    raise ValueError(f"not a date: {value!r}")


class FactBuilder:
    """Builds the triples of one document's accepted proposals."""

    def __init__(self, base: str, doc: dict):
        self.base = base if base.endswith("/") else base + "/"
        self.doc = doc
        self.graph = document_graph(doc["doc_id"])
        self.triples: list[tuple] = []

    def add(self, s, p, o) -> None:
        triple = (_n(s) if isinstance(s, str) else s, _n(p), _n(o) if isinstance(o, str) else o)
        if triple not in self.triples:
            self.triples.append(triple)

    def iri(self, path: str) -> str:
        return self.base + path

    # -- the document itself -----------------------------------------------------------------
    def describe(self) -> None:
        g, doc = self.graph, self.doc
        self.add(g, RDF_TYPE, RK + "SourceDocument")
        self.add(g, DCT + "title", _lit(doc["title"], "nl"))
        publisher = doc.get("publisher_iri")
        self.add(g, DCT + "publisher", publisher if publisher else _lit(doc["publisher"]))
        self.add(g, DCT + "date", date_literal(doc["date"]))
        self.add(g, DCT + "source", _lit(doc["filename"]))
        self.add(g, RK + "sha256", _lit(doc["sha256"]))
        self.add(g, DCT + "description", _lit(
            f"Ingevoerd met regiokg ingest ({doc['kind']}) en beoordeeld: bevat alleen de voorgestelde feiten die "
            "een beoordelaar heeft aanvaard. Ervaring, functies, lidmaatschappen, bijeenkomsten en afspraken "
            "dragen de zin waarop ze steunen (dcterms:description); "
            "genoemde actoren en onderwerpen staan met hun zin in de beoordelingswachtrij.", "nl"))

    def sentence(self, node: str, p: dict) -> None:
        """The sentence proposal ``p`` rests on, as ``dcterms:description`` of ``node`` (the document
        graph holding the triple is the source, as for every fact of the document)."""
        text = self.doc.get("text")
        sentence = " ".join(text[p["sentence"][0]:p["sentence"][1]].split()) if text else ""
        if sentence:
            self.add(node, DCT + "description", _lit(sentence, "nl"))

    @property
    def attested(self) -> ox.Literal | None:
        date = self.doc.get("date") or ""
        return date_literal(date) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else None

    # -- per kind -------------------------------------------------------------------------------
    def proposal(self, p: dict) -> None:
        getattr(self, "_" + p["kind"])(p, p["data"])

    def _actor(self, p, d) -> None:
        if d.get("new"):
            self._new_actor(d["actor"], d["label"], d.get("actor_kind", "arrangement"))
        self.add(self.graph, SCHEMA + "mentions", d["actor"])

    def _new_actor(self, iri: str, label: str, kind: str) -> None:
        self.add(iri, RDF_TYPE, RK + "CooperationArrangement" if kind == "arrangement" else ORG + "Organization")
        self.add(iri, RDFS + "label", _lit(label))

    def _topic(self, p, d) -> None:
        self.add(self.graph, DCT + "subject", d["topic"])

    def person_iri(self, d) -> str:
        return d.get("person") or self.iri("persoon/" + slugify(d["name"]))

    def _person_node(self, d) -> str:
        iri = self.person_iri(d)
        if not d.get("person"):
            self.add(iri, RDF_TYPE, FOAF + "Person")
            self.add(iri, RDF_TYPE, SCHEMA + "Person")
            self.add(iri, FOAF + "name", _lit(d["name"]))
        return iri

    def _person(self, p, d) -> None:
        iri = self._person_node(d)
        if d.get("affiliation"):
            self.add(iri, SCHEMA + "affiliation", d["affiliation"])
        self.add(self.graph, SCHEMA + "mentions", iri)

    def _post(self, p, d) -> None:
        person = self._person_node(d)
        role_slug = d["role"].rstrip("/").rsplit("/", 1)[-1]
        org_slug = slugify(d["organisation_label"])
        post = self.iri(f"functie/{person.rsplit('/', 1)[-1]}-{role_slug}-{org_slug}")
        self.add(post, RDF_TYPE, ORG + "Post")
        joiner = "bij" if d["role_label"] == "rol onbekend" else "van"
        self.add(post, RDFS + "label", _lit(f"{d['role_label']} {joiner} {d['organisation_label']}"))
        self.add(post, ORG + "heldBy", person)
        self.add(post, ORG + "role", d["role"])
        self.add(post, ORG + "postIn", d["organisation"])
        self.add(person, ORG + "holds", post)
        self.sentence(post, p)
        if self.attested is not None:
            self.add(post, RK + "attestedOn", self.attested)

    def _actor_node(self, d) -> str:
        actor = d["actor"]
        if actor.startswith("new-person:"):
            return self._person_node({"name": d["actor_label"], "person": None})
        if d.get("new_actor"):
            self._new_actor(actor, d["new_actor"]["label"], d["new_actor"].get("actor_kind", "arrangement"))
        return actor

    def _experience(self, p, d) -> None:
        actor = self._actor_node(d)
        slug = "-".join([self.doc["doc_id"], actor.rsplit("/", 1)[-1].lower(), d["experience_kind"],
                         p["id"]])
        exp = self.iri("ervaring/" + slug)
        self.add(exp, RDF_TYPE, RK + "Experience")
        self.add(exp, RK + "actor", actor)
        for topic in d["topics"]:
            self.add(exp, RK + "topic", topic)
        self.add(exp, RK + "experienceKind", self.iri("ervaringssoort/" + d["experience_kind"]))
        self.add(exp, DCT + "description", _lit(d["description"], "nl"))
        self.add(exp, DCT + "source", self.graph)
        if self.attested is not None:
            self.add(exp, RK + "attestedOn", self.attested)

    def _membership(self, p, d) -> None:
        member, org = d["member"], d["organisation"]
        slug = f"{member.rsplit('/', 1)[-1].lower()}-{org.rsplit('/', 1)[-1].lower()}-{self.doc['doc_id']}"
        membership = self.iri("lidmaatschap/" + slug)
        self.add(membership, RDF_TYPE, ORG + "Membership")
        self.add(membership, ORG + "member", member)
        self.add(membership, ORG + "organization", org)
        self.sentence(membership, p)
        if self.attested is not None:
            self.add(membership, RK + "attestedOn", self.attested)
        date = d.get("date") or ""
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            interval = membership + "-periode"
            instant = membership + ("-begin" if d["edge"] == "begin" else "-einde")
            self.add(membership, ORG + "memberDuring", interval)
            self.add(interval, RDF_TYPE, TIME + "Interval")
            self.add(interval, TIME + ("hasBeginning" if d["edge"] == "begin" else "hasEnd"), instant)
            self.add(instant, RDF_TYPE, TIME + "Instant")
            self.add(instant, TIME + "inXSDDate", date_literal(date))
        if d["edge"] == "begin":
            self.add(org, ORG + "hasMember", member)

    def _meeting(self, p, d) -> None:
        places = d.get("places") or []
        place_slug = "-".join(x.rsplit("/", 1)[-1].lower() for x in places[:2])
        event = self.iri(f"bijeenkomst/{d['date']}-{slugify(d['label'])}" + (f"-{place_slug}" if place_slug else ""))
        self.add(event, RDF_TYPE, SCHEMA + "Event")
        self.add(event, RDFS + "label", _lit(d["label"] + (f" ({d['place_labels']})" if d.get("place_labels") else "")))
        self.add(event, SCHEMA + "startDate", date_literal(d["date"]))
        self.add(event, DCT + "description", _lit(d["description"], "nl"))
        for place in places:
            self.add(event, SCHEMA + "location", place)
        for organiser in d.get("organisers") or []:
            self.add(event, SCHEMA + "organizer", organiser)
        for attendee in d.get("attendees") or []:
            self.add(event, SCHEMA + "attendee", attendee)
        for topic in d.get("topics") or []:
            self.add(event, SCHEMA + "about", topic)

    def _agreement(self, p, d) -> None:
        parties = d["parties"]
        if d["form"] == "samenwerking":
            self.add(parties[0], ORG + "linkedTo", parties[1])
            return
        slug = slugify(d["form"] + " " + " ".join(label for label in d["party_labels"]))
        arrangement = self.iri("samenwerking/" + slug)
        self.add(arrangement, RDF_TYPE, RK + "CooperationArrangement")
        self.add(arrangement, RDFS + "label", _lit(f"{d['form'].capitalize()} {' – '.join(d['party_labels'])}"))
        if d.get("form_iri"):
            self.add(arrangement, RK + "cooperationForm", d["form_iri"])
        for party in parties:
            self.add(arrangement, ORG + "hasMember", party)
        for topic in d.get("topics") or []:
            self.add(arrangement, DCT + "subject", topic)
        self.add(arrangement, DCT + "description", _lit(d["description"], "nl"))


def document_quads(base: str, doc: dict, accepted: list[dict]) -> list[ox.Quad]:
    """The quads of a document's graph: its description and every accepted proposal."""
    builder = FactBuilder(base, doc)
    builder.describe()
    for p in sorted(accepted, key=lambda p: p["id"]):
        builder.proposal(p)
    g = _n(builder.graph)
    return [ox.Quad(s, p, o, g) for s, p, o in builder.triples]


def proposal_triples(base: str, doc: dict, proposal: dict) -> list[tuple]:
    """The triples one proposal would add (for showing it in review)."""
    builder = FactBuilder(base, doc)
    builder.proposal(proposal)
    return builder.triples
