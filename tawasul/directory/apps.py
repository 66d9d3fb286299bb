from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "tawasul.directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from tawasul.audit.events import register_event_types
        from tawasul.directory.events import DirectoryEvent

        register_event_types(DirectoryEvent)
