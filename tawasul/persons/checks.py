"""A system check: the victim-record encryption key is usable (production refuses to start
without one; see config/settings.py)."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security)
def check_victim_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from tawasul.persons.crypto import victim_key

    try:
        victim_key()
    except ImproperlyConfigured as problem:
        return [checks.Error(str(problem), id="persons.E001")]
    return []
