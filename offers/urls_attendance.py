from django.urls import path

from . import views_attendance as views
from . import views_evaluation_links

# CPD sessions, registers, delegates, evaluations and certificates, under /offer/ before
# the catalogue's `<code>/` page (these first words are never offer codes).
urlpatterns = [
    path("courses/new/", views.session_edit, name="session_create"),
    path("courses/registers/", views.register_list, name="register_list"),
    path("courses/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("courses/<int:pk>/register/", views.register, name="register"),
    path("bookings/<int:pk>/delegates/", views.booking_delegates, name="booking_delegates"),
    path("delegates/", views.delegate_list, name="delegate_list"),
    path("delegates/<int:pk>/evaluation/", views.evaluation, name="evaluation"),
    path("delegates/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("evaluations/", views.evaluation_report, name="evaluation_report"),
    path(
        "evaluate/<str:token>/",
        views_evaluation_links.delegate_evaluation,
        name="delegate_evaluation",
    ),
]
