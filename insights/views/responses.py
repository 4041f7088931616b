"""The overdue queue: mentions past their first-response target with no response, the latest first."""

from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from insights.links import mention_path
from insights.selectors.responses import overdue_count, overdue_queue
from insights.views import PAGE_SIZE, staff_only

MAX_PAGE = 2000  # 100,000 rows deep: beyond it, answer the mentions rather than page on


@staff_only
@require_GET
def overdue(request):
    """Insights staff: what is overdue now, how late, and who is on it."""
    try:
        number = min(max(int(request.GET.get("page", "1")), 1), MAX_PAGE)
    except ValueError:
        number = 1
    page = overdue_queue(page=number, per_page=PAGE_SIZE)
    for mention in page.mentions:
        mention.page_url = mention_path(mention.pk)
    return render(
        request,
        "insights/overdue.html",
        {
            "mentions": page.mentions,
            "number": number,
            "has_next": page.has_next and number < MAX_PAGE,
            "total": overdue_count(),
            "now": timezone.now(),
        },
    )


urlpatterns = [path("overdue/", overdue, name="overdue")]
