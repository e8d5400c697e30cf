"""A tiny real store for the docstring examples of the analysis package.

:func:`example_kg` opens an embedded Oxigraph store in a temporary directory (once per
process; removed at exit) holding the bundled ontology files (vocabularies only, no seeds)
and one self-described, SHACL-validated named graph, ``graph/voorbeeld``:

==============  ===========================================================================
municipalities  Alpha, Beta, Gamma (province PV90 Noord); Delta, Epsilon, Zeta (PV91 Zuid);
                Omega (PV91) was dissolved in 2019 and replaced by Epsilon
arrangements    Afval Noord {Alpha, Beta, Gamma}, Belastingen Noord {Alpha, Beta},
                Zorg Zuid {Delta, Epsilon, Omega}, Wegen Midden {Gamma, Delta};
                Zeta is in none
division        Voorbeeldindeling: Regio Noord {Alpha, Beta, Gamma},
                Regio Zuid {Delta, Epsilon, Zeta, Omega}
people          Piet Jansen holds a post (wethouder) in Alpha
experience      Beta has done it (heeft-gedaan) and Delta asks for help (vraagt-hulp), both
                about the thesaurus topic windturbines (2020-03-01)
==============  ===========================================================================

Worked out by hand: counting Omega as Epsilon, the municipalities take part in
Alpha 2, Beta 2, Gamma 2, Delta 2, Epsilon 1 and Zeta 0 arrangements; the co-membership
projection is the triangle Alpha–Beta–Gamma (Alpha–Beta shares 2 arrangements) joined
through Gamma–Delta to Delta–Epsilon, which splits into the communities
{Alpha, Beta, Gamma} and {Delta, Epsilon}, exactly the two regions.

The analyses write their runs into this store (``graph/analysis/<name>``); the examples
read nothing those runs could change.

>>> example_kg() is example_kg()
True
>>> example_kg().ask("ASK { ?m <https://w3id.org/regiokg/def#cbsCode> 'GM9901' }")
True
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from graph.kg import KnowledgeGraph, ontology_graph
from graph.namespaces import RKG, RKID
from graph.settings import Settings
from graph.validation import ontology_files

__all__ = ["ID", "EXAMPLE_GRAPH", "example_kg"]

ID = str(RKID)
EXAMPLE_GRAPH = str(RKG) + "voorbeeld"

EXAMPLE_TRIG = """
@prefix rk: <https://w3id.org/regiokg/def#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/regiokg/id/> .
@prefix g: <https://w3id.org/regiokg/graph/> .

g:voorbeeld {
  g:voorbeeld a rk:SourceDocument ; dcterms:title "Voorbeeldgegevens voor de docstrings" ;
      dcterms:publisher "regiokg examples" ; dcterms:date "2020-03-01"^^xsd:date .

  id:provincie\\/PV90 a rk:Province ; rdfs:label "Noord" ; rk:cbsCode "PV90" .
  id:provincie\\/PV91 a rk:Province ; rdfs:label "Zuid" ; rk:cbsCode "PV91" .
  id:gemeente\\/GM9901 a rk:Municipality ; rdfs:label "Alpha" ; rk:cbsCode "GM9901" ; rk:province id:provincie\\/PV90 .
  id:gemeente\\/GM9902 a rk:Municipality ; rdfs:label "Beta" ; rk:cbsCode "GM9902" ; rk:province id:provincie\\/PV90 .
  id:gemeente\\/GM9903 a rk:Municipality ; rdfs:label "Gamma" ; rk:cbsCode "GM9903" ; rk:province id:provincie\\/PV90 .
  id:gemeente\\/GM9904 a rk:Municipality ; rdfs:label "Delta" ; rk:cbsCode "GM9904" ; rk:province id:provincie\\/PV91 .
  id:gemeente\\/GM9905 a rk:Municipality ; rdfs:label "Epsilon" ; rk:cbsCode "GM9905" ; rk:province id:provincie\\/PV91 .
  id:gemeente\\/GM9906 a rk:Municipality ; rdfs:label "Zeta" ; rk:cbsCode "GM9906" ; rk:province id:provincie\\/PV91 .
  id:gemeente\\/GM9909 a rk:Municipality ; rdfs:label "Omega" ; rk:cbsCode "GM9909" ;
      rk:province id:provincie\\/PV91 ; rk:dissolvedOn "2019-01-01"^^xsd:date ; dcterms:isReplacedBy id:gemeente\\/GM9905 .

  id:samenwerking\\/afval-noord a rk:CooperationArrangement ; rdfs:label "Afval Noord" ;
      org:hasMember id:gemeente\\/GM9901, id:gemeente\\/GM9902, id:gemeente\\/GM9903 .
  id:samenwerking\\/belastingen-noord a rk:CooperationArrangement ; rdfs:label "Belastingen Noord" ;
      org:hasMember id:gemeente\\/GM9901, id:gemeente\\/GM9902 .
  id:samenwerking\\/zorg-zuid a rk:CooperationArrangement ; rdfs:label "Zorg Zuid" ;
      org:hasMember id:gemeente\\/GM9904, id:gemeente\\/GM9905, id:gemeente\\/GM9909 .
  id:samenwerking\\/wegen-midden a rk:CooperationArrangement ; rdfs:label "Wegen Midden" ;
      org:hasMember id:gemeente\\/GM9903, id:gemeente\\/GM9904 .

  id:indeling\\/voorbeeld a rk:RegionalDivision ; rdfs:label "Voorbeeldindeling" .
  id:regio\\/voorbeeld\\/noord a rk:Region ; rdfs:label "Regio Noord" ; rk:division id:indeling\\/voorbeeld .
  id:regio\\/voorbeeld\\/zuid a rk:Region ; rdfs:label "Regio Zuid" ; rk:division id:indeling\\/voorbeeld .
  id:gemeente\\/GM9901 rk:inRegion id:regio\\/voorbeeld\\/noord .
  id:gemeente\\/GM9902 rk:inRegion id:regio\\/voorbeeld\\/noord .
  id:gemeente\\/GM9903 rk:inRegion id:regio\\/voorbeeld\\/noord .
  id:gemeente\\/GM9904 rk:inRegion id:regio\\/voorbeeld\\/zuid .
  id:gemeente\\/GM9905 rk:inRegion id:regio\\/voorbeeld\\/zuid .
  id:gemeente\\/GM9906 rk:inRegion id:regio\\/voorbeeld\\/zuid .
  id:gemeente\\/GM9909 rk:inRegion id:regio\\/voorbeeld\\/zuid .

  id:persoon\\/piet-jansen a foaf:Person ; foaf:name "Piet Jansen" .
  id:functie\\/piet-jansen-wethouder-alpha a org:Post ; org:heldBy id:persoon\\/piet-jansen ;
      org:postIn id:gemeente\\/GM9901 ; org:role id:rol\\/wethouder .

  id:ervaring\\/voorbeeld-beta-windturbines a rk:Experience ; rk:actor id:gemeente\\/GM9902 ;
      rk:topic id:onderwerp\\/windturbines ; rk:experienceKind id:ervaringssoort\\/heeft-gedaan ;
      rk:attestedOn "2020-03-01"^^xsd:date ; dcterms:description "Beta heeft een windpark gebouwd." ;
      dcterms:source g:voorbeeld .
  id:ervaring\\/voorbeeld-delta-windturbines a rk:Experience ; rk:actor id:gemeente\\/GM9904 ;
      rk:topic id:onderwerp\\/windturbines ; rk:experienceKind id:ervaringssoort\\/vraagt-hulp ;
      rk:attestedOn "2020-03-01"^^xsd:date ; dcterms:description "Delta zoekt wie dit al heeft gedaan." ;
      dcterms:source g:voorbeeld .
}
"""


@functools.cache
def example_kg() -> KnowledgeGraph:
    """The example store (built on first use, then shared by every caller in the process).

    Complexity: O(ontology + example triples) once, including SHACL validation of the
    example graph; O(1) afterwards.
    """
    directory = Path(tempfile.mkdtemp(prefix="regiokg-examples-"))
    kg = KnowledgeGraph.open(Settings(store=directory / "store"), bootstrap=False)
    kg.replace_graphs(dict(ontology_graph(path) for path in ontology_files()), validate=False)
    data = directory / "voorbeeld.trig"
    data.write_text(EXAMPLE_TRIG, encoding="utf-8")
    kg.load_files([data], validate=True)

    def remove() -> None:
        kg.close()
        shutil.rmtree(directory, ignore_errors=True)

    atexit.register(remove)
    return kg
