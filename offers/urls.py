from django.urls import include, path

app_name = "offers"
# The catalogue (offers, providers, practitioners, tiers) and bookings/deployments
# grow separately; both live under /offer/.
urlpatterns = [
    path("", include("offers.urls_catalogue")),
    path("", include("offers.urls_bookings")),
]
