from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "finance"

    def ready(self):
        from membership.signals import membership_approved

        from .receivers import reprice_bookings_on_approval

        membership_approved.connect(reprice_bookings_on_approval, dispatch_uid="finance-reprice")
