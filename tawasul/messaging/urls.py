from django.urls import path

from tawasul.messaging import views

app_name = "messaging"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.thread_new, name="thread_new"),
    path("search/", views.search, name="search"),
    path("settings/", views.preferences, name="preferences"),
    path("threads/<int:thread_id>/", views.thread_detail, name="thread"),
    path("threads/<int:thread_id>/reply/", views.thread_reply, name="thread_reply"),
    path("threads/<int:thread_id>/poll/", views.thread_poll, name="thread_poll"),
    path("threads/<int:thread_id>/read/", views.thread_read, name="thread_read"),
    path("threads/<int:thread_id>/participants/", views.participant_add, name="participant_add"),
    path("threads/<int:thread_id>/export/", views.thread_export, name="thread_export"),
    path("m/<int:message_id>/forward/", views.message_forward, name="message_forward"),
    path("m/<int:message_id>/permission/", views.permission_request, name="permission_request"),
    path(
        "permissions/<int:permission_id>/decide/", views.permission_decide, name="permission_decide"
    ),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
]
