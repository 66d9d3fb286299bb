from django.urls import path

from tawasul.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.vcf", views.export_vcard, name="export_vcard"),
    path("entries/new/", views.focal_point_create, name="focal_point_create"),
    path("entries/<int:entry_id>/", views.focal_point_detail, name="focal_point_detail"),
    path("entries/<int:entry_id>/vcard/", views.focal_point_vcard, name="focal_point_vcard"),
    path("entries/<int:entry_id>/edit/", views.focal_point_edit, name="focal_point_edit"),
    path("entries/<int:entry_id>/verify/", views.focal_point_verify, name="focal_point_verify"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:agency_id>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:agency_id>/edit/", views.agency_edit, name="agency_edit"),
    path("agencies/<int:agency_id>/channels/", views.agency_channel_add, name="agency_channel_add"),
    path(
        "agencies/<int:agency_id>/channels/<int:channel_id>/remove/",
        views.agency_channel_remove,
        name="agency_channel_remove",
    ),
    path("networks/", views.network_list, name="network_list"),
    path("networks/new/", views.network_create, name="network_create"),
    path("networks/<int:network_id>/", views.network_detail, name="network_detail"),
    path("networks/<int:network_id>/members/", views.network_member_add, name="network_member_add"),
    path(
        "networks/<int:network_id>/members/<int:membership_id>/remove/",
        views.network_member_remove,
        name="network_member_remove",
    ),
    path("handover/", views.handover, name="handover"),
    path("profiles/", views.profile_list, name="profile_list"),
    path("profiles/<str:country>/", views.profile_detail, name="profile_detail"),
    path("finder/", views.finder_view, name="finder"),
    path("compare/", views.compare_view, name="compare"),
]
