"""Policy domain and cooperation form of every arrangement, by rules on its names.

The classifier reads the names (``rdfs:label`` and ``skos:altLabel``) of every
``rk:CooperationArrangement`` in the store, folds them (:func:`graph.text.fold`) and applies
ordered rules: the first domain rule whose pattern matches any name gives the arrangement its
``rk:policyDomain`` (a concept of ``ontology/policy-domains.ttl``), the first form rule its
``rk:cooperationForm`` (``ontology/cooperation-forms.ttl``). The rule that fired is kept on the
arrangement (``rk:classificationRule``, e.g. ``"domain:ggd"``), so every derived fact says how it
was derived. Specific rules come before general ones: ``Regionaal Archief ...`` is archives, not
"Regio ..." (general/strategic: *bestuur*).

* Arrangements that another graph already gives a domain (or form) keep it; the classifier only
  fills the gaps, so a curated or stated value always wins.
* An arrangement of a Wgr dataset (OpenGR: every row is a *gemeenschappelijke regeling*) whose
  name names no form gets the broad form *Wgr-vorm*.
* No rule matches: no domain. The classifier abstains rather than guess.

Everything goes into one graph, ``graph/derived/classification``, described as an
``rk:DerivedData`` whose description states the method. ``tests/test_classify.py`` checks it
against a hand-labelled sample of real arrangement names (``tests/data/classification_sample.csv``)
and prints precision and coverage. Run it with ``regiokg import classify`` (``import all`` runs it
last).
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from graph.importers.report import ImportReport
from graph.namespaces import RK, RKG, RKID
from graph.text import fold

GRAPH = f"{RKG}derived/classification"
DOMAIN = f"{RKID}beleidsdomein/"
FORM = f"{RKID}samenwerkingsvorm/"
WGR_GRAPHS = (f"{RKG}import/opengr", f"{RKG}import/dsta")
METHOD_DATE = "2026-12-02"   # the date of the rules below (no wall-clock time in the graph)


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    value: str   # concept slug


def rule(name: str, pattern: str, value: str) -> Rule:
    return Rule(name, re.compile(pattern), value)


# Ordered: the first match wins (taxes before water: 'Belastingsamenwerking Gemeenten en
# Waterschappen' is a tax office). Patterns run on folded names (lower case ASCII, one space
# between words), e.g. "gemeentelijke gezondheidsdienst ggd hollands noorden".
DOMAIN_RULES: tuple[Rule, ...] = (
    rule("veiligheidsregio", r"\bveiligheids(regio|huis)|\bveiligheids en gezondheidsregio|\bbrandweer|"
                             r"\bcrisisbeheersing|\bghor\b|geneeskundige hulpverlening|\brampen", "veiligheid"),
    rule("ggd", r"\bggd|gezondheidsdienst|gezondheidszorg|publieke gezondheid|\bambulance|\brdog\b|\bogz\b|"
                r"\bcrematori", "zorg-en-gezondheid"),
    rule("jeugd", r"\bjeugd", "jeugd"),
    rule("belastingen", r"belasting|\bheffing|\bcocensus\b|\bmunitax\b|\bsvhw\b|\btribuut\b|\bhefpunt\b|"
                        r"\bbsgw\b|\bgblt\b|\bsabewa\b|\bgbkz\b|\bwaardebepaling|\bwoz\b", "belastingen"),
    rule("water", r"afvalwater|\bwater(schap|schaps|beheer|keten|zuivering|laboratorium)|\briool|\bgrondwater|"
                  r"\baquon\b|\baqualysis\b|\bhoogheemraadschap|\bslibverwerking|\bgemaal\b|vijzelgemaal|\bbeheersregeling amstel\b",
                  "water"),
    rule("afval", r"\bafval|\bvuil|\breinig|\breiging|\bstortplaats|\bavri\b|\bavalex\b|\bcure\b|\brd4\b|"
                  r"\bblink\b|\brevu\b|\bmilieupark|\bmilieustation|\bgevudo\b|\brmn\b|\bolaz\b|\breinunie\b|"
                  r"\bmeerinzicht\b|\bsallcon\b|\bde welplaat\b|\bgevulei\b|\bsanering buitengebied",
                  "afval"),
    rule("omgevingsdienst", r"\bomgevingsdienst|\buitvoeringsdienst|\brud\b|\bmilieu|\bdcmr\b|\bfumo\b|"
                            r"\bmuskusrat", "milieu"),
    rule("werkvoorziening", r"werkvoorzien|sociale? werk|\bsociaal werkvoorziening|\bsw[bo]?\b|\bwerk en inkomen|"
                            r"\bwerk inkomen|\bsociale dienst|\bsociale zaken|\bsocialedienst|\bisd\b|\bigsd\b|"
                            r"\biswi\b|\brsdav\b|\bwerkplein|\bwerkbedrijf|\bwerkleerbedrijf|\bwerkzaak|\bhalte werk|"
                            r"\bbaanbrekers|\bwerksaam|\bferm werk|\blander werk|\bijmond werkt|\bparticipatie ?bedrijf|"
                            r"\bgesubsidieerde arbeid|\bsociale recherche|\bstroomopwaarts|\bpromen\b|\bsoweco\b|"
                            r"\bdiamant groep|\bfelua groep|\bdrechtwerk|\borionis|\bkompas\b|\bhameland\b|"
                            r"\bpermar\b|\bplusteam\b|\bwestrom\b|\bvixia\b|\bwoz?l\b|\bwsd\b|\bwvs\b|\bwvk\b|"
                            r"\bwadp\b|\bemco groep|\bpaswerk|\balescon|\bsynergon|\btomingroep|\bwedeo|\bdethon|"
                            r"\bnovatec|\breestmond|\bergon\b|\bbaanstede|\bmaregroep|\bability\b|\bavres\b|"
                            r"\bwedeka|\bibn\b|\bnlw groep|\bbetho\b|\bbwr\b|\bwava\b|\ba m groep|\bde risse|"
                            r"\bwaa groep|\bdelta\b.*werkvoorziening|\bpresikhaaf|\bpauw bedrijven|\bdiamant|"
                            r"\bwezo\b|\brwa\b|\bdsw\b|\bswa\b", "arbeidsmarkt"),
    rule("sociaal-domein", r"\bsociaal domein|\bwmo\b|\bwelzijn|\bkredietbank|\bstadsbank|\bvolkskredietbank|"
                           r"\bmaatschappelijke opvang|\bbeschermd wonen|\bbijzonder onderzoek", "sociaal-domein"),
    rule("archief", r"archief|archiv|\bhistorisch (informatie)?centrum|\berfgoed|\btresoar\b|\barcheologie|"
                    r"\bmuziekschool|\bcultureel|\bkunst|\bbibliotheek|\bmonumenten|\bde klinker\b|\bivak\b|"
                    r"\bbhic\b|\bbeuningenfonds", "cultuur-en-erfgoed"),
    rule("recreatieschap", r"\brecreatie|\brecreactie|\bplassenschap|\bmeerschap|\bparkschap|\bnationaal park|"
                           r"\bbuitenstedelijk groen|\bgroengebied|\bmarrekrite|\bpark lingezegen|\bsportpark|"
                           r"\btoeris|\bgastvrije randmeren|\bgroenzone|\bgroenalliantie|\bspaarnwoude\b|"
                           r"\blingegebied|\bgroenzoom\b|\blandschap\b|\bgroenbeheer", "recreatie-en-toerisme"),
    rule("onderwijs", r"\bonderwijs|\bleerplicht|\bleerlingzaken|\brmc\b|\bschoolverzuim|\bschool|\bprimair|"
                      r"\bvoortijdig|\blogopedische|\bstichting klasse\b|\beducatie\b|\bijsselgraaf", "onderwijs"),
    rule("vervoer", r"\bvervoer|\bverkeer|\bbereikbaarheid|\bmobiliteit|\bwegschap|\bnautisch|\bparkeer|"
                    r"\bopenbare verlichting|\bomnibuzz\b", "verkeer-en-vervoer"),
    rule("economie", r"\bbedrijvenpark|\bbedrijventerrein|\bbedrijvenschap|\bbedrijfschap|\bindustrieschap|"
                     r"\bglastuinbouw|\btuinbouw|\bgreenpark|\bbusinesspark|\beconomi|\bhavenschap|\bseaports|"
                     r"\bluchthaven|\bbleizo\b|\bharnaschpolder\b|\bbijsterhuizen\b|\bheesch west\b|"
                     r"\bnieuw reijerwaard\b|\bhoefweg\b|\bmedel\b|\brengers\b|\bkempisch bedrijvenpark|"
                     r"\bagrifood|\bcleantech|\bwaddenfonds|\bkamer van koophandel", "economie"),
    rule("ruimte", r"\bwonen|\bwoning|\bruimtelijk|\bgrondbank|\bgebiedsontwikkeling|\bherstructurering|"
                   r"\bmeerstad\b|\bschadeschap|\bwelstand|\bhus en hiem\b|\bgehand voorz|\bgrondexploitatie|"
                   r"\boude rijn zone|\bwoonwagen|\bontwikkelingsorganisatie", "ruimte-en-wonen"),
    rule("energie", r"\benergie|\bduurzaam|\bklimaat|\bgasdistributie", "energie-en-klimaat"),
    rule("bedrijfsvoering", r"\bict\b|\bautomatisering|\binkoop|\bshared service|\bssc\b|\bbedrijfsvoering|"
                            r"\bambtelijke samenwerking|\bwerkorganisatie|\bservicepunt|\bservicebureau|"
                            r"\bpersoneel|\bbar organisatie|\bsyntrophos\b|\bdesom\b|\bsed organisatie|\bduo\b|"
                            r"\bwerkmaatschappij|\btechnisch bureau|\bdienstverlening|\biszf\b|\bbestuursacademie|"
                            r"\bcevan\b|\bbestuursdienst|\bsamenwerkingsorganisatie|\bpentasz\b|\bdeal gemeenten|"
                            r"\bishw\b|\bseta\b|\bdommelvallei\b|\boostzaan wormerland\b|\bbel combinatie|\bbel\b|"
                            r"\bdudoc|\bdeskundig|\btechnische dienst", "bedrijfsvoering"),
    rule("regio", r"\bregio\b|\bregionale samenwerking|\bstadsregio|\bstadsgewest|\bmetropoolregio|\bmetropool|"
                  r"\bgewest|\beuregio\b|\beurode\b|\beems dollard regio|\bsamenwerkingsverband|\bsamenwerking|\bbestuur|"
                  r"\boverleg\b|\bstreekraad|\bsamenwerkingsorgaan|\bbasisregeling|\bkaderregeling|\brekenkamer|"
                  r"\bombudsman|\bklachtenregeling|\bgemeenten\b|\bgemeenschappelijk orgaan|\bdrechtsteden|"
                  r"\bstedendriehoek|\brivierenland|\bholland rijnland|\bparkstad|\bwest brabant|\bnoord veluwe|"
                  r"\bhart van brabant|\btwente\b|\bfoodvalley|\bachterhoek|\bk5\b|\bijsselgemeenten|\bpeel 6 1|"
                  r"\butrechtse waarden|\bdeelregio|\bmodulaire gemeenschappelijke regeling|"
                  r"\bvallei\b|\bhal samenwerking|\balblasserwaard|\bover gemeenten|\bddfk|\bh10\b|\ba2 gemeenten|\bdrenthe\b",
                  "bestuur"),
)

FORM_RULES: tuple[Rule, ...] = (
    rule("bedrijfsvoeringsorganisatie", r"\bbedrijfsvoeringsorganisatie|\bbvo\b", "bedrijfsvoeringsorganisatie"),
    rule("centrumgemeente", r"\bcentrum ?regeling|\bcentrumgemeente", "centrumgemeenteconstructie"),
    rule("gemeenschappelijk-orgaan", r"\bgemeenschappelijk orgaan|\bgemeentelijk orgaan", "gemeenschappelijk-orgaan"),
    rule("openbaar-lichaam", r"\bopenbaar lichaam", "openbaar-lichaam"),
    rule("regeling-zonder-meer", r"\bregeling zonder meer|\blichte gemeenschappelijke regeling", "regeling-zonder-meer"),
    rule("convenant", r"\bconvenant|\bbestuursovereenkomst|\bsamenwerkingsovereenkomst", "convenant"),
    rule("stichting", r"^stichting\b", "stichting"),
    rule("vereniging", r"^cooperatie\b|\bvereniging\b", "vereniging"),
    rule("vennootschap", r"\bn ?v\b|\bb ?v\b|\bseaports\b", "vennootschap"),
    rule("shared-service-center", r"\bshared service|\bssc\b", "shared-service-center"),
)


def first_match(rules: tuple[Rule, ...], names: list[str]) -> Rule | None:
    folded = [fold(n) for n in names]
    for r in rules:
        if any(r.pattern.search(f) for f in folded):
            return r
    return None


def classify_names(names: list[str]) -> tuple[str | None, str | None, str | None, str | None]:
    """(domain slug, domain rule, form slug, form rule) for one arrangement's names."""
    d = first_match(DOMAIN_RULES, names)
    f = first_match(FORM_RULES, names)
    return (d.value if d else None, d.name if d else None, f.value if f else None, f.name if f else None)


QUERY = f"""
PREFIX rk: <https://w3id.org/regiokg/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?a ?name ?g ?hasDomain ?hasForm WHERE {{
  GRAPH ?g {{ ?a a rk:CooperationArrangement }}
  FILTER(?g != <{GRAPH}>)
  {{ ?a rdfs:label ?name }} UNION {{ ?a skos:altLabel ?name }}
  BIND(EXISTS {{ GRAPH ?dg {{ ?a rk:policyDomain ?d }} FILTER(?dg != <{GRAPH}>) }} AS ?hasDomain)
  BIND(EXISTS {{ GRAPH ?fg {{ ?a rk:cooperationForm ?f }} FILTER(?fg != <{GRAPH}>) }} AS ?hasForm)
}}
"""

METHOD = ("Beleidsdomein en samenwerkingsvorm per samenwerkingsverband, afgeleid met regels op de namen "
          "(rdfs:label en skos:altLabel, genormaliseerd): de eerste regel die past geeft het domein (bijv. GGD en "
          "gezondheidsdienst -> zorg en gezondheid; veiligheidsregio -> openbare orde en veiligheid; omgevingsdienst "
          "en RUD -> milieu; afval en reiniging -> afval; werkvoorziening en sociale dienst -> werk en inkomen; "
          "recreatieschap -> recreatie en toerisme; archief -> cultuur en erfgoed; belastingen -> belastingen; "
          "'Regio ...' en andere algemene samenwerking -> bestuur). Specifieke regels gaan voor algemene. Een "
          "verband zonder vorm in de naam uit een Wgr-dataset (OpenGR, DSTA) krijgt de vorm Wgr-vorm. Waarden die "
          "een andere graaf al geeft blijven staan; past geen regel, dan geen domein. De regel staat per verband in "
          "rk:classificationRule. Gecontroleerd tegen een met de hand gelabelde steekproef "
          "(tests/data/classification_sample.csv).")


def build(rows) -> tuple[set, dict[str, int], list[str]]:
    """The triples of the classification graph from the query rows; figures and the unclassified names."""
    names: dict[str, list[str]] = defaultdict(list)
    graphs: dict[str, set[str]] = defaultdict(set)
    has_domain: dict[str, bool] = {}
    has_form: dict[str, bool] = {}
    for r in rows:
        a = r["a"].value
        names[a].append(r["name"].value)
        graphs[a].add(r["g"].value)
        has_domain[a] = has_domain.get(a, False) or r["hasDomain"].value == "true"
        has_form[a] = has_form.get(a, False) or r["hasForm"].value == "true"
    g: set = set()
    node = URIRef(GRAPH)
    g.add((node, RDF.type, RK.DerivedData))
    g.add((node, DCTERMS.title, Literal("Beleidsdomeinen en samenwerkingsvormen van samenwerkingsverbanden (regels op namen)", lang="nl")))
    g.add((node, DCTERMS.title, Literal("Policy domains and cooperation forms of arrangements (rules on names)", lang="en")))
    g.add((node, DCTERMS.publisher, Literal("regiokg project")))
    g.add((node, DCTERMS.date, Literal(METHOD_DATE, datatype=XSD.date)))
    g.add((node, DCTERMS.source, Literal("graph/classify.py")))
    g.add((node, DCTERMS.description, Literal(METHOD, lang="nl")))
    counts: Counter[str] = Counter()
    unclassified = []
    for a in sorted(names):
        counts["arrangements"] += 1
        domain, drule, form, frule = classify_names(sorted(set(names[a])))
        subject = URIRef(a)
        if has_domain[a]:
            counts["domain stated elsewhere"] += 1
        elif domain:
            g.add((subject, RK.policyDomain, URIRef(DOMAIN + domain)))
            g.add((subject, RK.classificationRule, Literal(f"domain:{drule}")))
            counts["domain by rule"] += 1
        else:
            unclassified.append(sorted(names[a])[0])
        if has_form[a]:
            counts["form stated elsewhere"] += 1
        elif form:
            g.add((subject, RK.cooperationForm, URIRef(FORM + form)))
            g.add((subject, RK.classificationRule, Literal(f"form:{frule}")))
            counts["form by rule"] += 1
        elif graphs[a] & set(WGR_GRAPHS):
            g.add((subject, RK.cooperationForm, URIRef(FORM + "wgr-vorm")))
            g.add((subject, RK.classificationRule, Literal("form:wgr-dataset")))
            counts["form: Wgr dataset"] += 1
    counts["without domain"] = len(unclassified)
    return g, dict(counts), sorted(unclassified)


def classify(kg) -> ImportReport:
    """(Re)write ``graph/derived/classification`` from the arrangements in the store."""
    started = time.perf_counter()
    rows = kg.select_text(QUERY)
    g, counts, unclassified = build(rows)
    report = ImportReport("classification", GRAPH, "rules on arrangement names (graph/classify.py)",
                          rows_read=counts.get("arrangements", 0))
    total = counts.get("arrangements", 0)
    with_domain = counts.get("domain by rule", 0) + counts.get("domain stated elsewhere", 0)
    report.counts = counts
    report.notes = [f"{with_domain} of {total} arrangements have a policy domain "
                    f"({100 * with_domain / total:.1f}%)" if total else "no arrangements in the store"]
    report.details = {"without_domain": unclassified}
    report.triples = kg.replace_graph(GRAPH, g, validate=False)
    report.seconds = time.perf_counter() - started
    return report


__all__ = ["GRAPH", "DOMAIN_RULES", "FORM_RULES", "classify", "classify_names", "build"]
