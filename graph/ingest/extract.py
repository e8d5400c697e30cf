"""Extractors: a document's text → proposed facts, each with its supporting span.

All methods are deterministic and explainable (``Proposal.method`` says which rule fired):

* **sentences**: lines, then sentence ends (``. ! ?`` before a capital; Dutch abbreviations
  such as ``o.a.``, ``n.a.v.``, ``bijv.`` do not end a sentence); paragraphs (blocks) end at
  an empty line.
* **actors**: every word sequence (up to 8 words, longest first) whose folded form is a name
  in the graph's gazetteer; short or all-capital names (SER, MRA, Oss) must match in case,
  other names must start with a capital. Former municipalities carry their lineage.
  A capitalised word the gazetteer lacks is tried against the importers' resolver (short
  forms such as ``Rijssen`` for Rijssen-Holten, one-letter misspellings) and against the
  known names with rapidfuzz (near-misses, confidence lowered).
* **topics**: word sequences whose thesaurus key (:func:`graph.analysis.textmatch.phrase_keys`:
  folded, plural stripped) is a label of a topic; single long words that begin or end with
  a topic label (compounds such as ``windturbinepark``).
* **people**: a person's name (capitalised words with Dutch particles) next to a role word
  of the role scheme and an organisation the gazetteer finds (``wethouder Ton van Amerongen
  (Dronten)``, ``Koos Janssen, voorzitter van het PMG``, ``SER-voorzitter Mariëtte Hamer``),
  or a speaker line ``Name, gemeente X:`` / ``Name; Gemeente X`` / ``Org: Name``.
* **experience**: trigger phrases per kind of the expertise ranking (has done, can advise,
  portfolio, asks for help, interest) with the actor before (or, for "kan klankborden met",
  after) the trigger and the sentence's topics (else those of the nearest sentence before it
  in the same paragraph); examples listed under a topic on a slide ("Vormen van
  samenwerking": examples under each form) as has-done.
* **memberships**: ``X treedt per <date> toe tot Y``, ``wordt lid van``, ``sluit zich aan bij``,
  ``treedt uit`` (an end date).
* **meetings**: a meeting word (bijeenkomst, vergadering, Bestuurdersdag, congres, Meet-Up ...)
  with a date in the sentence or the line after, the place (a municipality named with
  ``in``/``te``/``gemeentehuis``), organisers (``organiseerde``) and attendees (``Aanwezig
  waren ...``, ``bijgewoond door``).
* **agreements**: two or more actors with a signing verb and an agreement word (convenant,
  samenwerkingsovereenkomst ...), or ``X werkt samen met Y``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from graph.analysis.textmatch import phrase_keys, word_variants
from graph.ingest.gazetteer import ActorGazetteer
from graph.ingest.readers import parse_date
from graph.text import fold, slugify

ABBREVIATIONS = {"o.a", "n.a.v", "bijv", "e.d", "a.s", "jl", "i.r.t", "t.o.v", "c.q", "d.m.v", "m.b.t", "ca", "nr",
                 "b.v", "t.a.v", "z.g.a.n", "e.a", "mr", "dr", "drs", "ir", "prof", "mevr", "dhr", "st"}
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-ZÀ-Þ0-9•·-])")
BULLET = re.compile(r"^\s*(?:[-•·*–]+|\d+[.)]|[a-z][.)])\s+")
TOKEN = re.compile(r"\w+", re.UNICODE)
UP = "A-ZÀ-ÖØ-Þ"
LOW = "a-zß-öø-ÿ"
NAME_WORD = rf"[{UP}][{LOW}]+(?:-[{UP}][{LOW}]+)?"
PARTICLES = r"(?:van der|van den|van de|van 't|in 't|in het|van|de|der|den|ten|ter|te|'t)"
PERSON_NAME = re.compile(rf"\b{NAME_WORD}(?:\s+{NAME_WORD})?(?:\s+{PARTICLES})*\s+{NAME_WORD}\b")
NAME_STOP = {"gemeente", "provincie", "de", "het", "een", "regio", "platform", "tweede", "eerste", "vereniging",
             "stichting", "waterschap", "namens", "ook", "in", "op", "met", "bij", "voor", "van", "zij", "wij",
             "hij", "dit", "dat", "deze", "die", "als", "aan", "na", "tot", "over", "uit", "door", "raad",
             "college", "thema", "verslag", "welkomstwoord", "impressie", "denktank", "agenda", "kijk", "meer",
             "wethouder", "burgemeester", "voorzitter", "secretaris", "raadslid", "gedeputeerde", "kamerlid",
             "economic", "board", "stand", "zaken", "binnenlandse"}
UNKNOWN_ROLE = "rol onbekend"   # label of rol:onbekend: a person tied to an organisation, post not stated
NAME_PREFIX_OK = {"gemeente", "provincie", "gemeentehuis", "stadhuis", "regio", "waterschap", "bezoek", "namens"}
GENERIC_WORDS = {"noord", "zuid", "oost", "west", "midden", "regio", "nieuw", "groot", "klein", "stad", "land", "home"}
CONNECT_ROLE = re.compile(r"^\s*(?:\(\s*|van\s+(?:de\s+|het\s+)?(?:gemeente\s+|provincie\s+)?|bij\s+(?:de\s+|het\s+)?)$",
                          re.IGNORECASE)
CONNECT = re.compile(r"^[\s,;:(]*(?:namens\s+|bij\s+|voor\s+)?(?:van\s+|uit\s+)?(?:de\s+|het\s+)?(?:gemeente\s+|provincie\s+)?$",
                     re.IGNORECASE)

# -- experience triggers (lower-case text) --------------------------------------------------------
EXPERIENCE_TRIGGERS: dict[str, list[tuple[re.Pattern, str]]] = {
    "heeft-gedaan": [
        (re.compile(r"\bheeft\b[^.;:]{0,80}?\b(?:gebouwd|gerealiseerd|aangelegd|geplaatst|ontwikkeld|doorlopen|"
                    r"uitgevoerd|opgezet|afgerond|geopend|ingevoerd|gedaan|opgeleverd|geïnstalleerd|"
                    r"in gebruik genomen)\b"), "before"),
        (re.compile(r"\b(?:bouwde|realiseerde|opende|plaatste|ontwikkelde|voerde\b[^.]{0,40}\buit)\b"), "before"),
        (re.compile(r"\bheeft\s+(?:al\s+)?(?:veel\s+|ruime\s+)?ervaring\s+(?:met|in|op)\b"), "before"),
        (re.compile(r"\bis\b[^.;:]{0,60}\blangsgegaan\b"), "before"),
        (re.compile(r"(?<=\w)-(?:advies|adviezen|rapport|onderzoek)\b"), "glued"),   # "het SER-advies Regionale ..."
    ],
    "adviseert": [
        (re.compile(r"\bklankbord\w*\s+met\b"), "after"),
        (re.compile(r"\b(?:neem|nemen)\s+contact\s+op\s+met\b|\bterecht\s+bij\b|\bte\s+rade\s+bij\b"), "after"),
        (re.compile(r"\badviseer\w*\b|\bkan\s+(?:anderen\s+)?advis\w+\b|\bkunnen\s+(?:anderen\s+)?advis\w+\b|"
                    r"\bdenkt\s+graag\s+mee\b|\bdeelt\s+(?:haar|zijn|de)\s+ervaring\w*\b"), "before"),
    ],
    "portefeuille": [
        (re.compile(r"\bportefeuille\w*\b"), "before"),
        (re.compile(r"\bvoorzitter\s+van\s+de\s+(?:\w+\s+){0,2}\w*(?:pijler|werkgroep|commissie|taskforce|stuurgroep|denktank)\b"),
         "before"),
        (re.compile(r"\b(?:pijler|werkgroep|commissie|taskforce|stuurgroep)\w*\s*:\s*(?:voorzitter|portefeuillehouder)\b"),
         "after-person"),
    ],
    "vraagt-hulp": [
        (re.compile(r"\bworstel\w*\s+met\b"), "before"),
        (re.compile(r"\b(?:is|zijn)\s+benieuwd\b"), "before"),
        (re.compile(r"\bdoe\w*\s+een\s+oproep\b"), "before"),
        (re.compile(r"\bvraag\w*\s+(?:om|naar|hoe|of|wie)\b|\bzoek\w*\s+(?:naar\s+)?(?:voorbeelden|ervaringen|"
                    r"gemeenten|hulp|advies)\b|\bheeft\s+een\s+vraag\b"), "before"),
        (re.compile(r"^\s*hoe\s+kunnen\s+we\b"), "speaker"),
    ],
    "heeft-interesse": [
        (re.compile(r"\bpleit\w*\s+(?:\w+\s+)?voor\b"), "before"),
        (re.compile(r"\bonder\s+de\s+aandacht\b|\bvraagt\s+aandacht\b"), "before"),
        (re.compile(r"\bonderstre\w+\b[^.]{0,30}\bbelang\b"), "before"),
        (re.compile(r"\bspeerpunt\b"), "any"),
        (re.compile(r"\bscherp\s+op\s+blijven\b"), "speaker"),
    ],
}
KIND_STRENGTH = ["heeft-gedaan", "adviseert", "portefeuille", "vraagt-hulp", "heeft-interesse"]

MEMBERSHIP_TRIGGERS = [
    (re.compile(r"\btreedt\b(?P<mid>[^.]{0,60}?)\btoe\s+tot\b"), "begin"),
    (re.compile(r"\btrad\b(?P<mid>[^.]{0,60}?)\btoe\s+tot\b"), "begin"),
    (re.compile(r"\b(?:wordt|werd|is)\s+(?P<mid>[^.]{0,40}?)lid\s+(?:geworden\s+)?van\b"), "begin"),
    (re.compile(r"\bsluit\w*\s+zich\b(?P<mid>[^.]{0,40}?)\baan\s+bij\b"), "begin"),
    (re.compile(r"\btreedt\b(?P<mid>[^.]{0,60}?)\buit\b"), "end"),
    (re.compile(r"\bzegt\b(?P<mid>[^.]{0,60}?)\blidmaatschap\b[^.]{0,40}\bop\b"), "end"),
]
MEETING_WORDS = re.compile(r"\b(?:\w*bijeenkomst\w*|vergadering\w*|bestuurdersdag|\w*congres|meet-up\w*|conferentie|"
                           r"werkbezoek\w*|expertsessie\w*|themamiddag|raadsinformatieavond|gesprek)\b", re.IGNORECASE)
ATTENDANCE = re.compile(r"\baanwezig\s+waren\b|\bwaren\s+aanwezig\b|\bbijgewoond\s+door\b|\bnamen\s+deel\b|"
                        r"\bschoven\s+aan\b", re.IGNORECASE)
ORGANISER = re.compile(r"\borganiseer\w*\b|\borganiseerde\w*\b|\bgeorganiseerd\s+door\b", re.IGNORECASE)
AGREEMENT = re.compile(r"\b(?:convenant|samenwerkingsovereenkomst|bestuursovereenkomst|overeenkomst|"
                       r"intentieverklaring|samenwerkingsakkoord)\b", re.IGNORECASE)
SIGNING = re.compile(r"\b(?:sluiten|sloten|gesloten|tekenen|tekenden|getekend|ondertekenen|ondertekenden|"
                     r"ondertekend|aangaan|aangegaan)\b", re.IGNORECASE)
WORKS_WITH = re.compile(r"\bwerk\w*\s+(?:\w+\s+){0,2}samen\s+met\b", re.IGNORECASE)
HYPHENATED = re.compile(r"\w+(?:-\w+)+")
LIST_NAME = re.compile(r"(?<=[-•·*(,]\s)\s*[A-ZÀ-Þ0-9][\w'’-]*(?:\s+[A-ZÀ-Þ0-9][\w'’-]*)*(?=\s*[,()]|\s*\**\s*$)"
                       r"|(?<=[(,])\s*[A-ZÀ-Þ0-9][\w'’-]*(?:\s+[A-ZÀ-Þ0-9][\w'’-]*)*(?=\s*[,)])")
LIST_SECTION = re.compile(r"\b(?:vormen|voorbeelden|praktijkvoorbeelden)\b", re.IGNORECASE)


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    block: int
    line: int
    bullet: bool = False


@dataclass
class Mention:
    start: int
    end: int
    text: str
    actor: str
    kind: str
    method: str          # gazetteer, resolver:<how>, fuzzy
    confidence: float
    historic: str | None = None
    lineage: str | None = None


@dataclass
class TopicHit:
    start: int
    end: int
    text: str
    concept: str
    method: str          # label, compound
    confidence: float


@dataclass
class Proposal:
    """One proposed fact; ``key`` identifies it within its document (the review id is made from it)."""

    kind: str            # actor, topic, person, post, experience, membership, meeting, agreement
    key: tuple
    summary: str
    start: int
    end: int
    sentence: tuple[int, int]
    confidence: float
    method: str
    data: dict = field(default_factory=dict)


# -- sentences ----------------------------------------------------------------------------------
def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their character offsets (see the module docstring).

    >>> [s.text for s in split_sentences("Dronten bouwde een windpark. Dat ging o.a. goed.\\n\\n- Barneveld")]
    ['Dronten bouwde een windpark.', 'Dat ging o.a. goed.', '- Barneveld']
    """
    sentences: list[Sentence] = []
    block, offset = 0, 0
    for number, line in enumerate(text.split("\n")):
        if not line.strip():
            block += 1
            offset += len(line) + 1
            continue
        bullet = bool(BULLET.match(line))
        pieces, last = [], 0
        for match in SENTENCE_END.finditer(line):
            before = line[last:match.start()].rsplit(None, 1)
            word = before[-1].rstrip(".").lower() if before else ""
            if word in ABBREVIATIONS or re.fullmatch(r"[a-z]", word or "x"):
                continue
            pieces.append((last, match.start()))
            last = match.end()
        pieces.append((last, len(line)))
        for a, b in pieces:
            chunk = line[a:b]
            lead = len(chunk) - len(chunk.lstrip())
            chunk = chunk.strip()
            if chunk:
                s = offset + a + lead
                sentences.append(Sentence(s, s + len(chunk), chunk, block, number, bullet))
        offset += len(line) + 1
    return sentences


# -- actors -------------------------------------------------------------------------------------
class Extractor:
    """Runs every extractor over one text with one gazetteer and thesaurus."""

    def __init__(self, gazetteer: ActorGazetteer, topics, topic_labels: dict[str, str], *, resolver=None,
                 roles: dict[str, str] | None = None, forms: dict[str, str] | None = None,
                 base: str = "https://w3id.org/regiokg/id/"):
        self.base = base
        self._new_people: dict[str, str] = {}
        self._new_actors: dict[str, tuple[str, str]] = {}   # iri -> (name, kind) of names the graph lacks
        self.gaz = gazetteer
        self.topic_index = topics
        self.topic_labels = topic_labels
        self.resolver = resolver
        self.roles = roles or {}
        self.forms = forms or {}
        self.forms_by_word = {k: v for k, v in self.forms.items() if " " not in k}
        self._role_words = "|".join(sorted((re.escape(r) for r in self.roles), key=len, reverse=True)) or "(?!)"
        self._role_re = re.compile(r"(?<![\w-])(" + "|".join(sorted((re.escape(r) for r in self.roles), key=len, reverse=True))
                                   + r")(?![\w-])", re.IGNORECASE) if self.roles else None
        self._fuzzy_choices = {key: entries for key, entries in gazetteer.by_key.items()
                               if len(key) >= 7 and not entries[0].exact_case}
        self._folds: dict[str, str] = {}
        self._tails: dict[str, list[str]] = {}
        self._compounds: dict[str, str | None] = {}
        # first words of the multi-word topic labels: only there can a longer phrase start
        self._first_words = {fold(label).split()[0] for labels in topics.labels.values() for label in labels
                             if len(fold(label).split()) > 1}
        self._near: dict[str, tuple[str, str, str, float] | None] = {}
        self._topic_words = max((len(fold(label).split()) for labels in topics.labels.values() for label in labels),
                                default=1)
        self._long_keys = sorted({(key, c) for key, concepts in topics.by_key.items() if len(key) >= 12
                                  for c in concepts})
        # single-word topic keys long enough to be a compound's part
        self._compound_keys = sorted({(key, c) for key, concepts in topics.by_key.items() if len(key) >= 6
                                      for c in concepts}, key=lambda kc: -len(kc[0]))

    # ---------------------------------------------------------------------------------------------
    def mentions(self, text: str, sentence: Sentence) -> list[Mention]:
        tokens = [(m.start() + sentence.start, m.end() + sentence.start, m.group()) for m in TOKEN.finditer(sentence.text)]
        folded = [self._fold(t[2]) for t in tokens]
        found: list[Mention] = []
        suppressed: list[tuple[int, int]] = []
        i = 0
        while i < len(tokens):
            hit = None
            for n in range(min(self.gaz.max_words, len(tokens) - i), 0, -1):
                words = [w for w in folded[i:i + n] if w]
                if not words:
                    continue
                start, end = tokens[i][0], tokens[i + n - 1][1]
                entries = self.gaz.lookup(" ".join(words).split(), text[start:end])
                if entries:
                    hit = (n, start, end, entries)
                    break
            if hit is None:
                i += 1
                continue
            n, start, end, entries = hit
            # a municipality glued by a hyphen to another capitalised name, or after a capitalised
            # word or a name particle, is part of a longer name (Assen-Groningen 2030, Economic
            # Board Utrecht, Parkstad Limburg, Joost van Hoorn)
            part_of_name = self._inside_longer_name(text, sentence, start, end)
            entry = self._choose(entries, text, start)
            actor = self.gaz.actors.get(entry.actor)
            if part_of_name and actor is not None and actor.kind in ("municipality", "province"):
                suppressed.append((start, end))
                longer = self._capitalised_run(text, sentence, start, end)
                if longer is not None and not sentence.bullet:
                    name_start, name = longer
                    iri = self.base + "organisatie/" + slugify(name)
                    self._new_actors.setdefault(iri, (name, "organisation"))
                    found.append(Mention(name_start, end, name, iri, "organisation", "capitalised name ending in a "
                                         "place name, unknown to the graph", 0.5))
            elif actor is not None:
                lineage = None
                if entry.historic:
                    lineage = f"{entry.historic} merged into {actor.label} ({entry.date})"
                elif actor.successor:
                    succ = self.gaz.actors.get(actor.successor)
                    lineage = (f"{actor.label} was dissolved{' on ' + actor.dissolved if actor.dissolved else ''}; "
                               f"successor {succ.label if succ else actor.successor}")
                confidence = 0.95 if len(entries) == 1 else 0.8
                if actor.kind == "person" and len(text[start:end].split()) < 2:
                    confidence = 0.6
                found.append(Mention(start, end, text[start:end], actor.iri, actor.kind, "gazetteer", confidence,
                                     entry.historic, lineage))
            i += n
        found.extend(self._near_misses(text, sentence, tokens, folded, found, suppressed))
        found.sort(key=lambda m: m.start)
        return found

    def _capitalised_run(self, text: str, sentence: Sentence, start: int, end: int) -> tuple[int, str] | None:
        """``Economic Board Utrecht``: the capitalised words before a place name (not the
        sentence's first word, not "Gemeente"), as one new organisation's name."""
        position, words = start, list[str]()
        for match in reversed(list(re.finditer(r"\S+", text[sentence.start:start]))):
            word = match.group()
            if not re.fullmatch(r"[A-ZÀ-Þ][\w-]+", word) or fold(word) in NAME_PREFIX_OK or match.start() == 0:
                break
            words.insert(0, word)
            position = sentence.start + match.start()
        if not words:
            return None
        return position, text[position:end]

    def _inside_longer_name(self, text: str, sentence: Sentence, start: int, end: int) -> bool:
        if text[end:end + 1] == "-" and text[end + 1:end + 2].isupper():
            return True
        if start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha():
            return True
        head = text[sentence.start:start]
        words = head.split()
        if not words or not head[-1:].isspace():
            return False
        previous = words[-1]
        if previous in ("van", "ten", "ter", "de", "der", "den") and len(words) >= 2 and words[-2][:1].isupper() \
                and fold(words[-2]) not in NAME_STOP and fold(words[-2]) not in self.gaz.by_key:
            return True
        if len(words) == 1 and not sentence.bullet:
            return False   # the capital of a sentence's first word says nothing
        return (bool(re.fullmatch(r"\w+", previous)) and previous[:1].isupper()
                and fold(previous) not in NAME_PREFIX_OK and fold(previous) not in self.gaz.by_key)

    def _choose(self, entries, text: str, start: int):
        before = text[max(0, start - 12):start].lower()
        kinds = {e.actor: self.gaz.actors[e.actor].kind for e in entries if e.actor in self.gaz.actors}
        if "provincie" in before:
            for e in entries:
                if kinds.get(e.actor) == "province":
                    return e
        for wanted in ("municipality", "arrangement", "organisation", "province", "water-board", "regional-body",
                       "party", "person"):
            for e in entries:
                if kinds.get(e.actor) == wanted:
                    return e
        return entries[0]

    def _near_misses(self, text, sentence, tokens, folded, found, suppressed) -> list[Mention]:
        """Capitalised words the gazetteer lacks: the resolver's short forms and spelling, then rapidfuzz."""
        covered = [(m.start, m.end) for m in found] + suppressed
        out = []
        for (start, end, word), key in zip(tokens, folded, strict=True):
            if not word[:1].isupper() or len(word) < 5 or any(a <= start < b for a, b in covered):
                continue
            if start == sentence.start and not sentence.bullet:
                continue   # a capital at the start of a sentence says nothing
            if key in GENERIC_WORDS or text[end:end + 1] == "-" or (start and text[start - 1] == "-"):
                continue
            if word not in self._near:
                self._near[word] = self._near_miss(word, key)
            hit = self._near[word]
            if hit is not None:
                iri, kind, method, confidence = hit
                out.append(Mention(start, end, word, iri, kind, method, confidence))
        return out

    def _near_miss(self, word: str, key: str) -> tuple[str, str, str, float] | None:
        """What one capitalised unknown word is: the resolver's answer, else rapidfuzz's (or None)."""
        if key in self.topic_index.by_key or any(k in self.topic_index.by_key for k in phrase_keys(word)):
            return None
        if self.resolver is not None:
            res = self.resolver.resolve(word)
            if res.kind == "municipality" and res.method in ("short-form", "spelling", "historic"):
                iri = self._municipality_iri(res.target)
                if iri:
                    return iri, "municipality", f"resolver:{res.method}", 0.7
        if len(key) >= 7:
            best = process.extractOne(key, list(self._fuzzy_choices), scorer=fuzz.ratio, score_cutoff=90)
            if best:
                actor = self.gaz.actors[self._fuzzy_choices[best[0]][0].actor]
                return actor.iri, actor.kind, f"fuzzy:{best[1]:.0f}", 0.55
        return None

    def _municipality_iri(self, code: str | None) -> str | None:
        if not code:
            return None
        for iri, actor in self.gaz.actors.items():
            if actor.kind == "municipality" and iri.endswith("/" + code):
                return iri
        return None

    # ---------------------------------------------------------------------------------------------
    def topics(self, text: str, sentence: Sentence, mentions: list[Mention]) -> list[TopicHit]:
        tokens = [(m.start() + sentence.start, m.end() + sentence.start, m.group()) for m in TOKEN.finditer(sentence.text)]
        folded = [self._fold(t[2]) for t in tokens]
        in_name = [(m.start, m.end) for m in mentions]
        hits: list[TopicHit] = []
        i = 0
        while i < len(tokens):
            matched = False
            longest = min(self._topic_words, len(tokens) - i) if folded[i] in self._first_words else 1
            for n in range(longest, 0, -1):
                start, end = tokens[i][0], tokens[i + n - 1][1]
                if any(a <= start < b or a < end <= b for a, b in in_name):
                    continue
                words = [w for w in folded[i:i + n] if w]
                if not words:
                    continue
                phrase = " ".join(t[2] for t in tokens[i:i + n])
                # the keys of textmatch.phrase_keys, from words folded once per token
                keys = {"".join(words[:-1]) + v for v in word_variants(words[-1])}
                for variant in verb_variants(words):
                    keys |= phrase_keys(variant)
                concepts = set().union(*(self.topic_index.by_key.get(k, set()) for k in keys)) if keys else set()
                if concepts and (len(phrase) >= 4 or phrase.isupper() and len(phrase) >= 2):
                    for c in sorted(concepts):
                        if self._short_label_ok(c, phrase):
                            hits.append(TopicHit(start, end, text[start:end], c, "label", 0.9 if n > 1 or len(phrase) > 6 else 0.75))
                    i += n
                    matched = True
                    break
            if matched:
                continue
            start, end, word = tokens[i]
            hyphened = HYPHENATED.match(text, start, sentence.end)
            if hyphened and len(hyphened.group()) >= 10:
                compound = fold(hyphened.group()).replace(" ", "")
                if compound not in self._tails:
                    self._tails[compound] = [c for k, c in self._long_keys if k.endswith(compound) and len(k) > len(compound)]
                tail = self._tails[compound]
                if tail:
                    hits.append(TopicHit(start, hyphened.end(), hyphened.group(), tail[0], "hyphenated tail of a label", 0.6))
                    i += hyphened.group().count("-") + 1
                    continue
            key = folded[i]
            if len(key) >= 9 and not any(a <= start < b for a, b in in_name):
                if key not in self._compounds:
                    self._compounds[key] = next((concept for label_key, concept in self._compound_keys
                                                 if len(label_key) < len(key) - 1
                                                 and (key.startswith(label_key) or key.endswith(label_key))), None)
                concept = self._compounds[key]
                if concept is not None:
                    hits.append(TopicHit(start, end, word, concept, "compound", 0.65))
            i += 1
        return hits

    def _fold(self, word: str) -> str:
        """:func:`graph.text.fold` of one token, remembered (a document repeats its words)."""
        value = self._folds.get(word)
        if value is None:
            value = self._folds[word] = fold(word).replace(" ", "")
        return value

    def _short_label_ok(self, concept: str, phrase: str) -> bool:
        """A label of at most three letters (A6, Ow) counts only when written in the same case."""
        if len(phrase.replace(" ", "")) > 3:
            return True
        return any(label == phrase for label in self.topic_index.labels.get(concept, ()))

    # -- the whole document ------------------------------------------------------------------------
    def run(self, text: str, *, doc_date: str | None = None) -> list[Proposal]:
        sentences = split_sentences(text)
        mentions = {id(s): self.mentions(text, s) for s in sentences}
        topics = {id(s): self.topics(text, s, mentions[id(s)]) for s in sentences}
        year = int(doc_date[:4]) if doc_date and doc_date[:4].isdigit() else None
        proposals: list[Proposal] = []
        proposals += self._actor_proposals(sentences, mentions)
        proposals += self._topic_proposals(sentences, topics)
        people = self._people(text, sentences, mentions)
        proposals += people
        person_mentions = self._person_mentions(people, sentences)
        for sentence in sentences:
            mentions[id(sentence)] = sorted(mentions[id(sentence)] + person_mentions.get(id(sentence), []),
                                            key=lambda m: m.start)
        proposals += self._experiences(text, sentences, mentions, topics)
        proposals += self._list_examples(text, sentences, mentions, topics)
        proposals += self._memberships(text, sentences, mentions, year)
        proposals += self._meetings(text, sentences, mentions, topics, year)
        proposals += self._agreements(text, sentences, mentions, topics)
        for p in proposals:   # topic names beside their IRIs, for showing a proposal
            if p.data.get("topics") is not None:
                p.data["topic_labels"] = [self.topic_labels.get(c, c.rsplit("/", 1)[-1]) for c in p.data["topics"]]
        merged: dict[tuple, Proposal] = {}
        for p in proposals:
            full = (p.kind,) + p.key
            if full not in merged or p.confidence > merged[full].confidence:
                merged[full] = p
        return sorted(merged.values(), key=lambda p: (p.start, p.kind, p.key))

    def _actor_proposals(self, sentences, mentions) -> list[Proposal]:
        first: dict[str, tuple[Mention, Sentence]] = {}
        count: dict[str, int] = defaultdict(int)
        for s in sentences:
            for m in mentions[id(s)]:
                count[m.actor] += 1
                if m.actor not in first or m.confidence > first[m.actor][0].confidence + 0.1:
                    first[m.actor] = (m, s)
        out = []
        for actor, (m, s) in first.items():
            if actor not in self.gaz.actors:
                if actor in self._new_actors:
                    name, kind = self._new_actors[actor]
                    out.append(Proposal("actor", (actor,), f"new {kind} {name}", m.start, m.end, (s.start, s.end),
                                        m.confidence, m.method, {"actor": actor, "label": name, "actor_kind": kind,
                                                                 "new": True}))
                continue
            a = self.gaz.actors[actor]
            confidence = min(0.99, m.confidence + 0.02 * (count[actor] - 1))
            summary = f"{a.kind} {a.label}" + (f" (written '{m.text}')" if fold(m.text) != fold(a.label) else "")
            if m.lineage:
                summary += f"; lineage: {m.lineage}"
            out.append(Proposal("actor", (actor,), summary, m.start, m.end, (s.start, s.end), round(confidence, 2),
                                f"{m.method}; {count[actor]} mention(s)",
                                {"actor": actor, "label": a.label, "actor_kind": a.kind, "lineage": m.lineage,
                                 "successor": a.successor}))
        return out

    def _topic_proposals(self, sentences, topics) -> list[Proposal]:
        first: dict[str, tuple[TopicHit, Sentence]] = {}
        count: dict[str, int] = defaultdict(int)
        for s in sentences:
            for t in topics[id(s)]:
                count[t.concept] += 1
                if t.concept not in first or t.confidence > first[t.concept][0].confidence + 0.1:
                    first[t.concept] = (t, s)
        out = []
        for concept, (t, s) in first.items():
            label = self.topic_labels.get(concept, concept.rsplit("/", 1)[-1])
            confidence = min(0.99, t.confidence + 0.03 * (count[concept] - 1))
            out.append(Proposal("topic", (concept,), f"topic {label} (written '{t.text}')", t.start, t.end,
                                (s.start, s.end), round(confidence, 2), f"thesaurus {t.method}; {count[concept]} hit(s)",
                                {"topic": concept, "label": label}))
        return out

    # -- people --------------------------------------------------------------------------------------
    def _people(self, text, sentences, mentions) -> list[Proposal]:
        out = self._people_by_sentence(text, sentences, mentions)
        # "Henriëtte ten Berge: SER" ... "Henriëtte ten Berge, Senior economisch beleidsmedewerker,": a
        # role stated without an organisation goes with the organisation the person speaks for
        affiliations = {p.key[0]: p for p in out if p.kind == "person" and p.data.get("affiliation")}
        posts = {p.key[0] for p in out if p.kind == "post" and p.data["role_label"] != UNKNOWN_ROLE}
        for p in list(out):
            if p.kind == "person" and p.data.get("role_only") and p.key[0] in affiliations:
                where = affiliations[p.key[0]]
                org = where.data["affiliation"]
                role = p.data["role_only"]
                org_label = self.gaz.actors[org].label
                out.append(Proposal("post", (p.key[0], self.roles[role], org), f"{p.data['name']}: {role} of {org_label}",
                                    p.start, p.end, p.sentence, 0.6,
                                    "role word after the name; organisation from the person's speaker line",
                                    {"name": p.data["name"], "person": p.data["person"], "known": p.data["known"],
                                     "role": self.roles[role], "role_label": role, "organisation": org,
                                     "organisation_label": org_label}))
                posts.add(p.key[0])
        return [p for p in out if not (p.kind == "post" and p.data["role_label"] == UNKNOWN_ROLE and p.key[0] in posts)]

    def _people_by_sentence(self, text, sentences, mentions) -> list[Proposal]:
        out: list[Proposal] = []
        for s in sentences:
            ms = [m for m in mentions[id(s)] if m.kind != "person"]
            for match in PERSON_NAME.finditer(s.text):
                name = match.group()
                start, end = s.start + match.start(), s.start + match.end()
                while len(name.split()) > 2 and fold(name.split()[0]) in NAME_STOP:   # "Wethouder Jan de Vries"
                    first = name.split()[0]
                    cut = name.index(first) + len(first)
                    cut += len(name[cut:]) - len(name[cut:].lstrip())
                    name, start = name[cut:], start + cut
                if not self._plausible_name(name, start, end, ms):
                    continue
                posts = self._posts_around(text, s, start, end, ms)
                affiliation = None if posts else self._affiliation(text, s, start, end, ms)
                role_before = not posts and not affiliation and self._role_re is not None and \
                    bool(re.search(r"(?:^|[\s(:;,])(?:" + self._role_words + r")\s+$", text[max(s.start, start - 45):start],
                                   re.IGNORECASE))
                after_role = re.match(r"\s*,\s*(" + self._role_words + r")\s*[,.]", text[end:end + 80], re.IGNORECASE) \
                    if not posts and not affiliation else None
                role_only = role_before or after_role is not None
                if not posts and not affiliation and not role_only:
                    continue
                person_iri = self._known_person(name)
                person = {"name": name, "person": person_iri, "known": bool(person_iri)}
                out.append(Proposal("person", (fold(name),), f"person {name}" + (" (known)" if person_iri else " (new)"),
                                    start, end, (s.start, s.end), 0.8 if posts else 0.65 if affiliation else 0.6,
                                    "name next to a role word and an organisation" if posts else
                                    "speaker line 'Name, organisation'" if affiliation else
                                    "name after a role word (organisation not stated next to it)",
                                    {**person, "affiliation": affiliation.actor if affiliation else None,
                                     "role_only": after_role.group(1).lower() if after_role else None}))
                for role, org in posts:
                    role_iri = self.roles[role.lower()]
                    org_label = self.gaz.actors[org.actor].label
                    out.append(Proposal("post", (fold(name), role_iri, org.actor),
                                        f"{name}: {role.lower()} of {org_label}", start, max(end, org.end),
                                        (s.start, s.end), 0.75, "role word + name + organisation",
                                        {**person, "role": role_iri, "role_label": role.lower(), "organisation": org.actor,
                                         "organisation_label": org_label}))
                if affiliation is not None and UNKNOWN_ROLE in self.roles and affiliation.actor in self.gaz.actors:
                    # the source ties the person to an organisation without saying the post: rol:onbekend
                    org_label = self.gaz.actors[affiliation.actor].label
                    role_iri = self.roles[UNKNOWN_ROLE]
                    out.append(Proposal("post", (fold(name), role_iri, affiliation.actor),
                                        f"{name}: role unknown at {org_label}", start, max(end, affiliation.end),
                                        (s.start, s.end), 0.6, "speaker line 'Name, organisation' (the post is not stated)",
                                        {**person, "role": role_iri, "role_label": UNKNOWN_ROLE,
                                         "organisation": affiliation.actor, "organisation_label": org_label}))
        return out

    def _plausible_name(self, name: str, start: int, end: int, mentions: list[Mention]) -> bool:
        words = name.split()
        if fold(words[0]) in NAME_STOP or fold(words[-1]) in NAME_STOP:
            return False
        if any(m.start < end and start < m.end for m in mentions):
            return False
        if fold(name) in self.topic_index.by_key or any(k in self.topic_index.by_key for k in phrase_keys(name)):
            return False
        return not any(fold(w) in self.gaz.by_key and not self._is_person_key(fold(w)) for w in words if w[:1].isupper())

    def _is_person_key(self, key: str) -> bool:
        return all(self.gaz.actors[e.actor].kind == "person" for e in self.gaz.by_key.get(key, []) if e.actor in self.gaz.actors)

    def _known_person(self, name: str) -> str | None:
        for e in self.gaz.by_key.get(fold(name), []):
            if e.actor in self.gaz.actors and self.gaz.actors[e.actor].kind == "person":
                return e.actor
        return None

    def _org_after(self, text: str, position: int, mentions: list[Mention], limit: int = 40,
                   connect: re.Pattern = CONNECT) -> Mention | None:
        for m in mentions:
            if m.start >= position and m.start - position <= limit and connect.match(text[position:m.start]):
                return m
        return None

    def _posts_around(self, text, s: Sentence, start: int, end: int, mentions) -> list[tuple[str, Mention]]:
        if self._role_re is None:
            return []
        posts = []
        before = text[max(s.start, start - 45):start]
        m = re.search(r"(?:(?P<org>[\w]+)-)?(?P<role>" + self._role_re.pattern[len("(?<![\\w-])("):-len(")(?![\\w-])")]
                      + r")\s+$", before, re.IGNORECASE)
        if m:
            role = m.group("role")
            org = None
            if m.group("org"):
                org_start = start - len(before) + m.start("org")
                org = next((x for x in mentions if x.start == org_start), None)
            org = org or self._org_after(text, end, mentions, limit=40, connect=CONNECT_ROLE)
            if org is None:   # "Namens de SER was ... raadslid Guido van Woerkom aanwezig"
                on_behalf = re.search(r"\bnamens\s+(?:de\s+|het\s+)?", text[s.start:start], re.IGNORECASE)
                if on_behalf:
                    org = next((x for x in mentions if x.start == s.start + on_behalf.end()), None)
            if org is not None:
                posts.append((role, org))
        after = text[end:min(s.end, end + 160)]
        position = end
        while True:
            m = re.match(r"\s*(?:[,(]|\ben\b)\s*(?P<role>" + self._role_re.pattern[len("(?<![\\w-])("):-len(")(?![\\w-])")]
                         + r")\b", after, re.IGNORECASE)
            if not m:
                break
            role_end = position + m.end()
            org = self._org_after(text, role_end, mentions, limit=50)
            if org is None:
                break
            posts.append((m.group("role"), org))
            consumed = org.end - position
            after, position = after[consumed:], org.end
        return posts

    def _affiliation(self, text, s: Sentence, start: int, end: int, mentions) -> Mention | None:
        line_start = text.rfind("\n", 0, start) + 1
        if text[line_start:start].strip(" -•·*\t") == "":
            m = re.match(r"\s*[,;:]\s*(?:[Gg]emeente\s+|[Pp]rovincie\s+)?", text[end:end + 20])
            if m:
                org = next((x for x in mentions if x.start == end + m.end()), None)
                if org is not None:
                    return org
        prefix = text[line_start:start]
        m = re.fullmatch(r"\s*(?P<org>.+?)\s*:\s*", prefix)
        if m:
            org = next((x for x in mentions if x.start == line_start + m.start("org") and x.end == line_start + m.end("org")), None)
            if org is not None:
                return org
        return None

    def _person_mentions(self, people: list[Proposal], sentences) -> dict[int, list[Mention]]:
        """People found by the people extractor as mentions: where they were found in full, and
        every later "Van Woerkom" / "van Woerkom" (the name without the first name)."""
        by_sentence: dict[int, list[Mention]] = defaultdict(list)
        index = {(s.start, s.end): s for s in sentences}
        names: dict[str, str] = {}
        for p in people:
            if p.kind != "person":
                continue
            iri = p.data["person"] or f"new-person:{p.key[0]}"
            self._new_people.setdefault(iri, p.data["name"])
            names.setdefault(iri, p.data["name"])
            s = index.get(p.sentence)
            if s is not None:
                by_sentence[id(s)].append(Mention(p.start, p.end, p.data["name"], iri, "person", "person", p.confidence))
        for iri, name in names.items():
            surname = re.sub(r"^\S+\s+", "", name)          # "Guido van Woerkom" -> "van Woerkom"
            if len(surname) < 4:
                continue
            pattern = re.compile(r"(?<![\w-])(?:" + re.escape(surname[0].upper() + surname[1:]) + "|" + re.escape(surname)
                                 + r")(?![\w-])")
            for other in sentences:
                if surname.lower() not in other.text.lower():
                    continue
                for m in pattern.finditer(other.text):
                    start = other.start + m.start()
                    if any(x.start <= start < x.end for x in by_sentence[id(other)]):
                        continue   # part of a full name already found
                    by_sentence[id(other)].append(Mention(start, start + len(m.group()), m.group(), iri, "person",
                                                          "surname of a person named in full", 0.6))
        return by_sentence

    # -- experience ------------------------------------------------------------------------------------
    def _speakers(self, text, sentences, mentions) -> dict[int, Mention]:
        """The organisation a speaker line names ("Roelof van Netten, gemeente Papendrecht:"),
        for the sentences after it in the same paragraph."""
        speakers: dict[int, Mention] = {}
        current, block = None, None
        for n, s in enumerate(sentences):
            if s.block != block:
                current, block = None, s.block
            if current is not None:
                speakers[n] = current
            orgs = [m for m in mentions[id(s)] if m.kind not in ("person", "party")]
            if s.text.rstrip().endswith(":") and orgs and len(s.text) < 80:
                current = orgs[-1]
        return speakers

    def _experiences(self, text, sentences, mentions, topics) -> list[Proposal]:
        out = []
        speakers = self._speakers(text, sentences, mentions)
        for n, s in enumerate(sentences):
            lower = s.text.lower()
            for kind in KIND_STRENGTH:
                for pattern, side in EXPERIENCE_TRIGGERS[kind]:
                    trigger = pattern.search(lower)
                    if not trigger:
                        continue
                    t_start, t_end = s.start + trigger.start(), s.start + trigger.end()
                    actors = self._experience_actors(s, mentions[id(s)], side, t_start, t_end, kind)
                    if not actors and side in ("before", "speaker") and speakers.get(n):
                        actors = [speakers[n]]
                    if not actors:
                        continue
                    found, where = self._context_topics(n, sentences, topics)
                    if not found:
                        continue
                    concepts = sorted({t.concept for t in found})
                    for actor in actors:
                        label = self._actor_label(actor)
                        topic_text = ", ".join(self.topic_labels.get(c, c) for c in concepts)
                        out.append(Proposal(
                            "experience", (actor.actor, kind, tuple(concepts)),
                            f"{label} — {kind} — {topic_text}", min(actor.start, t_start), max(actor.end, t_end),
                            (min(s.start, actor.start), s.end),   # a speaker line before the sentence belongs to it
                            {"sentence": 0.7, "the document's title": 0.45}.get(where, 0.55),
                            f"trigger '{trigger.group()}' ({kind}); actor "
                            + (f"{side} the trigger" if actor.start >= s.start else "the speaker of the paragraph")
                            + f"; topics from {where}",
                            {"actor": actor.actor, "actor_label": label, "experience_kind": kind, "topics": concepts,
                             "description": s.text,
                             **({"new_actor": {"label": label, "actor_kind": self._new_actors[actor.actor][1]}}
                                if actor.actor in self._new_actors else {})}))
                    break
        return out

    def _actor_label(self, m: Mention) -> str:
        actor = self.gaz.actors.get(m.actor)
        if actor:
            return actor.label
        return self._new_people.get(m.actor) or self._new_actors.get(m.actor, (m.text,))[0]

    def _experience_actors(self, s, mentions, side, t_start, t_end, kind) -> list[Mention]:
        candidates = [m for m in mentions if m.kind != "party"]
        if side == "glued":
            return [m for m in candidates if m.end == t_start and m.kind != "person"][:1]
        if side == "after-person":
            return [m for m in candidates if m.start >= t_end and m.kind == "person"][:1]
        if side == "after":
            after = [m for m in candidates if m.start >= t_end and m.kind != "person"]
            # "met de gemeente Waalwijk en Dronten": the actors listed right after the trigger
            return after[:4]
        if side == "speaker":
            line_head = [m for m in candidates if m.start < t_start]
            orgs = [m for m in line_head if m.kind != "person"]
            return orgs[:1] or line_head[:1]
        before = [m for m in candidates if m.end <= t_start]
        if side == "any" and not before:
            before = [m for m in candidates if m.start >= t_end][:1]
        orgs = [m for m in before if m.kind != "person"]
        if kind == "portefeuille":
            people = [m for m in before if m.kind == "person"]
            return people[-1:] or orgs[-1:]
        # "Hans van Daalen; Gemeente Barneveld worstelt": the organisation the speaker speaks for
        return orgs[:1] if orgs else before[-1:]

    def _context_topics(self, n: int, sentences, topics) -> tuple[list[TopicHit], str]:
        s = sentences[n]
        if topics[id(s)]:
            return topics[id(s)], "sentence"
        for back in (1, 2):
            if n - back >= 0 and sentences[n - back].block == s.block and topics[id(sentences[n - back])]:
                return topics[id(sentences[n - back])], "the sentence before"
        if sentences and topics[id(sentences[0])]:
            return topics[id(sentences[0])], "the document's title"
        return [], ""

    # -- examples in slide lists -----------------------------------------------------------------------
    def _list_examples(self, text, sentences, mentions, topics) -> list[Proposal]:
        """Actors listed as bullets under a bullet that names a topic, inside a section whose
        heading speaks of forms or examples (a slide "Vormen van samenwerking")."""
        out = []
        section_ok, heading = False, None
        for s in sentences:
            if not s.bullet:
                section_ok = bool(LIST_SECTION.search(s.text))
                heading = None
                continue
            if not section_ok:
                continue
            item_mentions = [m for m in mentions[id(s)] if m.kind not in ("person", "party")]
            item_topics = topics[id(s)]
            body = BULLET.sub("", s.text).strip(" *")
            covered = sum(t.end - t.start for t in item_topics)
            bare = re.sub(r"\([^)A-Z]*\)", "", body).strip("* ")   # "(en services)", not "(ISZF, ...)"
            if item_topics and not item_mentions and len(body.split()) <= 5 and covered >= 0.6 * len(bare):
                heading = (item_topics, s)
                continue
            if not heading:
                continue
            listed = [(m.start, m.end, m.actor, self._actor_label(m), False) for m in item_mentions]
            listed += self._new_names(text, s, item_mentions)
            concepts = sorted({t.concept for t in heading[0]})
            head_text = BULLET.sub("", heading[1].text).strip(" *")
            for start, end, actor, label, new in sorted(listed):
                if new:
                    out.append(Proposal(
                        "actor", (actor,), f"new arrangement {label}", start, end, (s.start, s.end), 0.5,
                        f"a name listed as an example under '{head_text}' that the graph does not know",
                        {"actor": actor, "label": label, "actor_kind": "arrangement", "new": True}))
                out.append(Proposal(
                    "experience", (actor, "heeft-gedaan", tuple(concepts)),
                    f"{label} — heeft-gedaan — {', '.join(self.topic_labels.get(c, c) for c in concepts)}",
                    start, end, (heading[1].start, s.end), 0.5, f"listed as an example under '{head_text}'",
                    {"actor": actor, "actor_label": label, "experience_kind": "heeft-gedaan", "topics": concepts,
                     "description": f"{head_text}: {BULLET.sub('', s.text).strip(' *')}",
                     **({"new_actor": {"label": label, "actor_kind": "arrangement"}} if new else {})}))
        return out

    def _new_names(self, text, s: Sentence, known: list[Mention]) -> list[tuple]:
        """Capitalised names in a list item the gazetteer does not know ("Seta (Ten Boer, K5, BEL)")."""
        out = []
        for m in LIST_NAME.finditer(s.text):
            name = m.group().strip()
            start = s.start + m.start() + (len(m.group()) - len(m.group().lstrip()))
            end = start + len(name)
            if not name or any(k.start < end and start < k.end for k in known):
                continue
            words = name.split()
            key = fold(name)
            if (len(words) > 4 or key in self.forms or key in GENERIC_WORDS or key in self.gaz.by_key
                    or any(k in self.topic_index.by_key for k in phrase_keys(name))):
                continue
            out.append((start, end, self.base + "samenwerking/" + slugify(name), name, True))
        return out

    # -- memberships ------------------------------------------------------------------------------------
    def _memberships(self, text, sentences, mentions, year) -> list[Proposal]:
        out = []
        for s in sentences:
            lower = s.text.lower()
            for pattern, edge in MEMBERSHIP_TRIGGERS:
                m = pattern.search(lower)
                if not m:
                    continue
                t_start, t_end = s.start + m.start(), s.start + m.end()
                actors = [x for x in mentions[id(s)] if x.kind not in ("person", "party")]
                members = [x for x in actors if x.end <= t_start]
                orgs = [x for x in actors if x.start >= t_end - 4]
                if not members or not orgs:
                    continue
                date = parse_date(s.text[m.start():], year) or parse_date(s.text, year)
                for member in members[-1:]:
                    org = orgs[0]
                    out.append(Proposal(
                        "membership", (member.actor, org.actor, edge, date),
                        f"{self._actor_label(member)} {'joins' if edge == 'begin' else 'leaves'} "
                        f"{self._actor_label(org)}" + (f" on {date}" if date else ""),
                        member.start, org.end, (s.start, s.end), 0.75 if date else 0.6,
                        f"trigger '{m.group().strip()}' ({edge} of membership)",
                        {"member": member.actor, "organisation": org.actor, "edge": edge, "date": date,
                         "member_label": self._actor_label(member), "organisation_label": self._actor_label(org),
                         "description": s.text}))
                break
        return out

    # -- meetings ---------------------------------------------------------------------------------------
    def _meetings(self, text, sentences, mentions, topics, year) -> list[Proposal]:
        found: list[Proposal] = []
        for n, s in enumerate(sentences):
            word = MEETING_WORDS.search(s.text)
            if not word or word.group().lower() == "gesprek":
                continue
            date = parse_date(s.text, year)
            place_sentence = s
            if not date and n + 1 < len(sentences) and sentences[n + 1].block == s.block:
                date = None
            if not date:
                continue
            window = [s] + [x for x in sentences[n + 1:n + 2] if x.block == s.block]
            places: list[Mention] = []
            for w in window:
                for m in mentions[id(w)]:
                    if m.kind != "municipality":
                        continue
                    lead = text[max(w.start, m.start - 25):m.start].lower()
                    if re.search(r"(?:\bin|\bte|gemeentehuis|stadhuis|\bvan)\s+(?:het\s+|de\s+)?(?:gemeentehuis\s+(?:van\s+)?)?$",
                                 lead) or (w is not s and m.start - w.start < 15 and len(w.text) < 40) \
                            or (re.search(r"\ben\s+$", lead) and places):
                        places.append(m)
            organisers = []
            org_match = ORGANISER.search(s.text)
            if org_match:
                organisers = [m for m in mentions[id(s)] if m.kind in ("organisation", "arrangement", "municipality")
                              and m not in places][:2]
            label = word.group()
            label = label[0].upper() + label[1:]
            place_text = " en ".join(dict.fromkeys(self._actor_label(p) for p in places))
            summary = f"meeting '{label}' on {date}" + (f" in {place_text}" if place_text else "")
            found.append(Proposal(
                "meeting", (date, fold(label)), summary, s.start + word.start(), s.start + word.end(),
                (s.start, place_sentence.end), 0.7 if places else 0.55,
                "meeting word with a date" + (" and a place" if places else ""),
                {"label": label, "date": date, "places": list(dict.fromkeys(p.actor for p in places)),
                 "organisers": [o.actor for o in organisers], "attendees": [], "topics": [],
                 "description": s.text, "sentence_index": n}))
        if not found:
            return []
        merged: dict[tuple, Proposal] = {}
        for p in found:   # one meeting named twice (title and text): one proposal, the places and organisers of both
            if p.key in merged:
                first = merged[p.key]
                for field_name in ("places", "organisers"):
                    first.data[field_name] += [x for x in p.data[field_name] if x not in first.data[field_name]]
                first.confidence = max(first.confidence, p.confidence)
            else:
                merged[p.key] = p
        found = list(merged.values())
        # attendees: actors of attendance sentences, given to the nearest meeting before (else the first)
        for n, s in enumerate(sentences):
            if not ATTENDANCE.search(s.text):
                continue
            before = [p for p in found if p.data["sentence_index"] <= n]
            target = before[-1] if before else found[0]
            for m in mentions[id(s)]:
                if m.kind not in ("party",) and m.actor not in target.data["attendees"]:
                    target.data["attendees"].append(m.actor)
        # topics: those of the meeting's sentence and of the document's section after it
        for i, p in enumerate(found):
            start = p.data["sentence_index"]
            stop = found[i + 1].data["sentence_index"] if i + 1 < len(found) else len(sentences)
            concepts = {t.concept for s in sentences[start:stop] for t in topics[id(s)]}
            p.data["topics"] = sorted(concepts)
            del p.data["sentence_index"]
        return found

    # -- agreements -------------------------------------------------------------------------------------
    def _agreements(self, text, sentences, mentions, topics) -> list[Proposal]:
        out = []
        for s in sentences:
            actors = list(dict.fromkeys(m.actor for m in mentions[id(s)] if m.kind not in ("person", "party")
                                        and not m.actor.startswith("new-person:")))
            noun, sign = AGREEMENT.search(s.text), SIGNING.search(s.text)
            if noun and sign and len(actors) >= 2:
                concepts = sorted({t.concept for t in topics[id(s)]})
                labels = [self.gaz.actors[a].label for a in actors]
                form = noun.group().lower()
                out.append(Proposal(
                    "agreement", (form, tuple(sorted(actors))),
                    f"{form} between {', '.join(labels)}" + (f" on {', '.join(self.topic_labels.get(c, c) for c in concepts)}"
                                                               if concepts else ""),
                    s.start + noun.start(), s.start + noun.end(), (s.start, s.end), 0.7,
                    f"agreement word '{noun.group()}' with signing verb '{sign.group()}' and {len(actors)} actors",
                    {"form": form, "parties": actors, "party_labels": labels, "topics": concepts, "description": s.text}))
                continue
            works = WORKS_WITH.search(s.text)
            if works:
                t_start, t_end = s.start + works.start(), s.start + works.end()
                before = [m for m in mentions[id(s)] if m.end <= t_start and m.kind not in ("person", "party")]
                after = [m for m in mentions[id(s)] if m.start >= t_end and m.kind not in ("person", "party")]
                if before and after:
                    subject = before[-1]
                    for partner in after[:4]:
                        out.append(Proposal(
                            "agreement", ("samenwerking", (subject.actor, partner.actor)),
                            f"{self._actor_label(subject)} works with {self._actor_label(partner)}",
                            subject.start, partner.end, (s.start, s.end), 0.6, f"'{works.group()}'",
                            {"form": "samenwerking", "parties": [subject.actor, partner.actor],
                             "party_labels": [self._actor_label(subject), self._actor_label(partner)],
                             "topics": [], "description": s.text}))
        return out


def verb_variants(words: list[str]) -> list[str]:
    """The phrase with one present-tense verb (``betrekt``) in its infinitive (``betrekken``),
    so "hoe je de raad betrekt bij" meets the label "de raad betrekken bij".

    >>> verb_variants(["de", "raad", "betrekt", "bij"])
    ['de raad betrekken bij']
    """
    out = []
    for i, word in enumerate(words):
        if len(word) > 4 and word.endswith("t") and word[-2] not in "aeiout" and word.islower():
            stem = word[:-1]
            infinitive = stem + stem[-1] + "en" if stem[-1] in "kpfs" and stem[-2] in "aeiou" and stem[-3] not in "aeiou" \
                else stem + "en"
            out.append(" ".join(words[:i] + [infinitive] + words[i + 1:]))
    return out


__all__ = ["Extractor", "Proposal", "Sentence", "Mention", "split_sentences", "parse_date", "slugify"]
