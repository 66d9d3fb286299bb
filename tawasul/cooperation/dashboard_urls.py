"""The dashboard's routes, added to ``tawasul.cooperation.urls`` (app_name "cooperation") by
``urlpatterns += dashboard_urlpatterns``."""

from __future__ import annotations

from django.urls import path

from tawasul.cooperation.dashboard_views import dashboard, dashboard_export

urlpatterns = [
    path("dashboard/", dashboard, name="dashboard"),
    path("dashboard/export.csv", dashboard_export, name="dashboard_export"),
]
dashboard_urlpatterns = urlpatterns
