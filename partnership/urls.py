from django.contrib import admin
from django.urls import include, path

from membership.views_public import fee_calculator
from schools import views_access

from . import bench, views, views_calendar, views_privacy, views_reminders
from .api import pages as api_pages
from .health import health
from .second_factor import admin_login

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", health, name="health"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("contact/", views.contact, name="contact"),
    path("join/", views.join, name="join"),
    path("join/request-access/", views_access.request_access, name="request_access"),
    path("join/request-access/sent/", views_access.request_access_sent, name="request_access_sent"),
    path("fees/", fee_calculator, name="fees"),
    path("health/bare/", bench.bare, name="bare_view"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("calendar/", views_calendar.calendar_page, name="calendar"),
    path("reminders/", views_reminders.reminder_choices, name="reminder_choices"),
    path("calendar/<uuid:key>/<slug:token>.ics", views_calendar.calendar_ics, name="calendar_feed"),
    path("partnership/", views.partnership_settings, name="partnership_settings"),
    path("partnership/waiting-lists/", views.waiting_list_hold, name="partnership_waiting_lists"),
    path("people/", views.people, name="people"),
    path("people/invite/", views.invite, name="invite_person"),
    path("people/personal-data/", views_privacy.find, name="personal_data"),
    path("people/personal-data/named/", views_privacy.named, name="personal_data_named"),
    path("people/<int:pk>/personal-data/", views_privacy.person, name="person_data"),
    path(
        "people/<int:pk>/personal-data/download/",
        views_privacy.download,
        name="person_data_download",
    ),
    path(
        "people/<int:pk>/personal-data/download.pdf",
        views_privacy.download_pdf,
        name="person_data_pdf",
    ),
    path("people/<int:pk>/erase/", views_privacy.erase, name="person_erase"),
    path("reporting-api/", api_pages.guide, name="reporting_api"),
    path("reporting-api/tokens/", api_pages.token_list, name="api_tokens"),
    path("reporting-api/tokens/<int:pk>/revoke/", api_pages.token_revoke, name="api_token_revoke"),
    path("api/v1/", include("partnership.api.urls")),
    path("accounts/", include("allauth.urls")),
    # Before the admin's own login page, which would take a password alone.
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("schools/", include("schools.urls")),
    path("offer/", include("offers.urls")),
    path("membership/", include("membership.urls")),
    path("finance/", include("finance.urls")),
    path("governance/", include("governance.urls")),
]
