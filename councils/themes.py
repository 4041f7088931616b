"""Themes of two conversations side by side: pure Python over scikit-learn, no Django, no database.

`themes_compare(external, internal)` finds the themes of the external conversation (mentions) and of the
internal one (posts, comments, ideas, feedback) *together*, so that a theme found on both sides is one
theme, and says for each how much of each side talks about it.

Method (chosen on the planted corpus, councils/tests/gap_corpus.py, `python -m councils.gap_eval`):

1. TF-IDF over both sides' documents at once: words and two-word phrases, letters only, accents folded,
   sublinear term frequency, English stop words (but "can": a can is a thing here), everyday chatter words,
   and the `stop_words` the caller adds (the brand's own name, which is in every mention and so tells
   nothing). A term must be in 2 documents at least and in at most `MAX_DF` of them.
2. NMF (non-negative matrix factorisation, nndsvda start, fixed `random_state`: deterministic) with
   `n_themes` components: more components than there are themes (`n_themes_for`), so that small themes get
   one of their own; NMF then splits big themes by their phrasings, which step 3 puts back together.
3. Components are joined, the most alike first, while the centroids of their documents' TF-IDF vectors
   are alike (cosine ≥ `MERGE_COSINE`; average linkage: a joined group's centroid is all its documents').
4. Each document counts in one theme at most: its strongest (joined) component, when that holds at least
   `MIN_WEIGHT_SHARE` of the document's weight (a document of everyday chatter spreads its little weight
   and counts nowhere). A theme is kept when it has 3 documents, `MIN_THEME_SHARE` of one side's
   documents, and is coherent: `MIN_COHERENCE` of its documents hold one of its first five keywords
   (a heap of leftover chatter does not).
5. Per side, a theme's `count` is its documents on that side and its `share` that count over *all* of the
   side's documents (themed or not). `net_sentiment` is the mean of the documents' sentiment (−1…1; for
   labels: positive 1, neutral 0, negative −1, i.e. (positive − negative) / scored), None when none is scored.
6. Side: **shared** when the weaker side's share is at least `SHARED_RATIO` (one third) of the stronger
   side's, or when each side gives it at least `MIN_PRESENCE_SHARE` of its documents and
   `MIN_PRESENCE_COUNT` documents (both sides really talk about it, whatever their sizes); otherwise
   **external_only** or **internal_only**, after the stronger side.
7. Overlap (0…1): 1 − the Jensen–Shannon distance (base 2) between the two sides' distributions over the
   themes (each side's themed documents, normalised). 1: both sides talk about the same things in the same
   proportions; 0: no theme in common, or a side with nothing themed.
8. Keywords, most telling first: the share of the theme's documents that hold a term × the share of the
   term's documents that are in the theme (a word every theme uses comes after the words that set this one
   apart), a term left out when its words are already in the list. The label is the first keyword when it
   is a phrase, else the first two keywords (in the order people write them, when that is a phrase).
9. Examples: per side, the documents that weigh most in the theme, the same text once, trimmed.
"""

import math
import re
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.spatial.distance import jensenshannon
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from threadpoolctl import threadpool_limits

SHARED = "shared"
EXTERNAL_ONLY = "external_only"
INTERNAL_ONLY = "internal_only"

MAX_DF = 0.5  # a term in more than half of all documents names no theme
SHARED_RATIO = 1 / 3  # shared: the weaker side's share is at least a third of the stronger side's
MIN_WEIGHT_SHARE = 0.35  # a document counts in its strongest theme when it holds this much of its weight
# Shared also when each side gives the theme at least this share of its documents, and this many documents: a
# side of many documents dominated by chatter (the mentions) gives every real theme a small share.
MIN_PRESENCE_SHARE = 0.03
MIN_PRESENCE_COUNT = 3
MIN_THEME_SHARE = 0.03  # a theme needs 3% of one side's documents (and 3 documents at least)
MERGE_COSINE = 0.17  # components whose documents' centroids are this alike are one theme
MIN_COHERENCE = 0.4  # 40% of a theme's documents hold one of its first five keywords
EXAMPLES = 3
EXAMPLE_CHARS = 240
KEYWORDS = 6

# Chatter that is in every conversation and names nothing (on top of scikit-learn's English list).
CHATTER = set(
    re.findall(
        r"\S+",
        """im ive id dont didnt doesnt isnt wasnt cant wont youre theyre thats whats lets really just like got get
        gets getting go going gone went know think thought want wanted need say said says tell told make made
        thing things stuff lot lots bit way day days today tomorrow yesterday week weeks time times year years
        good great nice bad ok okay yes yeah yep nope lol omg wow guys guy people everyone anyone someone
        thanks thank pls please hey hi hello sure maybe actually literally honestly pretty kind sort
        new old little big right left come came look looks looking feel feels felt love loved hate
        want wants use used using try tried trying""",
    )
)
STOP_WORDS = (set(ENGLISH_STOP_WORDS) - {"can"}) | CHATTER
TOKEN_PATTERN = r"(?u)\b[a-z][a-z]+\b"


@dataclass(frozen=True)
class Doc:
    """One document: its text, its sentiment (−1…1, None: not scored), and whether it may be quoted."""

    text: str
    sentiment: float | None = None
    quotable: bool = True


@dataclass
class SideFigures:
    count: int
    share: float
    net_sentiment: float | None
    examples: list[str]
    docs: list[int]  # indices into that side's input, strongest first


@dataclass
class Theme:
    label: str
    keywords: list[str]
    side: str
    external: SideFigures
    internal: SideFigures

    def as_contract(self) -> dict:
        """The report's JSON shape (issue 14's contract) for this theme."""

        def figures(side: SideFigures, *, sentiment: bool) -> dict:
            out = {"count": side.count, "share": round(side.share, 4)}
            if sentiment or side.net_sentiment is not None:
                out["net_sentiment"] = None if side.net_sentiment is None else round(side.net_sentiment, 3)
            return out

        return {
            "label": self.label,
            "keywords": self.keywords,
            "side": self.side,
            "external": figures(self.external, sentiment=True),
            "internal": figures(self.internal, sentiment=False),
            "examples": {"external": self.external.examples, "internal": self.internal.examples},
        }


@dataclass
class Comparison:
    overlap: float
    themes: list[Theme] = field(default_factory=list)
    documents: dict = field(default_factory=lambda: {"external": 0, "internal": 0})


def _as_docs(items: Iterable) -> list[Doc]:
    return [item if isinstance(item, Doc) else Doc(str(item)) for item in items]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace("'", "")


def _trim(text: str, limit: int = EXAMPLE_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:!?-")
    return cut + "…"


def stop_words_for(names: Iterable[str]) -> set[str]:
    """The words of names (the brand's, say) as the vectoriser sees them: "Carl's Soda" -> {"carls", "soda"}."""
    return set(re.findall(TOKEN_PATTERN, " ".join(_fold(name) for name in names)))


def n_themes_for(n_docs: int) -> int:
    """How many NMF components to start from: more than there are themes (the merge joins the splits),
    more for bigger corpora, 2 to 24."""
    return max(2, min(24, round(math.sqrt(n_docs) / 1.2)))


def themes_compare(
    external: Sequence[Doc | str],
    internal: Sequence[Doc | str],
    *,
    stop_words: Iterable[str] = (),
    n_themes: int | None = None,
    random_state: int = 0,
    shared_ratio: float = SHARED_RATIO,
) -> Comparison:
    """The themes of `external` and `internal` found together, with each side's figures (module docstring)."""
    external, internal = _as_docs(external), _as_docs(internal)
    docs = external + internal
    sizes = {"external": len(external), "internal": len(internal)}
    empty = Comparison(overlap=0.0, themes=[], documents=sizes)
    if len(docs) < 4:
        return empty
    vectoriser = TfidfVectorizer(
        preprocessor=_fold,
        token_pattern=TOKEN_PATTERN,
        stop_words=sorted(STOP_WORDS | {_fold(word) for word in stop_words}),
        ngram_range=(1, 2),
        min_df=2,
        max_df=MAX_DF if len(docs) >= 40 else 1.0,
        sublinear_tf=True,
        max_features=6000,
        dtype=np.float32,
    )
    try:
        matrix = vectoriser.fit_transform([doc.text for doc in docs])
    except ValueError:  # no term left: nothing but stop words and one-off words
        return empty
    k = min(n_themes or n_themes_for(len(docs)), matrix.shape[0], matrix.shape[1])
    if k < 1:
        return empty
    model = NMF(n_components=k, init="nndsvda", random_state=random_state, max_iter=200, tol=1e-3)
    # One BLAS thread: on a busy server, threads fighting over the cores made the SVD of NMF's start ten
    # times slower; and one thread sums in one order, the same every time.
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a perfect fit of a tiny corpus rounds below zero
        weights = model.fit_transform(matrix)  # documents × components
    vocabulary = vectoriser.get_feature_names_out()

    first = _assign(weights)
    components = _merge_alike(matrix, first, k)  # groups of component indices, one group a theme
    weights = np.column_stack([weights[:, group].sum(axis=1) for group in components])
    assigned = _assign(weights)
    present = (matrix > 0).astype(np.float32).tocsr()
    document_frequency = np.asarray(present.sum(axis=0)).ravel()

    n_ext = len(external)
    themes, ext_counts, int_counts = [], [], []
    for t in range(len(components)):
        members = np.flatnonzero(assigned == t)
        if len(members) < 3:
            continue
        keywords = _keywords(present, members, vocabulary, document_frequency)
        if not _coherent(present, members, keywords, vectoriser.vocabulary_):
            continue
        order = sorted(members.tolist(), key=lambda i: (-float(weights[i, t]), i))
        ext_docs = [i for i in order if i < n_ext]
        int_docs = [i - n_ext for i in order if i >= n_ext]
        ext = _side(external, ext_docs)
        inn = _side(internal, int_docs)
        if max(ext.share, inn.share) < MIN_THEME_SHARE:
            continue
        themes.append(
            Theme(
                label=_label(keywords, vectoriser.vocabulary_, document_frequency),
                keywords=keywords,
                side=_which_side(ext, inn, shared_ratio),
                external=ext,
                internal=inn,
            )
        )
        ext_counts.append(ext.count)
        int_counts.append(inn.count)
    order = sorted(range(len(themes)), key=lambda i: (-(themes[i].external.share + themes[i].internal.share), i))
    themes = [themes[i] for i in order]
    overlap = _overlap([ext_counts[i] for i in order], [int_counts[i] for i in order])
    return Comparison(overlap=overlap, themes=themes, documents=sizes)


def _assign(weights: np.ndarray) -> np.ndarray:
    """Each document's strongest component, or -1 when none holds MIN_WEIGHT_SHARE of its weight."""
    totals = weights.sum(axis=1)
    held = np.divide(weights.max(axis=1), totals, out=np.zeros_like(totals), where=totals > 0)
    return np.where((totals > 0) & (held >= MIN_WEIGHT_SHARE), weights.argmax(axis=1), -1)


def _merge_alike(matrix, assigned: np.ndarray, k: int) -> list[list[int]]:
    """Components joined while the centroids of their documents are alike (cosine ≥ MERGE_COSINE), the most
    alike first, a joined group's centroid being that of all its documents (average linkage): NMF with
    many components splits a big theme by its phrasings, and this puts it back together."""
    groups = [[t] for t in range(k)]
    sums = [np.asarray(matrix[assigned == t].sum(axis=0)).ravel() for t in range(k)]
    sizes = [int((assigned == t).sum()) for t in range(k)]
    while len(groups) > 1:
        centroids = np.vstack([total / max(size, 1) for total, size in zip(sums, sizes, strict=True)])
        norms = np.linalg.norm(centroids, axis=1, keepdims=True)
        unit = np.divide(centroids, norms, out=np.zeros_like(centroids), where=norms > 0)
        similar = unit @ unit.T
        np.fill_diagonal(similar, -1)
        i, j = np.unravel_index(int(similar.argmax()), similar.shape)
        if similar[i, j] < MERGE_COSINE:
            break
        i, j = min(i, j), max(i, j)
        groups[i] += groups.pop(j)
        sums[i] = sums[i] + sums.pop(j)
        sizes[i] += sizes.pop(j)
    return groups


def _coherent(present, members: np.ndarray, keywords: list[str], index: dict) -> bool:
    """A theme, not a heap of leftovers: MIN_COHERENCE of its documents hold one of its first five keywords."""
    columns = [index[keyword] for keyword in keywords[:5] if keyword in index]
    if not columns:
        return False
    holds = np.asarray(present[members][:, columns].sum(axis=1)).ravel() > 0
    return float(holds.mean()) >= MIN_COHERENCE


def _side(docs: list[Doc], members: list[int]) -> SideFigures:
    scored = [docs[i].sentiment for i in members if docs[i].sentiment is not None]
    examples, seen = [], set()
    for i in members:
        if len(examples) == EXAMPLES:
            break
        if not docs[i].quotable:
            continue
        key = " ".join(_fold(docs[i].text).split())
        if key and key not in seen:
            seen.add(key)
            examples.append(_trim(docs[i].text))
    return SideFigures(
        count=len(members),
        share=len(members) / len(docs) if docs else 0.0,
        net_sentiment=sum(scored) / len(scored) if scored else None,
        examples=examples,
        docs=members,
    )


def _which_side(external: SideFigures, internal: SideFigures, ratio: float) -> str:
    external_share, internal_share = external.share, internal.share
    strong, weak = max(external_share, internal_share), min(external_share, internal_share)
    if strong > 0 and weak >= ratio * strong:
        return SHARED
    if all(side.count >= MIN_PRESENCE_COUNT and side.share >= MIN_PRESENCE_SHARE for side in (external, internal)):
        return SHARED  # both sides talk about it for real, however unequal their sizes and their chatter
    return EXTERNAL_ONLY if external_share > internal_share else INTERNAL_ONLY


def _keywords(present, members: np.ndarray, vocabulary: np.ndarray, document_frequency: np.ndarray) -> list[str]:
    """The terms that tell this theme's documents apart: the share of its documents that hold the term times
    the share of the term's documents that are in it (a word every theme uses comes late, a phrase one
    document of the theme uses too). A term whose words are all in the list already is left out."""
    inside = np.asarray(present[members].sum(axis=0)).ravel()
    telling = (inside / len(members)) * np.divide(
        inside, document_frequency, out=np.zeros_like(inside), where=document_frequency > 0
    )
    picked: list[str] = []
    covered: set[str] = set()
    for j in sorted(np.flatnonzero(telling > 0).tolist(), key=lambda j: (-float(telling[j]), vocabulary[j])):
        words = set(vocabulary[j].split())
        if words <= covered:
            continue
        picked.append(str(vocabulary[j]))
        covered |= words
        if len(picked) == KEYWORDS:
            break
    return picked


def _label(keywords: list[str], vocabulary: dict, document_frequency: np.ndarray) -> str:
    """The first keyword when it is a phrase, else the first two: as the phrase people write when they
    write it in that order in at least half the documents of the first ("beer", "root": "root beer"); the
    second alone when it is a phrase holding the first ("vending", "vending machine": "vending machine")."""
    if not keywords:
        return ""
    if " " in keywords[0] or len(keywords) == 1:
        return keywords[0]
    if keywords[0] in keywords[1].split():
        return keywords[1]
    first, second = keywords[:2]
    reverse, first_df = vocabulary.get(f"{second} {first}"), document_frequency[vocabulary[first]]
    if reverse is not None and document_frequency[reverse] * 2 >= first_df:
        return f"{second} {first}"
    return f"{first} {second}"


def _overlap(external_counts: list[int], internal_counts: list[int]) -> float:
    ext, inn = sum(external_counts), sum(internal_counts)
    if not ext or not inn:
        return 0.0
    distance = jensenshannon(np.array(external_counts) / ext, np.array(internal_counts) / inn, base=2)
    return float(max(0.0, min(1.0, 1.0 - distance)))
