"""The benchmark's URLconf: the portal's own URLs plus the list pages' floors.

Used only by `make bench` (ROOT_URLCONF overridden in its measuring process), never by
the product.
"""

from django.urls import include, path

from benchmarks.floors import floor

urlpatterns = [
    path("_bench/floor/<str:page>/<str:level>/", floor),
    path("", include("partnership.urls")),
]
