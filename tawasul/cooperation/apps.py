from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "tawasul.cooperation"
    verbose_name = _("Cooperation requests")

    def ready(self) -> None:
        from tawasul.audit.events import register_event_types
        from tawasul.cooperation.events import CooperationEvent

        register_event_types(CooperationEvent)
