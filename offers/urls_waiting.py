from django.urls import path

from . import views_waiting as views

# Included under /offer/ before the catalogue's `<code>/` page (fixed words first).
urlpatterns = [
    path("waiting-lists/", views.waiting_lists, name="waiting_lists"),
    path("waiting-lists/offers/<int:pk>/", views.waiting_list_offer, name="waiting_list_offer"),
    path(
        "waiting-lists/courses/<int:pk>/", views.waiting_list_session, name="waiting_list_session"
    ),
    path("bookings/<int:pk>/offer-place/", views.booking_offer_place, name="booking_offer_place"),
    path("bookings/<int:pk>/place/", views.booking_place, name="booking_place"),
    path("places/<str:token>/", views.place_offer_link, name="place_offer_link"),
]
