"""Tracked-term queries: how to describe the posts you want to collect.

A query is made of terms combined with operators. Matching ignores upper and
lower case and works on whole words: spaces and punctuation separate words.

Words
    soda            the word soda: "Soda!" and "SODA" match; "sodas" and "sodapop" don't.
    soda*           any word starting with soda: soda, sodas, sodapop.
                    The * can only end a word.
    carl's          an apostrophe inside a word is part of it (’ works too).
    café            accented letters are letters: café is one word, different from cafe.
    coca-cola       words joined by - or _ are searched as a phrase: same as "coca cola".

Phrases
    "carl's soda"   these words next to each other, in this order.

Handles and hashtags
    @carlssoda      this handle exactly: matches "@CarlsSoda", not "@carlssoda_fans",
                    "@carlssodaofficial" or an address like info@carlssoda.com.
    #carlssoda      this hashtag exactly: not #carlssodalove.

    A plain word also matches the hashtag made of that word: soda matches "#soda",
    because people use hashtags as words ("loving my #soda"). A plain word never
    matches a handle: carlssoda does not match "@carlssoda", because a handle names
    an account rather than talking about the brand. Search for @carlssoda to find it.

Combining terms
    soda cola           both (same as soda AND cola)
    soda OR cola        either one
    soda -diet          soda, but not in posts that mention diet (same as soda NOT diet)
    soda -"carl's jr"   exclusions work on phrases, handles, hashtags and groups too
    soda NEAR/3 cola    both, at most 3 words apart, in either order: "soda and cola"
                        matches (2 apart), "soda with lime and cola" doesn't (4 apart).
                        NEAR joins words, phrases, handles, hashtags and OR-groups of them.
    (soda OR pop) carl  parentheses group terms

    Operators are written in capitals: AND, OR, NOT, NEAR/3. Lowercase and, or,
    not and near are searched as ordinary words.

Which operator comes first
    Without parentheses, exclusions (- and NOT) bind tightest, then NEAR, then AND
    (or a plain space), then OR. So  a b OR c  means  (a b) OR c,  and
    a OR b NEAR/2 c  means  a OR (b NEAR/2 c).

    One exception, as in other listening tools: an exclusion written outside any
    parentheses applies to the whole query.  a OR b -d  means  (a OR b) -d:  no post
    mentioning d matches, whichever alternative it matched. Inside parentheses an
    exclusion only applies to its group:  a OR (b -d)  still matches "a and d".

    A query needs at least one term to match: -diet alone is refused, and so is a
    group like (soda OR -diet), whose second half would match almost every post.

How long a query may be
    At most 1,000 characters and 50 terms (words, phrases, handles and hashtags,
    excluded ones included). For more, track several terms: every post is matched
    against every active term, so one huge query would slow down all listening.

Example
    "carl's soda" OR @carlssoda OR #carlssoda -"carl's jr"

    matches "Loving Carl's Soda today" and "@CarlsSoda rocks", but not
    "Carl's Jr and carl's soda" (it mentions Carl's Jr) or "@carlssoda_fans".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from typing import Literal

__all__ = [
    "And",
    "Handle",
    "Hashtag",
    "InvalidTermQuery",
    "Near",
    "Not",
    "Or",
    "Phrase",
    "Query",
    "Term",
    "TermMatcher",
    "Tokens",
    "MAX_QUERY_CHARACTERS",
    "MAX_QUERY_TERMS",
    "match",
    "parse",
    "parse_bounded",
    "term_count",
    "required_tokens",
    "tokenize",
]

# For developers: parse(text) -> Query raises InvalidTermQuery(message, position). Query.matches(text) or, to match
# many queries against one text, tokenize(text) once and call query.matches_tokens(tokens). str(query) is canonical:
# parse(str(q)) == q for every query that parse() accepts.


# ----------------------------------------------------------------------------------------------------------------
# Text → tokens
# ----------------------------------------------------------------------------------------------------------------


def _combining_marks() -> str:
    """A regex character-class body covering every combining mark (Unicode category M*).

    Python's `re` counts letters and digits as word characters but not combining marks, so without them a decomposed
    "café" (e + U+0301), a Hindi word (vowel signs) or a casefolded "İ" (i + U+0307) would be cut in pieces. The set is
    computed from `unicodedata`, so it follows the running Python's Unicode version.

    The class is only ever used next to letters and digits, so a range may run on across letters, digits and unassigned
    code points between two marks: that matches nothing new, and makes far fewer ranges (~130 instead of ~300), which
    matters because `re` tests ranges above U+FFFF one by one for every character of every post.
    All marks live below U+20000 except the variation selectors supplement, which we add by hand rather than scanning
    the whole code space (that costs ~0.1 s at import; this a few hundredths).
    """
    ranges: list[tuple[int, int]] = [(0x200C, 0x200D)]  # zero-width (non-)joiners: Persian and Indic use them mid-word
    bridging = False  # whether everything since the last mark could join a word anyway
    for code in range(0x20000):
        char = chr(code)
        category = unicodedata.category(char)
        if category.startswith("M"):
            if bridging or ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
            bridging = True
        elif category != "Cn" and not char.isalnum():  # isalnum() is exactly re's [^\W_]
            bridging = False
    ranges.append((0xE0100, 0xE01EF))
    return "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in ranges)


_MARKS = _combining_marks()
_LETTER_OR_DIGIT = rf"(?:[^\W_]|[{_MARKS}])"  # \w without the underscore: "carl_soda" is two words, like "carl-soda"
_NAME_CHAR = rf"[\w{_MARKS}]"  # handles and hashtags do keep underscores: @carlssoda_fans is one handle

# A handle or hashtag must not be glued to a preceding word, so "info@carlssoda.com" holds no handle (the lookbehind
# sits after the sigil because a lookbehind at every position is slow). Apostrophes only count inside a word, so the
# quotes in 'soda' and the one in carls' are punctuation.
_TOKEN_RE = re.compile(rf"[@#](?<!{_NAME_CHAR}[@#]){_NAME_CHAR}+|{_LETTER_OR_DIGIT}+(?:'{_LETTER_OR_DIGIT}+)*")
# The same rules for ASCII-only text, which can't hold combining marks: ~2.5x faster than _TOKEN_RE, and most posts
# take this path.
_ASCII_TOKEN_RE = re.compile(r"[@#](?<!\w[@#])\w+|[^\W_]+(?:'[^\W_]+)*")
_LETTER_OR_DIGIT_RE = re.compile(_LETTER_OR_DIGIT)

# Typographic apostrophes (right/left single quotation mark, modifier letter apostrophe) all mean "'".
_APOSTROPHES = ("\u2019", "\u2018", "\u02bc")


def _normalize(text: str) -> str:
    """Casefold (case-insensitive matching, ß = ss), compose accents (NFC) and unify apostrophes."""
    text = unicodedata.normalize("NFC", text.casefold())
    for apostrophe in _APOSTROPHES:  # chained replace() is ~10x faster than str.translate() here
        text = text.replace(apostrophe, "'")
    return text


@dataclass(frozen=True, slots=True)
class Tokens:
    """A text split into normalized tokens (words, @handles, #hashtags), indexed for fast matching.

    Build it once per text with tokenize() and pass it to Query.matches_tokens() for every query.
    """

    sequence: tuple[str, ...]
    # token -> its positions, ascending. A hashtag is also indexed under its bare word (see the help above).
    _positions: dict[str, list[int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        positions: dict[str, list[int]] = {}
        for position, token in enumerate(self.sequence):
            positions.setdefault(token, []).append(position)
            if token[0] == "#":
                positions.setdefault(token[1:], []).append(position)
        object.__setattr__(self, "_positions", positions)

    def positions(self, token: str) -> Sequence[int]:
        """Where `token` (a word, "@handle" or "#hashtag") occurs; a word also finds its hashtag."""
        return self._positions.get(token, [])

    def distinct(self) -> Iterable[str]:
        """Every token that `positions()` finds (a hashtag also under its bare word), once."""
        return self._positions.keys()

    def holds_any(self, tokens: frozenset[str]) -> bool:
        """Whether any of `tokens` (as `positions()` looks them up) occurs."""
        return not tokens.isdisjoint(self._positions)


def tokenize(text: str) -> Tokens:
    """Split a post into tokens, the way queries see it."""
    if text.isascii():  # most posts: casefold() is lower(), and NFC and the apostrophes change nothing
        return Tokens(tuple(_ASCII_TOKEN_RE.findall(text.lower())))
    text = _normalize(text)
    return Tokens(tuple((_ASCII_TOKEN_RE if text.isascii() else _TOKEN_RE).findall(text)))


def _single_token(value: str) -> bool:
    """Whether `value` is already one normalized token, so that it prints and parses back as itself."""
    return isinstance(value, str) and tokenize(value).sequence == (value,)


# ----------------------------------------------------------------------------------------------------------------
# Errors
# ----------------------------------------------------------------------------------------------------------------


class InvalidTermQuery(ValueError):
    """A query that can't be parsed: `message` says why in a sentence; `position` is the problem's 0-based offset."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message, position)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return f"{self.message} (at position {self.position})"


# ----------------------------------------------------------------------------------------------------------------
# The query AST
# ----------------------------------------------------------------------------------------------------------------

Span = tuple[int, int]  # first and last token position of an occurrence, inclusive


class Query:
    """A parsed query: an immutable, comparable, hashable tree of the node classes below."""

    __slots__ = ()

    def matches(self, text: str) -> bool:
        """Whether the post `text` matches. To test many queries against one text, use matches_tokens()."""
        return self.matches_tokens(tokenize(text))

    def matches_tokens(self, tokens: Tokens) -> bool:
        """Whether the post tokenized as `tokens` (see tokenize()) matches."""
        raise NotImplementedError

    def spans(self, tokens: Tokens) -> Iterator[Span]:
        """Where the query occurs, as (first, last) token positions; only queries that NEAR can join have them."""
        raise TypeError(f"{type(self).__name__} has no position in a text")

    def to_string(self) -> str:
        """The canonical query text: it parses back to an equal query."""
        return _format(self, top_level=True)

    def __str__(self) -> str:
        return self.to_string()


@dataclass(frozen=True, slots=True)
class Term(Query):
    """A word (lowercase, normalized); with `wildcard`, any word starting with it (written soda*)."""

    word: str
    wildcard: bool = False

    def __post_init__(self) -> None:
        if not _single_token(self.word) or self.word[0] in "@#":
            raise ValueError(f"Term needs one normalized word (lowercase, no spaces), not {self.word!r}")

    def matches_tokens(self, tokens: Tokens) -> bool:
        if not self.wildcard:
            return self.word in tokens._positions  # the common case: one dict lookup
        # Keys starting with a plain word are words (or hashtag words), never "@..." / "#..." keys.
        return any(token.startswith(self.word) for token in tokens._positions)

    def spans(self, tokens: Tokens) -> Iterator[Span]:
        if self.wildcard:
            found = chain.from_iterable(p for t, p in tokens._positions.items() if t.startswith(self.word))
        else:
            found = tokens.positions(self.word)
        return ((position, position) for position in found)


@dataclass(frozen=True, slots=True)
class Phrase(Query):
    """Tokens next to each other, in order. Usually words; an "@handle" or "#hashtag" may be part of a phrase."""

    words: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", tuple(self.words))
        if not self.words or not all(_single_token(word) for word in self.words):
            raise ValueError(f"Phrase needs one or more normalized tokens, not {self.words!r}")

    def matches_tokens(self, tokens: Tokens) -> bool:
        # Every word present somewhere (a dictionary lookup each) before looking for them side by side.
        return all(tokens.positions(word) for word in self.words[1:]) and next(self.spans(tokens), None) is not None

    def spans(self, tokens: Tokens) -> Iterator[Span]:
        sequence = tokens.sequence
        rest = self.words[1:]
        for start in tokens.positions(self.words[0]):
            end = start + len(rest)
            if end < len(sequence) and all(
                # Like a single word, a plain word in a phrase also matches its hashtag.
                sequence[start + offset] in (word, "#" + word)
                for offset, word in enumerate(rest, start=1)
            ):
                yield start, end


@dataclass(frozen=True, slots=True)
class Handle(Query):
    """An @handle, matched exactly (name without the @, lowercase)."""

    name: str

    def __post_init__(self) -> None:
        if not _single_token("@" + self.name):
            raise ValueError(f"Handle needs a lowercase name of letters, digits and _, not {self.name!r}")

    def matches_tokens(self, tokens: Tokens) -> bool:
        return "@" + self.name in tokens._positions

    def spans(self, tokens: Tokens) -> Iterator[Span]:
        return ((position, position) for position in tokens.positions("@" + self.name))


@dataclass(frozen=True, slots=True)
class Hashtag(Query):
    """A #hashtag, matched exactly (name without the #, lowercase)."""

    name: str

    def __post_init__(self) -> None:
        if not _single_token("#" + self.name):
            raise ValueError(f"Hashtag needs a lowercase name of letters, digits and _, not {self.name!r}")

    def matches_tokens(self, tokens: Tokens) -> bool:
        return "#" + self.name in tokens._positions

    def spans(self, tokens: Tokens) -> Iterator[Span]:
        return ((position, position) for position in tokens.positions("#" + self.name))


def _check_operands(node: And | Or) -> None:
    object.__setattr__(node, "operands", tuple(node.operands))
    if len(node.operands) < 2 or not all(isinstance(operand, Query) for operand in node.operands):
        raise ValueError(f"{type(node).__name__} needs two or more queries, not {node.operands!r}")


@dataclass(frozen=True, slots=True)
class And(Query):
    """All operands match."""

    operands: tuple[Query, ...]

    def __post_init__(self) -> None:
        _check_operands(self)

    def matches_tokens(self, tokens: Tokens) -> bool:
        return all(operand.matches_tokens(tokens) for operand in self.operands)


@dataclass(frozen=True, slots=True)
class Or(Query):
    """At least one operand matches."""

    operands: tuple[Query, ...]

    def __post_init__(self) -> None:
        _check_operands(self)

    def matches_tokens(self, tokens: Tokens) -> bool:
        return any(operand.matches_tokens(tokens) for operand in self.operands)

    def spans(self, tokens: Tokens) -> Iterator[Span]:
        # Only called when every operand is positional (Near checks that when it is built).
        return chain.from_iterable(operand.spans(tokens) for operand in self.operands)


@dataclass(frozen=True, slots=True)
class Not(Query):
    """The operand does not match (written -x or NOT x)."""

    operand: Query

    def __post_init__(self) -> None:
        if not isinstance(self.operand, Query):
            raise ValueError(f"Not needs a query, not {self.operand!r}")

    def matches_tokens(self, tokens: Tokens) -> bool:
        return not self.operand.matches_tokens(tokens)


@dataclass(frozen=True, slots=True)
class Near(Query):
    """Occurrences of left and right at most `distance` tokens apart, in either order (written left NEAR/n right).

    The distance is measured between the facing ends of the two occurrences ("a b" is 1 apart), and the two may not
    overlap, so `soda NEAR/2 soda` needs two sodas.
    """

    left: Query
    right: Query
    distance: int

    def __post_init__(self) -> None:
        if not (_is_positional(self.left) and _is_positional(self.right)):
            raise ValueError("Near joins words, phrases, handles, hashtags, nears and ORs of them")
        if not isinstance(self.distance, int) or isinstance(self.distance, bool) or self.distance < 1:
            raise ValueError(f"Near needs a distance of at least 1, not {self.distance!r}")

    def matches_tokens(self, tokens: Tokens) -> bool:
        return next(self.spans(tokens), None) is not None

    def spans(self, tokens: Tokens) -> Iterator[Span]:
        rights = list(self.right.spans(tokens))
        if not rights:
            return
        for left_start, left_end in self.left.spans(tokens):
            for right_start, right_end in rights:
                if right_start > left_end:
                    gap = right_start - left_end
                elif left_start > right_end:
                    gap = left_start - right_end
                else:
                    continue  # overlapping occurrences are the same words, not two things near each other
                if gap <= self.distance:
                    yield min(left_start, right_start), max(left_end, right_end)


_LEAVES = (Term, Phrase, Handle, Hashtag)


def _is_positional(node: Query) -> bool:
    """Whether the node occurs at places in a text, so that NEAR can measure a distance to it."""
    if isinstance(node, Or):
        return all(_is_positional(operand) for operand in node.operands)
    return isinstance(node, (*_LEAVES, Near))


# ----------------------------------------------------------------------------------------------------------------
# AST → canonical text
# ----------------------------------------------------------------------------------------------------------------


def _format(node: Query, top_level: bool = False) -> str:
    """Print `node` with just the parentheses needed for parse() to rebuild the same tree.

    Nested And-in-And and Or-in-Or get parentheses (parse() flattens `a b c` but keeps `(a b) c`), and at the top
    level an OR's alternatives that carry exclusions are parenthesized, or parse() would apply those exclusions to
    the whole query.
    """
    match node:
        case Term(word, wildcard):
            return word + "*" if wildcard else word
        case Phrase(words):
            return '"' + " ".join(words) + '"'
        case Handle(name):
            return "@" + name
        case Hashtag(name):
            return "#" + name
        case Not(operand):
            return "-" + (_format(operand) if isinstance(operand, _LEAVES) else _grouped(operand))
        case Near(left, right, distance):
            left_text = _format(left) if isinstance(left, (*_LEAVES, Near)) else _grouped(left)  # NEAR is left-assoc.
            right_text = _format(right) if isinstance(right, _LEAVES) else _grouped(right)
            return f"{left_text} NEAR/{distance} {right_text}"
        case And(operands):
            return " ".join(_format(op) if isinstance(op, (*_LEAVES, Near, Not)) else _grouped(op) for op in operands)
        case Or(operands):
            return " OR ".join(_grouped(op) if _needs_group_in_or(op, top_level) else _format(op) for op in operands)
    raise TypeError(f"Not a query node: {node!r}")


def _grouped(node: Query) -> str:
    return f"({_format(node)})"


def _needs_group_in_or(operand: Query, top_level: bool) -> bool:
    if isinstance(operand, Or):
        return True
    if top_level and isinstance(operand, Not):
        return True
    return top_level and isinstance(operand, And) and any(isinstance(op, Not) for op in operand.operands)


# ----------------------------------------------------------------------------------------------------------------
# Query text → tokens (lexer)
# ----------------------------------------------------------------------------------------------------------------

_Kind = Literal["operand", "(", ")", "OR", "AND", "NOT", "-", "NEAR", "end"]


@dataclass(frozen=True, slots=True)
class _Token:
    kind: _Kind
    position: int
    text: str  # as written, for error messages
    node: Query | None = None  # for operands
    distance: int = 0  # for NEAR/n


_QUOTES = '"“”„'  # straight and typographic double quotes, as pasted from documents
_KEYWORDS: dict[str, _Kind] = {"OR": "OR", "AND": "AND", "NOT": "NOT"}
# A bare word may hold apostrophes, joining hyphens/underscores (coca-cola) and a trailing *; _chunk() checks the rest.
_CHUNK_RE = re.compile(rf"[\w'{''.join(_APOSTROPHES)}*\-{_MARKS}]+")
_NAME_RE = re.compile(rf"{_NAME_CHAR}+")
_DIGITS_RE = re.compile(r"[0-9]+")
_DASH_NEEDS_TERM = "A - must be followed directly by the term it excludes, e.g. -diet"
_WILDCARD_AT_END = "A * wildcard can only end a word, e.g. soda*"
_NEAR_NEEDS_NUMBER = "NEAR/ needs a number, e.g. NEAR/3"
_HINTS = {
    "&": "use AND, or just a space, to require both terms",
    "|": "use OR between alternatives",
    "!": "use - or NOT to exclude a term, e.g. -diet",
    ",": "separate alternatives with OR, e.g. soda OR cola",
    "+": "terms are required anyway, so leave it out",
    "'": 'use double quotes for a phrase, e.g. "carl\'s soda"',
    ".": 'put text with dots in double quotes, e.g. "carlssoda.com"',
    "[": "use parentheses ( ) to group terms",
    "]": "use parentheses ( ) to group terms",
    "{": "use parentheses ( ) to group terms",
    "}": "use parentheses ( ) to group terms",
    "@": "put a space before an @handle",
    "#": "put a space before a #hashtag",
}


def _unexpected_character(text: str, position: int) -> InvalidTermQuery:
    char = text[position]
    hint = _HINTS.get(char)
    if char == "/" and text[:position].lower().endswith("near"):
        hint = "operators are written in capitals: NEAR/3"
    if hint is None:
        hint = 'a query is made of words, "phrases", @handles, #hashtags, operators and parentheses'
    # repr() shows invisible characters (a pasted zero-width space) as escapes the user can recognize.
    return InvalidTermQuery(f"Unexpected character {char!r}: {hint}", position)


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text

    def tokens(self) -> list[_Token]:
        text, position, tokens = self.text, 0, []
        while True:
            while position < len(text) and text[position].isspace():
                position += 1
            if position == len(text):
                tokens.append(_Token("end", position, ""))
                return tokens
            char = text[position]
            if char in "()":
                token, position = _Token("(" if char == "(" else ")", position, char), position + 1
            elif char in _QUOTES:
                token, position = self._phrase(position)
            elif char == "-":
                # "soda - diet" is more likely a typo or a dash used as punctuation than an exclusion: refuse it.
                if position + 1 < len(text) and text[position + 1].isspace():
                    raise InvalidTermQuery(_DASH_NEEDS_TERM, position)
                token, position = _Token("-", position, "-"), position + 1
            elif char in "@#":
                token, position = self._handle_or_hashtag(position)
            elif chunk := _CHUNK_RE.match(text, position):
                token, position = self._chunk(chunk)
            else:
                raise _unexpected_character(text, position)
            tokens.append(token)

    def _check_boundary(self, position: int) -> None:
        """A term or NEAR/n must be followed by a space, a parenthesis, a quote or the end."""
        text = self.text
        if position < len(text) and not (text[position].isspace() or text[position] in "()" + _QUOTES):
            raise _unexpected_character(text, position)

    def _phrase(self, start: int) -> tuple[_Token, int]:
        text = self.text
        end = next((i for i in range(start + 1, len(text)) if text[i] in _QUOTES), None)
        if end is None:
            raise InvalidTermQuery(f"This quote is never closed; add a closing {text[start]} at the end", start)
        content = text[start + 1 : end]
        if (star := content.find("*")) != -1:
            raise InvalidTermQuery(
                "A * wildcard can't be used inside quotes; quotes match words exactly", start + 1 + star
            )
        words = tokenize(content).sequence  # like a post: punctuation inside the quotes just separates words
        if not words:
            raise InvalidTermQuery('This phrase is empty; put words between the quotes, e.g. "carl\'s soda"', start)
        return _Token("operand", start, text[start : end + 1], Phrase(words)), end + 1

    def _handle_or_hashtag(self, start: int) -> tuple[_Token, int]:
        text, sigil = self.text, self.text[start]
        example, node_type = ("@carlssoda", Handle) if sigil == "@" else ("#carlssoda", Hashtag)
        name = _NAME_RE.match(text, start + 1)
        if name is None:
            raise InvalidTermQuery(f"{sigil} must be followed by a name, e.g. {example}", start)
        end = name.end()
        if end < len(text) and text[end] == "*":
            raise InvalidTermQuery("A * wildcard only works on plain words, not on @handles or #hashtags", end)
        if end < len(text) and (text[end] in "'-" or text[end] in _APOSTROPHES):
            raise InvalidTermQuery("@handles and #hashtags contain only letters, digits and _", end)
        self._check_boundary(end)
        normalized = _normalize(text[start:end])
        if not _single_token(normalized):  # casefolding can turn a letter into an apostrophe and a letter: ŉ -> 'n
            raise InvalidTermQuery("@handles and #hashtags contain only letters, digits and _", start + 1)
        node = node_type(normalized[1:])
        return _Token("operand", start, text[start:end], node), end

    def _chunk(self, chunk: re.Match[str]) -> tuple[_Token, int]:
        word, start, end = chunk.group(), chunk.start(), chunk.end()
        if word in _KEYWORDS:
            self._check_boundary(end)
            return _Token(_KEYWORDS[word], start, word), end
        if word == "NEAR":
            return self._near(start, end)
        star = word.find("*")
        if star != -1 and star != len(word) - 1:
            raise InvalidTermQuery(_WILDCARD_AT_END, start + star)
        wildcard = star != -1
        body = word[:-1] if wildcard else word
        if wildcard and not (body and _LETTER_OR_DIGIT_RE.fullmatch(body[-1])):
            raise InvalidTermQuery("A * wildcard must follow a letter or digit, e.g. soda*", end - 1)
        words = tokenize(body).sequence
        if not words:  # only apostrophes, hyphens or underscores
            raise _unexpected_character(self.text, start)
        self._check_boundary(end)
        if wildcard and len(words) > 1:
            raise InvalidTermQuery("A * wildcard only works on a single word, e.g. soda*", end - 1)
        # Hyphenated or underscored words are split just as they are in posts, so coca-cola is "coca cola".
        node = Term(words[0], wildcard) if len(words) == 1 else Phrase(words)
        return _Token("operand", start, word, node), end

    def _near(self, start: int, end: int) -> tuple[_Token, int]:
        text = self.text
        if end >= len(text) or text[end] != "/":
            raise InvalidTermQuery(_NEAR_NEEDS_NUMBER, end)
        digits = _DIGITS_RE.match(text, end + 1)
        if digits is None:
            raise InvalidTermQuery(_NEAR_NEEDS_NUMBER, end + 1)
        if digits.end() < len(text) and not (text[digits.end()].isspace() or text[digits.end()] in "()" + _QUOTES):
            raise InvalidTermQuery("NEAR/ needs a whole number, e.g. NEAR/3", digits.end())
        distance = int(digits.group())
        if distance == 0:
            raise InvalidTermQuery("NEAR/0 can never match: the distance must be at least 1, e.g. NEAR/3", end + 1)
        return _Token("NEAR", start, text[start : digits.end()], distance=distance), digits.end()


# ----------------------------------------------------------------------------------------------------------------
# Tokens → AST (recursive-descent parser)
#
#   query    := or_expr end
#   or_expr  := and_expr (OR and_expr)*
#   and_expr := near_expr ([AND] near_expr)*        a space between operands is an AND
#   near     := unary (NEAR/n unary)*               left-associative
#   unary    := (NOT | -) unary | atom
#   atom     := word | "phrase" | @handle | #hashtag | ( or_expr )
# ----------------------------------------------------------------------------------------------------------------

_OPERAND_STARTS = frozenset({"operand", "(", "NOT", "-"})
# Parentheses, exclusions and NEAR chains nest the tree; a bound keeps parsing, printing and matching (all recursive)
# far from Python's recursion limit, so a pathological query gets an error message instead of a RecursionError.
_MAX_DEPTH = 40

_Parsed = tuple[Query, int]  # a node and the position where its text starts


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _Lexer(text).tokens()
        self.index = 0
        self.depth = 0
        self.exclusions: list[tuple[Not, int]] = []  # every Not built, with the position of its - or NOT

    @property
    def peek(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Query:
        if self.peek.kind == "end":
            raise InvalidTermQuery('The query is empty: type a word, a "phrase", an @handle or a #hashtag', 0)
        node, _ = self.or_expr(top_level=True)
        if self.peek.kind == ")":
            raise InvalidTermQuery("This closing parenthesis has no matching opening one", self.peek.position)
        self.check_something_must_match(node)
        return node

    def or_expr(self, top_level: bool) -> _Parsed:
        alternatives = [self.and_expr()]
        while self.peek.kind == "OR":
            self.expect_operand_after(self.advance())
            alternatives.append(self.and_expr())
        if top_level and len(alternatives) > 1:
            return self.hoist_exclusions(alternatives)
        return _or([_and(operands) for operands in alternatives])

    def hoist_exclusions(self, alternatives: list[list[_Parsed]]) -> _Parsed:
        """Apply the bare exclusions of a top-level OR to the whole query: `a OR b -d` is `(a OR b) -d`."""
        kept: list[list[_Parsed]] = []
        exclusions: list[_Parsed] = []
        for operands in alternatives:
            rest = []
            for node, position in operands:
                # A Not that came from "( ... )" starts at the parenthesis: it is a group, not a bare exclusion.
                if isinstance(node, Not) and self.text[position] != "(":
                    exclusions.append((node, position))
                else:
                    rest.append((node, position))
            if rest:
                kept.append(rest)
        if not kept:
            raise InvalidTermQuery("A query needs at least one term to match, not only exclusions", exclusions[0][1])
        alternative, position = _or([_and(operands) for operands in kept])
        if not exclusions:
            return alternative, position
        # Splice a lone AND alternative (`a b OR -d`) so the result is flat: a b -d.
        head = (
            [(op, position) for op in alternative.operands]
            if isinstance(alternative, And)
            else [(alternative, position)]
        )
        return _and(head + exclusions)

    def and_expr(self) -> list[_Parsed]:
        operands = [self.near_expr()]
        while True:
            if self.peek.kind == "AND":
                self.expect_operand_after(self.advance())
            elif self.peek.kind not in _OPERAND_STARTS:
                return operands
            operands.append(self.near_expr())

    def near_expr(self) -> _Parsed:
        left, position = self.unary()
        links = 0
        while self.peek.kind == "NEAR":
            near = self.advance()
            links += 1
            if self.depth + links > _MAX_DEPTH:
                raise self.too_deep(near.position)
            self.check_near_operand(left, position, near)
            self.expect_operand_after(near)
            right, right_position = self.unary()
            self.check_near_operand(right, right_position, near)
            left = Near(left, right, near.distance)
        return left, position

    def unary(self) -> _Parsed:
        if self.peek.kind not in ("NOT", "-"):
            return self.atom()
        operator = self.advance()
        self.expect_operand_after(operator)
        with self.nested(operator.position):
            operand, _ = self.unary()
        node = Not(operand)
        self.exclusions.append((node, operator.position))
        return node, operator.position

    def atom(self) -> _Parsed:
        token = self.advance()
        if token.kind == "operand":
            assert token.node is not None
            return token.node, token.position
        if token.kind == "(":
            if self.peek.kind == ")":
                raise InvalidTermQuery("Empty parentheses: put a term inside, e.g. (soda OR cola)", token.position)
            if self.peek.kind == "end":
                raise self.unclosed(token)
            with self.nested(token.position):
                node, _ = self.or_expr(top_level=False)
            if self.peek.kind != ")":  # only the end can be left: or_expr() consumes every other token
                raise self.unclosed(token)
            self.advance()
            return node, token.position
        if token.kind == ")":
            raise InvalidTermQuery("This closing parenthesis has no matching opening one", token.position)
        # A binary operator where a term should be: the start of the query, or just after "(". (After another
        # operator, expect_operand_after() has already reported it.)
        raise InvalidTermQuery(f"{token.text} needs a term before it, e.g. soda {token.text} cola", token.position)

    def expect_operand_after(self, operator: _Token) -> None:
        following = self.peek
        if following.kind in _OPERAND_STARTS:
            return
        if operator.kind == "-":
            raise InvalidTermQuery(_DASH_NEEDS_TERM, operator.position)
        if following.kind in ("end", ")"):
            example = "NOT diet" if operator.kind == "NOT" else f"soda {operator.text} cola"
            raise InvalidTermQuery(f"{operator.text} needs a term after it, e.g. {example}", operator.position)
        raise InvalidTermQuery(
            f"{following.text} can't follow {operator.text}; put a term between them", following.position
        )

    def check_near_operand(self, node: Query, position: int, near: _Token) -> None:
        if isinstance(node, Not):
            raise InvalidTermQuery(
                f"An exclusion can't be one side of {near.text}; to exclude the pair, wrap it: -(a {near.text} b)",
                position,
            )
        if not _is_positional(node):
            raise InvalidTermQuery(
                f'{near.text} can only join words, "phrases", @handles, #hashtags, or OR-groups of them', position
            )

    def check_something_must_match(self, node: Query) -> None:
        """Refuse queries that match a post containing none of their terms (an empty post), e.g. `-diet`.

        Such a query would collect almost every post on the network; it is always a mistake in a tracked term.
        """
        culprit = _exclusion_matching_nothing(node)
        if culprit is None:
            return
        position = next(position for exclusion, position in self.exclusions if exclusion is culprit)
        if not _has_required_term(node):
            raise InvalidTermQuery("A query needs at least one term to match, not only exclusions", position)
        raise InvalidTermQuery(
            "This exclusion is an alternative of its own, so the query would match almost every post; "
            "pair it with a term to match, e.g. (soda -diet)",
            position,
        )

    @contextmanager
    def nested(self, position: int) -> Iterator[None]:
        self.depth += 1
        try:
            if self.depth > _MAX_DEPTH:
                raise self.too_deep(position)
            yield
        finally:
            self.depth -= 1

    def unclosed(self, opening: _Token) -> InvalidTermQuery:
        return InvalidTermQuery(
            f"Expected a closing parenthesis for the one opened at position {opening.position}", self.peek.position
        )

    def too_deep(self, position: int) -> InvalidTermQuery:
        return InvalidTermQuery(
            f"This query nests more than {_MAX_DEPTH} levels of parentheses, exclusions or NEARs; simplify it",
            position,
        )


def _and(operands: list[_Parsed]) -> _Parsed:
    if len(operands) == 1:
        return operands[0]
    return And(tuple(node for node, _ in operands)), operands[0][1]


def _or(alternatives: list[_Parsed]) -> _Parsed:
    if len(alternatives) == 1:
        return alternatives[0]
    return Or(tuple(node for node, _ in alternatives)), alternatives[0][1]


def _exclusion_matching_nothing(node: Query) -> Not | None:
    """If `node` matches an empty post, the (first) exclusion responsible for it; else None."""
    match node:
        case Not(operand):
            return node if _exclusion_matching_nothing(operand) is None else None
        case And(operands):
            culprits = [_exclusion_matching_nothing(operand) for operand in operands]
            return culprits[0] if all(culprits) else None
        case Or(operands):
            return next(filter(None, map(_exclusion_matching_nothing, operands)), None)
    return None  # terms, phrases, handles, hashtags and NEARs need words to be present


def _has_required_term(node: Query) -> bool:
    """Whether some term in the query is outside every exclusion."""
    match node:
        case Not():
            return False
        case And(operands) | Or(operands):
            return any(_has_required_term(operand) for operand in operands)
    return True


# ----------------------------------------------------------------------------------------------------------------
# Public entry points
# ----------------------------------------------------------------------------------------------------------------


def required_tokens(query: Query) -> frozenset[str] | None:
    """Tokens of which a text must hold at least one (`Tokens.holds_any`) for `query` to match; None when unknown.

    A cheap test before the real match: most posts mention none of a given term, so most queries are skipped
    with one set operation. None for queries that can match without any particular token (`-diet`, `soda*`).
    """
    match query:
        case Term(word, False):
            return frozenset({word})  # also the key under which "#word" is indexed
        case Term(_, True) | Not():
            return None
        case Phrase(words):
            return frozenset({words[0]})
        case Handle(name):
            return frozenset({"@" + name})
        case Hashtag(name):
            return frozenset({"#" + name})
        case Or(operands):
            sets = [required_tokens(operand) for operand in operands]
            return None if None in sets else frozenset().union(*sets)
        case And(operands):
            return _smallest(required_tokens(operand) for operand in operands)
        case Near(left, right, _):
            return _smallest((required_tokens(left), required_tokens(right)))
    return None


def _smallest(sets: Iterator[frozenset[str] | None]) -> frozenset[str] | None:
    known = [tokens for tokens in sets if tokens is not None]
    return min(known, key=len) if known else None


class TermMatcher:
    """Many queries matched against many texts: each text is tokenized once, and only the queries that one of
    its tokens could satisfy are evaluated (an index from `required_tokens` to queries), so the cost of a text
    grows with its own words and the queries it may match, not with the number of queries tracked."""

    def __init__(self, queries: Sequence[tuple[object, Query]]) -> None:
        self._queries = list(queries)
        self._unindexed: list[int] = []  # queries that can match without a particular token: always evaluated
        self._by_token: dict[str, list[int]] = {}
        for index, (_, query) in enumerate(self._queries):
            required = required_tokens(query)
            if required is None:
                self._unindexed.append(index)
            else:
                for token in required:
                    self._by_token.setdefault(token, []).append(index)

    def matching(self, text: str) -> list:
        """The keys of the queries that `text` matches, in the order given."""
        tokens = tokenize(text)
        candidates = set(self._unindexed)
        by_token = self._by_token
        for token in tokens.distinct():
            if token in by_token:
                candidates.update(by_token[token])
        queries = self._queries
        return [queries[i][0] for i in sorted(candidates) if queries[i][1].matches_tokens(tokens)]


MAX_QUERY_CHARACTERS = 1000
MAX_QUERY_TERMS = 50


def term_count(query: Query) -> int:
    """How many words, phrases, handles and hashtags `query` holds."""
    match query:
        case And(operands) | Or(operands):
            return sum(term_count(operand) for operand in operands)
        case Not(operand):
            return term_count(operand)
        case Near(left, right, _):
            return term_count(left) + term_count(right)
    return 1


def parse_bounded(text: str) -> Query:
    """parse(), refusing a query over MAX_QUERY_CHARACTERS or MAX_QUERY_TERMS (for a new or edited term:
    stored queries are matched with parse(), whatever their size)."""
    if len(text) > MAX_QUERY_CHARACTERS:
        raise InvalidTermQuery(
            f"A query can be at most {MAX_QUERY_CHARACTERS:,} characters long (this one has {len(text):,}); "
            "split it into several terms",
            MAX_QUERY_CHARACTERS,
        )
    query = parse(text)
    if (count := term_count(query)) > MAX_QUERY_TERMS:
        raise InvalidTermQuery(
            f"A query can hold at most {MAX_QUERY_TERMS} words, phrases, handles and hashtags (this one has "
            f"{count}); split it into several terms",
            0,
        )
    return query


def parse(text: str) -> Query:
    """Parse a tracked-term query; raises InvalidTermQuery (a ValueError) with a message and a position."""
    return _Parser(text).parse()


def match(query: Query | str, text: str) -> bool:
    """Whether the post `text` matches `query` (a Query, or query text to parse; parse once when reusing it)."""
    if isinstance(query, str):
        query = parse(query)
    return query.matches(text)
