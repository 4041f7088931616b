from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.selectors import health_report


@never_cache
@require_GET
def healthz(request):
    """Public: for load balancers and probes. 200 when healthy, 503 when not."""
    healthy, report = health_report()
    return JsonResponse({"status": "ok" if healthy else "unhealthy", **report}, status=200 if healthy else 503)
