"""What a long-running web process does once it has loaded the application."""

from __future__ import annotations

import gc

from django.urls import get_resolver


def freeze_loaded_objects() -> None:
    """Load every URLconf (and with it the views, forms and API schemas), then move every
    object alive at that point into the collector's permanent generation.

    Why: the application's own objects live as long as the process, yet CPython's full
    collections walk all of them again and again. Measured on the cooperation dashboard (a
    request that allocates ~100,000 tuples): a full collection took ~100 ms each time it
    ran, which was the whole gap between the page's p50 and p95 (docs/benchmarks/requests.md).
    Frozen objects are still freed by reference counting; only cycles among them are kept.
    """
    # Django imports the URLconf lazily, on the first request: load it now, so the views
    # and their modules are frozen too.
    get_resolver().url_patterns  # noqa: B018 - evaluated for its side effect
    gc.collect()
    gc.freeze()
