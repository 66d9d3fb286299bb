"""Per-user search rate limit: a counter per user and minute in the cache."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def search_allowed(user: Any) -> bool:
    """Count one search for ``user``; False once over ``PERSONS_SEARCH_RATE_PER_MINUTE``."""
    limit = settings.PERSONS_SEARCH_RATE_PER_MINUTE
    minute = int(timezone.now().timestamp() // 60)
    key = f"persons:search-rate:{user.pk}:{minute}"
    if cache.add(key, 1, timeout=120):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=120)
        count = 1
    return count <= limit
