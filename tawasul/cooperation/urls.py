from django.urls import path

from tawasul.cooperation import views

app_name = "cooperation"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("<int:request_id>/", views.detail, name="detail"),
    path("<int:request_id>/step/<str:step>/", views.step_view, name="step"),
    path("<int:request_id>/transition/", views.transition, name="transition"),
    path(
        "<int:request_id>/parts/<str:part>/<int:part_id>/remove/",
        views.part_remove,
        name="part_remove",
    ),
    path("<int:request_id>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
    path(
        "attachments/<int:attachment_id>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path("<int:request_id>/documents/", views.document_generate, name="document_generate"),
    path("documents/<int:document_id>/", views.document_download, name="document_download"),
    path("<int:request_id>/assign/", views.assign, name="assign"),
    path("<int:request_id>/receipts/<int:transition_id>/", views.receipt, name="receipt"),
]

from tawasul.cooperation.dashboard_urls import urlpatterns as dashboard_urlpatterns  # noqa: E402

urlpatterns += dashboard_urlpatterns
