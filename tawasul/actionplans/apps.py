from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionplansConfig(AppConfig):
    name = "tawasul.actionplans"
    verbose_name = _("Action plans")

    def ready(self) -> None:
        from tawasul.actionplans.events import ActionPlanEvent
        from tawasul.audit.events import register_event_types

        register_event_types(ActionPlanEvent)
