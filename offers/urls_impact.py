from django.urls import path

from . import views_impact as views

# Included before the catalogue's `<code>/` page, as the bookings' URLs are.
urlpatterns = [
    path(
        "bookings/<int:pk>/objectives/new/",
        views.booking_objective_add,
        name="booking_objective_add",
    ),
    path(
        "commissioned/<int:pk>/objectives/new/",
        views.package_objective_add,
        name="package_objective_add",
    ),
    path("objectives/<int:pk>/review/", views.objective_review, name="objective_review"),
    path("impact/", views.impact_report, name="impact_report"),
]
