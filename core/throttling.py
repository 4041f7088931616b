import time

from django.core.cache import cache
from rest_framework import throttling


class FixedWindowMixin:
    """Count requests per fixed window with one atomic cache increment.

    DRF's throttles keep every request's timestamp in one cache entry and rewrite
    it on each request: at thousands of requests a minute that entry alone costs
    more than the view. A counter per window costs the same at any rate.
    """

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        window_start = int(time.time() // self.duration * self.duration)
        key = f"{self.key}:{window_start}"
        cache.add(key, 0, self.duration + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, self.duration + 1)
            count = 1
        self.wait_seconds = window_start + self.duration - time.time()
        return count <= self.num_requests

    def wait(self):
        return max(self.wait_seconds, 0)


class AnonRateThrottle(FixedWindowMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FixedWindowMixin, throttling.UserRateThrottle):
    """Per signed-in user, and per API key (its principal has its own id)."""
