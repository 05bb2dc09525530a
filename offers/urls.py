from django.urls import include, path

app_name = "offers"
# The catalogue (offers, providers, practitioners, tiers) and bookings/deployments
# grow separately; both live under /offer/. Bookings come first: the catalogue's
# offer page (/offer/<code>/) matches any single segment.
urlpatterns = [
    path("", include("offers.urls_bookings")),
    path("", include("offers.urls_waiting")),
    path("", include("offers.urls_attendance")),
    path("", include("offers.urls_impact")),
    path("", include("offers.urls_catalogue")),
]
