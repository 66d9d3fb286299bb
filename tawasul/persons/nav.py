"""The person index's navigation entry: its label (in this app's catalogue) and who sees it
(imports the models only when asked)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

person_index_label = _("Person index")


def may_open_person_index(user: Any) -> bool:
    from tawasul.persons.models import may_protect_victims, may_use_person_index

    return may_use_person_index(user) or may_protect_victims(user)
