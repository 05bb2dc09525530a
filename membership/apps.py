from django.apps import AppConfig


class MembershipConfig(AppConfig):
    name = "membership"

    def ready(self):
        # Offers prices bookings by the school's tier but may not import membership:
        # membership fills in offers' port instead (docs/decisions.md).
        from offers.membership_port import register_tier_lookup

        from .selectors import booking_tier_in_year

        register_tier_lookup(booking_tier_in_year)
