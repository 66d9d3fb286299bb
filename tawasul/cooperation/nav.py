"""The cooperation requests' navigation entry: its label (in this app's catalogue) and who
sees it (imports the models only when asked)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

requests_label = _("Requests")


def may_open_requests(user: Any) -> bool:
    from tawasul.cooperation.models import may_work_on_requests

    return may_work_on_requests(user)


request_figures_label = _("Request figures")


def may_open_figures_only(user: Any) -> bool:
    """Coordinators reach the aggregate figures from the navigation; case workers reach their
    own from the requests page."""
    from tawasul.cooperation.figures import dashboard_audience
    from tawasul.cooperation.models import may_work_on_requests

    return dashboard_audience(user) is not None and not may_work_on_requests(user)
