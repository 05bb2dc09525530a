from django.urls import path

from . import views_bookings as views

# Included under /offer/ before the catalogue's `<code>/` page, so these fixed words
# (bookings, courses, deployments, commissioned) are never read as offer codes.
urlpatterns = [
    path("bookings/", views.BookingListView.as_view(), name="booking_list"),
    path("bookings/new/", views.booking_create, name="booking_create"),
    path("bookings/demand/", views.demand, name="demand"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking_detail"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/confirm/", views.booking_confirm, name="booking_confirm"),
    path("bookings/<int:pk>/deliver/", views.booking_deliver, name="booking_deliver"),
    path("bookings/<int:pk>/deploy/", views.booking_deploy, name="booking_deploy"),
    path("courses/", views.session_list, name="session_list"),
    path("courses/<int:pk>/book/", views.session_book, name="session_book"),
    path("deployments/", views.DeploymentListView.as_view(), name="deployment_list"),
    path("deployments/mine/", views.MyDeploymentListView.as_view(), name="my_deployments"),
    path("deployments/calendar/", views.deployment_calendar, name="deployment_calendar"),
    path("deployments/<int:pk>/deliver/", views.deployment_deliver, name="deployment_deliver"),
    path("commissioned/", views.PackageListView.as_view(), name="package_list"),
    path("commissioned/new/", views.package_create, name="package_create"),
    path("commissioned/<int:pk>/", views.package_detail, name="package_detail"),
    path("commissioned/<int:pk>/deploy/", views.package_deploy, name="package_deploy"),
    path("commissioned/<int:pk>/deliver/", views.package_deliver, name="package_deliver"),
]
