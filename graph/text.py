"""Text normalisation: the one place where names and phrases are cleaned and folded.

Every comparison of names or topic phrases in regiokg (importers matching municipality
names, the expertise matcher, search, the API resolving ``near=`` or a name slug) folds
both sides with :func:`fold`, so "'s-Hertogenbosch", "’s Hertogenbosch" and
"S-HERTOGENBOSCH" are one name everywhere.

>>> fold("'s-Hertogenbosch") == fold("’s Hertogenbosch") == fold("S-HERTOGENBOSCH")
True
>>> fold("'s-Hertogenbosch")
's hertogenbosch'
>>> slugify("Súdwest-Fryslân")
'sudwest-fryslan'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["repair_mojibake", "clean", "fold", "slugify"]

# Byte sequences that only appear when UTF-8 was decoded as Latin-1 / cp1252.
_MOJIBAKE = re.compile("[ÃÂâ][\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
_APOSTROPHES = re.compile(r"['`´]")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 bytes that were decoded as Latin-1/cp1252 (``CoÃ¶peratie`` -> ``Coöperatie``).

    Text without the tell-tale sequences is returned unchanged, so repairing twice is safe.

    >>> repair_mojibake("Waterschap â€™t Suydevelt")
    'Waterschap ’t Suydevelt'
    >>> repair_mojibake("Coöperatie")
    'Coöperatie'
    """
    if not _MOJIBAKE.search(text):
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


def clean(text: str) -> str:
    """The display form of a name: mojibake repaired, NFC, typographic quotes plain,
    whitespace collapsed, stray trailing commas removed.

    >>> clean(" Overbetuwe,")
    'Overbetuwe'
    >>> clean("Werk en Inkomen Steenwijkerland en  Westerveld")
    'Werk en Inkomen Steenwijkerland en Westerveld'
    """
    text = unicodedata.normalize("NFC", repair_mojibake(text)).translate(_QUOTES)
    return " ".join(text.split()).strip(" ,;")


def fold(text: str) -> str:
    """The comparison key of a name or phrase: cleaned (:func:`clean`), diacritics removed,
    case folded, apostrophes dropped (``auto's`` -> ``autos``), every other run of
    characters that are not ASCII letters or digits turned into one space.

    >>> fold("  Coöperatie / Fryslân's  wind-TURBINES ")
    'cooperatie fryslans wind turbines'
    >>> fold("Nuenen. Gerwen en Nederwetten") == fold("Nuenen, Gerwen en Nederwetten")
    True
    >>> fold("Straße"), fold("FryslÃ¢n")
    ('strasse', 'fryslan')

    Complexity: O(len(text)).
    """
    decomposed = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", clean(text).casefold()))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", stripped).split())


def slugify(text: str, *, max_length: int = 80) -> str:
    """A lower-case ASCII slug with ``-`` for IRIs: :func:`fold` with ``-`` for spaces.

    >>> slugify("Gemeenschappelijk Belastingkantoor Lococensus - Tricijn (GBLT)")
    'gemeenschappelijk-belastingkantoor-lococensus-tricijn-gblt'
    >>> slugify("'s-Hertogenbosch")
    's-hertogenbosch'
    """
    slug = fold(text).replace(" ", "-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or "x"
