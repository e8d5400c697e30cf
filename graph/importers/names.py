"""Name matching helpers and the arrangement deduplication rule (pure functions).

Cleaning and folding live in :mod:`graph.text` (re-exported here for the importers).

Open data names are messy: UTF-8 read as Latin-1 (``FryslÃ¢n``), stray whitespace and
commas, odd case (``EnkHuizen``), hyphen/space variants (``Sint Oedenrode`` /
``Sint-Oedenrode``), typos (``Haasbergen``). Everything here is deterministic and has no
knowledge of the data beyond what its arguments give it.

>>> repair_mojibake("Provincie FryslÃ¢n")
'Provincie Fryslân'
>>> fold("  Sint-Oedenrode ")
'sint oedenrode'
>>> slugify("Súdwest-Fryslân")
'sudwest-fryslan'
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from graph.text import clean, fold, repair_mojibake, slugify

__all__ = ["repair_mojibake", "clean", "fold", "slugify", "levenshtein", "arrangement_key",
           "spelling_variants", "dedupe_arrangements", "preferred_label", "STOPWORDS"]

def levenshtein(a: str, b: str, *, limit: int = 2) -> int:
    """Edit distance between ``a`` and ``b``, or ``limit + 1`` once it exceeds ``limit``.

    >>> levenshtein("haasbergen", "haaksbergen")
    1
    >>> levenshtein("veldhoven", "veendam")
    3

    Complexity: O(len(a) * len(b)), with an early exit on the length difference.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)


# -- arrangements -------------------------------------------------------------------------------

#: Words that say nothing about *which* arrangement is meant: Dutch function words and the
#: legal-form prefix every arrangement shares ("Gemeenschappelijke Regeling ...", "GR ...").
STOPWORDS = frozenset({
    "de", "het", "van", "en", "voor", "der", "den", "in", "op", "te", "t", "s", "eo", "e", "o",
    "gemeenschappelijke", "gemeenschappelijk", "regeling", "gr",
})
#: Two words are one word when they are at least this long and differ by one letter
#: (``Lococensus``/``Locosensus``, ``Recreactieschap``), or by two letters inside the word
#: with the first and last four letters equal (``Biesbosch``/``Bieschbosch``; but not
#: ``Gelderland``/``Nederland`` or ``Oostelijk``/``Westelijk``).
SPELLING_VARIANT_MIN_LENGTH = 9
_AFFIX = 4
#: Names sharing a parenthesised abbreviation merge only when this share of their words agree.
ABBREVIATION_MIN_OVERLAP = 0.5

_PAREN = re.compile(r"\(([^()]*)\)")
_TRAILING_PAREN = re.compile(r"\(([^()]*)\)\s*$")
_ABBREVIATION = re.compile(r"^[A-Z][A-Za-z0-9&+\- ]{1,11}$")


@dataclass(frozen=True)
class ArrangementKey:
    """What the deduplication rule compares: the set of significant words of a name
    (parenthesised remarks removed) and its parenthesised abbreviation, if any."""

    words: frozenset[str]
    abbreviation: str | None


def arrangement_key(name: str, *, canonical: dict[str, str] | None = None) -> ArrangementKey:
    """The :class:`ArrangementKey` of an arrangement name.

    A trailing parenthesised part is an *abbreviation* when it looks like one (``(GBLT)``,
    ``(RUD NHN)``); every parenthesised part (``(voorheen ...)``, ``(in liquidatie)``) is left
    out of the words. ``canonical`` maps spelling variants to one spelling.

    >>> k = arrangement_key("Gemeenschappelijk Belastingkantoor Lococensus - Tricijn (GBLT)")
    >>> sorted(k.words), k.abbreviation
    (['belastingkantoor', 'lococensus', 'tricijn'], 'GBLT')
    >>> arrangement_key("Nieuw Land Erfgoedcentrum") == arrangement_key("Erfgoedcentrum Nieuw Land")
    True
    """
    text = clean(name)
    abbreviation = None
    trailing = _TRAILING_PAREN.search(text)
    if trailing and _ABBREVIATION.match(trailing.group(1).strip()) and sum(c.isupper() for c in trailing.group(1)) >= 2:
        abbreviation = trailing.group(1).strip()
    words = fold(_PAREN.sub(" ", text)).split()
    canonical = canonical or {}
    return ArrangementKey(frozenset(canonical.get(w, w) for w in words if w not in STOPWORDS), abbreviation)


def spelling_variants(words: Iterable[str], *, min_length: int = SPELLING_VARIANT_MIN_LENGTH) -> dict[str, str]:
    """Map every long word to one canonical spelling when another word is a spelling variant
    (see :data:`SPELLING_VARIANT_MIN_LENGTH`).

    The canonical spelling is the alphabetically first of a connected group, so the mapping
    is independent of input order.

    >>> spelling_variants(["locosensus", "lococensus", "tricijn"])
    {'locosensus': 'lococensus'}
    """
    long_words = sorted({w for w in words if len(w) >= min_length})
    parent = {w: w for w in long_words}

    def find(w: str) -> str:
        while parent[w] != w:
            parent[w] = parent[parent[w]]
            w = parent[w]
        return w

    for i, a in enumerate(long_words):
        for b in long_words[i + 1:]:
            distance = levenshtein(a, b, limit=2)
            if distance <= 1 or (distance == 2 and a[:_AFFIX] == b[:_AFFIX] and a[-_AFFIX:] == b[-_AFFIX:]):
                ra, rb = find(a), find(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    return {w: find(w) for w in long_words if find(w) != w}


def dedupe_arrangements(names: Iterable[str], *, seats: dict[str, set[str]] | None = None) -> list[list[str]]:
    """Group arrangement names that denote one arrangement.

    The rule (each step explainable on its own):

    1. Compare names by their significant words: cleaned, folded (case, diacritics,
       punctuation), Dutch function words and the legal-form words ``gemeenschappelijke
       regeling`` left out, parenthesised remarks left out, word order ignored.
    2. Words of 9+ letters that differ by one letter, or by two letters between the same
       first and last four letters, are one word (spelling variants).
    3. Names with the same set of words are one arrangement.
    4. Names ending in the same parenthesised abbreviation are one arrangement when at
       least half of their words agree (Jaccard >= 0.5), so ``(BWB)`` of *West Betuwe* and
       of *West-Brabant* stay apart. An abbreviation inside a name (``GGD ... (GGD) Hart voor
       Brabant``) names a kind of body, not this one, and is ignored.
    5. When ``seats`` (name -> places of its seat) is given, two names merge only if they
       share a seat: ``Samenwerking Sociale Zaken`` in Huizen and ``Gemeenschappelijke
       regeling Samenwerking Sociale Zaken`` in Heemstede are two arrangements.
    6. Groups are closed transitively.

    Returns groups of the original names, each sorted, groups sorted by first name.

    >>> dedupe_arrangements(["Erfgoedcentrum Nieuw Land", "Nieuw Land Erfgoedcentrum", "Regio Twente"])
    [['Erfgoedcentrum Nieuw Land', 'Nieuw Land Erfgoedcentrum'], ['Regio Twente']]

    Complexity: O(n log n) for the word sets plus O(w^2) over distinct long words.
    """
    names = sorted(set(names))
    vocabulary = {w for n in names for w in fold(_PAREN.sub(" ", clean(n))).split()}
    canonical = spelling_variants(vocabulary)
    keys = {n: arrangement_key(n, canonical=canonical) for n in names}
    parent = {n: n for n in names}

    def find(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    def union(a: str, b: str) -> None:
        if seats is not None and not (seats.get(a, set()) & seats.get(b, set())):
            return
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_words: dict[frozenset[str], list[str]] = defaultdict(list)
    by_abbreviation: dict[str, list[str]] = defaultdict(list)
    for n, k in keys.items():
        if k.words:
            by_words[k.words].append(n)
        if k.abbreviation:
            by_abbreviation[k.abbreviation].append(n)
    for group in by_words.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                union(a, b)
    for group in by_abbreviation.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                wa, wb = keys[a].words, keys[b].words
                if wa and wb and len(wa & wb) / len(wa | wb) >= ABBREVIATION_MIN_OVERLAP:
                    union(a, b)
    # Names that differ only in a parenthesised remark also share their word set (step 1),
    # e.g. "Streekraad Oost-Groningen" and "Streekraad Oost-Groningen (in liquidatie)".
    groups: dict[str, list[str]] = defaultdict(list)
    for n in names:
        groups[find(n)].append(n)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


def preferred_label(variants: Iterable[str], counts: Counter[str] | None = None) -> str:
    """The label to show for a group of variants: the most frequent cleaned variant;
    ties go to the longer (more complete) name, then alphabetical order.

    >>> preferred_label(["Regio X", "Regio X (RX)"], Counter({"Regio X": 3, "Regio X (RX)": 3}))
    'Regio X (RX)'
    """
    counts = counts or Counter()
    cleaned: Counter[str] = Counter()
    for v in variants:
        cleaned[clean(v)] += counts.get(v, 1)
    return sorted(cleaned, key=lambda v: (-cleaned[v], -len(v), v))[0]


# -- reconciliation across sources ----------------------------------------------------------

#: Words that name the *kind* of cooperation, not which one: left out when two sources'
#: names of one body are compared ("Regio Stedendriehoek" / "Stedendriehoek",
#: "Samenwerking K5-gemeenten" / "K5", "Openbaar Lichaam Eurode" / "Eurode").
GENERIC_WORDS = STOPWORDS | frozenset({
    "regio", "samenwerking", "samenwerkingsverband", "samenwerkingsregeling", "samenwerkingsorgaan",
    "openbaar", "lichaam", "intergemeentelijk", "intergemeentelijke", "intergemeenschappelijk",
    "regionaal", "regionale", "gemeenten", "gemeente", "omstreken", "omgeving", "eo", "vh", "voorheen",
    "stadsregio", "combinatie", "werkorganisatie", "liquidatie", "centrumregeling", "intergem",
})
#: Abbreviations that the sources write out in other names (expanded before comparing).
ABBREVIATIONS = {
    "ggd": "gezondheidsdienst", "rdog": "gezondheidsdienst", "isd": "sociale dienst", "rsd": "sociale dienst",
    "rud": "omgevingsdienst", "od": "omgevingsdienst", "sw": "sociale werkvoorziening",
    "vr": "veiligheidsregio", "nl": "nederland", "ehv": "eindhoven",
    "swb": "sociaal werkvoorzieningsbedrijf", "swo": "samenwerkingsorgaan",
}
#: A compound ending in one of these is compared as two words ("Avelingengroep" / "Avelingen Groep").
COMPOUND_TAILS = ("groep",)
#: Spellings of one word in the sources (compound vs. two words, Dutch vs. Frisian, typos
#: in the DSTA list), after folding.
WORD_FORMS = {
    "gemeentelijke": "gemeenschappelijke", "gemeentelijk": "gemeenschappelijke",
    "werkvoorzieningsschap": "werkvoorzieningschap", "belastingssamenwerking": "belastingsamenwerking",
    "pmgevingsdienst": "omgevingsdienst", "noordeast": "noord east", "spaarnewoude": "spaarnwoude",
    "milieudienst": "omgevingsdienst",
}


def reconciliation_words(name: str) -> frozenset[str]:
    """The words that say *which* body a name means, for comparing names across sources:
    folded, parenthesised parts kept as words (an abbreviation such as ``(ARCG)`` names the
    body), abbreviations written out (:data:`ABBREVIATIONS`), spelling forms unified
    (:data:`WORD_FORMS`), a number glued to a word split off (``Servicepunt71``), and the
    generic words of :data:`GENERIC_WORDS` left out. Letters written apart are one word
    (``S.W.B.`` -> ``swb``, ``A-7`` -> ``a7``), and a compound ending in a word of
    :data:`COMPOUND_TAILS` is two (``Avelingengroep`` -> ``avelingen groep``).

    >>> sorted(reconciliation_words("Samenwerking K5-gemeenten"))
    ['k5']
    >>> reconciliation_words("Regio Stedendriehoek") == reconciliation_words("Stedendriehoek")
    True
    >>> sorted(reconciliation_words("GGD Zeeland"))
    ['gezondheidsdienst', 'zeeland']
    >>> reconciliation_words("S.W.B. Midden-Twente") == reconciliation_words("Sociaal Werkvoorzieningsbedrijf Midden- Twente")
    True
    >>> reconciliation_words("Intergem. SWO Midden Holland") == reconciliation_words("Intergemeentelijk Samenwerkingsorgaan Midden-Holland")
    True
    >>> sorted(reconciliation_words("Bedrijvenpark A-7")), sorted(reconciliation_words('"De Avelingengroep"'))
    (['a7', 'bedrijvenpark'], ['avelingen', 'groep'])
    """
    text = fold(clean(name).replace("(", " ").replace(")", " "))
    text = re.sub(r"(?<=[a-z])(?=\d{2,})", " ", text)
    text = re.sub(r"\b[a-z](?: [a-z0-9]\b)+", lambda m: m.group(0).replace(" ", ""), text)
    out: list[str] = []
    for w in text.split():
        w = WORD_FORMS.get(w, w)
        tail = next((t for t in COMPOUND_TAILS if w.endswith(t) and len(w) > len(t) + 2), None)
        for part in ([w[:-len(tail)], tail] if tail else [w]):
            out.extend(ABBREVIATIONS.get(part, part).split())
    return frozenset(w for w in out if w not in GENERIC_WORDS)


def abbreviation_of(name: str) -> str | None:
    """The parenthesised abbreviation at the end of a name, folded (``(ARCG)`` -> ``arcg``).

    >>> abbreviation_of("Afvalbeheer Regio Centraal Groningen (ARCG)")
    'arcg'
    """
    trailing = _TRAILING_PAREN.search(clean(name))
    if not trailing:
        return None
    text = fold(trailing.group(1))
    if not text or set(text.split()) & _REMARK_WORDS or len(text.split()) > 2 or len(text) > 12:
        return None
    return text.replace(" ", "")


#: Words of a parenthesised *remark*, not an abbreviation: "(opgeheven)", "(in liquidatie)".
_REMARK_WORDS = frozenset({"opgeheven", "liquidatie", "voorheen", "vh", "opgegaan", "heet", "sinds", "per"})


def name_similarity(a: str, b: str) -> tuple[float, str]:
    """How alike two names of bodies are (0..1) and why, for proposing reconciliation
    candidates: 1.0 when their :func:`reconciliation_words` are equal or one name is the
    other's abbreviation (``ARCG`` / ``Afvalbeheer Regio Centraal Groningen (ARCG)``); 0.9
    when the words of one are all in the other; else the Jaccard index of the words.

    >>> name_similarity("RSDAV", "Regionale Sociale Dienst Alblasserwaard-Oost/Vijfheerenlanden (RSDAV)")
    (1.0, 'abbreviation')
    >>> name_similarity("Gevudo", "Gemeenschappelijke Vuilverwerking Dordrecht en omstreken (Gevudo)")
    (1.0, 'abbreviation')
    >>> name_similarity("Regio Stedendriehoek", "Stedendriehoek")
    (1.0, 'same words')
    """
    wa, wb = reconciliation_words(a), reconciliation_words(b)
    if not wa or not wb:
        return 0.0, ""
    if wa == wb:
        return 1.0, "same words"
    for x, wx, y in ((a, wa, b), (b, wb, a)):
        abbreviation = abbreviation_of(y)
        if abbreviation and (abbreviation in wx or fold(x).replace(" ", "") == abbreviation):
            return 1.0, "abbreviation"
    if wa <= wb or wb <= wa:
        return 0.9, "words contained"
    return len(wa & wb) / len(wa | wb), "shared words"


# -- dissolution stated in a name ------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                                       "september", "oktober", "november", "december"), start=1)}
_DISSOLVED_ON = re.compile(r"opgeheven (?:per|op) (\d{1,2}) ([a-z]+) (\d{4})")
_DISSOLVED_IN_YEAR = re.compile(r"in (\d{4}) (?:opgeheven|opgegaan)")
_DISSOLVED_BEFORE = re.compile(r"\((?:in liquidatie|opgeheven)\)|\bin liquidatie\b")


def dissolution_in_name(name: str, attested: str) -> tuple[str | None, str | None]:
    """``(dissolved on, ended by)`` as ISO dates when an arrangement's name says it was
    dissolved: "opgeheven per 25 januari 2016" gives the date; "(in 2016 opgeheven)" or "(in
    2016 opgegaan in ...)" ends it by the end of that year; "(opgeheven)" or "(in liquidatie)"
    in a list attested on ``attested`` ends it by that date (an arrangement in liquidation is
    winding up, not a current cooperation). ``(None, None)`` otherwise.

    >>> dissolution_in_name("Samenwerkingsverband Zuidlaardermeergemeenten (opgeheven per 25 januari 2016)", "2016-03-01")
    ('2016-01-25', None)
    >>> dissolution_in_name("Streekraad Oost-Groningen (in liquidatie)", "2016-03-01")
    (None, '2016-03-01')
    >>> dissolution_in_name("WOT (TOP-Craft) (in 2016 opgeheven)", "2016-03-01")
    (None, '2016-12-31')
    >>> dissolution_in_name("Regio Twente", "2016-03-01")
    (None, None)
    """
    text = " ".join(clean(name).lower().split())
    m = _DISSOLVED_ON.search(text)
    if m and m.group(2) in _MONTHS:
        return f"{m.group(3)}-{_MONTHS[m.group(2)]:02d}-{int(m.group(1)):02d}", None
    m = _DISSOLVED_IN_YEAR.search(text)
    if m:
        return None, f"{m.group(1)}-12-31"
    if _DISSOLVED_BEFORE.search(text):
        return None, attested
    return None, None
