from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonsConfig(AppConfig):
    name = "tawasul.persons"
    verbose_name = _("Person index")

    def ready(self) -> None:
        from tawasul.audit.events import register_event_types
        from tawasul.persons import checks  # noqa: F401  (registers the victim-key check)
        from tawasul.persons.events import PersonsEvent

        register_event_types(PersonsEvent)
