from django.contrib import admin
from django.urls import include, path

from . import bench, views
from .health import health

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", health, name="health"),
    path("health/bare/", bench.bare, name="bare_view"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("people/", views.people, name="people"),
    path("people/invite/", views.invite, name="invite_person"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("schools/", include("schools.urls")),
    path("offer/", include("offers.urls")),
    path("membership/", include("membership.urls")),
    path("finance/", include("finance.urls")),
    path("governance/", include("governance.urls")),
]
