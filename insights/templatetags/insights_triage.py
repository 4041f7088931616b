"""Template tags of the triage pages that other apps' pages include (a department's routed mentions)."""

from django import template

from insights.selectors.triage import CappedPaginator, mentions_routed_to

register = template.Library()

ROUTED_PAGE_SIZE = 10


@register.simple_tag(takes_context=True)
def routed_mentions(context, department):
    """A page of what was routed to `department` (newest first); the page number is `?routed_page=` on the
    including page, so the include works on any department page without its view's help."""
    request = context.get("request")
    number = request.GET.get("routed_page") if request is not None else None
    return CappedPaginator(mentions_routed_to(department), ROUTED_PAGE_SIZE).get_page(number)
