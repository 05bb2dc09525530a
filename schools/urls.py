from django.urls import path, re_path

from . import views, views_access

app_name = "schools"
URN = r"(?P<urn>\d{6})"
urlpatterns = [
    path("", views.school_list, name="list"),
    path("import/", views.import_schools, name="import"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/status/", views.import_status, name="import_status"),
    path("access-requests/", views_access.access_request_list, name="access_requests"),
    path("access-requests/<int:pk>/", views_access.access_request_detail, name="access_request"),
    re_path(rf"^{URN}/$", views.school_detail, name="detail"),
    re_path(rf"^{URN}/concern/$", views.causing_concern, name="concern"),
    re_path(rf"^{URN}/contacts/invite/$", views.invite_contact, name="invite_contact"),
    re_path(rf"^{URN}/contacts/add/$", views.add_contact, name="add_contact"),
    re_path(rf"^{URN}/contacts/(?P<pk>\d+)/$", views.change_contact, name="change_contact"),
    re_path(rf"^{URN}/contacts/(?P<pk>\d+)/left/$", views.contact_left, name="contact_left"),
]
