from functools import cached_property

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from accounts.decorators import role_required
from accounts.roles import Role
from intranet.search_selectors import (
    KINDS,
    post_snippet_html,
    search_counts,
    search_list,
    search_pageable,
    search_terms,
    snippet_html,
)
from intranet.selectors import person_card

SEARCH_PAGE_SIZE = 10
OVERVIEW_SIZE = 3  # results of each kind on the first page, before "all N posts"


class _CountedPaginator(Paginator):
    """A paginator told its count (search_counts has it already): no second COUNT of the same search."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _post_url(pk: int) -> str:
    return reverse("intranet:post_detail", args=[pk])


def _results(kind: str, rows, q: str) -> list[dict]:
    if kind == "people":
        return [{"card": person_card(user)} for user in rows]
    if kind == "posts":
        return [
            {
                "post": post,
                "url": _post_url(post.pk),
                "snippet": post_snippet_html(post, q),
            }
            for post in rows
        ]
    return [
        {"idea": idea, "snippet": snippet_html(idea.description, q, headline=getattr(idea, "headline", None))}
        for idea in rows
    ]


@role_required(Role.EMPLOYEE)
@require_GET
def search(request):
    """Employees: posts, ideas and people matching `q`, counted by kind; the first few of each, or one
    kind (`kind`) a page at a time. Only posts not hidden, ideas not merged, and what people show."""
    q = search_terms(request.GET.get("q", ""))
    kind = request.GET.get("kind", "")
    kind = kind if kind in KINDS else ""
    results = search_counts(q)
    context = {"q": q, "kind": kind, "results": results, "kinds": KINDS}
    if kind:
        # Only the ranked window of posts and ideas can be paged through (search_selectors.RANK_WINDOW).
        page = _CountedPaginator(search_list(kind, q), SEARCH_PAGE_SIZE, count=search_pageable(kind, results)).get_page(
            request.GET.get("page")
        )
        context |= {
            "page": page,
            "rows": _results(kind, page.object_list, q),
            "query": urlencode({"q": q, "kind": kind}) + "&",
        }
    elif q:
        context["groups"] = [
            {
                "kind": name,
                "count": results.counts[name],
                "label": results.labels[name],
                "rows": _results(name, search_list(name, q)[:OVERVIEW_SIZE], q),
            }
            for name in KINDS
            if results.counts[name]
        ]
    return render(request, "intranet/search.html", context)
