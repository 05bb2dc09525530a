from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
router.register("schools", views.SchoolViewSet, basename="schools")
router.register("memberships", views.MembershipViewSet, basename="memberships")
router.register("invoices", views.InvoiceViewSet, basename="invoices")

urlpatterns = [
    *router.urls,
    path("trading-account/", views.TradingAccountView.as_view(), name="trading_account"),
]
