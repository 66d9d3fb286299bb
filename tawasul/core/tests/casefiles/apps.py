from django.apps import AppConfig


class CasefilesConfig(AppConfig):
    """Installed in tests only: a country-owned case record on which the scoping mechanism in
    tawasul.core.access is exercised before the real case apps exist."""

    name = "tawasul.core.tests.casefiles"
    label = "casefiles"
