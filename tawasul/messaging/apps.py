from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "tawasul.messaging"
    verbose_name = _("Secure messaging")

    def ready(self) -> None:
        from tawasul.audit.events import register_event_types
        from tawasul.core.handover import register_handover_step
        from tawasul.messaging import checks  # noqa: F401  (registers the file-key check)
        from tawasul.messaging.events import MessagingEvent
        from tawasul.messaging.services import handover_threads

        register_event_types(MessagingEvent)
        register_handover_step("messaging.threads", handover_threads)
