"""Search across the intranet: posts, ideas and people, grouped by kind with counts.

On PostgreSQL posts and ideas are found by full-text search (English stemming, the web-search syntax
people know: `"exact phrase"`, `or`, `-word`) and ranked, on each row's stored `search_document` that a
trigger keeps and a GIN index serves (migration 0007_search says why stored). On SQLite (tests, a
laptop) every word must appear, in any case (a plain `icontains`), newest first.

A common word can match tens of thousands of posts: only the RANK_WINDOW newest matches are ranked
(and can be paged through), and counts stop at COUNT_CAP ("1000+"): an exact count of 90,000 matches
costs a quarter of a second, which nobody needs to read. People are found by
intranet.selectors.people_search, which matches only what each person shows in the directory.
"""

import html
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Q, QuerySet, Subquery
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from intranet.models import Idea, Post
from intranet.selectors import people_search

KINDS = ("posts", "ideas", "people")
MAX_QUERY_CHARACTERS = 200
MAX_WORDS = 10  # the SQLite fallback's words, and people_search's
RANK_WINDOW = 500  # the newest matches that are ranked (see the module's docstring)
COUNT_CAP = 1000  # counts above it show as "1000+"
SNIPPET_CHARACTERS = 200

SEARCH_CONFIG = "english"  # the stemming of the triggers in migration 0007_search
# Markers that no one types: ts_headline puts them around matches, snippet_html turns them into <mark>
# after escaping the rest.
_MARK_START, _MARK_STOP = "\x02", "\x03"


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _query(q: str):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")


def search_terms(q: str) -> str:
    """The query as searched: without control characters (PostgreSQL refuses a NUL), whitespace collapsed,
    at most MAX_QUERY_CHARACTERS."""
    printable = "".join(c if c.isprintable() else " " for c in q[: MAX_QUERY_CHARACTERS * 4])
    return " ".join(printable.split())[:MAX_QUERY_CHARACTERS].strip()


def _words(q: str) -> list[str]:
    # The fallback has no syntax: quotes and a leading minus are not part of a word.
    words = [w.strip('"').lstrip("-") for w in q.split()]
    return [w for w in words if w and w.casefold() != "or"][:MAX_WORDS]


def _all_words(fields: tuple[str, ...], q: str) -> Q:
    """Every word in one of `fields`, in any case."""
    condition = Q()
    for word in _words(q):
        either = Q()
        for name in fields:
            either |= Q(**{f"{name}__icontains": word})
        condition &= either
    return condition


def posts_matching(q: str) -> QuerySet[Post]:
    """Posts not hidden that match `q` (unordered: count it, or rank it with posts_ranked)."""
    visible = Post.objects.filter(hidden_at__isnull=True)
    if not _words(q):
        return visible.none()
    if _postgres():
        return visible.filter(search_document=_query(q))
    return visible.filter(_all_words(("text",), q))


def ideas_matching(q: str) -> QuerySet[Idea]:
    """Ideas not merged into another whose title or description match `q` (unordered)."""
    open_ = Idea.objects.filter(merged_into__isnull=True)
    if not _words(q):
        return open_.none()
    if _postgres():
        return open_.filter(search_document=_query(q))
    return open_.filter(_all_words(("title", "description"), q))


def posts_ranked(q: str) -> QuerySet[Post]:
    """Matching posts, best first (on PostgreSQL the best of the newest RANK_WINDOW; newest first on SQLite),
    with `headline` (their text with the matches marked, for snippet_html) and their author."""
    found = posts_matching(q)
    if not _postgres():
        return found.select_related("author").order_by("-created_at", "-id")
    from django.contrib.postgres.search import SearchRank

    newest = found.order_by("-created_at", "-id").values("pk")[:RANK_WINDOW]
    return (
        Post.objects.filter(pk__in=Subquery(newest))
        .select_related("author")
        .annotate(rank=SearchRank(F("search_document"), _query(q)))
        .order_by("-rank", "-created_at", "-id")
        # From the rendered HTML, whose tags ts_headline drops: the words without the Markdown around them.
        .annotate(headline=_headline("html", q))
    )


def ideas_ranked(q: str) -> QuerySet[Idea]:
    """Matching ideas, best first (a match in the title counts more), like posts_ranked."""
    found = ideas_matching(q)
    if not _postgres():
        return found.select_related("author").order_by("-created_at", "-id")
    from django.contrib.postgres.search import SearchRank

    newest = found.order_by("-created_at", "-id").values("pk")[:RANK_WINDOW]
    return (
        Idea.objects.filter(pk__in=Subquery(newest))
        .select_related("author")
        .annotate(rank=SearchRank(F("search_document"), _query(q)))
        .order_by("-rank", "-vote_count", "-id")
        .annotate(headline=_headline("description", q))
    )


def _headline(field_name: str, q: str):
    from django.contrib.postgres.search import SearchHeadline

    # MaxWords ~ SNIPPET_CHARACTERS; computed only for the rows of the page shown (annotations on a
    # sliced queryset run on the slice).
    return SearchHeadline(
        field_name,
        _query(q),
        config=SEARCH_CONFIG,
        start_sel=_MARK_START,
        stop_sel=_MARK_STOP,
        max_words=35,
        min_words=15,
    )


def post_snippet_html(post, q: str) -> SafeString:
    """A post's snippet: from its rendered HTML as text (no Markdown signs), or its text if it has none."""
    headline = getattr(post, "headline", None)
    if headline is not None and post.html:
        return snippet_html("", q, headline=html.unescape(headline))
    return snippet_html(html.unescape(strip_tags(post.html)) if post.html else post.text, q)


def snippet_html(text: str, q: str, *, headline: str | None = None) -> SafeString:
    """A short, escaped extract of `text` with the query's words in <mark>: ts_headline's (PostgreSQL,
    stemmed) when given, else around the first word found (any case)."""
    if headline is None:
        headline = _snippet_marked(text, q)
    headline = " ".join(headline.split())  # where ts_headline dropped tags, and line breaks
    marked = escape(headline).replace(_MARK_START, "<mark>").replace(_MARK_STOP, "</mark>")
    return mark_safe(marked)  # noqa: S308 - everything but our own <mark>s is escaped just above


def _snippet_marked(text: str, q: str) -> str:
    text = " ".join(text.replace(_MARK_START, "").replace(_MARK_STOP, "").split())
    words = sorted({w for w in _words(q)}, key=len, reverse=True)
    if not words:
        return text[:SNIPPET_CHARACTERS]
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, (first.start() if first else 0) - SNIPPET_CHARACTERS // 3)
    if start:
        start = text.find(" ", start) + 1 or start  # begin at a word
    extract = text[start : start + SNIPPET_CHARACTERS]
    extract = pattern.sub(lambda m: f"{_MARK_START}{m.group(0)}{_MARK_STOP}", extract)
    return ("… " if start else "") + extract + (" …" if start + SNIPPET_CHARACTERS < len(text) else "")


@dataclass
class SearchResults:
    """What the search page shows: each kind's count, and the results of the kind asked for."""

    q: str
    counts: dict[str, int] = field(default_factory=dict)
    capped: set[str] = field(default_factory=set)  # the kinds with more than COUNT_CAP matches

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def labels(self) -> dict[str, str]:
        """Each kind's count as the page shows it: "1000+" above the cap."""
        return {kind: f"{count}+" if kind in self.capped else str(count) for kind, count in self.counts.items()}

    @property
    def total_label(self) -> str:
        return f"{self.total}+" if self.capped else str(self.total)


def search_counts(q: str) -> SearchResults:
    """How many posts, ideas and people match `q`, up to COUNT_CAP each (three COUNT queries)."""
    results = SearchResults(q=q)
    if not _words(q):
        results.counts = dict.fromkeys(KINDS, 0)
        return results
    for kind, found in (("posts", posts_matching(q)), ("ideas", ideas_matching(q)), ("people", people_search(q=q))):
        # Counting a slice stops at the first COUNT_CAP + 1 matches.
        count = found[: COUNT_CAP + 1].count()
        if count > COUNT_CAP:
            results.capped.add(kind)
            count = COUNT_CAP
        results.counts[kind] = count
    return results


def search_pageable(kind: str, results: SearchResults) -> int:
    """How many results of `kind` can be paged through: every person, and on PostgreSQL the ranked window
    of posts and ideas."""
    count = results.counts[kind]
    return min(count, RANK_WINDOW) if kind != "people" and _postgres() else count


def search_list(kind: str, q: str) -> QuerySet:
    """The results of one kind, best first (people by name)."""
    if kind == "posts":
        return posts_ranked(q)
    if kind == "ideas":
        return ideas_ranked(q)
    return people_search(q=q) if _words(q) else people_search().none()
