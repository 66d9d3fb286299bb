from django.urls import include, path

from tawasul.core.api import api
from tawasul.core.views import healthz

urlpatterns = [
    path("", include("tawasul.core.urls")),
    path("accounts/", include("tawasul.accounts.urls")),
    path("audit/", include("tawasul.audit.urls")),
    path("directory/", include("tawasul.directory.urls")),
    path("messages/", include("tawasul.messaging.urls")),
    path("action-plans/", include("tawasul.actionplans.urls")),
    path("persons/", include("tawasul.persons.urls")),
    path("requests/", include("tawasul.cooperation.urls")),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
]
