from django.urls import path

from tawasul.actionplans import views

app_name = "actionplans"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.my_actions, name="my_actions"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path(
        "programmes/<int:pk>/charts/<slug:chart>.svg",
        views.programme_chart,
        name="programme_chart",
    ),
    path(
        "programmes/<int:pk>/reports/<int:year>.<slug:fmt>",
        views.programme_report,
        name="programme_report",
    ),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path(
        "meetings/<int:pk>/participation/",
        views.participation_record,
        name="participation_record",
    ),
    path(
        "meetings/<int:pk>/recommendations/new/",
        views.recommendation_create,
        name="recommendation_create",
    ),
    path(
        "meetings/<int:pk>/documents/new/", views.meeting_document_add, name="meeting_document_add"
    ),
    path("documents/<int:pk>/", views.meeting_document_download, name="meeting_document_download"),
    path("meetings/<int:pk>/charts/<slug:chart>.svg", views.meeting_chart, name="meeting_chart"),
    path("meetings/<int:pk>/report.<slug:fmt>", views.meeting_report, name="meeting_report"),
    path("recommendations/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/progress/", views.action_progress, name="action_progress"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
]
