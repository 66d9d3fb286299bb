from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "tawasul.audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from tawasul.audit import signals  # noqa: F401  (connects login receivers)
        from tawasul.audit.events import register_event_types
        from tawasul.audit.models import EventType

        register_event_types(EventType)
