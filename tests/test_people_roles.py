"""People and roles: no role label means two roles, every person has a role or an explicit
"role unknown", and a role search does not return the wrong kind of council member.

On the seeds (a real store on disk, bootstrapped from ontology + seeds) and over real HTTP.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import httpx
import pytest
from rdflib import Graph
from rdflib.namespace import SKOS

from graph.errors import BadInput
from graph.filters import resolve_filter
from graph.importers.names import fold
from graph.kg import KnowledgeGraph
from graph.namespaces import RKID
from graph.settings import PROJECT_ROOT, Settings

sys.path.insert(0, str(Path(__file__).parent / "test_api"))
from apiserver import Server  # noqa: E402

ROL = f"{RKID}rol/"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    settings = Settings(store=tmp_path_factory.mktemp("people") / "store", query_workers=1)
    KnowledgeGraph.open(settings).close()  # bootstrap: ontology + seeds
    with Server(settings) as running:
        yield running


def test_no_label_names_two_roles():
    roles = Graph().parse(PROJECT_ROOT / "ontology/roles.ttl")
    named: dict[str, set[str]] = defaultdict(set)
    for concept, _, label in roles.triples((None, SKOS.prefLabel, None)):
        named[fold(str(label))].add(str(concept))
    for concept, _, label in roles.triples((None, SKOS.altLabel, None)):
        named[fold(str(label))].add(str(concept))
    shared = {label: concepts for label, concepts in named.items() if len(concepts) > 1}
    assert shared == {}
    assert named["gemeenteraadslid"] == {ROL + "gemeenteraadslid"}
    assert named["raadslid"] == {ROL + "raadslid"}


def test_every_person_has_a_role_or_role_unknown(server):
    rows = server.kg.select_text("""
        PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        PREFIX org: <http://www.w3.org/ns/org#>
        SELECT DISTINCT ?person WHERE { ?person a foaf:Person
          FILTER NOT EXISTS { ?post org:heldBy ?person ; org:role ?role } }""")
    assert rows == []
    unknown = server.kg.select_text(f"""
        PREFIX org: <http://www.w3.org/ns/org#>
        SELECT DISTINCT ?person WHERE {{ ?post org:heldBy ?person ; org:role <{ROL}onbekend> }}""")
    assert len(unknown) == 6  # source 000 names their organisation, not their post


def test_a_ser_council_member_is_not_a_municipal_councillor(server):
    def people(role: str) -> set[str]:
        response = httpx.get(server.url + "/api/people", params={"role": role, "limit": 1000}, timeout=60)
        assert response.status_code == 200, response.text
        return {p["name"] for p in response.json()["items"]}

    assert "Guido van Woerkom" in people("raadslid")  # a council member of the SER
    assert "Guido van Woerkom" not in people("gemeenteraadslid")
    assert "Guido van Woerkom" not in people("municipal councillor")
    assert people("rol onbekend") >= {"Koos Janssen", "Hans van Daalen"}
    bad = httpx.get(server.url + "/api/people", params={"role": "astronaut"}, timeout=60)
    assert bad.status_code == 400 and "'astronaut' names no role" in bad.json()["error"]["message"]


def test_role_values_resolve_by_label_in_either_language(server):
    assert resolve_filter(server.kg, "role", "mayor") == ROL + "burgemeester"
    assert resolve_filter(server.kg, "role", "Gemeenteraadslid") == ROL + "gemeenteraadslid"
    with pytest.raises(BadInput, match="names no role"):
        resolve_filter(server.kg, "role", "koning")
