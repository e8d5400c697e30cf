"""Write seeds/reference/regionale-samenwerkingen.trig: members of the regional bodies the
source documents name but no dataset covers, each membership with the public page it comes from.

The five source documents name the Metropoolregio Amsterdam, Assen-Groningen 2030 (the Regio
Groningen-Assen), Cleantech Regio, Agrifood Capital, the G32 (since 2018 the G40) and the
Platform Middelgrote Gemeenten, but no open dataset lists their members: OpenGR and DSTA hold
Wgr arrangements only, and these are covenants, foundations and networks. The facts below were
read from public web pages (found through the project's stored copies of public pages), written
down here in our own words: for every membership the page (URL) and, where the page states a
date, that date (``rk:attestedOn``); begin and end dates where they are known (``org:memberDuring``).

Rules the data follows:

* Where the cited pages list today's members (``rk:membersComplete true``: MRA, Regio
  Groningen-Assen), a membership of a municipality that no longer exists ends the day before the
  merger that dissolved it (the merger dates are CBS facts; ``tests/test_reference_regional.py``
  checks each against the lineage import), and the successor is a member in its own right, as the
  page lists it. Where they do not (Agrifood Capital), the membership is left open, so the
  municipal lineage passes it to the successors and the answers say so ("via Grave").
* ``org:hasMember`` (the shortcut) is written for memberships without an end only, so the
  shortcut answers "who is a member now"; ended memberships are found through ``org:Membership``.
* Names are resolved to CBS codes through the committed ``gemeenten-2025.trig``; municipalities
  of before 2025 are listed with their 2016 CBS code in :data:`DISSOLVED` (their names and
  dissolution are facts of the lineage import, not restated here; the name as the page writes it
  is kept on the membership, ``rk:memberAsNamed``). An unknown name stops the script.

The output is deterministic; ``tests/test_reference_regional.py`` checks the committed file is
byte-identical to a fresh run.

Usage::

    python seeds/build_regional.py            # writes seeds/reference/regionale-samenwerkingen.trig
    python seeds/build_regional.py --out x.trig
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
MUNICIPALITIES_FILE = HERE / "reference" / "gemeenten-2025.trig"
DEFAULT_OUT = HERE / "reference" / "regionale-samenwerkingen.trig"
GRAPH = "https://w3id.org/regiokg/graph/reference/regionale-samenwerkingen"
ID = "https://w3id.org/regiokg/id/"
COMPILED = "2026-12-02"   # the day these pages were read and the file was written

# Municipalities that no longer exist: name -> (2016 CBS code, first day of the merger or split
# that dissolved them, the successor(s)). CBS municipal changes; checked against graph/import/lineage.
DISSOLVED: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "Beemster": ("GM0370", "2022-01-01", ("Purmerend",)),
    "Weesp": ("GM0457", "2022-03-24", ("Amsterdam",)),
    "Haarlemmerliede en Spaarnwoude": ("GM0393", "2019-01-01", ("Haarlemmermeer",)),
    "Bedum": ("GM0005", "2019-01-01", ("Het Hogeland",)),
    "Winsum": ("GM0053", "2019-01-01", ("Het Hogeland",)),
    "Haren": ("GM0017", "2019-01-01", ("Groningen",)),
    "Ten Boer": ("GM0009", "2019-01-01", ("Groningen",)),
    "Leek": ("GM0022", "2019-01-01", ("Westerkwartier",)),
    "Zuidhorn": ("GM0056", "2019-01-01", ("Westerkwartier",)),
    "Hoogezand-Sappemeer": ("GM0018", "2018-01-01", ("Midden-Groningen",)),
    "Slochteren": ("GM0040", "2018-01-01", ("Midden-Groningen",)),
    "Grave": ("GM0786", "2022-01-01", ("Land van Cuijk",)),
    "Mill en Sint Hubert": ("GM0815", "2022-01-01", ("Land van Cuijk",)),
    "Cuijk": ("GM1684", "2022-01-01", ("Land van Cuijk",)),
    "Sint Anthonis": ("GM1702", "2022-01-01", ("Land van Cuijk",)),
    "Boxmeer": ("GM0756", "2022-01-01", ("Land van Cuijk",)),
    "Landerd": ("GM1685", "2022-01-01", ("Maashorst",)),
    "Uden": ("GM0856", "2022-01-01", ("Maashorst",)),
    "Haaren": ("GM0788", "2021-01-01", ("Oisterwijk", "Vught", "Boxtel", "Tilburg")),
}
# Municipalities formed by a merger in the period covered: name -> first day.
FORMED = {"Midden-Groningen": "2018-01-01", "Het Hogeland": "2019-01-01", "Westerkwartier": "2019-01-01"}
PROVINCES = {"Groningen (provincie)": "PV20", "Drenthe": "PV22", "Overijssel": "PV23", "Flevoland": "PV24",
             "Gelderland": "PV25", "Noord-Holland": "PV27"}
WATER_BOARDS = {"Waterschap Aa en Maas": "waterschap-aa-en-maas", "Waterschap De Dommel": "waterschap-de-dommel"}


@dataclass(frozen=True)
class Page:
    """A public web page cited for memberships: address, title and publisher in our words, the
    date the page states (``None`` when it states none) and what it says, paraphrased."""

    key: str
    url: str
    title: str
    publisher: str
    date: str | None
    note: str


PAGES = [
    Page("mra-amstelland", "https://www.amstelland-meerlanden.nl/mra/",
         "Metropoolregio Amsterdam (pagina van de regio Amstelland-Meerlanden)", "Regio Amstelland-Meerlanden", None,
         "Ongedateerd; er zijn twee versies opgeslagen. De huidige noemt als deelnemers van de MRA twee provincies, 30 "
         "gemeenten (met naam) en de Vervoerregio Amsterdam; met 30 gemeenten beschrijft zij de stand na de samenvoeging "
         "van Weesp met Amsterdam (24 maart 2022). Een eerdere versie (met de MRA-brochure van 2018) noemt 36 deelnemers, "
         "onder wie de gemeenten Weesp en Beemster, en zegt dat de Stadsregio Amsterdam op 1 januari 2017 ophield te "
         "bestaan en de Vervoerregio Amsterdam haar taken voor verkeer en vervoer overnam."),
    Page("mra-nhnieuws-2018", "https://www.nhnieuws.nl/nieuws/232879/Oog-op-de-Metropool-wat-is-de-Metropool-Amsterdam",
         "Oog op de Metropool: wat is de Metropool Amsterdam?", "NH Nieuws", "2018-10",
         "Oktober 2018: in de Metropool Amsterdam werken 33 gemeenten en de provincies Noord-Holland en Flevoland samen."),
    Page("mra-zuid-kennemerland-2016", "https://www.samenwerkenaanwater.nl/regios/hollands-noorderkwartier/noord-kennemerland-zuid/",
         "Zuid-Kennemerland (regiobeschrijving, overgenomen van de provincie Noord-Holland)", "Samenwerken aan water", None,
         "Ongedateerd, beschrijft de stand van eind 2016: de vijf gemeenten van Zuid-Kennemerland, onder wie Haarlemmerliede "
         "en Spaarnwoude, maken deel uit van de Metropoolregio Amsterdam; die gemeente wil per 1 januari 2019 met "
         "Haarlemmermeer fuseren."),
    Page("mra-openresearch", "https://openresearch.amsterdam/nl/page/31755/metropoolregio-amsterdam-mra",
         "Metropoolregio Amsterdam (MRA), collectiepagina", "Gemeente Amsterdam, OpenResearch", None,
         "Ongedateerd: de MRA is het informele samenwerkingsverband van 30 gemeenten, de provincies Noord-Holland en "
         "Flevoland en de Vervoerregio Amsterdam."),
    Page("rga-nu", "https://regiogroningenassen.nl/over-rga",
         "Over Regio Groningen-Assen: organisatie en deelnemers", "Regio Groningen-Assen", None,
         "Ongedateerd, na de herindelingen van 2019: deelnemers zijn de provincies Drenthe en Groningen en de gemeenten "
         "Assen, Groningen, Het Hogeland, Midden-Groningen, Noordenveld, Tynaarlo en Westerkwartier; samenwerking sinds 1996, "
         "convenant van 2015 tot en met 2030."),
    Page("rga-plaatsengids", "https://www.plaatsengids.nl/regio-groningen-assen",
         "Regio Groningen-Assen (streekbeschrijving)", "Plaatsengids.nl", None,
         "Ongedateerd, beschrijft de stand van voor 2018: de provincies Groningen en Drenthe en twaalf gemeenten (Bedum, "
         "Groningen, Haren, Hoogezand-Sappemeer, Leek, Slochteren, Ten Boer, Winsum, Zuidhorn, Assen, Noordenveld, Tynaarlo)."),
    Page("cleantech-2022", "https://www.cleantechregio.nl/nieuws/1729-startsein-voor-nieuwe-strategische-agenda-cleantech-regio",
         "Startsein voor nieuwe Strategische Agenda Cleantech Regio", "Cleantech Regio", "2022-03-11",
         "Vrijdag 11 maart 2022: de Strategische Agenda 2022-2030 is een initiatief van de Cleantech Regio, de acht "
         "gemeenten (Apeldoorn, Brummen, Deventer, Epe, Heerde, Lochem, Voorst, Zutphen) en de provincies Gelderland en "
         "Overijssel."),
    Page("cleantech-plaatsengids", "https://www.plaatsengids.nl/stedendriehoek-cleantech-regio",
         "Stedendriehoek / Cleantech Regio (streekbeschrijving)", "Plaatsengids.nl", None,
         "Ongedateerd: de Regio Stedendriehoek (een openbaar lichaam onder de Wgr, opgericht in 1993) profileert zich als "
         "Cleantech Regio; oorspronkelijk zeven gemeenten, Heerde sloot zich per 1 september 2018 aan."),
    Page("agrifood-boerderij-2018", "http://www.boerderij.nl/Home/Nieuws/2018/2/Kritiek-op-functioneren-van-AgriFood-Capital-253507E/",
         "Kritiek op functioneren van AgriFood Capital", "Boerderij", "2018-02",
         "Februari 2018: AgriFood Capital ging op 1 januari 2015 van start; er werken de waterschappen Aa en Maas en De "
         "Dommel, onderwijs, ondernemers en zeventien gemeenten in Noordoost-Brabant samen (met naam genoemd)."),
    Page("g40-wikipedia", "https://fy.wikipedia.org/wiki/Gruttest%C3%AAdebelied",
         "Gruttestêdebelied (Friestalige Wikipedia), gelezen via een opgeslagen kopie", "Wikipedia", None,
         "Ongedateerd, na juli 2022: lijst van de steden van het grotestedenbeleid (G4 en G40) met de data waarop "
         "gemeenten toetraden: Almere, Apeldoorn, Ede, Haarlemmermeer en Zoetermeer op 28 april 2009, Delft en Gouda op "
         "1 maart 2011, Oss op 1 mei 2014, Roosendaal op 25 september 2014, Alphen aan den Rijn op 20 november 2014, Hoorn "
         "op 2 december 2016, Assen en Hilversum op 1 januari 2018 (waarna de G32 zich G40 noemde) en Amstelveen op 1 juli 2022."),
    Page("g40-assen-hilversum", "https://www.g32.nl/nieuws/assen-en-hilversum-sluiten-aan-bij-g32",
         "Assen en Hilversum sluiten aan bij G32", "Stedennetwerk G32", None,
         "Ongedateerd nieuwsbericht: het algemeen bestuur stemde in met de aansluiting van Assen en Hilversum, waarmee het "
         "netwerk 40 steden telt."),
    Page("g40-amstelveen-2022", "https://amstelveenweb.com/fotodisp&fotodisp=4976",
         "Gemeente Amstelveen lid van Stedennetwerk G40", "Amstelveenweb", "2022-06-01",
         "Bericht van de gemeente Amstelveen van 1 juni 2022: Amstelveen is per 1 juli 2022 formeel lid van de G40, dat "
         "daarmee 41 leden telt."),
    Page("pmg-woerden-2015", "https://opennieuwsbank.nl/bericht/2015/12/16/G157-woerden-sluit-zich-aan-bij-platform-middelgrote-ge.html",
         "Woerden sluit zich aan bij Platform Middelgrote Gemeenten", "Gemeente Woerden (persbericht)", "2015-12-16",
         "16 december 2015: na een half jaar proefdraaien wordt Woerden volwaardig lid van het Platform Middelgrote Gemeenten."),
]
PAGE = {p.key: p for p in PAGES}


@dataclass(frozen=True)
class Body:
    """A regional body: its IRI path, how the store names it, and the facts this graph adds."""

    path: str
    label: str
    comment: str
    alt_labels: tuple[str, ...] = ()
    form: str | None = None
    complete: bool = True       # does the cited material list every member of today?
    kind: str = "arrangement"   # "arrangement" (rk:CooperationArrangement) or "organisation"


@dataclass(frozen=True)
class Member:
    body: str          # Body.path
    name: str          # municipality name (2025 or DISSOLVED), province key, water board or body path
    pages: tuple[str, ...]
    begin: str | None = None
    end: str | None = None   # explicit end; a dissolved municipality ends the day before its dissolution


MRA = "samenwerking/metropoolregio-amsterdam"
VRA = "samenwerking/vervoerregio-amsterdam"
RGA = "samenwerking/assen-groningen-2030"
CLEANTECH = "samenwerking/cleantech-regio"
AGRIFOOD = "samenwerking/agrifood-capital"
G40 = "organisatie/g32"
PMG = "organisatie/pmg"

BODIES = [
    Body(MRA, "Metropoolregio Amsterdam",
         "Informeel samenwerkingsverband van gemeenten, twee provincies en de Vervoerregio Amsterdam op basis van een "
         "convenant (sinds 2017 het Convenant Versterking samenwerking MRA), in zeven deelregio's.",
         form="convenant"),
    Body(VRA, "Vervoerregio Amsterdam",
         "Gemeenschappelijke regeling voor verkeer en vervoer die per 1 januari 2017 de taken van de Stadsregio Amsterdam "
         "op dat gebied overnam; deelnemer van de Metropoolregio Amsterdam. Haar eigen deelnemers staan niet in deze graaf.",
         form="openbaar-lichaam", complete=False),
    Body(RGA, "Assen-Groningen 2030",
         "Vrijwillige samenwerking van gemeenten en de provincies Groningen en Drenthe rond Groningen en Assen, sinds 1996, "
         "op basis van een convenant (2015 tot en met 2030); de bron 003 noemt haar 'Assen-Groningen 2030'.",
         alt_labels=("Regio Groningen-Assen", "RGA"), form="convenant"),
    Body(CLEANTECH, "Cleantech Regio",
         "De naam waaronder de Regio Stedendriehoek (gemeenschappelijke regeling van de gemeenten rond Apeldoorn, "
         "Deventer en Zutphen) zich profileert; Cleantech Regio is dezelfde samenwerking als de Regio Stedendriehoek.",
         alt_labels=("Cleantech Regio Stedendriehoek",)),
    Body(AGRIFOOD, "Agrifood Capital",
         "Samenwerking van gemeenten, waterschappen, onderwijs en ondernemers in Noordoost-Brabant rond agrifood, sinds "
         "1 januari 2015. De opvolgers van de gemeenten die in 2021-2022 opgingen in Land van Cuijk, Maashorst en (Haaren) "
         "de buurgemeenten staan er niet als lid in: geen geciteerde pagina noemt hen.",
         alt_labels=("AgriFood Capital",), complete=False),
    Body(G40, "G32",
         "Stedennetwerk van grote en middelgrote steden (naast de G4); heette G32 tot februari 2018 en sindsdien G40.",
         alt_labels=("G40", "Stedennetwerk G40", "Stedennetwerk G32"), kind="organisation"),
    Body(PMG, "Platform Middelgrote Gemeenten",
         "Netwerk van middelgrote gemeenten voor kennis en belangenbehartiging. Geen publieke pagina met de ledenlijst "
         "gevonden; alleen het lidmaatschap van Woerden is met een bron vastgelegd.",
         alt_labels=("PMG",), complete=False, kind="organisation"),
]

MRA_NOW = ["Aalsmeer", "Almere", "Amstelveen", "Amsterdam", "Beverwijk", "Blaricum", "Bloemendaal", "Diemen",
           "Edam-Volendam", "Gooise Meren", "Haarlem", "Haarlemmermeer", "Heemskerk", "Heemstede", "Hilversum", "Huizen",
           "Landsmeer", "Laren (NH.)", "Lelystad", "Oostzaan", "Ouder-Amstel", "Purmerend", "Uitgeest", "Uithoorn", "Velsen",
           "Waterland", "Wijdemeren", "Wormerland", "Zaanstad", "Zandvoort"]
RGA_BEFORE_2018 = ["Bedum", "Haren", "Hoogezand-Sappemeer", "Leek", "Slochteren", "Ten Boer", "Winsum", "Zuidhorn"]
RGA_STAYING = ["Assen", "Groningen", "Noordenveld", "Tynaarlo"]
RGA_NEW = ["Het Hogeland", "Midden-Groningen", "Westerkwartier"]
CLEANTECH_MEMBERS = ["Apeldoorn", "Brummen", "Deventer", "Epe", "Lochem", "Voorst", "Zutphen"]
AGRIFOOD_2018 = ["'s-Hertogenbosch", "Oss", "Grave", "Landerd", "Mill en Sint Hubert", "Cuijk", "Sint Anthonis",
                 "Boxmeer", "Boekel", "Uden", "Bernheze", "Meierijstad", "Sint-Michielsgestel", "Heusden", "Vught",
                 "Haaren", "Boxtel"]
G40_JOINED = {"Almere": "2009-04-28", "Apeldoorn": "2009-04-28", "Ede": "2009-04-28", "Haarlemmermeer": "2009-04-28",
              "Zoetermeer": "2009-04-28", "Delft": "2011-03-01", "Gouda": "2011-03-01", "Oss": "2014-05-01",
              "Roosendaal": "2014-09-25", "Alphen aan den Rijn": "2014-11-20", "Hoorn": "2016-12-02",
              "Assen": "2018-01-01", "Hilversum": "2018-01-01", "Amstelveen": "2022-07-01"}
G40_OLDER = ["Eindhoven", "Tilburg", "Groningen", "Breda", "Nijmegen", "Enschede", "Haarlem", "Amersfoort", "Arnhem",
             "Zaanstad", "'s-Hertogenbosch", "Zwolle", "Maastricht", "Leiden", "Dordrecht", "Leeuwarden", "Emmen", "Venlo",
             "Deventer", "Alkmaar", "Sittard-Geleen", "Helmond", "Heerlen", "Hengelo (O.)", "Schiedam", "Lelystad", "Almelo"]


def members() -> list[Member]:
    rows = [Member(MRA, name, ("mra-amstelland",)) for name in MRA_NOW]
    rows += [Member(MRA, "Noord-Holland", ("mra-amstelland", "mra-openresearch", "mra-nhnieuws-2018")),
             Member(MRA, "Flevoland", ("mra-amstelland", "mra-openresearch", "mra-nhnieuws-2018")),
             Member(MRA, VRA, ("mra-amstelland", "mra-openresearch"), begin="2017-01-01"),
             Member(MRA, "Beemster", ("mra-amstelland",)),
             Member(MRA, "Weesp", ("mra-amstelland",)),
             Member(MRA, "Haarlemmerliede en Spaarnwoude", ("mra-zuid-kennemerland-2016",))]
    rows += [Member(RGA, name, ("rga-plaatsengids",)) for name in RGA_BEFORE_2018]
    rows += [Member(RGA, name, ("rga-nu", "rga-plaatsengids")) for name in RGA_STAYING]
    rows += [Member(RGA, name, ("rga-nu",), begin=FORMED[name]) for name in RGA_NEW]
    rows += [Member(RGA, p, ("rga-nu", "rga-plaatsengids")) for p in ("Groningen (provincie)", "Drenthe")]
    rows += [Member(CLEANTECH, name, ("cleantech-2022", "cleantech-plaatsengids")) for name in CLEANTECH_MEMBERS]
    rows += [Member(CLEANTECH, "Heerde", ("cleantech-2022", "cleantech-plaatsengids"), begin="2018-09-01")]
    rows += [Member(AGRIFOOD, name, ("agrifood-boerderij-2018",)) for name in AGRIFOOD_2018]
    rows += [Member(AGRIFOOD, wb, ("agrifood-boerderij-2018",)) for wb in WATER_BOARDS]
    rows += [Member(G40, name, ("g40-wikipedia",)) for name in G40_OLDER]
    rows += [Member(G40, name, ("g40-wikipedia",) + (("g40-assen-hilversum",) if name in ("Assen", "Hilversum") else ())
                    + (("g40-amstelveen-2022",) if name == "Amstelveen" else ()), begin=begin)
             for name, begin in G40_JOINED.items()]
    rows += [Member(PMG, "Woerden", ("pmg-woerden-2015",))]
    return rows


# -- writing -----------------------------------------------------------------------------------------

PREFIXES = """@prefix rk:      <https://w3id.org/regiokg/def#> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix time:    <http://www.w3.org/2006/time#> .
@prefix schema:  <https://schema.org/> .
@prefix gm:      <https://w3id.org/regiokg/id/gemeente/> .
@prefix pv:      <https://w3id.org/regiokg/id/provincie/> .
@prefix o:       <https://w3id.org/regiokg/id/organisatie/> .
@prefix sw:      <https://w3id.org/regiokg/id/samenwerking/> .
@prefix ws:      <https://w3id.org/regiokg/id/waterschap/> .
@prefix lm:      <https://w3id.org/regiokg/id/lidmaatschap/regionale-samenwerkingen/> .
@prefix vorm:    <https://w3id.org/regiokg/id/samenwerkingsvorm/> .
@prefix dk:      <https://w3id.org/regiokg/id/dekking/> .
@prefix tl:      <https://w3id.org/regiokg/id/telling/> .
"""


def lit(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def date_lit(text: str) -> str:
    kind = {10: "date", 7: "gYearMonth", 4: "gYear"}[len(text)]
    return f'"{text}"^^xsd:{kind}'


def term(path: str) -> str:
    """A body path as a prefixed name (``sw:``/``o:``)."""
    kind, slug = path.split("/", 1)
    return {"samenwerking": "sw:", "organisatie": "o:"}[kind] + slug


def day_before(text: str) -> str:
    return (date.fromisoformat(text) - timedelta(days=1)).isoformat()


def municipality_codes(path: Path = MUNICIPALITIES_FILE) -> dict[str, str]:
    """Name -> CBS code of the 2025 municipalities in the committed reference file."""
    found = re.findall(r'gm:(GM\d{4}) a rk:Municipality ; rdfs:label "([^"]+)"', path.read_text(encoding="utf-8"))
    return {name: code for code, name in found}


def resolve(name: str, codes: dict[str, str]) -> tuple[str, str]:
    """(Turtle term, IRI-local slug) of a member name."""
    if "/" in name:
        return term(name), name.rsplit("/", 1)[-1]
    if name in PROVINCES:
        return "pv:" + PROVINCES[name], PROVINCES[name].lower()
    if name in WATER_BOARDS:
        return "ws:" + WATER_BOARDS[name], WATER_BOARDS[name]
    if name in DISSOLVED:
        return "gm:" + DISSOLVED[name][0], DISSOLVED[name][0].lower()
    if name in codes:
        return "gm:" + codes[name], codes[name].lower()
    raise SystemExit(f"build_regional: unknown member name {name!r} (not a 2025 municipality, province, "
                     "water board or entry of DISSOLVED)")


TEXT_1 = (
    'De deelnemers van de Metropoolregio Amsterdam (ook vroegere), de Regio Groningen-Assen, de Cleantech '
    'Regio, Agrifood Capital, het stedennetwerk G40 en (een) lid van het Platform Middelgrote Gemeenten, '
    "zoals openbare webpagina's ze noemen; per lidmaatschap de pagina (dcterms:source) en de datum die de "
    'pagina noemt (rk:attestedOn), begin- en einddatum waar bekend. Een lidmaatschap van een opgeheven '
    'gemeente eindigt de dag voor de herindeling.')
TEXT_2 = (
    'Alleen de samenwerkingsverbanden die de vijf brondocumenten noemen en waarvan geen dataset de '
    "deelnemers bevat; per verband staat met rk:membersComplete of de geciteerde pagina's alle huidige "
    'deelnemers noemen.')
TEXT_3 = (
    'Eerste inventarisatie van alle samenwerkingsverbanden van decentrale overheden, publiek- en '
    'privaatrechtelijk (gepubliceerd 18 oktober 2017); gemeenten en provincies nemen gemiddeld deel in 27 '
    'samenwerkingsverbanden.')
TEXT_4 = (
    'Tweede inventarisatie (gepubliceerd 7 oktober 2020): decentrale overheden werken samen in 1284 '
    "samenwerkingsverbanden; gemeenten nemen gemiddeld deel in zo'n 33. Het gemiddelde van 33 staat niet "
    'op de geciteerde pagina maar in het rapport dat zij aankondigt.')
TEXT_5 = (
    'Per 1 januari 2017 opgeheven; de Vervoerregio Amsterdam nam de taken voor verkeer en vervoer over '
    '(bron: https://www.amstelland-meerlanden.nl/mra/).')


def render() -> str:
    codes = municipality_codes()
    out = ["# Members of the regional bodies the source documents name but no dataset covers, each with the",
           "# public web page it comes from. Generated by seeds/build_regional.py; do not edit by hand.", "",
           PREFIXES, f"<{GRAPH}> {{", ""]
    out.append(f"""  <{GRAPH}> a rk:ReferenceData ;
      dcterms:title "Regionale samenwerkingsverbanden en stedennetwerken: deelnemers met bron"@nl ,
                    "Regional bodies and city networks: their members, each with its source"@en ;
      dcterms:publisher "regiokg project" ;
      dcterms:date "{COMPILED}"^^xsd:date ;
      dcterms:source "seeds/build_regional.py" ;
      dcterms:description {lit(TEXT_1, "nl")} ;
      rk:coverage dk:regionale-samenwerkingen .

  dk:regionale-samenwerkingen a rk:Coverage ;
      rdfs:label "Dekking: regionale samenwerkingen (samengesteld)"@nl , "Coverage: regional bodies (curated)"@en ;
      rk:coversKind vorm:convenant , vorm:netwerk , vorm:stichting ;
      rk:listsMembers true ;
      dcterms:spatial "Nederland" ;
      dcterms:temporal "1996/{COMPILED[:4]}" ;
      dcterms:description {lit(TEXT_2, "nl")} .
""")
    out.append("  # -- counts the studies for the ministry of BZK published (compare rk:perMunicipality) ----------")
    out.append(f"""  tl:kwink-proof-2017 a rk:PublishedCount ;
      rdfs:label "Inventarisatie samenwerkingsverbanden decentrale overheden 2017 (KWINK groep, PROOF adviseurs, TiREG)"@nl ;
      rk:perMunicipality 27.0 ;
      dcterms:date "2017-10-18"^^xsd:date ;
      dcterms:publisher "KWINK groep en PROOF adviseurs, in opdracht van het ministerie van BZK" ;
      dcterms:source <https://www.kwinkgroep.nl/2017/10/zicht-op-bestuurlijke-samenwerking-nederland/> ,
                     <https://platformoverheid.nl/patronen-regionale-samenwerking/> ;
      dcterms:description {lit(TEXT_3, "nl")} .
  tl:kwink-proof-2020 a rk:PublishedCount ;
      rdfs:label "Samenwerkingsverbanden in bestuurlijk Nederland, tweede meting 2020 (KWINK groep, PROOF adviseurs)"@nl ;
      rk:perMunicipality 33.0 ;
      rk:arrangements 1284 ;
      dcterms:date "2020-10-07"^^xsd:date ;
      dcterms:publisher "KWINK groep en PROOF adviseurs, in opdracht van het ministerie van BZK" ;
      dcterms:source <https://www.kwinkgroep.nl/2020/10/hoe-in-nederland-bestuurlijk-wordt-samengewerkt-samenwerkingsverbanden/> ;
      dcterms:description {lit(TEXT_4, "nl")} .
""")
    out.append("  # -- the pages ----------------------------------------------------------------------------------")
    for page in PAGES:
        out.append(f"  <{page.url}> a schema:WebPage ;")
        out.append(f"      dcterms:title {lit(page.title, 'nl')} ;")
        out.append(f"      dcterms:publisher {lit(page.publisher)} ;")
        if page.date:
            out.append(f"      dcterms:date {date_lit(page.date)} ;")
        out.append(f"      dcterms:description {lit(page.note, 'nl')} .")
    out.append("")
    out.append("  # -- the bodies ---------------------------------------------------------------------------------")
    for body in BODIES:
        cls = "rk:CooperationArrangement" if body.kind == "arrangement" else "org:Organization"
        out.append(f"  {term(body.path)} a {cls} ; rdfs:label {lit(body.label)} ;")
        for alt in body.alt_labels:
            out.append(f"      skos:altLabel {lit(alt)} ;")
        if body.form:
            out.append(f"      rk:cooperationForm vorm:{body.form} ;")
        out.append(f"      rk:membersComplete {'true' if body.complete else 'false'} ;")
        out.append(f"      rdfs:comment {lit(body.comment, 'nl')} .")
    out.append(f"""  sw:stadsregio-amsterdam rk:dissolvedOn "2017-01-01"^^xsd:date ; dcterms:isReplacedBy sw:vervoerregio-amsterdam ;
      rdfs:comment {lit(TEXT_5, "nl")} .
""")
    out.append("  # -- memberships --------------------------------------------------------------------------------")
    for m in members():
        member, slug = resolve(m.name, codes)
        body_slug = m.body.rsplit("/", 1)[-1]
        node = f"lm:{body_slug}-{slug}"
        body = next(b for b in BODIES if b.path == m.body)
        ends_with_member = m.name in DISSOLVED and body.complete
        end = m.end or (day_before(DISSOLVED[m.name][1]) if ends_with_member else None)
        pages = [PAGE[k] for k in m.pages]
        dated = sorted(p.date for p in pages if p.date and len(p.date) == 10)
        out.append(f"  {node} a org:Membership ; org:organization {term(m.body)} ; org:member {member} ;")
        if "/" not in m.name:
            out.append(f"      rk:memberAsNamed {lit(m.name.split(' (')[0] if m.name in PROVINCES else m.name)} ;")
        out.append("      dcterms:source " + " , ".join(f"<{p.url}>" for p in pages) + " ;")
        if dated:
            out.append(f"      rk:attestedOn \"{dated[-1]}\"^^xsd:date ;")
        if m.begin or end:
            out.append(f"      org:memberDuring {node}-periode ;")
        out[-1] = out[-1][:-2] + " ."
        if m.begin or end:
            parts = []
            if m.begin:
                parts.append(f"time:hasBeginning {node}-begin")
            if end:
                parts.append(f"time:hasEnd {node}-eind")
            out.append(f"  {node}-periode a time:Interval ; " + " ; ".join(parts) + " .")
            if m.begin:
                out.append(f"  {node}-begin a time:Instant ; time:inXSDDate \"{m.begin}\"^^xsd:date .")
            if end:
                out.append(f"  {node}-eind a time:Instant ; time:inXSDDate \"{end}\"^^xsd:date .")
        if not end:
            out.append(f"  {term(m.body)} org:hasMember {member} .")
    out.append("}")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    args.out.write_text(render(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
