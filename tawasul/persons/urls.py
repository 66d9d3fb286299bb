from django.urls import path

from tawasul.persons import views

app_name = "persons"
urlpatterns = [
    path("", views.index, name="index"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("records/", views.record_list, name="records"),
    path("records/export/", views.records_export, name="records_export"),
    path("records/import/", views.records_import, name="records_import"),
    path("records/new/", views.record_new, name="record_new"),
    path("records/<int:record_id>/", views.record_detail, name="record"),
    path("records/<int:record_id>/edit/", views.record_edit, name="record_edit"),
    path("records/<int:record_id>/review/", views.record_review, name="record_review"),
    path("records/<int:record_id>/delete/", views.record_delete, name="record_delete"),
    path("search/", views.search, name="search"),
    path("hits/", views.hit_list, name="hits"),
    path("hits/<int:hit_id>/", views.hit_detail, name="hit"),
    path("hits/<int:hit_id>/decide/", views.hit_decide, name="hit_decide"),
    path("hits/<int:hit_id>/request/", views.hit_request, name="hit_request"),
    path("screening/", views.screening_list, name="screening"),
    path("screening/<int:job_id>/map/", views.screening_map, name="screening_map"),
    path("screening/<int:job_id>/", views.screening_job, name="screening_job"),
    path("screening/<int:job_id>/progress/", views.screening_progress, name="screening_progress"),
    path("screening/<int:job_id>/export/", views.screening_export, name="screening_export"),
    path("victims/", views.victim_list, name="victims"),
    path("victims/new/", views.victim_new, name="victim_new"),
    path("victims/<int:victim_id>/", views.victim_detail, name="victim"),
    path("victims/identify/", views.victim_identify, name="victim_identify"),
    path("victims/<int:victim_id>/refer/", views.referral_new, name="referral_new"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/<int:referral_id>/", views.referral_detail, name="referral"),
    path("referrals/<int:referral_id>/status/", views.referral_status, name="referral_status"),
]
