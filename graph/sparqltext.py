"""The one SPARQL tokenizer: which characters of a SPARQL text are strings, IRIs,
comments, brackets, variables, words (keywords, prefixed names, numbers) and other
punctuation.

It is not a parser (what a text means is rdflib's or Oxigraph's decision); it serves the
places that must look at a text without parsing it:

* the nesting-depth pre-check (``nesting_depth``, behind ``graph.sandbox.depth_refusal``), run *before* any parser,
  since a recursive parser given ``((((...`` would recurse;
* splitting an update into its operations and their ``{...}`` groups, with SERVICE found
  inside them (``graph.update_eval``);
* finding the WHERE group of our own named queries and the prefixes a query uses
  (``graph.queries``).

>>> [(t.kind, t.text) for t in tokens('PREFIX rk: <urn:x#> ASK { ?s rk:p "}" . } # }')]
[('word', 'PREFIX'), ('word', 'rk:'), ('iri', '<urn:x#>'), ('word', 'ASK'), ('open', '{'),
 ('var', '?s'), ('word', 'rk:p'), ('string', '"}"'), ('punct', '.'), ('close', '}'), ('comment', '# }')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# The pieces, each written once; TOKEN and _SKIP_OR_BRACKET are made of them.
_STRING = (r'"""(?:[^"\\]|\\.|"(?!""))*"""'
           r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
           r'|"(?:[^"\\\n]|\\.)*"'
           r"|'(?:[^'\\\n]|\\.)*'")
_IRI = r'<[^<>"{}|^`\\\s]*>'
_COMMENT = r"#[^\n]*"
OPEN, CLOSE = "{([", "})]"

TOKEN = re.compile(
    rf"(?P<string>{_STRING})"
    rf"|(?P<iri>{_IRI})"
    rf"|(?P<comment>{_COMMENT})"
    r"|(?P<open>[{(\[])|(?P<close>[})\]])"
    r"|(?P<space>\s+)"
    r"|(?P<var>[?$]\w*)"
    # keywords, prefixed names (with \-escapes, %-encoding and inner dots) and numbers
    r"|(?P<word>(?:[\w:]|\\.)(?:[\w:%\-]|\\.|\.+(?=[\w:%\-\\]))*)"
    r"|(?P<punct>.)",  # incl. a quote that opens no complete string
    re.S,
)
# Only strings, IRIs and comments (skipped) and brackets: the depth pre-check, at C speed.
_SKIP_OR_BRACKET = re.compile(rf"{_STRING}|{_IRI}|{_COMMENT}|[{{}}()\[\]]")


@dataclass
class Token:
    """A piece of a SPARQL text: ``kind`` (a group name of :data:`TOKEN`), its text and offsets."""

    kind: str
    text: str
    start: int
    end: int


def tokens(text: str, *, skip: tuple[str, ...] = ("space",)) -> Iterator[Token]:
    """The tokens of ``text`` in order, without those of the kinds in ``skip``.

    A quote that opens no complete string comes as a ``punct`` token (callers that must
    refuse it do so); every character belongs to exactly one token.

    >>> [t.text for t in tokens("?o.SERVICE rk:a.b. 1.5;", skip=("space", "punct"))]
    ['?o', 'SERVICE', 'rk:a.b', '1.5']
    >>> [(t.kind, t.text) for t in tokens("'open", skip=())][:2]
    [('punct', "'"), ('word', 'open')]

    Complexity: O(length of the text).
    """
    for m in TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        if kind not in skip:
            yield Token(kind, m.group(), m.start(), m.end())


def nesting_depth(text: str) -> int:
    """The deepest nesting of ``{ ( [`` in a SPARQL text (outside strings, IRIs, comments);
    a close without its open is passed over.

    >>> nesting_depth('ASK { ?s ?p "((((" FILTER((?o)) } # [[[[')
    3
    >>> nesting_depth(") (")
    1

    Complexity: O(length of the text).
    """
    depth = deepest = 0
    for m in _SKIP_OR_BRACKET.finditer(text):
        ch = m.group()
        if len(ch) != 1:
            continue
        if ch in OPEN:
            depth += 1
            if depth > deepest:
                deepest = depth
        elif ch in CLOSE and depth:
            depth -= 1
    return deepest


__all__ = ["Token", "TOKEN", "tokens", "nesting_depth", "OPEN", "CLOSE"]
