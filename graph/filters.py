"""Filter values by name, code or IRI: the one resolver the CLI, the API and the analysis
views use, so a filter never fails silently.

``--province Gelderland``, ``province=PV25`` and ``province=https://w3id.org/regiokg/id/provincie/PV25``
name one province; ``domain=afval``, ``domain=waste``, ``domain=beleidsdomein/afval`` one
policy domain. A value that names nothing, or several things, is a :class:`BadInput` error
that names the value and lists the allowed ones (``details.allowed``).

>>> fold_value("Provincie  Fryslân")
'friesland'
"""

from __future__ import annotations

import pyoxigraph as ox

from graph.errors import BadInput, NotFound
from graph.namespaces import RKID
from graph.naming import Named, resolve_name
from graph.text import fold

#: kind -> (IRI folder under the instance base, concept scheme IRI or None for provinces)
KINDS: dict[str, tuple[str, str | None]] = {
    "province": ("provincie", None),
    "domain": ("beleidsdomein", "beleidsdomein"),
    "form": ("samenwerkingsvorm", "samenwerkingsvorm"),
    "type": ("samenwerkingstype", "samenwerkingstype"),
    "role": ("rol", "rol"),
}
_SYNONYMS = {"fryslan": "friesland", "noord brabant": "noord brabant"}
#: Words that join the parts of a label ("zorg en gezondheid"): not enough to name a value.
_JOINING_WORDS = frozenset({"en", "and", "of", "or", "de", "het", "the"})


def base_of(kg) -> str:
    """The instance base IRI of ``kg`` (REGIOKG_BASE_IRI), else the default."""
    settings = getattr(kg, "settings", None)
    return getattr(settings, "base_iri", None) or str(RKID)


def fold_value(text: str) -> str:
    """A filter value as compared: folded, ``provincie`` dropped, Frisian name unified."""
    key = fold(text)
    if key.startswith("provincie "):
        key = key[len("provincie "):]
    return _SYNONYMS.get(key, key)


def allowed_values(kg, kind: str) -> tuple[dict[str, set[str]], dict[str, str]]:
    """(IRI -> the folded names, codes and slug that name it; IRI -> a Dutch display name)."""
    _, scheme = KINDS[kind]
    base = base_of(kg)
    rows = (kg.select("filter_provinces") if scheme is None
            else kg.select("filter_concepts", scheme=ox.NamedNode(base + scheme)))
    found: dict[str, set[str]] = {}
    shown: dict[str, str] = {}
    for r in rows:
        iri = r["thing"].value
        names = found.setdefault(iri, {fold_value(iri.rsplit("/", 1)[-1])})
        if "name" in r:
            names.add(fold_value(r["name"].value))
            lang = getattr(r["name"], "language", None)
            preferred = r["p"].value.endswith(("#prefLabel", "#label"))
            if iri not in shown and preferred and lang in (None, "", "nl") and r["name"].value != iri.rsplit("/", 1)[-1]:
                shown[iri] = r["name"].value
    return found, shown


def _by_words(text: str, values: dict[str, set[str]]) -> list[str]:
    """The values one of whose names holds every word of ``text`` (``gezondheid`` is a word of
    ``zorg en gezondheid``, ``Brabant`` of ``Noord-Brabant``): the last stage of
    :func:`resolve_filter`, after the exact ones; several hits make the value ambiguous.

    >>> _by_words("gezondheid", {"z": {"zorg en gezondheid"}, "v": {"openbare orde en veiligheid"}})
    ['z']
    >>> _by_words("en", {"z": {"zorg en gezondheid"}})
    []
    """
    words = set(fold_value(text).split()) - _JOINING_WORDS
    if not words:
        return []
    return sorted(iri for iri, names in values.items() if any(words <= set(n.split()) for n in names))


def resolve_filter(kg, kind: str, text: str | None, *, name: str | None = None) -> str | None:
    """The IRI a filter value names (None for no value); BadInput naming the value and the
    allowed ones when it names nothing or more than one thing.

    Accepted: the full IRI, ``<folder>/<slug>``, the slug, a code (``PV25``), any label
    (any case and diacritics; ``Provincie`` optional), or, when nothing matches exactly,
    the words of one label (``gezondheid`` for ``zorg en gezondheid``)."""
    if text is None or not str(text).strip():
        return None
    name = name or kind
    if kind not in KINDS:
        raise BadInput(f"unknown filter {kind!r}; known: {', '.join(KINDS)}")
    text = str(text).strip()
    folder, _ = KINDS[kind]
    values, display = allowed_values(kg, kind)
    # The one name resolver (graph.naming): IRI, then slug/code, then folded label.
    candidates = [Named(iri, tuple(names)) for iri, names in values.items()]
    try:
        return resolve_name(text.removeprefix(base_of(kg)).removeprefix(folder + "/"), candidates, what=kind,
                            key=fold_value)
    except NotFound as exc:
        hits = exc.details["candidates"] if exc.code == "ambiguous_name" else _by_words(text, values)
        if len(hits) == 1:
            return hits[0]
        if hits:
            raise BadInput(f"{name}={text!r} is ambiguous: it names {', '.join(h.rsplit('/', 1)[-1] for h in hits)}; "
                           "give the code or the IRI", details={"parameter": name, "value": text, "candidates": hits}) from None
    shown = sorted(iri.rsplit("/", 1)[-1] + (f" ({display[iri]})" if iri in display else "") for iri in values)
    raise BadInput(f"{name}={text!r} names no {kind}; allowed (slug, code, label or IRI): {', '.join(shown)}",
                   details={"parameter": name, "value": text, "allowed": shown})
